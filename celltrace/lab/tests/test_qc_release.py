"""QC that cannot be fooled: impossible values, failures that count until investigated,
endotoxin limits for the patient, release pending sterility, alerts, exceptional release."""

import datetime as dt

import pytest
from django.utils import timezone

from celltrace.lab.actions import (
    accept_exceptional_release,
    acknowledge_alert,
    allocate_lot,
    close_investigation,
    open_investigation,
    record_qc_result,
    release_blockers,
    release_exceptionally,
    release_lot,
)
from celltrace.lab.models import (
    ExceptionalRelease,
    Investigation,
    LotAlert,
    ProcessStep,
    ProductLot,
    QCResult,
)
from celltrace.lab.tests.helpers import an_hour_ago, formulate, pass_every_test
from celltrace.refusal import Refused
from testkit import PASSWORD
from testkit.journey import make_administration, make_lot, make_patient, make_plan, make_stay

STERILITY = ("sterility_bacterial", "sterility_fungal")


def counts():
    return tuple(
        model.objects.count()
        for model in (
            ProductLot,
            ProcessStep,
            QCResult,
            Investigation,
            ExceptionalRelease,
            LotAlert,
        )
    )


def refused(action, *args, **kwargs) -> Refused:
    before = counts()
    with pytest.raises(Refused) as caught:
        action(*args, **kwargs)
    assert counts() == before
    return caught.value


def fail_viability(lot, technician):
    return record_qc_result(lot, technician, test="viability", value=60.0, tested_at=an_hour_ago())


def investigate(lot, user, result, reviewer=None, *, conclusion=None):
    investigation = open_investigation(lot, user, result_ids=[result.pk], description="Check.")
    if conclusion:
        close_investigation(investigation, reviewer, conclusion=conclusion, findings="Found.")
    return investigation


# Plausibility


@pytest.mark.parametrize(
    ("test", "value"),
    [("cd105", 150.0), ("viability", 250.0), ("endotoxin", -1.0), ("cell_count", -1.0)],
)
def test_an_impossible_value_is_refused_and_nothing_saved(donor_lot, lab_technician, test, value):
    error = refused(
        record_qc_result, donor_lot, lab_technician, test=test, value=value, tested_at=an_hour_ago()
    )
    assert "impossible" in error.field_errors["value"]


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_a_value_that_is_not_a_number_is_refused(donor_lot, lab_technician, value):
    refused(
        record_qc_result, donor_lot, lab_technician, test="viability", value=value,
        tested_at=an_hour_ago(),
    )  # fmt: skip


# Failed results are never overwritten


def test_a_retest_without_an_investigation_is_refused(donor_lot, lab_technician):
    fail_viability(donor_lot, lab_technician)
    error = refused(
        record_qc_result, donor_lot, lab_technician, test="viability", value=90.0,
        tested_at=an_hour_ago(),
    )  # fmt: skip
    assert error.code == "retest_without_investigation"


def test_a_passing_retest_under_open_investigation_does_not_release_the_lot(
    donor_lot, lab_technician, quality_reviewer
):
    pass_every_test(donor_lot, lab_technician, skip=("viability",))
    failed = fail_viability(donor_lot, lab_technician)
    investigate(donor_lot, lab_technician, failed)
    record_qc_result(
        donor_lot, lab_technician, test="viability", value=90.0, tested_at=an_hour_ago()
    )
    error = refused(release_lot, donor_lot, quality_reviewer, password=PASSWORD)
    assert "Viability: a failed result is under investigation." in error.message
    assert donor_lot.qc_results.filter(specification__test="viability").count() == 2


def test_a_laboratory_error_lets_a_passing_retest_release_the_lot(
    donor_lot, lab_technician, quality_reviewer
):
    pass_every_test(donor_lot, lab_technician, skip=("viability",))
    failed = fail_viability(donor_lot, lab_technician)
    investigate(donor_lot, lab_technician, failed, quality_reviewer, conclusion="lab_error")
    record_qc_result(
        donor_lot, lab_technician, test="viability", value=90.0, tested_at=an_hour_ago()
    )
    lot = release_lot(donor_lot, quality_reviewer, password=PASSWORD)
    assert lot.status == "released"
    # Both results stay on record after release.
    assert [r.passed for r in lot.qc_results.filter(specification__test="viability")] == [
        False,
        True,
    ]


