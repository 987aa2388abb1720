"""API endpoints of the intake stage: parse input, check access, call actions."""

import datetime as dt
from decimal import Decimal

from ninja import File, Form, Query, Router, Schema, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import AwareDatetime, Field

from celltrace.accounts.access import RoleSession
from celltrace.addresses import client_address
from celltrace.catalog.models import CellProduct, Therapy
from celltrace.clinical import consultations
from celltrace.intake import access, actions
from celltrace.intake.access import get_consultation_for_user, get_request_for_user
from celltrace.intake.models import Consultation, ConsultationRequest
from celltrace.intake.queries import Claimed, queue_for
from celltrace.pages import ClinicPagination
from celltrace.patients.models import Sex
from celltrace.refusal import Refused
from celltrace.schemas import RefusalOut

router = Router(tags=["intake"])


class RequestIn(Schema):
    """A public consultation request. Every field is required; the action says which are missing."""

    full_name: str = ""
    email: str = ""
    phone: str = ""
    country: str = ""
    language: str = ""
    condition: str = Field("", description="The condition's code, e.g. ms")
    description: str = ""
    consent_health_data: bool = Field(False, description="Consent to processing of health data")


class SubmittedOut(Schema):
    id: int
    status: str
    reference: str


class AttachmentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class NoteOut(Schema):
    id: int
    author: str
    text: str
    created_at: dt.datetime

    @staticmethod
    def resolve_author(obj) -> str:
        return str(obj.author)


class RequestSummaryOut(Schema):
    id: int
    reference: str
    status: str
    full_name: str
    condition: str = Field(alias="condition.code")
    country: str
    site_id: int
    advisor_id: int | None
    created_at: dt.datetime


class RequestOut(RequestSummaryOut):
    email: str
    phone: str
    language: str
    description: str
    consent_health_data: bool
    close_reason: str
    patient_id: int | None
    attachments: list[AttachmentOut]
    notes: list[NoteOut]

    @staticmethod
    def resolve_attachments(obj):
        return list(obj.attachments.all())

    @staticmethod
    def resolve_notes(obj):
        return list(obj.notes.select_related("author"))


class NoteIn(Schema):
    text: str


class ConvertIn(Schema):
    date_of_birth: dt.date
    sex: Sex
    weight_kg: float | None = None


class PatientOut(Schema):
    id: int
    code: str
    site_id: int
    full_name: str


class CloseIn(Schema):
    reason: str


@router.post(
    "/requests",
    auth=None,
    response={201: SubmittedOut, 429: RefusalOut},
    summary="Ask for a free consultation (public, no sign-in)",
)
def submit_request(request, data: Form[RequestIn], attachments: File[list[UploadedFile]] = None):
    try:
        consultation = actions.submit_request(
            fields=data.dict(),
            files=attachments or [],
            client_address=client_address(request),
        )
    except actions.TooManyRequests as refusal:
        return Status(429, refusal.as_dict())
    return Status(201, consultation)


class QueueFilterIn(Schema):
    status: ConsultationRequest.Status | None = None
    condition: str = Field("", description="A condition's code, e.g. ms")
    claimed: Claimed | None = Field(None, description="mine: claimed by me; unclaimed")
    search: str = Field("", description="Part of the name or e-mail, or the reference CR-000012")


@router.get("/requests", response=list[RequestSummaryOut], auth=RoleSession(access.QUEUE_ROLES))
@paginate(ClinicPagination)
def list_queue(request, filters: Query[QueueFilterIn]):
    """The requests at the caller's site, newest first, `limit` at a time from `offset`."""
    rows = queue_for(request.user, **filters.dict(exclude_none=True))
    return rows.select_related("condition").order_by("-created_at", "-pk")


@router.get("/requests/{request_id}", response=RequestOut, auth=RoleSession(access.QUEUE_ROLES))
def get_request(request, request_id: int):
    return _get(request, request_id)


@router.post(
    "/requests/{request_id}/claim",
    response={200: RequestOut},
    auth=RoleSession(access.CLAIM_ROLES),
)
def claim(request, request_id: int):
    return actions.claim_request(_get(request, request_id), request.user)


@router.post(
    "/requests/{request_id}/notes",
    response={201: NoteOut},
    auth=RoleSession(access.ACT_ROLES),
)
def add_note(request, request_id: int, data: NoteIn):
    return Status(
        201, actions.add_contact_note(_get(request, request_id), request.user, text=data.text)
    )


@router.post(
    "/requests/{request_id}/attachments",
    response={201: AttachmentOut},
    auth=RoleSession(access.ACT_ROLES),
)
def add_attachment(request, request_id: int, file: File[UploadedFile]):
    return Status(201, actions.add_attachment(_get(request, request_id), request.user, file))


@router.post(
    "/requests/{request_id}/convert",
    response={201: PatientOut},
    auth=RoleSession(access.ACT_ROLES),
)
def convert(request, request_id: int, data: ConvertIn):
    patient = actions.convert_to_patient(
        _get(request, request_id),
        request.user,
        date_of_birth=data.date_of_birth,
        sex=data.sex,
        weight_kg=data.weight_kg,
    )
    return Status(201, patient)


@router.post(
    "/requests/{request_id}/close",
    response={200: RequestOut},
    auth=RoleSession(access.ACT_ROLES),
)
def close(request, request_id: int, data: CloseIn):
    return actions.close_request(_get(request, request_id), request.user, reason=data.reason)


