"""What a lot's release signature certifies: the lot's record as data, and its state now.

`lot_content` is the record the quality reviewer signs: the lot's identity, the product,
whose cells, the product's QC specifications, every step of the chain of identity and every
QC result. Its hash and a copy are kept with the signature; the same function run again
later tells whether anything was changed after signing (in the admin, by SQL or otherwise),
and where.
"""

from __future__ import annotations

from celltrace.lab.models import ProductLot
from celltrace.signatures.models import Signature
from celltrace.signatures.service import Shown, shown, signatures_of


def lot_content(lot: ProductLot) -> dict:
    """Return the lot's record as signed at release.

    Left out on purpose: the lot's status and release fields (the signature sets them) and
    the plan a donor lot is allocated to after release (allocation is not part of the
    product's quality). An autologous lot's patient and plan number are its identity.
    """
    product = lot.product
    made_for = {
        "donor_code": lot.donor_code or None,
        "donor": lot.donor_id,
        "patient": None,
        "plan_number": None,
    }
    if lot.source_patient_id:
        made_for["patient"] = lot.source_patient.code
        made_for["plan_number"] = lot.plan.number if lot.plan_id else None
    return {
        "lot": {
            "id": lot.pk,
            "code": lot.code,
            "din": lot.din,
            "division": lot.division,
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
        "specifications": {
            spec.test: {"minimum": spec.minimum, "maximum": spec.maximum, "unit": spec.unit}
            for spec in product.qc_specs.order_by("test")
        },
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
            {
                "id": result.pk,
                "test": result.specification.test,
                "value": result.value,
                "passed": result.passed,
                "tested_by": result.tested_by_id,
                "tested_at": result.tested_at,
            }
            for result in lot.qc_results.select_related("specification").order_by("pk")
        ],
    }


def content_since(lot: ProductLot, signature: Signature) -> dict:
    """Return the lot's content now, to compare with what the signature was given to.

    The specifications are the product's, in the catalog: a later change of the catalog
    applies to later lots and is no change of this lot's record, so they are taken as
    signed. The certificate prints them as signed.
    """
    content = lot_content(lot)
    content["specifications"] = signature.content.get("specifications", {})
    # A result recorded after the release (the culture of a lot released pending sterility)
    # is a later event, judged and shown on its own; the signed results must stay as signed.
    signed = {result["id"] for result in signature.content.get("qc_results", [])}
    content["qc_results"] = [r for r in content["qc_results"] if r["id"] in signed]
    return content


def release_signature(lot: ProductLot) -> Signature | None:
    """The lot's release signature, ordinary or exceptional; None before release (or for a lot
    released before signatures)."""
    meanings = [Signature.Meaning.RELEASE, Signature.Meaning.EXCEPTIONAL_RELEASE]
    return signatures_of(lot).filter(meaning__in=meanings).last()


def shown_release(lot: ProductLot) -> Shown | None:
    """The release signature as every screen and printout shows it, with the record's state."""
    signature = release_signature(lot)
    if signature is None:
        return None
    return shown(signature, content_since(lot, signature), time_zone=lot.site.time_zone)
