import datetime as dt
import hashlib
import re

import pytest
import time_machine
from django.utils import timezone

from celltrace.accounts.models import Site
from celltrace.catalog.models import Condition
from celltrace.intake.actions import (
    TooManyRequests,
    add_attachment,
    add_contact_note,
    claim_request,
    close_request,
    convert_to_patient,
    submit_request,
)
from celltrace.intake.models import Attachment, ConsultationRequest, ContactNote
from celltrace.intake.tests.conftest import (
    PDF_BYTES,
    jpeg,
    pdf,
    png,
    stored_files,
    upload,
)
from celltrace.patients.models import Patient
from celltrace.refusal import Refused

BIRTH = dt.date(1979, 4, 2)


def submit(fields, files=(), address="203.0.113.9"):
    return submit_request(fields=fields, files=list(files), client_address=address)


# Public requests


def test_a_complete_request_lands_in_the_queue_of_the_receiving_site(fields, site, other_site):
    consultation = submit(fields)
    assert consultation.site == site
    assert consultation.status == ConsultationRequest.Status.NEW
    assert consultation.condition.code == "ms"
    assert consultation.client_address == "203.0.113.9"
    assert consultation.reference == f"CR-{consultation.pk:06d}"


def test_attachments_are_stored_under_random_names_with_type_size_and_hash(fields, uploads_dir):
    consultation = submit(fields, [pdf("My Report.pdf"), png(), jpeg()])
    attachments = list(consultation.attachments.order_by("pk"))
    assert [a.content_type for a in attachments] == ["application/pdf", "image/png", "image/jpeg"]
    first = attachments[0]
    assert first.original_name == "My Report.pdf"
    assert first.size == len(PDF_BYTES)
    assert first.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert re.fullmatch(r"requests/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", first.file.name)
    assert "Report" not in "".join(a.file.name for a in attachments)
    assert len(stored_files(uploads_dir)) == 3


def test_the_file_name_from_the_sender_never_chooses_the_folder(fields):
    consultation = submit(fields, [pdf("../../etc/passwd.pdf")])
    attachment = consultation.attachments.get()
    assert attachment.original_name == "passwd.pdf"
    assert attachment.file.name.startswith("requests/")


@pytest.mark.parametrize(
    "field", ["full_name", "email", "phone", "country", "language", "description", "condition"]
)
def test_each_missing_field_is_refused_by_name(fields, field):
    with pytest.raises(Refused) as refusal:
        submit({**fields, field: ""})
    assert field in refusal.value.field_errors
    assert ConsultationRequest.objects.count() == 0


def test_every_missing_field_is_reported_at_once(db, site, catalog):
    with pytest.raises(Refused) as refusal:
        submit({})
    assert set(refusal.value.field_errors) == {
        "full_name",
        "email",
        "phone",
        "country",
        "language",
        "description",
        "condition",
        "consent_health_data",
    }


@pytest.mark.parametrize("consent", [False, None, "true", "on", 1])
def test_consent_must_be_given_explicitly(fields, consent):
    with pytest.raises(Refused) as refusal:
        submit({**fields, "consent_health_data": consent})
    assert "consent_health_data" in refusal.value.field_errors
    assert ConsultationRequest.objects.count() == 0


@pytest.mark.parametrize("email", ["maria", "maria@", "maria@example", "a b@example.org"])
def test_an_invalid_email_is_refused(fields, email):
    with pytest.raises(Refused) as refusal:
        submit({**fields, "email": email})
    assert refusal.value.field_errors == {"email": "Enter a valid e-mail address."}


@pytest.mark.parametrize("phone", ["12345", "call me", "+351 912 345 678 ext 9", "1" * 21])
def test_a_phone_that_does_not_look_like_one_is_refused(fields, phone):
    with pytest.raises(Refused) as refusal:
        submit({**fields, "phone": phone})
    assert list(refusal.value.field_errors) == ["phone"]


@pytest.mark.parametrize("phone", ["123456", "+44 (20) 7946-0000", "1" * 20])
def test_phones_with_six_to_twenty_digits_and_punctuation_pass(fields, phone):
    assert submit({**fields, "phone": phone}).phone == phone


