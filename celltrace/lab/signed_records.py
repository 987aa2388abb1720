"""What each signature of the lab binds to, given again now to `verify_signatures`."""

from __future__ import annotations

from celltrace.lab.donor_models import LotRecall
from celltrace.lab.models import ProductLot
from celltrace.lab.release_record import content_since, lot_content
from celltrace.signatures.models import Signature
from celltrace.signatures.service import signed_content


@signed_content(ProductLot, Signature.Meaning.RELEASE, Signature.Meaning.EXCEPTIONAL_RELEASE)
def released_lot(lot: ProductLot, signature: Signature) -> dict:
    return content_since(lot, signature)


def acceptance_content(lot: ProductLot, acceptance) -> dict:
    """The lot as the treating physician signed it, with the risk they accepted."""
    return {
        **lot_content(lot),
        "risk_accepted": {
            "failed": acceptance.failed_tests,
            "statement": acceptance.acceptance_statement,
        },
    }


@signed_content(ProductLot, Signature.Meaning.RISK_ACCEPTANCE)
def accepted_risk(lot: ProductLot, signature: Signature) -> dict:
    acceptance = (
        lot.exceptional_releases.filter(
            accepted_by_id=signature.signer_id, accepted_at__lte=signature.signed_at
        )
        .order_by("accepted_at", "pk")
        .last()
    )
    content = content_since(lot, signature)
    content["risk_accepted"] = (
        None
        if acceptance is None
        else {"failed": acceptance.failed_tests, "statement": acceptance.acceptance_statement}
    )
    return content


def recall_content(recall: LotRecall) -> dict:
    """The recall as its signer certifies it: which lot, why, by whom and when."""
    return {
        "recall": {
            "id": recall.pk,
            "lot": {"id": recall.lot_id, "code": recall.lot.code},
            "reason": recall.reason,
            "previous_status": recall.previous_status,
            "recalled_by": recall.recalled_by_id,
            "recalled_at": recall.recalled_at,
        }
    }


@signed_content(LotRecall, Signature.Meaning.RECALL)
def recalled_lot(recall: LotRecall, signature: Signature) -> dict:
    return recall_content(recall)
