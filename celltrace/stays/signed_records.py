"""What a doctor's signature of a discharge binds to (21 CFR 11.70)."""

from __future__ import annotations

from celltrace.signatures.models import Signature
from celltrace.signatures.service import signed_content
from celltrace.stays.models import Stay


def discharge_content(stay: Stay) -> dict:
    """The stay as the doctor discharged it: who, when, why and every dose given.

    Left out: the bed, the attending doctor and adverse events (events are followed up, and
    closed, after discharge: each is its own record with its own history).
    """
    return {
        "stay": {
            "id": stay.pk,
            "patient": stay.patient.code,
            "plan": stay.plan_id,
            "site": stay.site.code,
            "weight_kg": stay.weight_kg,
            "admitted_at": stay.admitted_at,
            "discharged_at": stay.discharged_at,
            "discharged_by": stay.discharged_by_id,
            "open_events_reason": stay.open_events_reason,
            "missed_doses_reason": stay.missed_doses_reason,
            "early_discharge_reason": stay.early_discharge_reason,
        },
        "administrations": [
            {
                "id": given.pk,
                "lot": given.lot.code,
                "route": given.route,
                "dose_per_kg": given.dose_per_kg,
                "given_at": given.given_at,
                "nurse": given.nurse_id,
            }
            for given in stay.administrations.select_related("lot").order_by("given_at", "pk")
        ],
    }


@signed_content(Stay, Signature.Meaning.DISCHARGE)
def discharged_stay(stay: Stay, signature: Signature) -> dict:
    return discharge_content(stay)
