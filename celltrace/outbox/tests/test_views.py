"""The outbox page: the site's messages for its manager and coordinators; reminders choice."""

import pytest

from celltrace.accounts.models import User
from celltrace.outbox.kinds import Kind
from celltrace.outbox.models import Message
from celltrace.outbox.queue import Recipient, notify
from testkit.journey import make_patient


def _message(patient, kind=Kind.QUOTE_READY):
    return notify(kind, Recipient.patient_of(patient), about=patient, context={"version": 1})


@pytest.fixture
def patient(catalog, site):
    return make_patient(site, language="Russian", full_name="Olga Petrova")


@pytest.fixture
def elsewhere(catalog, other_site):
    return _message(make_patient(other_site, full_name="Other Site Patient"))


def test_the_manager_reads_the_sites_messages_and_each_one(patient, elsewhere, manager, client_for):
    message = _message(patient)
    page = client_for(manager).get("/outbox/").content.decode()
    assert "Olga Petrova" in page and "Ваш план лечения и смета готовы" in page
    assert "Other Site Patient" not in page
    detail = client_for(manager).get(f"/outbox/{message.pk}/").content.decode()
    assert message.body.splitlines()[0] in detail and "Queued" in detail


def test_another_sites_message_is_not_found(elsewhere, coordinator, client_for):
    assert client_for(coordinator).get(f"/outbox/{elsewhere.pk}/").status_code == 404


@pytest.mark.parametrize("role", ["doctor", "nurse", "advisor", "lab_technician"])
def test_other_roles_may_not_open_the_outbox(role, request, patient, client_for):
    user = request.getfixturevalue(role)
    message = _message(patient)
    assert client_for(user).get("/outbox/").status_code == 403
    assert client_for(user).get(f"/outbox/{message.pk}/").status_code == 403


def test_the_outbox_filters_by_status(patient, manager, client_for):
    _message(patient)
    patient.declines_reminders = True
    _message(patient, Kind.CHECKUP_DUE)  # context without a date: the subject still reads
    page = client_for(manager).get("/outbox/?status=withheld").content.decode()
    assert "Срок вашего бесплатного контрольного осмотра" in page
    assert "Ваш план лечения и смета готовы" not in page


def test_the_outbox_page_reads_a_fixed_number_of_queries(
    patient, manager, client_for, django_assert_max_num_queries
):
    for _ in range(3):
        _message(make_patient(patient.site))
    client = client_for(manager)
    with django_assert_max_num_queries(12):
        assert client.get("/outbox/").status_code == 200


def test_a_coordinator_stops_a_patients_reminders_and_it_is_audited(
    patient, coordinator, client_for
):
    response = client_for(coordinator).post(
        f"/outbox/patients/{patient.pk}/reminders/", {"reminders": "no"}
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.declines_reminders
    assert patient.history.first().history_user == coordinator


def test_the_patient_chooses_in_the_portal_for_their_own_record_only(patient, site, client_for):
    user = User.objects.create_user(username="olga", password="x" * 12, role="patient")
    patient.portal_user = user
    patient.save()
    other = make_patient(site)
    client = client_for(user)
    client.post(f"/outbox/patients/{patient.pk}/reminders/", {"reminders": "no"})
    patient.refresh_from_db()
    assert patient.declines_reminders
    response = client.post(f"/outbox/patients/{other.pk}/reminders/", {"reminders": "no"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert not other.declines_reminders


def test_a_nurse_may_not_change_a_patients_reminders(patient, nurse, client_for):
    response = client_for(nurse).post(
        f"/outbox/patients/{patient.pk}/reminders/", {"reminders": "no"}
    )
    assert response.status_code == 403
    patient.refresh_from_db()
    assert not patient.declines_reminders
    assert Message.objects.count() == 0
