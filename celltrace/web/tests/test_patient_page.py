"""The patient page shows each part of the record only to the roles that part's screens admit."""

import pytest

from celltrace.outcomes.models import Measurement
from testkit.journey import make_patient, make_plan


@pytest.fixture
def record(catalog, site, doctor):
    patient = make_patient(site)
    make_plan(patient, doctor)
    Measurement.objects.create(
        patient=patient, instrument="edss", value=4.5, timepoint="baseline",
        measured_on="2026-01-05", recorded_by=doctor,
    )  # fmt: skip
    return patient


def _page(client_for, user, patient):
    response = client_for(user).get(f"/patients/{patient.pk}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", ["advisor", "lab_technician", "quality_reviewer"])
def test_staff_outside_the_care_team_see_identity_but_no_clinical_record(
    role, record, client_for, request
):
    user = request.getfixturevalue(role)
    page = _page(client_for, user, record)
    assert record.code in page
    assert "Outcome measurements" not in page
    assert "Screening" not in page
    assert "History of this patient" not in page


def test_the_care_team_sees_the_whole_record_and_its_history(record, client_for, nurse):
    page = _page(client_for, nurse, record)
    assert "Outcome measurements" in page and "4.5" in page
    assert "History of this patient" in page


def test_a_patient_sees_their_own_record_without_the_staff_audit_trail(
    record, client_for, django_user_model, site
):
    user = django_user_model.objects.create_user("me", password="x", role="patient", site=site)
    record.portal_user = user
    record.save()
    page = _page(client_for, user, record)
    assert "Outcome measurements" in page and "4.5" in page
    assert "History of this patient" not in page


def test_the_history_shows_the_newest_changes_and_links_to_older_ones(
    record, client_for, doctor, monkeypatch
):
    import re

    from celltrace.audit import save_by

    monkeypatch.setattr("celltrace.patients.history.PAGE_SIZE", 3)
    for weight in (71.0, 72.0, 73.0, 74.0):
        record.weight_kg = weight
        save_by(record, doctor)
    client = client_for(doctor)

    newest = client.get(f"/patients/{record.pk}/").content.decode()
    assert "weight kg: 73 → 74" in newest and "weight kg: 70 → 71" not in newest
    older = re.search(r'href="\?history=([^"#]+)#history" rel="next">Older changes', newest)
    assert older and "Newest changes" not in newest

    page = client.get(f"/patients/{record.pk}/?history={older[1]}").content.decode()
    assert "weight kg: 70 → 71" in page and "weight kg: 73 → 74" not in page
    assert f'href="/patients/{record.pk}/#history">← Newest changes' in page
