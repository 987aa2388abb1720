"""API endpoints of the intake stage: parse input, check access, call actions."""

import datetime as dt

from ninja import File, Form, Query, Router, Schema, UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status
from pydantic import Field

from celltrace.accounts.access import RoleSession
from celltrace.addresses import client_address
from celltrace.intake import access, actions
from celltrace.intake.access import get_request_for_user
from celltrace.intake.models import ConsultationRequest
from celltrace.intake.queries import Claimed, queue_for
from celltrace.patients.models import Sex
from celltrace.schemas import RefusalOut

router = Router(tags=["intake"])
QUEUE_MAX_LIMIT = 200


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
@paginate(LimitOffsetPagination, max_limit=QUEUE_MAX_LIMIT)
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


def _get(request, request_id: int) -> ConsultationRequest:
    return get_request_for_user(request.user, request_id)
