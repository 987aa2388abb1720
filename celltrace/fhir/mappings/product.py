"""BiologicallyDerivedProduct: a lot, with its ISBT 128 identifiers and its processing."""

from celltrace.clinical import isbt128, labels
from celltrace.fhir import codes
from celltrace.fhir.mappings.common import (
    moment,
    organization_ref,
    patient_ref,
    practitioner_ref,
    ref,
    resource,
)

# FHIR R4's product categories: cell products are cells; exosomes and secretome are not.
CATEGORY = {"exosome": "biologicalAgent", "secretome": "biologicalAgent"}


def isbt_product_code(lot) -> str:
    """The ISBT 128 product code as on the label: description, collection type, division."""
    product = lot.product
    autologous = product.source == "autologous"
    collection = labels.AUTOLOGOUS_COLLECTION if autologous else labels.ALLOGENEIC_COLLECTION
    return isbt128.product_code_data(product.isbt_product_code, collection, lot.division)[2:]


def _identifiers(lot) -> list[dict]:
    identifiers = [{"use": "usual", "system": codes.LOT_CODE, "value": lot.code}]
    if lot.din:
        identifiers.append(
            {
                "use": "official",
                "type": {"text": "ISBT 128 Donation Identification Number"},
                "system": codes.ISBT128_DIN,
                "value": lot.din,
            }
        )
    if lot.chain_id:
        identifiers.append(
            {
                "type": {"text": "ISBT 128 Chain of Identity"},
                "system": codes.CHAIN_OF_IDENTITY,
                "value": lot.chain.identifier,
            }
        )
    return identifiers


def _available(lot, given: bool) -> bool:
    return lot.status == "released" and not lot.blocked_at and not lot.thawed_at and not given


def lot(row, steps: list, given: bool) -> dict:
    """A lot and its processing steps (`steps`, oldest first); `given`: administered."""
    product = row.product
    coding = [{"system": codes.PRODUCT, "code": product.code, "display": product.name}]
    if product.isbt_product_code:
        coding.insert(
            0, {"system": codes.ISBT128_PRODUCT_CODE, "code": isbt_product_code(row),
                "display": product.name},
        )  # fmt: skip
    first = steps[0] if steps else None
    if row.source_patient_id:
        source = patient_ref(row.source_patient)
    else:
        source = organization_ref(row.site)
    return resource(
        "BiologicallyDerivedProduct",
        f"lot-{row.pk}",
        identifier=_identifiers(row),
        productCategory=CATEGORY.get(product.kind, "cells"),
        productCode={"coding": coding, "text": product.name},
        status="available" if _available(row, given) else "unavailable",
        quantity=1,
        parent=[ref("BiologicallyDerivedProduct", f"lot-{row.divided_from_id}")]
        if row.divided_from_id
        else [],
        collection={
            "collector": practitioner_ref(first.performed_by) if first else None,
            "source": source,
            "collectedDateTime": moment(first.performed_at) if first else None,
        },
        processing=[
            {"description": step.title, "timeDateTime": moment(step.performed_at)}
            for step in steps[1:]
        ],
        storage=[
            {
                "description": product.storage_temperature,
                "duration": {"end": moment(row.expires_at)},
            }
        ]
        if product.storage_temperature
        else [{"duration": {"end": moment(row.expires_at)}}],
    )
