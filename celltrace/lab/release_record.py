"""What a lot's release signature certifies: the lot's record as data, and its state now.

`lot_content` is the record the quality reviewer signs: the lot's identity, the product,
whose cells, every step of the chain of identity and every QC result with the criterion it
was judged by. Its hash is kept with the signature; the same function run again later tells
whether anything was changed after signing (in the admin, by SQL or by any other way).
"""

from __future__ import annotations

from celltrace.lab.models import ProductLot
from celltrace.signatures.models import Signature
from celltrace.signatures.service import Shown, shown, signatures_of


def spec_at(spec, moment):
    """The specification as it was at the moment (the catalog may have changed it since)."""
    if moment is None:
        return spec
    try:
        return spec.history.as_of(moment)
    except spec.DoesNotExist:  # loaded from a fixture, with no history before it changed
        return spec


def lot_content(lot: ProductLot, *, specs_as_of=None) -> dict:
    """Return the lot's record as signed at release.

    Left out on purpose: the lot's status and release fields (the signature sets them) and
    the plan a donor lot is allocated to after release (allocation is not part of the
    product's quality). An autologous lot's patient and plan number are its identity.
    """
    product = lot.product
    made_for = {"donor_code": lot.donor_code or None, "patient": None, "plan_number": None}
    if lot.source_patient_id:
        made_for["patient"] = lot.source_patient.code
        made_for["plan_number"] = lot.plan.number if lot.plan_id else None
    return {
        "lot": {
            "id": lot.pk,
            "code": lot.code,
            # The ISBT 128 DIN joins the record here once lots carry one (lot.din).
            "site": lot.site.code,
            "made_by": lot.made_by_id,
            "made_at": lot.made_at,
            "expires_at": lot.expires_at,
            "viable_content": lot.viable_content,
            "volume_ml": lot.volume_ml,
        },
        "product": {
            "code": product.code,
            "name": product.name,
            "source": product.source,
            "dose_unit": product.dose_unit,
        },
        "made_for": made_for,
        "steps": [
            {
                "id": step.pk,
                "step": step.step,
                "performed_by": step.performed_by_id,
                "performed_at": step.performed_at,
                "notes": step.notes,
            }
            for step in lot.steps.order_by("performed_at", "pk")
        ],
        "qc_results": [
            _result(result, spec_at(result.specification, specs_as_of))
            for result in lot.qc_results.select_related("specification").order_by("pk")
        ],
    }


def _result(result, spec) -> dict:
    return {
        "id": result.pk,
        "test": spec.test,
        "minimum": spec.minimum,
        "maximum": spec.maximum,
        "unit": spec.unit,
        "value": result.value,
        "passed": result.passed,
        "tested_by": result.tested_by_id,
        "tested_at": result.tested_at,
    }


def release_signature(lot: ProductLot) -> Signature | None:
    """The lot's release signature, or None (released before signatures, or not released)."""
    return signatures_of(lot, meaning=Signature.Meaning.RELEASE).last()


def shown_release(lot: ProductLot) -> Shown | None:
    """The release signature as every screen and printout shows it, with the record's state."""
    signature = release_signature(lot)
    if signature is None:
        return None
    content = lot_content(lot, specs_as_of=signature.signed_at)
    return shown(signature, content, time_zone=lot.site.time_zone)