def test_a_confirmed_failure_allows_no_retest_and_no_release(
    donor_lot, lab_technician, quality_reviewer
):
    pass_every_test(donor_lot, lab_technician, skip=("viability",))
    failed = fail_viability(donor_lot, lab_technician)
    investigate(donor_lot, lab_technician, failed, quality_reviewer, conclusion="confirmed")
    error = refused(
        record_qc_result, donor_lot, lab_technician, test="viability", value=90.0,
        tested_at=an_hour_ago(),
    )  # fmt: skip
    assert error.code == "confirmed_oos"
    assert (
        "out of specification"
        in refused(release_lot, donor_lot, quality_reviewer, password=PASSWORD).message
    )


def test_an_investigation_needs_failed_results_of_the_lot_and_a_description(
    donor_lot, autologous_lot, lab_technician
):
    passed = record_qc_result(
        donor_lot, lab_technician, test="viability", value=90.0, tested_at=an_hour_ago()
    )
    failed = fail_viability(autologous_lot, lab_technician)
    for ids in ([passed.pk], [failed.pk], []):
        refused(open_investigation, donor_lot, lab_technician, result_ids=ids, description="x")
    refused(
        open_investigation, autologous_lot, lab_technician, result_ids=[failed.pk], description=" "
    )


def test_a_result_is_investigated_once(donor_lot, lab_technician):
    failed = fail_viability(donor_lot, lab_technician)
    investigate(donor_lot, lab_technician, failed)
    error = refused(
        open_investigation, donor_lot, lab_technician, result_ids=[failed.pk], description="Again"
    )
    assert error.code == "already_investigated"


def test_only_quality_closes_an_investigation_with_a_conclusion_and_findings(
    donor_lot, lab_technician, quality_reviewer
):
    investigation = investigate(
        donor_lot, lab_technician, fail_viability(donor_lot, lab_technician)
    )
    with pytest.raises(Refused):
        close_investigation(investigation, lab_technician, conclusion="lab_error", findings="x")
    refused(close_investigation, investigation, quality_reviewer, conclusion="maybe", findings="x")
    refused(
        close_investigation, investigation, quality_reviewer, conclusion="lab_error", findings=""
    )
    close_investigation(investigation, quality_reviewer, conclusion="lab_error", findings="Pipette")
    error = refused(
        close_investigation, investigation, quality_reviewer, conclusion="confirmed", findings="x"
    )
    assert error.code == "already_closed"


# Endotoxin limit for the patient


def test_the_endotoxin_limit_is_computed_for_the_lots_patient(
    autologous_lot, lab_technician, quality_reviewer
):
    # 70 kg, intravenous (K = 5 EU/kg), 10 mL: 5 / (10 / 70) = 35 EU/mL.
    formulate(autologous_lot, lab_technician, volume_ml=10.0)
    result = record_qc_result(
        autologous_lot, lab_technician, test="endotoxin", value=30.0, tested_at=an_hour_ago()
    )
    assert result.passed and result.limit == pytest.approx(35.0)
    assert "intravenous" in result.limit_basis


def test_an_intrathecal_lot_gets_the_stricter_limit(site, doctor, lab_technician, catalog):
    plan = make_plan(make_patient(site), doctor, product="msc-bm-auto-it", route="intrathecal")
    plan.weight_kg = 60.0
    plan.save()
    lot = make_lot(plan, lab_technician, status="in_process")
    lot.volume_ml = 3.0
    lot.save()
    result = record_qc_result(
        lot, lab_technician, test="endotoxin", value=4.5, tested_at=an_hour_ago()
    )
    assert result.limit == pytest.approx(4.0) and not result.passed


def test_an_endotoxin_result_is_refused_without_a_volume_or_fixed_ceiling(
    autologous_lot, lab_technician
):
    error = refused(
        record_qc_result, autologous_lot, lab_technician, test="endotoxin", value=0.1,
        tested_at=an_hour_ago(),
    )  # fmt: skip
    assert "once the lot is formulated" in error.message


def test_donor_stock_is_judged_by_its_fixed_ceiling_then_by_its_patient_at_allocation(
    site, donor_lot, lab_technician, quality_reviewer, doctor
):
    pass_every_test(donor_lot, lab_technician, skip=("endotoxin",))
    result = record_qc_result(
        donor_lot, lab_technician, test="endotoxin", value=0.5, tested_at=an_hour_ago()
    )
    assert result.passed and "fixed ceiling" in result.limit_basis
    release_lot(donor_lot, quality_reviewer, password=PASSWORD)
    donor_lot.refresh_from_db()
    donor_lot.volume_ml = 50.0
    donor_lot.save()
    # 3 kg child by intrathecal injection: 0.2 x 3 / 50 = 0.012 EU/mL.
    patient = make_patient(site)
    child = make_plan(patient, doctor, product="msc-uc-allo")
    child.weight_kg = 3.0
    child.save()
    child.products.update(route="intrathecal")
    error = refused(allocate_lot, donor_lot, child, lab_technician)
    assert "exceeds the limit" in error.message


