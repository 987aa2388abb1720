"""API endpoints of the screening stage: parse input, check access, call actions."""

import datetime as dt

from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from celltrace.accounts.access import get_patient_for_user, require_role
from celltrace.screening import roles
from celltrace.screening.actions import record_screening
from celltrace.screening.views import get_screening_for_user

router = Router(tags=["screening"])


class RefusalOut(Schema):
    detail: str
    errors: dict[str, str] = {}


class AnswerIn(Schema):
    answer: str = Field(description="yes, no or unknown")
    note: str = ""


class ScreeningIn(Schema):
    answers: dict[str, AnswerIn] = Field(
        description="One answer per active contraindication, keyed by its code"
    )
    decision: str = Field(description="eligible, not_eligible or needs_review")
    reasons: str = ""


class AnswerOut(Schema):
    code: str = Field(alias="contraindication.code")
    label: str = Field(alias="contraindication.label")
    kind: str = Field(alias="contraindication.kind")
    answer: str
    note: str


class ScreeningOut(Schema):
    id: int
    patient_id: int
    doctor_id: int
    decision: str
    donor_products_only: bool
    reasons: str
    decided_at: dt.datetime
    answers: list[AnswerOut]

    @staticmethod
    def resolve_answers(obj):
        return list(
            obj.answers.select_related("contraindication").order_by(
                "contraindication__order", "contraindication__code"
            )
        )


@router.post("/patients/{patient_id}", response={201: ScreeningOut, 422: RefusalOut})
def record(request, patient_id: int, data: ScreeningIn):
    require_role(request.user, roles.RECORD_ROLES)
    patient = get_patient_for_user(request.user, patient_id)
    screening = record_screening(
        patient,
        request.user,
        answers={code: (a.answer, a.note) for code, a in data.answers.items()},
        decision=data.decision,
        reasons=data.reasons,
    )
    return Status(201, screening)


@router.get("/{screening_id}", response=ScreeningOut)
def get_screening(request, screening_id: int):
    require_role(request.user, roles.VIEW_ROLES)
    return get_screening_for_user(request.user, screening_id)
