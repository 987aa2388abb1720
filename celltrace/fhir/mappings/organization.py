"""Organization and Location: a site of the clinic is both the provider and the place."""

from celltrace.fhir import codes
from celltrace.fhir.mappings.common import organization_ref, resource


def organization(site) -> dict:
    return resource(
        "Organization",
        site.pk,
        identifier=[{"system": codes.SITE_CODE, "value": site.code}],
        active=True,
        type=[{"text": "Cell-therapy clinic"}],
        name=site.name,
        address=[{"country": site.country}],
    )


def location(site) -> dict:
    return resource(
        "Location",
        site.pk,
        identifier=[{"system": codes.SITE_CODE, "value": site.code}],
        status="active",
        name=site.name,
        mode="instance",
        address={"country": site.country},
        managingOrganization=organization_ref(site),
    )
