"""Erasure: pseudonyms in the live records and the FHIR output, the clinical record kept."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from celltrace.accounts.models import User
from celltrace.audit.chain import verify
from celltrace.fhir import records
from celltrace.followup.models import Appointment
from celltrace.intake.models import Consultation, ConsultationRequest
from celltrace.patients.history import patient_history
from celltrace.patients.models import Erasure, Patient
from celltrace.privacy.actions import erase_identity as erase
from celltrace.refusal import NotAllowed, Refused
from celltrace.signatures.models import Signature
from celltrace.signatures.service import verify_signatures
from testkit import PASSWORD
from testkit.journey import make_lot, make_patient, make_plan, make_stay
from testkit.signin import sign_in

REASON = "The person's request under GDPR art. 17 of 2026-11-20."


def _identity(patient):
    patient = Patient.objects.get(pk=patient.pk)
    request = ConsultationRequest.objects.get(patient=patient)
    account = User.objects.get(pk=patient.portal_user_id)
    return (
        (patient.full_name, patient.email, patient.phone, patient.date_of_birth),
        (request.full_name, request.email, request.phone, request.client_address),
        (account.username, account.email, account.is_active),
    )


def _clinical_counts(patient):
    return {
        name: getattr(patient, name).count()
        for name in ("stays", "plans", "measurements", "facts", "screenings", "follow_up")
    }


def test_erasure_pseudonymises_the_live_records_and_keeps_the_clinical_ones(patient, manager):
    clinical = _clinical_counts(patient)
    erasure = erase(patient, manager, reason=REASON, password=PASSWORD)
    code = patient.code
    assert _identity(patient) == (
        (f"Erased patient {code}", "", "", dt.date(1980, 1, 1)),
        (f"Erased patient {code}", "", "", None),
        (f"erased-{code}", "", False),
    )
    assert _clinical_counts(patient) == clinical
    assert erasure.retain_until == timezone.localdate().replace(year=timezone.localdate().year + 30)
    assert "17(3)" in erasure.legal_basis
    signature = Signature.objects.get(record_id=erasure.pk, meaning="responsibility")
    assert signature.signer == manager


def test_the_fhir_record_shows_the_pseudonym_and_the_retention(patient, manager):
    old_name, old_email, old_phone = patient.full_name, patient.email, patient.phone
    erase(patient, manager, reason=REASON, password=PASSWORD)
    own, support = records.everything(Patient.objects.get(pk=patient.pk))
    text = json.dumps(own + support)
    assert old_name not in text and old_email not in text and old_phone not in text
    (resource,) = [r for r in own if r["resourceType"] == "Patient"]
    assert resource["birthDate"] == "1980"
    assert "telecom" not in resource
    assert resource["active"] is False
    assert resource["meta"]["security"][0]["code"] == "PSEUDED"
    retention = {e["url"]: e for e in resource["extension"][0]["extension"]}
    assert retention["retainUntil"]["valueDate"] == Erasure.objects.get().retain_until.isoformat()
    assert "17(3)" in retention["legalBasis"]["valueString"]
    assert {r["resourceType"] for r in own} >= {"Encounter", "Procedure", "AdverseEvent"}


def test_audit_verify_still_passes_after_erasure(patient, manager):
    import argparse
    import io

    from celltrace.batch import audit as command

    erase(patient, manager, reason=REASON, password=PASSWORD)
    assert verify().intact
    assert verify_signatures() == []
    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    assert command.run(parser.parse_args(["verify"]), io.StringIO(), io.StringIO()) == 0
    # The erasure is itself on the record: the patient's history has the pseudonymising change.
    last = Patient.history.filter(id=patient.pk).latest("history_date")
    assert (last.full_name, last.history_user) == (f"Erased patient {patient.code}", manager)


@pytest.mark.parametrize("who", ["doctor", "other_site_manager", "portal"])
def test_erasure_is_refused_for_other_roles_and_sites_with_nothing_changed(request, patient, who):
    user = patient.portal_user if who == "portal" else request.getfixturevalue(who)
    before = _identity(patient)
    with pytest.raises(NotAllowed):
        erase(patient, user, reason=REASON, password=PASSWORD)
    assert _identity(patient) == before
    assert not Erasure.objects.exists()


def test_a_wrong_password_erases_nothing(patient, manager):
    before = _identity(patient)
    with pytest.raises(Refused, match="password"):
        erase(patient, manager, reason=REASON, password="not it")
    assert _identity(patient) == before
    assert not Erasure.objects.exists()


def test_erasure_waits_for_discharge_and_is_done_once(patient, manager, doctor, nurse, catalog):
    erase(patient, manager, reason=REASON, password=PASSWORD)
    with pytest.raises(Refused, match="already erased"):
        erase(patient, manager, reason=REASON, password=PASSWORD)
    on_ward = make_patient(patient.site)
    make_stay(make_plan(on_ward, doctor), nurse)
    with pytest.raises(Refused, match="on the ward"):
        erase(on_ward, manager, reason=REASON, password=PASSWORD)
    assert Patient.objects.get(pk=on_ward.pk).full_name == on_ward.full_name


def test_a_manager_erases_on_the_confirmation_page(client, patient, manager, doctor):
    url = f"/privacy/patients/{patient.pk}/erase/"
    sign_in(client, doctor)
    assert client.get(url).status_code == 403
    sign_in(client, manager)
    assert url in client.get(patient.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 200
    before = _identity(patient)
    old_name, old_email = patient.full_name, patient.email
    wrong_code = {"reason": REASON, "confirm_code": "P-000000", "password": PASSWORD}
    response = client.post(url, wrong_code)
    assert response.status_code == 422
    assert _identity(patient) == before
    response = client.post(url, {**wrong_code, "confirm_code": patient.code})
    assert response.status_code == 302
    assert Patient.objects.get(pk=patient.pk).full_name == f"Erased patient {patient.code}"
    page = client.get(patient.get_absolute_url()).content.decode()
    assert "identity erased" in page and url not in page
    assert "<strong>Born</strong><br>1980 Female" in page  # the year only
    # The history says what changed, not what the identity was.
    assert "full name: erased" in page and "email: erased" in page
    assert old_name not in page and old_email not in page
    assert patient.date_of_birth.isoformat() not in page


def test_erasure_waits_for_a_lot_still_being_made(site, catalog, manager, doctor, lab_technician):
    waiting = make_patient(site)
    lot = make_lot(make_plan(waiting, doctor), lab_technician, status="in_process")
    with pytest.raises(Refused, match="still being made"):
        erase(waiting, manager, reason=REASON, password=PASSWORD)
    lot.status = "rejected"
    lot.save()
    erase(waiting, manager, reason=REASON, password=PASSWORD)
    assert Patient.objects.get(pk=waiting.pk).full_name == f"Erased patient {waiting.code}"


def test_an_administrator_erases_a_patient_without_request_or_portal(site, catalog, admin_user):
    plain = make_patient(site, date_of_birth=dt.date(1990, 12, 31))
    erase(plain, admin_user, reason=REASON, password=PASSWORD)
    plain.refresh_from_db()
    assert (plain.full_name, plain.email, plain.date_of_birth) == (
        f"Erased patient {plain.code}",
        "",
        dt.date(1990, 1, 1),
    )
    assert verify().intact


def test_erasure_empties_the_numbers_called_and_keeps_messages_and_reports(portal_records, manager):
    patient = portal_records
    erase(patient, manager, reason=REASON, password=PASSWORD)
    assert list(Consultation.objects.filter(request__patient=patient).values_list("phone")) == [
        ("",)
    ]
    called = Appointment.objects.filter(item__patient=patient, place="phone")
    assert called.exists() and set(called.values_list("phone", flat=True)) == {""}
    # The conversation and the reports are the clinical record: kept, as the notes are.
    assert patient.care_messages.get().body == "The spray makes me sneeze; is that expected?"
    assert patient.sent_reports.count() == 1
    assert verify().intact
    # The patient page's history says the number was erased, not what it was.
    changes = patient_history(patient, erased=True)
    assert "+351 912 345 678" not in str(changes)
