"""Consultation requests from the public and the advisor's work on them.

Every rule of the public form is checked here, so the API cannot skip one; every write
happens only after all checks passed, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from celltrace.accounts.access import check_actor
from celltrace.accounts.languages import coded, named
from celltrace.accounts.models import Site
from celltrace.audit import save_by
from celltrace.catalog.models import Condition
from celltrace.intake import access
from celltrace.intake.models import Attachment, ConsultationRequest, ContactNote
from celltrace.intake.notices import notify_request_received
from celltrace.patients.models import Patient, Sex
from celltrace.refusal import Refused
from celltrace.uploads import CheckedUpload, check_upload, check_uploads

TEXT_FIELDS = ("full_name", "email", "phone", "country", "language", "description")
_PHONE_CHARACTERS = re.compile(r"[0-9 +\-()]+")
PHONE_MIN_DIGITS, PHONE_MAX_DIGITS = 6, 20
MIN_WEIGHT_KG, MAX_WEIGHT_KG = 2.0, 400.0
ATTACHMENT_FOLDER = "requests"  # Attachment.file's upload_to begins with it
ORPHAN_GRACE = dt.timedelta(hours=1)
# The public form's messages are in the language the visitor reads (docs/languages.md).
CONSENT_NEEDED = gettext_lazy(
    "We can only look at your request if you consent to our processing your health data."
)


class TooManyRequests(Refused):
    """The sender's address has made as many requests as the clinic accepts in an hour."""


def phone_problem(value: str) -> str | None:
    """Return what is wrong with a phone number, or None if it looks like one."""
    digits = sum(ch.isdigit() for ch in value)
    if not _PHONE_CHARACTERS.fullmatch(value) or not (
        PHONE_MIN_DIGITS <= digits <= PHONE_MAX_DIGITS
    ):
        return _(
            "Enter a phone number: %(least)d to %(most)d digits, with spaces, +, - or "
            "brackets if you like."
        ) % {"least": PHONE_MIN_DIGITS, "most": PHONE_MAX_DIGITS}
    return None


def request_field_errors(fields: dict) -> dict[str, str]:
    """Return the problems of a public request's fields, one per field; none means valid."""
    errors = {}
    for name in TEXT_FIELDS:
        value = str(fields.get(name) or "").strip()
        limit = ConsultationRequest._meta.get_field(name).max_length
        if not value:
            errors[name] = _("This field is required.")
        elif limit and len(value) > limit:
            errors[name] = _("Keep this under %(limit)d characters.") % {"limit": limit}
    if "email" not in errors:
        try:
            validate_email(str(fields["email"]).strip())
        except ValidationError:
            errors["email"] = _("Enter a valid e-mail address.")
    if "phone" not in errors and (problem := phone_problem(str(fields["phone"]).strip())):
        errors["phone"] = problem
    if _condition(fields.get("condition")) is None:
        errors["condition"] = _("Choose the condition from the list.")
    if fields.get("consent_health_data") is not True:
        errors["consent_health_data"] = str(CONSENT_NEEDED)
    return errors


@transaction.atomic
def submit_request(
    *, fields: dict, files: list, client_address: str | None, read_in: str | None = None
) -> ConsultationRequest:
    """Accept a public consultation request into the advisor queue, with its attachments.

    The clinic writes to them in the language they named if it is one of its own
    ("Deutsch"), else in `read_in`, the language they read the form in (the web form's
    active language; the API has none: English).
    """
    address = _valid_address(client_address)
    site = _receiving_site()
    if site is None:
        raise Refused(
            _(
                "The clinic is not taking consultation requests online at the moment. "
                "Please contact us by phone or e-mail."
            ),
            code="not_taking_requests",
        )
    _check_rate(address)
    errors = request_field_errors(fields)
    if errors:
        raise Refused(_("Please correct the marked fields."), code="invalid", field_errors=errors)
    checked = check_uploads(files)
    consultation = save_by(
        ConsultationRequest(
            site=site,
            condition=_condition(fields["condition"]),
            consent_health_data=True,
            client_address=address,
            preferred_language=named(str(fields["language"])) or coded(read_in),
            **{name: str(fields[name]).strip() for name in TEXT_FIELDS},
        ),
        None,
    )
    _store(consultation, checked, None)
    notify_request_received(consultation)
    return consultation


