"""Whether a plan is still in force: the one check every stage makes before acting on a plan.

A superseded version was replaced by an amendment and a cancelled plan was stopped; neither
may be admitted, produced for, nor accepted. Admission, the lab and the plan's own actions
all ask here, so they refuse with the same words.
"""

from celltrace.plans.models import TreatmentPlan
from celltrace.refusal import Refused


def require_in_force(plan: TreatmentPlan, doing: str) -> None:
    """Refuse `doing` (e.g. "admit the patient") unless the plan is the active version."""
    if plan.status == TreatmentPlan.Status.SUPERSEDED:
        raise Refused(
            f"Plan #{plan.label} was replaced by a newer version: you cannot {doing} on it; "
            "open the current version.",
            code="plan_superseded",
            params={"plan": plan.label},
        )
    if plan.status == TreatmentPlan.Status.CANCELLED:
        raise Refused(
            f"Plan #{plan.label} was cancelled ({plan.cancellation_reason}): "
            f"you cannot {doing} on it.",
            code="plan_cancelled",
            params={"plan": plan.label, "reason": plan.cancellation_reason},
        )
