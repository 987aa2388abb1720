"""What a doctor's signature of a plan version binds to (21 CFR 11.70)."""

from __future__ import annotations

from celltrace.plans.models import TreatmentPlan
from celltrace.signatures.models import Signature
from celltrace.signatures.service import signed_content


def plan_content(plan: TreatmentPlan) -> dict:
    """The plan version as signed: doses, therapies, home care, dates, quote and why it changed.

    Left out: its status and cancellation (a later version supersedes it; cancelling is its
    own record) and the patient's acceptance of the quote (the patient's act, later).
    """
    return {
        "plan": {
            "id": plan.pk,
            "number": plan.number,
            "version": plan.version,
            "patient": plan.patient.code,
            "screening": plan.screening_id,
            "weight_kg": plan.weight_kg,
            "admission_date": plan.admission_date,
            "discharge_date": plan.discharge_date,
            "notes": plan.notes,
            "supersedes": plan.supersedes_id,
            "amendment_reason": plan.amendment_reason,
            "created_by": plan.created_by_id,
            "currency": plan.currency,
        },
        "products": [
            {
                "product": dose.product.code,
                "route": dose.route,
                "dose_per_kg": dose.dose_per_kg,
                "day_of_stay": dose.day_of_stay,
                "planned_time": dose.planned_time.isoformat() if dose.planned_time else None,
            }
            for dose in plan.products.select_related("product").order_by("pk")
        ],
        "therapies": [
            {"therapy": therapy.therapy_id, "sessions": therapy.sessions}
            for therapy in plan.therapies.order_by("pk")
        ],
        "home_care": [
            {
                "product": item.product.code if item.product_id else None,
                "medication": item.medication,
                "route": item.route,
                "dose_per_kg": item.dose_per_kg,
                "every_days": item.every_days,
                "weeks": item.weeks,
                "longer_reason": item.longer_reason,
                "instructions": item.instructions,
            }
            for item in plan.home_care.select_related("product").order_by("pk")
        ],
        "quote": [
            {
                "description": line.description,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "amount": line.amount,
            }
            for line in plan.quote_lines.order_by("pk")
        ],
    }


@signed_content(TreatmentPlan, Signature.Meaning.APPROVAL)
def signed_plan(plan: TreatmentPlan, signature: Signature) -> dict:
    return plan_content(plan)