# Released pending sterility


def test_a_lot_may_be_released_while_its_rapid_sterility_culture_runs(
    donor_lot, lab_technician, quality_reviewer
):
    pass_every_test(donor_lot, lab_technician, skip=STERILITY)
    lot = release_lot(donor_lot, quality_reviewer, password=PASSWORD)
    assert lot.sterility_pending and lot.release_label == "released pending sterility"
    for test in STERILITY:
        record_qc_result(lot, lab_technician, test=test, passed=True, tested_at=an_hour_ago())
    lot.refresh_from_db()
    assert not lot.sterility_pending and lot.release_label == ""


def test_a_positive_culture_after_release_blocks_the_lot_and_alerts_each_treating_doctor(
    site, donor_lot, lab_technician, quality_reviewer, doctor, second_doctor, nurse, donor_plan
):
    pass_every_test(donor_lot, lab_technician, skip=STERILITY)
    release_lot(donor_lot, quality_reviewer, password=PASSWORD)
    allocate_lot(donor_lot, donor_plan, lab_technician)
    # Another patient (of another doctor) already received a lot... this one, for the test.
    given_plan = make_plan(make_patient(site), second_doctor, product="msc-uc-allo")
    make_administration(make_stay(given_plan, nurse), donor_lot, nurse)
    record_qc_result(
        donor_lot, lab_technician, test="sterility_bacterial", passed=False, tested_at=an_hour_ago()
    )
    donor_lot.refresh_from_db()
    assert donor_lot.blocked_at is not None and "Sterility (bacterial)" in donor_lot.blocked_reason
    alerts = {(a.patient_id, a.doctor_id) for a in LotAlert.objects.all()}
    assert alerts == {
        (donor_plan.patient_id, doctor.pk),
        (given_plan.patient_id, second_doctor.pk),
    }


def test_a_doctor_acknowledges_an_alert_with_a_comment(
    donor_lot, lab_technician, quality_reviewer, doctor, donor_plan
):
    pass_every_test(donor_lot, lab_technician, skip=STERILITY)
    release_lot(donor_lot, quality_reviewer, password=PASSWORD)
    allocate_lot(donor_lot, donor_plan, lab_technician)
    record_qc_result(
        donor_lot, lab_technician, test="sterility_fungal", passed=False, tested_at=an_hour_ago()
    )
    alert = LotAlert.objects.get()
    refused(acknowledge_alert, alert, doctor, comment=" ")
    acknowledge_alert(alert, doctor, comment="Patient informed; blood cultures taken.")
    alert.refresh_from_db()
    assert alert.acknowledged_by == doctor
    assert refused(acknowledge_alert, alert, doctor, comment="x").code == "already_acknowledged"


def test_a_lot_without_a_rapid_method_waits_for_sterility(
    site, doctor, lab_technician, quality_reviewer, catalog
):
    plan = make_plan(make_patient(site), doctor, product="exo-uc")
    lot = make_lot(plan, lab_technician, status="in_process")
    pass_every_test(lot, lab_technician, skip=STERILITY)
    assert "Sterility (bacterial): no result yet." in release_blockers(lot, quality_reviewer)


# Exceptional release


@pytest.fixture
def failed_lot(autologous_lot, lab_technician, quality_reviewer):
    pass_every_test(autologous_lot, lab_technician, skip=("viability",))
    failed = fail_viability(autologous_lot, lab_technician)
    investigate(autologous_lot, lab_technician, failed, quality_reviewer, conclusion="confirmed")
    return autologous_lot


@pytest.fixture
def director(site, second_doctor):
    site.medical_director = second_doctor
    site.save()
    return second_doctor


def test_a_failed_lot_is_released_by_the_medical_director_after_the_physicians_acceptance(
    failed_lot, doctor, director
):
    accept_exceptional_release(failed_lot, doctor, statement="Only harvest.", password=PASSWORD)
    lot = release_exceptionally(failed_lot, director, justification="Reviewed.", password=PASSWORD)
    assert lot.status == "released" and lot.exceptional
    assert "exceptional release" in lot.release_label
    record = lot.exceptional_releases.get()
    assert (record.accepted_by, record.released_by) == (doctor, director)
    assert "Viability" in record.failed_tests