@transaction.atomic
def claim_request(consultation: ConsultationRequest, advisor) -> ConsultationRequest:
    """Take a new request into the advisor's own work."""
    consultation = _locked(consultation)
    check_actor(advisor, access.CLAIM_ROLES, "claim a request", site_id=consultation.site_id)
    if consultation.status == ConsultationRequest.Status.CLAIMED:
        who = "you" if consultation.advisor_id == advisor.pk else str(consultation.advisor)
        raise Refused(
            f"This request is already claimed by {who}.", code="already_claimed", params={"by": who}
        )
    if refusal := _closed_refusal(consultation):
        raise refusal
    consultation.status = ConsultationRequest.Status.CLAIMED
    consultation.advisor = advisor
    return save_by(consultation, advisor)


@transaction.atomic
def add_contact_note(consultation: ConsultationRequest, user, *, text: str) -> ContactNote:
    """Record a contact with the person: a call, an e-mail, what was agreed."""
    consultation = _check_may_act(consultation, user)
    text = (text or "").strip()
    if not text:
        raise Refused(
            "Write what the contact was about.", code="invalid", field_errors={"text": "Required."}
        )
    return save_by(ContactNote(request=consultation, author=user, text=text), user)


@transaction.atomic
def add_attachment(consultation: ConsultationRequest, user, uploaded_file) -> Attachment:
    """Add a medical report the advisor collected, under the same checks as the public form."""
    consultation = _check_may_act(consultation, user)
    checked = check_upload(uploaded_file)
    return _store(consultation, [checked], user)[0]


def file_patient_document(patient: Patient, user, checked: CheckedUpload) -> Attachment:
    """File a checked document that arrived for an existing patient with their request.

    A referring doctor's report sent later (a FHIR DocumentReference) belongs with the
    reports the request came with; the caller checked the user's role and site and the file
    (`check_upload`), and holds the transaction.
    """
    consultation = ConsultationRequest.objects.filter(patient=patient).first()
    if consultation is None:
        raise Refused(
            f"{patient.code} came to the clinic without a consultation request, so there is "
            "no file to add a document to.",
            code="no_request",
            params={"patient": patient.code},
        )
    return _store(consultation, [checked], user)[0]


@transaction.atomic
def convert_to_patient(
    consultation: ConsultationRequest, advisor, *, date_of_birth, sex, weight_kg=None
) -> Patient:
    """Turn the request into a patient record at the request's site, for screening."""
    consultation = _check_may_act(consultation, advisor)
    errors = _patient_errors(date_of_birth, sex, weight_kg)
    if errors:
        raise Refused("The patient record was not created.", code="invalid", field_errors=errors)
    patient = save_by(
        Patient(
            site=consultation.site,
            code=_new_patient_code(),
            full_name=consultation.full_name,
            date_of_birth=date_of_birth,
            sex=sex,
            weight_kg=weight_kg,
            email=consultation.email,
            phone=consultation.phone,
            country=consultation.country,
            language=consultation.language,
            preferred_language=consultation.preferred_language,
            condition=consultation.condition,
            synthetic=consultation.synthetic,
        ),
        advisor,
    )
    consultation.status = ConsultationRequest.Status.CONVERTED
    consultation.patient = patient
    consultation.advisor = consultation.advisor or advisor
    save_by(consultation, advisor)
    return patient


@transaction.atomic
def close_request(consultation: ConsultationRequest, user, *, reason: str) -> ConsultationRequest:
    """Close the request: the person is not a candidate, for the reason given."""
    consultation = _check_may_act(consultation, user)
    reason = (reason or "").strip()
    if not reason:
        raise Refused(
            "Say why the person is not a candidate.",
            code="invalid",
            field_errors={"reason": "A reason is required to close a request."},
        )
    consultation.status = ConsultationRequest.Status.CLOSED
    consultation.close_reason = reason
    consultation.advisor = consultation.advisor or user
    return save_by(consultation, user)


def _condition(value) -> Condition | None:
    if isinstance(value, Condition):
        return value if value.accepts_requests else None
    if not value or not isinstance(value, str):
        return None
    return Condition.objects.filter(code=value, accepts_requests=True).first()