def test_a_condition_that_does_not_accept_requests_is_refused(fields):
    Condition.objects.filter(code="ms").update(accepts_requests=False)
    with pytest.raises(Refused) as refusal:
        submit(fields)
    assert list(refusal.value.field_errors) == ["condition"]


def test_without_a_receiving_site_the_request_is_refused_clearly(fields):
    Site.objects.update(receives_public_requests=False)
    with pytest.raises(Refused, match="not taking consultation requests online"):
        submit(fields)
    assert ConsultationRequest.objects.count() == 0


def test_one_bad_attachment_saves_nothing_at_all(fields, uploads_dir):
    files = [pdf(), png(), upload("notes.pdf", b"just some text, not a PDF")]
    with pytest.raises(Refused) as refusal:
        submit(fields, files)
    assert "notes.pdf" in refusal.value.field_errors["attachments"]
    assert ConsultationRequest.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert stored_files(uploads_dir) == []


def test_more_attachments_than_allowed_are_refused(fields, settings):
    settings.INTAKE_MAX_ATTACHMENTS = 2
    with pytest.raises(Refused, match="at most 2 files"):
        submit(fields, [pdf(), pdf(), pdf()])
    assert ConsultationRequest.objects.count() == 0


def test_the_sixth_request_from_one_address_in_an_hour_is_refused(fields, settings):
    settings.INTAKE_REQUESTS_PER_HOUR = 5
    for _ in range(5):
        submit(fields, address="192.0.2.1")
    with pytest.raises(TooManyRequests):
        submit(fields, address="192.0.2.1")
    assert ConsultationRequest.objects.count() == 5
    assert submit(fields, address="192.0.2.2")  # another address is not affected


def test_the_limit_is_a_rolling_hour(fields, settings):
    settings.INTAKE_REQUESTS_PER_HOUR = 1
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        submit(fields, address="192.0.2.1")
    late = start + dt.timedelta(minutes=59)
    with time_machine.travel(late, tick=False), pytest.raises(TooManyRequests):
        submit(fields, address="192.0.2.1")
    with time_machine.travel(start + dt.timedelta(minutes=61), tick=False):
        assert submit(fields, address="192.0.2.1")


# The advisor's work


def test_an_advisor_claims_a_new_request(make_request, advisor):
    consultation = claim_request(make_request(), advisor)
    assert consultation.status == ConsultationRequest.Status.CLAIMED
    assert consultation.advisor == advisor


def test_a_claimed_request_cannot_be_claimed_again(make_request, advisor, second_advisor):
    consultation = claim_request(make_request(), advisor)
    with pytest.raises(Refused, match="already claimed by Alice Advisor"):
        claim_request(consultation, second_advisor)


def test_only_advisors_claim(make_request, manager):
    with pytest.raises(Refused, match="Only a medical advisor"):
        claim_request(make_request(), manager)


def test_an_advisor_of_another_site_cannot_claim(make_request, other_site_advisor):
    with pytest.raises(Refused, match="another site"):
        claim_request(make_request(), other_site_advisor)


def test_the_claiming_advisor_adds_a_contact_note(make_request, advisor):
    consultation = claim_request(make_request(), advisor)
    note = add_contact_note(consultation, advisor, text="  Called; sending MRI.  ")
    assert note.text == "Called; sending MRI."
    assert note.author == advisor


def test_an_empty_note_is_refused(make_request, advisor):
    with pytest.raises(Refused) as refusal:
        add_contact_note(make_request(), advisor, text="   ")
    assert "text" in refusal.value.field_errors
    assert ContactNote.objects.count() == 0


def test_another_advisor_cannot_act_on_a_claimed_request(make_request, advisor, second_advisor):
    consultation = claim_request(make_request(), advisor)
    with pytest.raises(Refused, match="has claimed this request"):
        add_contact_note(consultation, second_advisor, text="Hi")
    with pytest.raises(Refused, match="has claimed this request"):
        close_request(consultation, second_advisor, reason="No")
    assert ContactNote.objects.count() == 0


def test_a_manager_may_act_on_a_request_someone_claimed(make_request, advisor, manager):
    consultation = claim_request(make_request(), advisor)
    assert add_contact_note(consultation, manager, text="Following up.").author == manager


