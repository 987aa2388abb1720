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
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from celltrace.accounts import site_time
from celltrace.accounts.access import check_actor
from celltrace.accounts.languages import coded, named
from celltrace.accounts.models import Role, Site, User
from celltrace.audit import save_by
from celltrace.catalog.models import CellProduct, Condition, ServiceFee, Therapy
from celltrace.clinical import consultations, quote
from celltrace.config import is_time_zone
from celltrace.intake import access
from celltrace.intake.models import (
    Attachment,
    Consultation,
    ConsultationRequest,
    ContactNote,
    EstimateLine,
)
from celltrace.intake.notices import (
    notify_consultation_booked,
    notify_consultation_cancelled,
    notify_consultation_rescheduled,
    notify_consultation_summary,
    notify_request_received,
)
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


def act_refusal(consultation, user, *, closed_ok: bool = False) -> Refused | None:
    """Return why the user may not work on the request now, or None if they may.

    `closed_ok`: a consultation held before the request was closed or became a patient is
    still the advisor's to record.
    """
    try:
        check_actor(
            user, access.ACT_ROLES, "work on consultation requests", site_id=consultation.site_id
        )
    except Refused as refusal:
        return refusal
    if not closed_ok and (refusal := _closed_refusal(consultation)):
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


def _check_may_act(consultation, user, *, closed_ok: bool = False) -> ConsultationRequest:
    """Return the locked request if the user may work on it now; otherwise refuse."""
    consultation = _locked(consultation)
    if refusal := act_refusal(consultation, user, closed_ok=closed_ok):
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


@transaction.atomic
def book_consultation(
    consultation: ConsultationRequest,
    user,
    *,
    starts_at: dt.datetime,
    minutes: int,
    mode: str,
    phone: str = "",
    time_zone: str = "",
) -> Consultation:
    """Book the advisor's video or phone call with the person, and e-mail them the time."""
    consultation = _check_may_act(consultation, user)
    advisor = _consulting_advisor(consultation, user)
    User.objects.select_for_update().filter(pk=advisor.pk).first()  # one booking at a time
    if earlier := consultation.consultations.filter(status=Consultation.Status.BOOKED).first():
        raise Refused(
            "This request already has a consultation booked for "
            f"{_site_time(earlier.starts_at, consultation.site)} "
            f"({consultation.site.time_zone}); cancel it to book another.",
            code="already_booked",
            params={"starts_at": earlier.starts_at.isoformat()},
        )
    slot = consultations.Slot(starts_at, minutes)
    errors = consultations.slot_problems(slot, now=timezone.now())
    errors |= _contact_problems(mode, phone)
    time_zone = (time_zone or "").strip() or consultation.site.time_zone
    if not is_time_zone(time_zone):
        errors["time_zone"] = "Choose a time zone such as Europe/Berlin."
    if errors:
        raise Refused(
            "The consultation was not booked: " + " ".join(errors.values()),
            code="invalid",
            field_errors=errors,
        )
    _check_advisor_free(advisor, slot, consultation.site)
    booked = save_by(
        Consultation(
            request=consultation,
            advisor=advisor,
            starts_at=starts_at,
            minutes=minutes,
            mode=mode,
            join_url=_video_link() if mode == Consultation.Mode.VIDEO else "",
            phone=(phone or consultation.phone).strip() if mode == Consultation.Mode.PHONE else "",
            time_zone=time_zone,
            booked_by=user,
        ),
        user,
    )
    notify_consultation_booked(booked)
    return booked


@transaction.atomic
def cancel_consultation(booked: Consultation, user) -> Consultation:
    """Cancel a booked consultation, e.g. when the person asks for another time."""
    _check_may_act(booked.request, user, closed_ok=True)
    booked = _locked_consultation(booked)
    _check_still_booked(booked)
    booked.status = Consultation.Status.CANCELLED
    save_by(booked, user)
    notify_consultation_cancelled(booked)
    return booked


