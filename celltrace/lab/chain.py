"""Chain of Identity identifiers (ICCBBA ST-028): one per patient therapy event.

An event is a treatment plan with all its amended versions. Its identifier is allocated at
or before the first collection, and every lot of the event links to it, so the bedside can
check that a product belongs to the event its patient is treated in.
"""

from django.utils import timezone

from celltrace.accounts import site_time
from celltrace.accounts.models import Site
from celltrace.audit import save_by
from celltrace.clinical import isbt128
from celltrace.lab.models import ChainOfIdentity
from celltrace.refusal import Refused


def locked_site_with_fin(site_id, before: str) -> Site:
    """Lock the site's row (numbers are allocated one at a time) and refuse it without a FIN."""
    site = Site.objects.select_for_update().get(pk=site_id)
    if not site.isbt_fin:
        raise Refused(
            f"{site} has no ISBT 128 Facility Identification Number: an administrator sets "
            f"it on the site before {before}.",
            code="no_fin",
            params={"site": site},
        )
    return site


def chain_of(plan) -> ChainOfIdentity | None:
    """The Chain of Identity of the plan's event (any version of it), or None."""
    return ChainOfIdentity.objects.filter(plan_id=plan.number).first()


def chain_for(plan, user) -> ChainOfIdentity:
    """Return the chain of the plan's event, allocating it now if the event has none.

    Called inside an action's transaction. The patient's site's row is locked first, so two
    first collections at once get one chain and two events never share a sequence.
    """
    site = locked_site_with_fin(plan.patient.site_id, "the lab collects for a patient")
    if existing := chain_of(plan):
        return existing
    now = timezone.now()
    year = site_time.local_date(now, site).year
    prefix = f"CH{site.isbt_fin}{year % 100:02d}"
    last = (
        ChainOfIdentity.objects.filter(identifier__startswith=prefix)
        .order_by("-identifier")
        .values_list("identifier", flat=True)
        .first()
    )
    sequence = int(last.removeprefix(prefix)) + 1 if last else 1
    if sequence > 999_999:
        raise Refused(
            f"The FIN {site.isbt_fin} has used every Chain of Identity of {year}.",
            code="chain_exhausted",
        )
    identifier = isbt128.chain_of_identity(site.isbt_fin, year, f"{sequence:06d}")
    root = plan.first_version or plan
    return save_by(
        ChainOfIdentity(
            identifier=identifier,
            plan=root,
            patient=plan.patient,
            site=site,
            allocated_by=user,
            allocated_at=now,
        ),
        user,
    )
