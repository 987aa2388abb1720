"""What every mapping shares: references, ids, dates and empty-element pruning."""

from __future__ import annotations

import datetime as dt

from celltrace.fhir import codes


def ref(resource_type: str, resource_id: str | int, display: str | None = None) -> dict:
    reference = {"reference": f"{resource_type}/{resource_id}"}
    if display:
        reference["display"] = display
    return reference


def patient_ref(patient) -> dict:
    return ref("Patient", patient.pk, patient.full_name)


def practitioner_ref(user) -> dict | None:
    return None if user is None else ref("Practitioner", user.pk, str(user))


def organization_ref(site) -> dict:
    return ref("Organization", site.pk, site.name)


def location_ref(site) -> dict:
    return ref("Location", site.pk, site.name)


def moment(value: dt.datetime | dt.date | None) -> str | None:
    """A FHIR dateTime: a date stays a date, a time keeps its offset."""
    return None if value is None else value.isoformat()


def period(start, end=None) -> dict:
    return prune({"start": moment(start), "end": moment(end)})


def quantity(value: float, unit: str, ucum: str | None = None) -> dict:
    """A quantity; coded in UCUM when the unit has a UCUM spelling."""
    result = {"value": value, "unit": unit}
    if ucum is not None:
        result |= {"system": codes.UCUM, "code": ucum}
    return result


def text_concept(text: str) -> dict:
    return {"text": text}


def product_extension(lot_id: int) -> dict:
    return {
        "url": codes.PRODUCT_EXTENSION,
        "valueReference": ref("BiologicallyDerivedProduct", f"lot-{lot_id}"),
    }


def prune(value):
    """Drop None, empty strings, lists and dicts, recursively: FHIR has no empty elements."""
    if isinstance(value, dict):
        pruned = {key: prune(item) for key, item in value.items()}
        return {key: item for key, item in pruned.items() if item not in (None, "", [], {})}
    if isinstance(value, list):
        pruned = [prune(item) for item in value]
        return [item for item in pruned if item not in (None, "", [], {})]
    return value


def resource(resource_type: str, resource_id: str | int, **elements) -> dict:
    """A resource's JSON with its type and id first, empty elements left out."""
    return prune({"resourceType": resource_type, "id": str(resource_id), **elements})