@transaction.atomic
def reschedule_consultation(
    booked: Consultation, user, *, starts_at: dt.datetime, minutes: int | None = None
) -> Consultation:
    """Move a booked consultation to another time, and e-mail the person the new one.

    The advisor, the video link or the number to call stay as they were sent; the history
    keeps the earlier time.
    """
    _check_may_act(booked.request, user, closed_ok=True)
    booked = _locked_consultation(booked)
    _check_still_booked(booked)
    User.objects.select_for_update().filter(pk=booked.advisor_id).first()  # as booking does
    slot = consultations.Slot(starts_at, minutes or booked.minutes)
    if errors := consultations.slot_problems(slot, now=timezone.now()):
        raise Refused(
            "The consultation was not moved: " + " ".join(errors.values()),
            code="invalid",
            field_errors=errors,
        )
    _check_advisor_free(booked.advisor, slot, booked.request.site, leaving_out=booked)
    previous = booked.starts_at
    booked.starts_at, booked.minutes = slot.starts_at, slot.minutes
    save_by(booked, user)
    notify_consultation_rescheduled(booked, previous=previous)
    return booked


@transaction.atomic
def record_no_show(booked: Consultation, user) -> Consultation:
    """Record that the person did not come to the call."""
    _check_may_act(booked.request, user, closed_ok=True)
    booked = _locked_consultation(booked)
    _check_still_booked(booked)
    _check_begun(booked)
    booked.status = Consultation.Status.NO_SHOW
    return save_by(booked, user)


@dataclass(frozen=True)
class EstimateItem:
    """A catalog item the advisor expects the plan to hold: a cell product or a therapy."""

    item: CellProduct | Therapy
    quantity: int

    def to_domain(self) -> consultations.Item:
        if isinstance(self.item, CellProduct):
            return consultations.Item(
                f"{self.item.name} (administrations)", self.quantity, self.item.price
            )
        return consultations.Item(
            f"{self.item.name} (sessions)", self.quantity, self.item.price_per_session
        )


@transaction.atomic
def record_consultation(
    booked: Consultation,
    user,
    *,
    could_help: str,
    could_help_reason: str,
    involves: str = "",
    items: Sequence[EstimateItem] = (),
    stay_days: tuple[int, int] = consultations.STAY_DAYS,
) -> Consultation:
    """Record the three answers and the estimate of a held consultation, and send them."""
    _check_may_act(booked.request, user, closed_ok=True)
    booked = _locked_consultation(booked)
    if booked.is_recorded:
        raise Refused(
            "The answers of this consultation were recorded and sent; they cannot change.",
            code="already_recorded",
        )
    if booked.status not in (Consultation.Status.BOOKED, Consultation.Status.HELD):
        raise Refused(
            f"This consultation is {booked.get_status_display().lower()}; nothing to record.",
            code="not_held",
            params={"status": booked.status},
        )
    _check_begun(booked)
    domain_items = [item.to_domain() for item in items]
    _check_answers(could_help, could_help_reason, involves, domain_items, stay_days)
    booked.could_help = could_help
    booked.could_help_reason = could_help_reason.strip()
    booked.involves = (involves or "").strip()
    if could_help != Consultation.CouldHelp.NO:
        _save_estimate(booked, user, domain_items, stay_days)
    booked.status = Consultation.Status.HELD
    booked.recorded_at, booked.recorded_by = timezone.now(), user
    save_by(booked, user)
    notify_consultation_summary(booked)
    return booked


def _consulting_advisor(consultation: ConsultationRequest, user):
    """The advisor who holds the call: the one who claimed the request, else the booking one."""
    if consultation.advisor_id:
        return consultation.advisor
    if user.role == Role.ADVISOR:
        return user
    raise Refused(
        "No advisor has claimed this request yet: an advisor claims it, then books the call.",
        code="no_advisor",
    )


def _contact_problems(mode: str, phone: str) -> dict[str, str]:
    if mode not in Consultation.Mode.values:
        return {"mode": "Choose a video call or a phone call."}
    if mode == Consultation.Mode.VIDEO and not settings.VIDEO_URL_TEMPLATE:
        return {
            "mode": "No video provider is set up (CELLTRACE_VIDEO_URL_TEMPLATE): book a phone call."
        }
    if mode == Consultation.Mode.PHONE and phone.strip() and (problem := phone_problem(phone)):
        return {"phone": problem}
    return {}


