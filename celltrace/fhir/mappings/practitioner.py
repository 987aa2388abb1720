"""Practitioner: a member of staff who recorded, signed or gave something."""

from celltrace.fhir import codes
from celltrace.fhir.mappings.common import resource


def practitioner(user) -> dict:
    return resource(
        "Practitioner",
        user.pk,
        identifier=[{"system": codes.STAFF_USERNAME, "value": user.username}],
        active=user.is_active,
        name=[
            {
                "text": str(user),
                "family": user.last_name,
                "given": [user.first_name] if user.first_name else [],
            }
        ],
        qualification=[{"code": {"text": str(user.get_role_display())}}] if user.role else [],
    )
