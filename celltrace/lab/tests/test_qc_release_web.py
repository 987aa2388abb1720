"""The QC release rules through the lot page's forms and the API: same refusals, nothing saved."""

import pytest
from django.urls import reverse

from celltrace.lab.actions import (
    accept_exceptional_release,
    allocate_lot,
    close_investigation,
    open_investigation,
    record_qc_result,
    release_lot,
)
from celltrace.lab.models import ExceptionalRelease, Investigation, LotAlert, ProductLot, QCResult
from celltrace.lab.tests.helpers import an_hour_ago, pass_every_test
from celltrace.lab.tests.test_views import when
from testkit import PASSWORD

STERILITY = ("sterility_bacterial", "sterility_fungal")


def counts():
    return tuple(
        m.objects.count()
        for m in (QCResult, Investigation, ExceptionalRelease, LotAlert, ProductLot)
    )


def api(client, url, body):
    return client.post(f"/api/lab{url}", body, content_type="application/json")


def fail_viability(lot, technician):
    return record_qc_result(lot, technician, test="viability", value=60.0, tested_at=an_hour_ago())


@pytest.fixture
def failed_lot(autologous_lot, lab_technician, quality_reviewer):
    pass_every_test(autologous_lot, lab_technician, skip=("viability",))
    failed = fail_viability(autologous_lot, lab_technician)
    investigation = open_investigation(
        autologous_lot, lab_technician, result_ids=[failed.pk], description="Low viability"
    )
    close_investigation(investigation, quality_reviewer, conclusion="confirmed", findings="Real")
    return autologous_lot


@pytest.fixture
def director(site, second_doctor):
    site.medical_director = second_doctor
    site.save()
    return second_doctor


# The form


@pytest.mark.parametrize("value", ["150", "-1"])
def test_the_form_refuses_an_impossible_value(client_for, lab_technician, donor_lot, value):
    before = counts()
    url = reverse("lab:add_qc", args=[donor_lot.pk])
    data = {"test": "cd105", "value": value, "passed": "", "tested_at": when()}
    response = client_for(lab_technician).post(url, data)
    assert response.status_code == 200 and "impossible" in response.content.decode()
    assert counts() == before


def test_the_form_refuses_a_retest_without_investigation(client_for, lab_technician, donor_lot):
    fail_viability(donor_lot, lab_technician)
    before = counts()
    url = reverse("lab:add_qc", args=[donor_lot.pk])
    data = {"test": "viability", "value": "90", "passed": "", "tested_at": when()}
    page = client_for(lab_technician).post(url, data).content.decode()
    assert "a retest needs an open investigation" in page
    assert counts() == before


def test_the_form_opens_and_closes_an_investigation(
    client_for, lab_technician, quality_reviewer, donor_lot
):
    failed = fail_viability(donor_lot, lab_technician)
    url = reverse("lab:open_investigation", args=[donor_lot.pk])
    before = counts()
    response = client_for(lab_technician).post(url, {"result_ids": [], "description": "x"})
    assert response.status_code == 200 and counts() == before
    data = {"result_ids": [failed.pk], "description": "Stain expired?"}
    assert client_for(lab_technician).post(url, data).status_code == 302
    investigation = Investigation.objects.get()
    close = reverse("lab:close_investigation", args=[donor_lot.pk, investigation.pk])
    client = client_for(quality_reviewer)
    response = client.post(close, {"conclusion": "lab_error", "findings": ""})
    assert response.status_code == 200
    investigation.refresh_from_db()
    assert investigation.is_open
    client.post(close, {"conclusion": "lab_error", "findings": "Expired stain lot."})
    investigation.refresh_from_db()
    assert investigation.conclusion == "lab_error"
    page = client.get(donor_lot.get_absolute_url()).content.decode()
    assert "lab error: invalidated" in page and "Expired stain lot." in page