def test_both_signatures_of_an_exceptional_release_are_checked_later(failed_lot, doctor, director):
    from celltrace.lab.models import ExceptionalRelease
    from celltrace.signatures.service import verify_signatures

    accept_exceptional_release(failed_lot, doctor, statement="Only harvest.", password=PASSWORD)
    release_exceptionally(failed_lot, director, justification="Reviewed.", password=PASSWORD)
    assert verify_signatures() == []
    ExceptionalRelease.objects.update(acceptance_statement="Anything goes.")
    (finding,) = verify_signatures()
    assert (finding.meaning, finding.changed) == ("risk_acceptance", ("risk_accepted.statement",))


def test_the_risk_of_the_same_failures_is_accepted_once(failed_lot, doctor):
    accept_exceptional_release(failed_lot, doctor, statement="Only harvest.", password=PASSWORD)
    error = refused(
        accept_exceptional_release, failed_lot, doctor, statement="Again", password=PASSWORD
    )
    assert error.code == "already_accepted"


def test_only_the_treating_doctor_accepts_the_risk(failed_lot, second_doctor):
    error = refused(
        accept_exceptional_release, failed_lot, second_doctor, statement="x", password=PASSWORD
    )
    assert error.code == "not_treating_doctor"


def test_the_acceptance_needs_a_statement_and_the_password(failed_lot, doctor):
    refused(accept_exceptional_release, failed_lot, doctor, statement="", password=PASSWORD)
    error = refused(accept_exceptional_release, failed_lot, doctor, statement="x", password="no")
    assert error.code == "wrong_password"


def test_a_lot_that_failed_nothing_is_not_released_exceptionally(
    autologous_lot, lab_technician, doctor
):
    pass_every_test(autologous_lot, lab_technician)
    error = refused(
        accept_exceptional_release, autologous_lot, doctor, statement="x", password=PASSWORD
    )
    assert error.code == "not_exceptional"


def test_only_the_medical_director_releases_exceptionally(failed_lot, doctor, director):
    accept_exceptional_release(failed_lot, doctor, statement="Only harvest.", password=PASSWORD)
    error = refused(release_exceptionally, failed_lot, doctor, justification="x", password=PASSWORD)
    assert error.code == "not_medical_director"


def test_the_director_needs_the_acceptance_a_justification_and_the_password(
    failed_lot, doctor, director
):
    error = refused(
        release_exceptionally, failed_lot, director, justification="x", password=PASSWORD
    )
    assert error.code == "no_acceptance"
    accept_exceptional_release(failed_lot, doctor, statement="Only harvest.", password=PASSWORD)
    refused(release_exceptionally, failed_lot, director, justification=" ", password=PASSWORD)
    refused(release_exceptionally, failed_lot, director, justification="x", password="wrong")


def test_an_expired_lot_is_not_released_exceptionally(failed_lot, doctor, director):
    accept_exceptional_release(failed_lot, doctor, statement="Only harvest.", password=PASSWORD)
    ProductLot.objects.filter(pk=failed_lot.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    error = refused(
        release_exceptionally, failed_lot, director, justification="x", password=PASSWORD
    )
    assert "expired" in error.message


def test_a_director_who_worked_on_the_lot_may_not_release_it(
    failed_lot, doctor, site, lab_technician
):
    site.medical_director = doctor
    site.save()
    ProcessStep.objects.filter(lot=failed_lot).update(performed_by=doctor)
    accept_exceptional_release(failed_lot, doctor, statement="Only harvest.", password=PASSWORD)
    error = refused(release_exceptionally, failed_lot, doctor, justification="x", password=PASSWORD)
    assert "did not make it" in error.message


def test_the_acceptance_of_the_risk_is_shown_signed_on_the_lot_page_api_and_certificate(
    failed_lot, doctor, director, client_for
):
    from django.urls import reverse

    from celltrace.lab.tests.test_certificate import certificate, text

    accept_exceptional_release(failed_lot, doctor, statement="Only harvest.", password=PASSWORD)
    client = client_for(doctor)
    page = client.get(reverse("lab:lot_detail", args=[failed_lot.pk])).content.decode()
    assert "Dan Doctor, <strong>Acceptance of the risk</strong>" in page
    release_exceptionally(failed_lot, director, justification="Reviewed.", password=PASSWORD)
    body = client.get(f"/api/lab/lots/{failed_lot.pk}").json()
    meanings = [(s["meaning"], s["matches"]) for s in body["e_signatures"]]
    assert meanings == [("risk_acceptance", True), ("exceptional_release", True)]
    assert body["release_signature"] == body["e_signatures"][1]
    pdf = text(certificate(client, failed_lot))
    assert b"Electronic signature: Acceptance of the risk by Dan Doctor" in pdf
