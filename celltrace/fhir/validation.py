"""Every resource celltrace writes is checked against FHIR's own model before it leaves.

fhir.resources ships R5 (its default), R4B and STU3, and no 4.0.1 package works with
pydantic 2; R4B (4.3.0) differs from R4 (4.0.1) only in resources celltrace does not write
(docs/fhir.md), so its models check ours.
"""

from __future__ import annotations

import importlib
from functools import cache

from pydantic import ValidationError


class InvalidResource(ValueError):
    """A resource FHIR's model rejects: names the resource and what is wrong."""


@cache
def model(resource_type: str):
    module = importlib.import_module(f"fhir.resources.R4B.{resource_type.lower()}")
    return getattr(module, resource_type)


def validate(resource: dict) -> dict:
    """Return the resource unchanged if FHIR's R4B model accepts it; raise InvalidResource."""
    resource_type = resource.get("resourceType", "")
    try:
        model(resource_type).model_validate(resource)
    except (ModuleNotFoundError, AttributeError):
        raise InvalidResource(f"Unknown resource type {resource_type!r}") from None
    except ValidationError as error:
        raise InvalidResource(f"{resource_type}/{resource.get('id')}: {error}") from None
    return resource