def _video_link() -> str:
    """Return a new meeting address: the provider's template with an unguessable token."""
    return settings.VIDEO_URL_TEMPLATE.replace("{token}", secrets.token_urlsafe(18))


def _advisor_slots(advisor, slot: consultations.Slot, leaving_out) -> list[consultations.Slot]:
    """The advisor's booked and held consultations that could overlap the slot."""
    earliest = slot.starts_at - dt.timedelta(minutes=consultations.MAX_MINUTES)
    rows = Consultation.objects.filter(
        advisor=advisor,
        status__in=(Consultation.Status.BOOKED, Consultation.Status.HELD),
        starts_at__gt=earliest,
        starts_at__lt=slot.ends_at,
    )
    if leaving_out is not None:
        rows = rows.exclude(pk=leaving_out.pk)
    return [consultations.Slot(row.starts_at, row.minutes) for row in rows]


def _check_advisor_free(advisor, slot, site, *, leaving_out=None) -> None:
    """Refuse a slot that overlaps another of the advisor's calls (but the one being moved)."""
    if clash := consultations.first_clash(slot, _advisor_slots(advisor, slot, leaving_out)):
        raise Refused(
            f"{advisor} is already booked from {_site_time(clash.starts_at, site)} "
            f"to {_site_time(clash.ends_at, site)[-5:]} ({site.time_zone}); "
            "choose another time.",
            code="advisor_busy",
            params={"starts_at": clash.starts_at.isoformat(), "advisor": advisor},
            field_errors={"starts_at": "The advisor has another consultation then."},
        )


def _site_time(moment: dt.datetime, site) -> str:
    """Write the moment on the site's clock, which is how staff read it: 2026-05-04 14:00."""
    return f"{timezone.localtime(moment, site_time.zone(site)):%Y-%m-%d %H:%M}"


def _locked_consultation(booked: Consultation) -> Consultation:
    """Re-read the consultation under a lock (its request locked first, as booking does)."""
    return Consultation.objects.select_for_update().select_related("request").get(pk=booked.pk)


def _check_still_booked(booked: Consultation) -> None:
    if booked.status != Consultation.Status.BOOKED:
        raise Refused(
            f"This consultation is {booked.get_status_display().lower()}, no longer booked.",
            code="not_booked",
            params={"status": booked.status},
        )


def _check_begun(booked: Consultation) -> None:
    if booked.starts_at > timezone.now():
        raise Refused(
            "This consultation has not begun yet.",
            code="not_begun",
            params={"starts_at": booked.starts_at.isoformat()},
        )


def _check_answers(could_help, reason, involves, items, stay_days) -> None:
    errors = {}
    if could_help not in Consultation.CouldHelp.values:
        errors["could_help"] = "Say whether the therapy could help: yes, possibly or no."
    if not (reason or "").strip():
        errors["could_help_reason"] = "Give the reason for the answer."
    if could_help in (Consultation.CouldHelp.YES, Consultation.CouldHelp.POSSIBLY):
        if not (involves or "").strip():
            errors["involves"] = "Say what the treatment involves."
        if not items:
            errors["items"] = "Choose the catalog items the estimate is made of."
        errors |= consultations.estimate_problems(items, stay_days=stay_days)
    if errors:
        raise Refused(
            "The answers were not recorded: " + " ".join(dict.fromkeys(errors.values())),
            code="invalid",
            field_errors=errors,
        )


def _save_estimate(booked: Consultation, user, items, stay_days) -> None:
    """Price the items and the stay's services from today's catalog, in the site's currency."""
    fees = [quote.Fee(f.name, f.unit, f.price) for f in ServiceFee.objects.all()]
    currency = booked.request.site.currency
    estimate = consultations.build_estimate(items, fees, stay_days=stay_days, currency=currency)
    for position, line in enumerate(estimate.lines, start=1):
        save_by(
            EstimateLine(
                consultation=booked,
                position=position,
                description=line.description,
                unit_price=line.unit_price,
                quantity_low=line.quantity_low,
                quantity_high=line.quantity_high,
                amount_low=line.low,
                amount_high=line.high,
            ),
            user,
        )
    booked.stay_days_min, booked.stay_days_max = stay_days
    booked.currency = estimate.currency
    booked.estimate_low, booked.estimate_high = estimate.low, estimate.high