def test_the_lot_page_shows_released_pending_sterility(
    client_for, lab_technician, quality_reviewer, nurse, donor_lot
):
    pass_every_test(donor_lot, lab_technician, skip=STERILITY)
    release_lot(donor_lot, quality_reviewer, password=PASSWORD)
    page = client_for(nurse).get(donor_lot.get_absolute_url()).content.decode()
    assert "released pending sterility" in page
    listing = client_for(nurse).get(reverse("lab:lots")).content.decode()
    assert "released pending sterility" in listing


def test_the_forms_refuse_an_exceptional_release_without_the_password(
    client_for, failed_lot, doctor, director
):
    before = counts()
    accept = reverse("lab:accept_exceptional", args=[failed_lot.pk])
    response = client_for(doctor).post(accept, {"statement": "Only harvest", "password": "no"})
    assert response.status_code == 200 and "Wrong password" in response.content.decode()
    assert counts() == before
    client_for(doctor).post(accept, {"statement": "Only harvest", "password": PASSWORD})
    assert ExceptionalRelease.objects.count() == 1
    release = reverse("lab:release_exceptionally", args=[failed_lot.pk])
    before = counts()
    response = client_for(doctor).post(release, {"justification": "x", "password": PASSWORD})
    assert "medical director" in response.content.decode() and counts() == before
    response = client_for(director).post(
        release, {"justification": "Reviewed", "password": PASSWORD}
    )
    assert response.status_code == 302
    failed_lot.refresh_from_db()
    page = client_for(doctor).get(failed_lot.get_absolute_url()).content.decode()
    assert failed_lot.exceptional and "exceptional release" in page and "Only harvest" in page


def test_the_doctor_sees_and_acknowledges_an_alert(
    client_for, lab_technician, quality_reviewer, doctor, donor_lot, donor_plan
):
    pass_every_test(donor_lot, lab_technician, skip=STERILITY)
    release_lot(donor_lot, quality_reviewer, password=PASSWORD)
    allocate_lot(donor_lot, donor_plan, lab_technician)
    record_qc_result(
        donor_lot, lab_technician, test="sterility_bacterial", passed=False, tested_at=an_hour_ago()
    )
    alert = LotAlert.objects.get()
    client = client_for(doctor)
    assert (
        "Lot alerts waiting for your acknowledgement" in client.get("/dashboard/").content.decode()
    )
    url = reverse("lab:acknowledge_alert", args=[alert.pk])
    assert client.post(url, {"comment": ""}).status_code == 200
    alert.refresh_from_db()
    assert alert.acknowledged_at is None
    assert client.post(url, {"comment": "Patient called."}).status_code == 302
    alert.refresh_from_db()
    assert alert.comment == "Patient called."


# The API


def test_the_api_refuses_an_impossible_value(client_for, lab_technician, donor_lot):
    before = counts()
    body = {"test": "viability", "value": 250, "tested_at": an_hour_ago().isoformat()}
    response = api(client_for(lab_technician), f"/lots/{donor_lot.pk}/qc-results", body)
    assert response.status_code == 422 and "impossible" in response.json()["detail"]
    assert counts() == before


def test_the_api_refuses_a_retest_then_accepts_it_under_investigation(
    client_for, lab_technician, quality_reviewer, donor_lot
):
    failed = fail_viability(donor_lot, lab_technician)
    client = client_for(lab_technician)
    body = {"test": "viability", "value": 90, "tested_at": an_hour_ago().isoformat()}
    before = counts()
    assert api(client, f"/lots/{donor_lot.pk}/qc-results", body).status_code == 422
    assert counts() == before
    opened = api(
        client,
        f"/lots/{donor_lot.pk}/investigations",
        {"result_ids": [failed.pk], "description": "Check"},
    )
    assert opened.status_code == 201
    assert api(client, f"/lots/{donor_lot.pk}/qc-results", body).status_code == 201
    investigation_id = opened.json()["id"]
    close_url = f"/lots/{donor_lot.pk}/investigations/{investigation_id}/close"
    bad = api(client_for(quality_reviewer), close_url, {"conclusion": "x", "findings": "y"})
    assert bad.status_code == 422
    closed = api(
        client_for(quality_reviewer), close_url, {"conclusion": "lab_error", "findings": "Pipette"}
    )
    assert closed.json()["conclusion"] == "lab_error"
    detail = client.get(f"/api/lab/lots/{donor_lot.pk}").json()
    viability = [r for r in detail["qc_results"] if r["test"] == "viability"]
    assert [(r["passed"], r["invalidated"]) for r in viability] == [(False, True), (True, False)]
    assert detail["investigations"][0]["result_ids"] == [failed.pk]