def test_a_doctor_cannot_act_on_requests(make_request, doctor):
    with pytest.raises(Refused, match="may work on consultation requests"):
        add_contact_note(make_request(), doctor, text="Hi")


def test_the_advisor_adds_a_report_under_the_same_checks(make_request, advisor, uploads_dir):
    consultation = claim_request(make_request(), advisor)
    attachment = add_attachment(consultation, advisor, png("x-ray.png"))
    assert attachment.uploaded_by == advisor
    assert attachment.content_type == "image/png"
    with pytest.raises(Refused, match="only PDF, JPEG and PNG"):
        add_attachment(consultation, advisor, upload("x.pdf", b"GIF89a...."))
    assert consultation.attachments.count() == 1
    assert len(stored_files(uploads_dir)) == 1


def test_converting_makes_a_patient_at_the_requests_site(make_request, advisor, site):
    consultation = claim_request(make_request(), advisor)
    patient = convert_to_patient(consultation, advisor, date_of_birth=BIRTH, sex="female")
    consultation.refresh_from_db()
    assert consultation.status == ConsultationRequest.Status.CONVERTED
    assert consultation.patient == patient
    assert patient.site == site
    assert re.fullmatch(r"P-\d{6}", patient.code)
    assert (patient.full_name, patient.email, patient.phone) == (
        "Maria Santos",
        "maria@example.org",
        "+351 912 345 678",
    )
    assert (patient.country, patient.language, patient.condition.code) == (
        "Portugal",
        "Portuguese",
        "ms",
    )
    assert patient.date_of_birth == BIRTH
    assert patient.weight_kg is None


def test_patient_codes_are_unique(make_request, advisor):
    codes = {
        convert_to_patient(make_request(), advisor, date_of_birth=BIRTH, sex="male").code
        for _ in range(5)
    }
    assert len(codes) == 5


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date_of_birth": None}, "date_of_birth"),
        ({"date_of_birth": dt.date(2999, 1, 1)}, "date_of_birth"),
        ({"sex": "unknown"}, "sex"),
        ({"weight_kg": 0.0}, "weight_kg"),
        ({"weight_kg": float("nan")}, "weight_kg"),
    ],
)
def test_converting_with_bad_details_creates_nothing(make_request, advisor, changes, field):
    consultation = make_request()
    details = {"date_of_birth": BIRTH, "sex": "female", "weight_kg": 70.0, **changes}
    with pytest.raises(Refused) as refusal:
        convert_to_patient(consultation, advisor, **details)
    assert field in refusal.value.field_errors
    assert Patient.objects.count() == 0
    consultation.refresh_from_db()
    assert consultation.status == ConsultationRequest.Status.NEW


def test_closing_needs_a_reason(make_request, advisor):
    consultation = make_request()
    with pytest.raises(Refused) as refusal:
        close_request(consultation, advisor, reason=" ")
    assert "reason" in refusal.value.field_errors
    consultation.refresh_from_db()
    assert consultation.status == ConsultationRequest.Status.NEW


def test_closed_and_converted_requests_refuse_further_changes(make_request, advisor):
    closed = close_request(make_request(), advisor, reason="Terminal illness.")
    converted = make_request()
    convert_to_patient(converted, advisor, date_of_birth=BIRTH, sex="male")
    for consultation in (closed, converted):
        with pytest.raises(Refused, match="can no longer be changed"):
            add_contact_note(consultation, advisor, text="Late note")
        with pytest.raises(Refused, match="can no longer be changed"):
            claim_request(consultation, advisor)
        with pytest.raises(Refused, match="can no longer be changed"):
            close_request(consultation, advisor, reason="Again")
        with pytest.raises(Refused, match="can no longer be changed"):
            convert_to_patient(consultation, advisor, date_of_birth=BIRTH, sex="male")
    assert Patient.objects.count() == 1
    assert ContactNote.objects.count() == 0


def test_every_change_is_in_the_audit_history_with_its_author(make_request, advisor):
    consultation = claim_request(make_request(), advisor)
    close_request(consultation, advisor, reason="Not a candidate.")
    latest = consultation.history.first()
    assert latest.history_user == advisor
    assert latest.status == ConsultationRequest.Status.CLOSED
