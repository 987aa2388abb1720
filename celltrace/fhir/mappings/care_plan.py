"""CarePlan: the treatment plan (each version) and the home care after discharge."""

from celltrace.clinical.numbers import DOSE_UNITS
from celltrace.fhir import codes
from celltrace.fhir.mappings.common import (
    moment,
    patient_ref,
    period,
    practitioner_ref,
    ref,
    resource,
)

PLAN_STATUS = {"active": "active", "superseded": "revoked", "cancelled": "revoked"}


def treatment_plan(plan, doses: list[tuple[object, str, bool]]) -> dict:
    """One version of a treatment plan; `doses`: (planned product, dose text, given)."""
    in_force = plan.status == "active"
    activities = []
    for planned, dose_text, given in doses:
        product = planned.product
        concept = codes.Code(codes.PRODUCT, product.code, product.name).concept()
        status = "completed" if given else ("scheduled" if in_force else "cancelled")
        activities.append(
            {
                "detail": {
                    "code": codes.ADMINISTRATION.concept(),
                    "status": status,
                    "scheduledString": f"Day {planned.day_of_stay} of the stay, "
                    f"{planned.planned_date.isoformat()} {planned.planned_time:%H:%M}",
                    "productCodeableConcept": concept,
                    "description": f"{product.name}: {dose_text}",
                }
            }
        )
    for therapy in plan.therapies.all():
        activities.append(
            {
                "detail": {
                    "code": codes.Code(
                        codes.THERAPY, codes.slug(therapy.therapy.code), therapy.therapy.name
                    ).concept(),
                    "status": "scheduled" if in_force else "cancelled",
                    "scheduledTiming": {"repeat": {"count": therapy.sessions}},
                    "description": f"{therapy.therapy.name}, {therapy.sessions} session(s)",
                }
            }
        )
    notes = [plan.notes, plan.amendment_reason, plan.cancellation_reason]
    return resource(
        "CarePlan",
        f"plan-{plan.pk}",
        identifier=[{"system": f"{codes.BASE}/sid/treatment-plan", "value": plan.label}],
        replaces=[ref("CarePlan", f"plan-{plan.supersedes_id}")] if plan.supersedes_id else [],
        status=PLAN_STATUS[plan.status],
        intent="plan",
        category=[{"text": "Cell-therapy treatment plan"}],
        title=f"Treatment plan {plan.label}",
        subject=patient_ref(plan.patient),
        period=period(plan.admission_date, plan.discharge_date),
        created=moment(plan.created_at),
        author=practitioner_ref(plan.created_by),
        addresses=[ref("Condition", f"condition-{plan.patient_id}")],
        activity=activities,
        note=[{"text": text} for text in notes if text],
    )


def home_care(stay, items: list, doses: list) -> dict:
    """What the patient does after discharge: each home-care dose the plan holds, with its
    product, amount and day, and the check-ups and home checks, each with its day."""
    done = all(item.completed_at for item in items) and all(
        dose.status != "planned" for dose in doses
    )
    return resource(
        "CarePlan",
        f"homecare-{stay.pk}",
        basedOn=[ref("CarePlan", f"plan-{stay.plan_id}")],
        status="completed" if done else "active",
        intent="plan",
        category=[{"text": "Home care and check-ups after discharge"}],
        title="Home care and check-ups",
        subject=patient_ref(stay.patient),
        encounter=ref("Encounter", f"stay-{stay.pk}"),
        period=period(stay.discharged_at),
        author=practitioner_ref(stay.discharged_by),
        addresses=[ref("Condition", f"condition-{stay.patient_id}")],
        activity=[_dose_activity(dose) for dose in doses] + [_item_activity(i) for i in items],
    )


# A dose the patient answered for: taken is completed; not taken is cancelled, with the reason.
_DOSE_STATUS = {"planned": "scheduled", "taken": "completed", "skipped": "cancelled"}


def _dose_activity(dose) -> dict:
    detail = {
        "kind": "MedicationRequest",
        "code": {"text": "Home-care dose"},
        "status": _DOSE_STATUS[dose.status],
        "scheduledPeriod": {"start": dose.day.isoformat(), "end": dose.day.isoformat()},
        "productCodeableConcept": {"text": dose.what},
        "description": f"{dose.get_route_display()}, dose {dose.number} of {dose.of}: "
        f"{dose.instructions}",
    }
    if dose.amount is not None:
        detail["quantity"] = {"value": dose.amount, "unit": DOSE_UNITS[dose.dose_unit]}
    if dose.status == "skipped":
        detail["statusReason"] = {"text": dose.skip_reason}
    return {"detail": detail}


def _item_activity(item) -> dict:
    return {
        "detail": {
            "kind": "Appointment" if item.kind == "checkup" else None,
            "code": {"text": item.get_kind_display()},
            "status": "completed" if item.completed_at else "scheduled",
            "scheduledString": f"Due {item.due_date.isoformat()}",
            "description": item.title + (f" ({item.notes})" if item.notes else ""),
        }
    }
