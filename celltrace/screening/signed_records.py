"""What a doctor's sign-off of a screening decision binds to (21 CFR 11.70)."""

from __future__ import annotations

from celltrace.screening.models import Screening
from celltrace.signatures.models import Signature
from celltrace.signatures.service import signed_content


def screening_content(screening: Screening, justifications: dict[str, str]) -> dict:
    """The decision as the doctor signed it: whose, which rules gave what, and why a caution
    does not stop the treatment. Left out: `finalized_at` (the signatures set it)."""
    return {
        "screening": {
            "id": screening.pk,
            "patient": screening.patient.code,
            "decision": screening.decision,
            "donor_products_only": screening.donor_products_only,
            "reasons": screening.reasons,
            "decided_at": screening.decided_at,
            "ruleset": screening.ruleset_id,
            "purpose": screening.purpose,
            "treatment_date": screening.treatment_date,
            "source": screening.source,
            "results": screening.results,
            "needed": screening.needed,
            "allowed_sources": screening.allowed_sources,
            "stay": screening.stay_id,
            "based_on": screening.based_on_id,
            "new_exclusions": screening.new_exclusions,
            "new_cautions": screening.new_cautions,
            "run_by": screening.doctor_id,
        },
        "justifications": justifications,
    }


@signed_content(Screening, Signature.Meaning.APPROVAL)
def signed_screening(screening: Screening, signature: Signature) -> dict:
    own = screening.signatures.filter(doctor_id=signature.signer_id).first()
    return screening_content(screening, own.justifications if own else {})