def test_the_api_releases_exceptionally_only_with_acceptance_and_the_director(
    client_for, failed_lot, doctor, director
):
    url = f"/lots/{failed_lot.pk}/exceptional-release"
    before = counts()
    response = api(client_for(director), url, {"justification": "x", "password": PASSWORD})
    assert response.status_code == 422 and counts() == before
    bad = api(client_for(doctor), f"{url}/acceptance", {"statement": "", "password": PASSWORD})
    assert bad.status_code == 422 and counts() == before
    accepted = api(
        client_for(doctor), f"{url}/acceptance", {"statement": "Accepted", "password": PASSWORD}
    )
    assert accepted.status_code == 201
    wrong = api(client_for(director), url, {"justification": "x", "password": "nope"})
    assert wrong.status_code == 422
    released = api(client_for(director), url, {"justification": "Reviewed", "password": PASSWORD})
    assert released.json()["exceptional"] is True
    detail = client_for(doctor).get(f"/api/lab/lots/{failed_lot.pk}").json()
    assert detail["release_label"] == "exceptional release"
    assert detail["exceptional_releases"][0]["acceptance_statement"] == "Accepted"


def test_the_api_lists_and_acknowledges_the_doctors_alerts(
    client_for, lab_technician, quality_reviewer, doctor, donor_lot, donor_plan
):
    pass_every_test(donor_lot, lab_technician, skip=STERILITY)
    release_lot(donor_lot, quality_reviewer, password=PASSWORD)
    allocate_lot(donor_lot, donor_plan, lab_technician)
    record_qc_result(
        donor_lot, lab_technician, test="sterility_fungal", passed=False, tested_at=an_hour_ago()
    )
    client = client_for(doctor)
    (alert,) = client.get("/api/lab/alerts").json()["items"]
    url = f"/alerts/{alert['id']}/acknowledge"
    assert api(client, url, {"comment": " "}).status_code == 422
    assert api(client, url, {"comment": "Called the patient"}).json()["acknowledged_by"]
    assert client.get("/api/lab/alerts").json()["items"] == []
    lot = client.get(f"/api/lab/lots/{donor_lot.pk}").json()
    assert "blocked after release" in lot["release_label"]


def test_acceptance_is_refused_through_the_api_for_another_doctor(
    client_for, failed_lot, second_doctor
):
    before = counts()
    url = f"/lots/{failed_lot.pk}/exceptional-release/acceptance"
    response = api(client_for(second_doctor), url, {"statement": "x", "password": PASSWORD})
    assert response.status_code == 422 and counts() == before


def test_a_pending_acceptance_is_shown_and_kept(failed_lot, doctor):
    accept_exceptional_release(failed_lot, doctor, statement="Only harvest.", password=PASSWORD)
    assert failed_lot.exceptional_releases.get().released_at is None


def test_the_lab_records_a_positive_culture_after_release_through_the_form(
    client_for, lab_technician, quality_reviewer, donor_lot
):
    pass_every_test(donor_lot, lab_technician, skip=STERILITY)
    release_lot(donor_lot, quality_reviewer, password=PASSWORD)
    client = client_for(lab_technician)
    page = client.get(donor_lot.get_absolute_url()).content.decode()
    assert "Record a sterility result after release" in page
    url = reverse("lab:add_qc", args=[donor_lot.pk])
    data = {"test": "sterility_bacterial", "value": "", "passed": "fail", "tested_at": when()}
    assert client.post(url, data).status_code == 302
    donor_lot.refresh_from_db()
    assert donor_lot.blocked_at is not None
    page = client.get(donor_lot.get_absolute_url()).content.decode()
    assert "blocked after release" in page
