"""Release is signed with the password typed again and bound to the lot's record (21 CFR 11)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from celltrace.catalog.models import QCSpecification
from celltrace.lab.actions import allocate_lot, release_lot
from celltrace.lab.models import ProcessStep, ProductLot, QCResult
from celltrace.lab.release_record import lot_content, release_signature, shown_release
from celltrace.lab.tests.helpers import pass_every_test
from celltrace.refusal import Refused
from celltrace.signatures.models import Signature, WrongPassword
from celltrace.signatures.service import verify
from testkit import PASSWORD


@pytest.fixture
def ready_lot(donor_lot, lab_technician):
    pass_every_test(donor_lot, lab_technician)
    return donor_lot


@pytest.fixture
def released(ready_lot, quality_reviewer):
    return release_lot(ready_lot, quality_reviewer, password=PASSWORD)


def saved():
    return (
        Signature.objects.count(),
        list(ProductLot.objects.values_list("status", "released_by", "released_at")),
    )


def refused_release(lot, user, password) -> Refused:
    before = saved()
    with pytest.raises(Refused) as caught:
        release_lot(lot, user, password=password)
    assert saved() == before
    lot.refresh_from_db()
    assert lot.status == "in_process"
    return caught.value


# Through the action


def test_a_release_is_signed_by_the_reviewer_with_the_meaning_release(released, quality_reviewer):
    signature = release_signature(released)
    assert (signature.signer, signature.printed_name) == (quality_reviewer, "Quinn")
    assert signature.meaning == "release"
    assert signature.record == released
    assert released.released_at == signature.signed_at


def test_the_signature_is_bound_to_the_lot_and_every_qc_result(released):
    signature = release_signature(released)
    content = lot_content(released)
    assert verify(signature, content)
    specs = released.product.qc_specs.count()
    assert len(content["qc_results"]) == released.qc_results.count() == specs
    assert content["lot"]["code"] == released.code
    assert content["made_for"]["donor_code"] == "UC-0042"


def test_a_wrong_password_releases_nothing_and_is_counted(ready_lot, quality_reviewer):
    error = refused_release(ready_lot, quality_reviewer, "not my password")
    assert (error.code, error.field_errors) == ("wrong_password", {"password": "Wrong password."})
    assert WrongPassword.objects.filter(user=quality_reviewer, meaning="release").count() == 1


def test_a_missing_password_releases_nothing(ready_lot, quality_reviewer):
    assert refused_release(ready_lot, quality_reviewer, "").code == "wrong_password"


def test_after_five_wrong_passwords_even_the_right_one_is_refused(ready_lot, quality_reviewer):
    for _ in range(5):
        refused_release(ready_lot, quality_reviewer, "guess")
    error = refused_release(ready_lot, quality_reviewer, PASSWORD)
    assert error.code == "signing_locked"
    assert "Signing is locked for 15 minutes" in error.message


def test_a_blocked_lot_is_not_signed_even_with_the_right_password(donor_lot, quality_reviewer):
    assert refused_release(donor_lot, quality_reviewer, PASSWORD).code == "release_blocked"


def test_a_release_is_signed_only_with_the_meaning_release(ready_lot, quality_reviewer):
    before = saved()
    with pytest.raises(Refused) as caught:
        release_lot(ready_lot, quality_reviewer, password=PASSWORD, meaning="approval")
    assert caught.value.code == "invalid" and saved() == before


# Changed after signing


def test_a_qc_result_edited_after_signing_shows_where(released):
    result = released.qc_results.order_by("pk").first()
    QCResult.objects.filter(pk=result.pk).update(passed=False)  # as by SQL, past every action
    shown = shown_release(released)
    assert (shown.matches, shown.state) == (False, "changed after signing")
    assert shown.changed == ("qc_results[0].passed",)


def test_a_qc_result_deleted_or_a_step_added_after_signing_shows(released, lab_technician):
    last = released.qc_results.count() - 1
    released.qc_results.order_by("pk").last().delete()
    ProcessStep.objects.create(
        lot=released, step="formulation", performed_by=lab_technician, performed_at=timezone.now()
    )
    assert set(shown_release(released).changed) == {f"qc_results[{last}]", "steps[1]"}


def test_a_later_expiry_written_after_signing_shows(released):
    ProductLot.objects.filter(pk=released.pk).update(
        expires_at=released.expires_at + dt.timedelta(days=30)
    )
    released.refresh_from_db()
    assert shown_release(released).changed == ("lot.expires_at",)


def test_the_copy_kept_with_the_signature_cannot_be_edited_to_agree(released):
    signature = release_signature(released)
    signature.content["qc_results"][0]["passed"] = False
    Signature.objects.filter(pk=signature.pk).update(content=signature.content)
    QCResult.objects.filter(pk=released.qc_results.order_by("pk").first().pk).update(passed=False)
    assert shown_release(released).matches is False


def test_allocating_a_released_donor_lot_is_no_change_of_the_signed_record(
    released, donor_plan, lab_technician
):
    allocate_lot(released, donor_plan, lab_technician)
    released.refresh_from_db()
    assert shown_release(released).matches


def test_a_later_change_of_the_catalogs_specification_is_no_change_of_the_lot(released):
    QCSpecification.objects.filter(product=released.product, test="viability").update(minimum=90)
    assert shown_release(released).matches


# Through the form


def lot_url(name, lot):
    return reverse(f"lab:{name}", args=[lot.pk])


def test_the_form_releases_with_the_password_and_the_page_shows_the_signature(
    client_for, quality_reviewer, ready_lot
):
    client = client_for(quality_reviewer)
    response = client.post(lot_url("release", ready_lot), {"password": PASSWORD})
    assert response.status_code == 302
    page = client.get(lot_url("lot_detail", ready_lot)).content.decode()
    signature = release_signature(ready_lot)
    assert "Quinn, <strong>Release</strong>" in page
    local = timezone.localtime(signature.signed_at, dt.UTC)  # the test site keeps UTC
    assert f"{local:%Y-%m-%d %H:%M} (UTC) = {local:%Y-%m-%d %H:%M} UTC" in page
    assert "matches the signed record" in page and signature.record_hash in page


@pytest.mark.parametrize("password", ["wrong", ""])
def test_the_form_refuses_a_wrong_or_missing_password_and_saves_nothing(
    client_for, quality_reviewer, ready_lot, password
):
    before = saved()
    response = client_for(quality_reviewer).post(
        lot_url("release", ready_lot), {"password": password}
    )
    assert response.status_code == 200
    assert saved() == before
    page = response.content.decode()
    assert ("Wrong password." if password else "This field is required.") in page


def test_the_lot_page_shows_a_change_after_signing_prominently(client_for, doctor, released):
    QCResult.objects.filter(lot=released, specification__test="viability").update(value=10)
    page = client_for(doctor).get(lot_url("lot_detail", released)).content.decode()
    assert '<div class="refusal" role="alert"><strong>Changed after signing.</strong>' in page
    assert "qc_results[" in page


def test_the_lot_page_shows_times_in_the_sites_zone_and_in_utc(client_for, doctor, released, site):
    site.time_zone = "Asia/Nicosia"
    site.save()
    signature = release_signature(released)
    page = client_for(doctor).get(lot_url("lot_detail", released)).content.decode()
    local = timezone.localtime(signature.signed_at, dt.timezone(dt.timedelta(hours=2)))
    assert f"{local:%Y-%m-%d %H:%M} (Asia/Nicosia)" in page


# Through the API


def post_release(client, lot, body):
    return client.post(f"/api/lab/lots/{lot.pk}/release", body, content_type="application/json")


def test_the_api_releases_with_the_password_and_returns_the_signature(
    client_for, quality_reviewer, ready_lot
):
    response = post_release(client_for(quality_reviewer), ready_lot, {"password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "released"
    signature = body["release_signature"]
    assert (signature["printed_name"], signature["meaning"]) == ("Quinn", "release")
    assert (signature["matches"], signature["changed"]) == (True, [])
    assert signature["record_hash"] == release_signature(ready_lot).record_hash


@pytest.mark.parametrize("body", [{"password": "wrong"}, {}])
def test_the_api_refuses_a_wrong_or_missing_password_and_saves_nothing(
    client_for, quality_reviewer, ready_lot, body
):
    before = saved()
    response = post_release(client_for(quality_reviewer), ready_lot, body)
    assert response.status_code == 422
    assert saved() == before


def test_the_api_tells_a_change_after_signing(client_for, nurse, released):
    QCResult.objects.filter(lot=released, specification__test="endotoxin").update(value=99)
    body = client_for(nurse).get(f"/api/lab/lots/{released.pk}").json()
    signature = body["release_signature"]
    assert (signature["matches"], signature["state"]) == (False, "changed after signing")
    assert len(signature["changed"]) == 1 and signature["changed"][0].endswith(".value")


def test_the_api_shows_no_signature_before_release(client_for, nurse, ready_lot):
    assert (
        client_for(nurse).get(f"/api/lab/lots/{ready_lot.pk}").json()["release_signature"] is None
    )


def test_verify_signatures_and_the_command_name_a_lot_edited_after_release(released, capsys):
    import argparse

    from celltrace.batch import signatures as command
    from celltrace.signatures.service import verify_signatures

    assert verify_signatures() == []
    out = _run(command, argparse)
    assert out == (0, "1 signatures checked, 0 changed after signing.\n")
    result = released.qc_results.order_by("pk").first()
    QCResult.objects.filter(pk=result.pk).update(value=12.0)  # as by SQL, past every action
    (finding,) = verify_signatures()
    signature = release_signature(released)
    assert (finding.signature_id, finding.record, finding.record_id, finding.meaning) == (
        signature.pk,
        "lab.ProductLot",
        released.pk,
        "release",
    )
    assert finding.changed == ("qc_results[0].value",)
    code, printed = _run(command, argparse)
    assert code == 1
    assert f"lab.ProductLot #{released.pk}: signature #{signature.pk} (release by " in printed
    assert "changed: qc_results[0].value" in printed


def test_a_deleted_signed_record_is_a_finding(released):
    from celltrace.signatures.service import verify_signatures

    signature = release_signature(released)
    Signature.objects.filter(pk=signature.pk).update(record_id=10**9)  # the record gone
    (finding,) = verify_signatures()
    assert finding.changed == ("the record was deleted",)


def _run(command, argparse):
    import io

    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    out = io.StringIO()
    code = command.run(parser.parse_args(["verify"]), io.StringIO(), out)
    return code, out.getvalue()


def test_audit_verify_fails_on_a_lot_edited_after_release(released, capsys):
    import argparse

    from celltrace.batch import audit as command

    assert _run(command, argparse)[0] == 0
    result = released.qc_results.order_by("pk").first()
    QCResult.objects.filter(pk=result.pk).update(value=12.0)  # audited, yet after the signature
    code, _ = _run(command, argparse)
    assert code == 1
    assert "changed after signing" in capsys.readouterr().err