class BookingIn(Schema):
    starts_at: AwareDatetime = Field(description="With its offset, e.g. 2026-05-04T14:00:00+01:00")
    minutes: int = 30
    mode: Consultation.Mode
    phone: str = Field("", description="Phone calls: the number to call; empty: the request's")
    time_zone: str = Field("", description="The person's time zone; empty: the site's")


class EstimateLineOut(Schema):
    description: str
    unit_price: Decimal
    quantity_low: int
    quantity_high: int
    amount_low: Decimal
    amount_high: Decimal


class ConsultationOut(Schema):
    id: int
    request_id: int
    advisor_id: int
    starts_at: dt.datetime
    minutes: int
    mode: str
    join_url: str
    phone: str
    time_zone: str
    status: str
    could_help: str
    could_help_reason: str
    involves: str
    stay_days_min: int | None
    stay_days_max: int | None
    currency: str
    estimate_low: Decimal | None = Field(description="The estimate, not a quote")
    estimate_high: Decimal | None
    recorded_at: dt.datetime | None
    estimate_lines: list[EstimateLineOut]

    @staticmethod
    def resolve_estimate_lines(obj):
        return list(obj.estimate_lines.all())


class ItemIn(Schema):
    code: str = Field(description="The catalog code of a cell product or a therapy")
    quantity: int = Field(1, description="Administrations or sessions")


class AnswersIn(Schema):
    could_help: Consultation.CouldHelp
    could_help_reason: str
    involves: str = ""
    products: list[ItemIn] = []
    therapies: list[ItemIn] = []
    stay_days_min: int = consultations.STAY_DAYS[0]
    stay_days_max: int = consultations.STAY_DAYS[1]


@router.post(
    "/requests/{request_id}/consultations",
    response={201: ConsultationOut},
    auth=RoleSession(access.ACT_ROLES),
    summary="Book the advisor's video or phone call; e-mails the person the time",
)
def book_consultation(request, request_id: int, data: BookingIn):
    booked = actions.book_consultation(_get(request, request_id), request.user, **data.dict())
    return Status(201, booked)


@router.get(
    "/requests/{request_id}/consultations",
    response=list[ConsultationOut],
    auth=RoleSession(access.QUEUE_ROLES),
)
def list_consultations(request, request_id: int):
    return _get(request, request_id).consultations.prefetch_related("estimate_lines")


@router.get(
    "/consultations/{consultation_id}",
    response=ConsultationOut,
    auth=RoleSession(access.QUEUE_ROLES),
)
def get_consultation(request, consultation_id: int):
    return get_consultation_for_user(request.user, consultation_id)


@router.post(
    "/consultations/{consultation_id}/record",
    response={200: ConsultationOut},
    auth=RoleSession(access.ACT_ROLES),
    summary="Record the three answers and the estimate; e-mails them to the person",
)
def record_consultation(request, consultation_id: int, data: AnswersIn):
    items = [_item(CellProduct, "products", i) for i in data.products]
    items += [_item(Therapy, "therapies", i) for i in data.therapies]
    return actions.record_consultation(
        get_consultation_for_user(request.user, consultation_id),
        request.user,
        could_help=data.could_help,
        could_help_reason=data.could_help_reason,
        involves=data.involves,
        items=items,
        stay_days=(data.stay_days_min, data.stay_days_max),
    )


@router.post(
    "/consultations/{consultation_id}/cancel",
    response={200: ConsultationOut},
    auth=RoleSession(access.ACT_ROLES),
)
def cancel_consultation(request, consultation_id: int):
    booked = get_consultation_for_user(request.user, consultation_id)
    return actions.cancel_consultation(booked, request.user)


class ConsultationRescheduleIn(Schema):
    starts_at: AwareDatetime = Field(description="With its offset, e.g. 2026-05-04T14:00:00+01:00")
    minutes: int | None = Field(None, description="Empty: as booked")


@router.post(
    "/consultations/{consultation_id}/reschedule",
    response={200: ConsultationOut},
    auth=RoleSession(access.ACT_ROLES),
    summary="Move a booked consultation to another time; e-mails the person the new time",
)
def reschedule_consultation(request, consultation_id: int, data: ConsultationRescheduleIn):
    booked = get_consultation_for_user(request.user, consultation_id)
    return actions.reschedule_consultation(
        booked, request.user, starts_at=data.starts_at, minutes=data.minutes
    )


@router.post(
    "/consultations/{consultation_id}/no-show",
    response={200: ConsultationOut},
    auth=RoleSession(access.ACT_ROLES),
)
def record_no_show(request, consultation_id: int):
    booked = get_consultation_for_user(request.user, consultation_id)
    return actions.record_no_show(booked, request.user)


def _item(model, field: str, item: ItemIn) -> actions.EstimateItem:
    """Find an active catalog item by its code; an unknown code is refused by name."""
    found = model.objects.filter(code=item.code, active=True).first()
    if found is None:
        raise Refused(
            f"No active catalog item has the code {item.code!r}.",
            code="invalid",
            params={"code": item.code},
            field_errors={field: f"Unknown code {item.code!r}."},
        )
    return actions.EstimateItem(found, item.quantity)


def _get(request, request_id: int) -> ConsultationRequest:
    return get_request_for_user(request.user, request_id)