def _valid_address(address: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def _receiving_site() -> Site | None:
    """Return the site that takes public requests, locked until this request is saved.

    The lock makes the hourly limit exact: without it, parallel requests from one address
    all count the same rows before any is saved, and all pass. On PostgreSQL the row lock
    queues them (NO KEY, so records that merely point at the site are not held up); on
    SQLite select_for_update does nothing, but every transaction begins IMMEDIATE
    (settings.py), which queues writers the same way.
    """
    sites = Site.objects.select_for_update(no_key=True).filter(receives_public_requests=True)
    return sites.order_by("pk").first()


def _check_rate(address: str | None) -> None:
    since = timezone.now() - dt.timedelta(hours=1)
    recent = ConsultationRequest.objects.filter(client_address=address, created_at__gte=since)
    if recent.count() >= settings.INTAKE_REQUESTS_PER_HOUR:
        raise TooManyRequests(
            _(
                "We have received several requests from your connection in the last hour. "
                "Please wait an hour before sending another, or write to us by e-mail."
            ),
            code="too_many_requests",
            params={"per_hour": settings.INTAKE_REQUESTS_PER_HOUR},
        )


def _store(consultation, checked: list[CheckedUpload], user) -> list[Attachment]:
    """Save the checked content under random names, each file with its row.

    The files are written inside the action's transaction and removed again when anything
    fails before it commits; a file left by a crash between the two is removed by
    `sweep_orphan_files`, so no report stays on disk without its row.
    """
    saved = []
    try:
        for upload in checked:
            attachment = Attachment(
                request=consultation,
                original_name=upload.original_name,
                content_type=upload.content_type,
                size=upload.size,
                sha256=upload.sha256,
                uploaded_by=user,
            )
            name = f"{uuid.uuid4().hex}.{upload.extension}"
            attachment.file.save(name, ContentFile(upload.content), save=False)
            saved.append(attachment)
            save_by(attachment, user)
    except BaseException:
        for attachment in saved:
            attachment.file.delete(save=False)
        raise
    return saved


def sweep_orphan_files(*, older_than: dt.timedelta = ORPHAN_GRACE) -> list[str]:
    """Delete stored report files that have no attachment row; return their names.

    Only files older than `older_than` are touched, so an upload whose transaction is still
    open keeps its file. Run by `celltrace serve` when it starts.
    """
    storage = Attachment._meta.get_field("file").storage
    known = set(Attachment.objects.values_list("file", flat=True))
    cutoff = timezone.now() - older_than
    removed = []
    for name in _stored_names(storage, ATTACHMENT_FOLDER):
        if name not in known and storage.get_modified_time(name) < cutoff:
            storage.delete(name)
            removed.append(name)
    return removed


def _stored_names(storage, folder: str):
    if not storage.exists(folder):
        return
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _stored_names(storage, f"{folder}/{sub}")


def _locked(consultation: ConsultationRequest) -> ConsultationRequest:
    """Re-read the request under a row lock, so two advisors cannot act on it at once."""
    return ConsultationRequest.objects.select_for_update().get(pk=consultation.pk)


def _closed_refusal(consultation) -> Refused | None:
    if consultation.is_open:
        return None
    status = consultation.get_status_display().lower()
    return Refused(
        f"This request is closed ({status}); it can no longer be changed.",
        code="request_closed",
        params={"status": status},
    )


def act_refusal(consultation, user) -> Refused | None:
    """Return why the user may not work on the request now, or None if they may."""
    try:
        check_actor(
            user, access.ACT_ROLES, "work on consultation requests", site_id=consultation.site_id
        )
    except Refused as refusal:
        return refusal
    if refusal := _closed_refusal(consultation):
        return refusal
    claimed_by_other = (
        consultation.status == ConsultationRequest.Status.CLAIMED
        and consultation.advisor_id != user.pk
    )
    if claimed_by_other and user.role not in access.OVERSEER_ROLES:
        return Refused(
            f"{consultation.advisor} has claimed this request; only they, a manager or an "
            "administrator may work on it.",
            code="claimed_by_other",
            params={"advisor": consultation.advisor},
        )
    return None


def _check_may_act(consultation, user) -> ConsultationRequest:
    """Return the locked request if the user may work on it now; otherwise refuse."""
    consultation = _locked(consultation)
    if refusal := act_refusal(consultation, user):
        raise refusal
    return consultation


def _patient_errors(date_of_birth, sex, weight_kg) -> dict[str, str]:
    errors = {}
    today = timezone.localdate()
    if not isinstance(date_of_birth, dt.date):
        errors["date_of_birth"] = "Enter the date of birth."
    elif not dt.date(1900, 1, 1) <= date_of_birth <= today:
        errors["date_of_birth"] = "The date of birth must be in the past."
    if sex not in Sex.values:
        errors["sex"] = "Choose female or male."
    if weight_kg is not None and not MIN_WEIGHT_KG <= weight_kg <= MAX_WEIGHT_KG:
        errors["weight_kg"] = (
            f"The weight must be between {MIN_WEIGHT_KG:g} and {MAX_WEIGHT_KG:g} kg."
        )
    return errors


def _new_patient_code() -> str:
    """Return an unused wristband code: P- and six random digits."""
    for _attempt in range(50):
        code = f"P-{secrets.randbelow(1_000_000):06d}"
        if not Patient.objects.filter(code=code).exists():
            return code
    raise Refused("No free patient code was found; try again.", code="no_free_code")
