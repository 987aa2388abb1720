"""Who may see and change lots; one source for the lab screens and the API."""

from celltrace.accounts.access import get_for_user, scope_to_site
from celltrace.accounts.models import Role
from celltrace.lab.models import ProductLot
from celltrace.plans.models import TreatmentPlan

# Harvest, donor lots, process steps, QC results and allocation: the lab's own work.
LOT_MAKERS = frozenset({Role.LAB_TECHNICIAN})
# Release and rejection: a second person, never one who made or tested the lot.
LOT_REVIEWERS = frozenset({Role.QUALITY_REVIEWER})
LOT_VIEWERS = frozenset(
    {
        Role.LAB_TECHNICIAN,
        Role.QUALITY_REVIEWER,
        Role.DOCTOR,
        Role.NURSE,
        Role.COORDINATOR,
        Role.MANAGER,
        Role.ADMIN,
    }
)


def lots_for_user(user):
    """Return the lots of the user's site, with what a list shows."""
    lots = ProductLot.objects.select_related("product", "plan__patient", "source_patient", "chain")
    return scope_to_site(lots, user)


def get_lot_for_user(user, pk) -> ProductLot:
    return get_for_user(lots_for_user(user), user, pk, site_field="site")


def get_plan_for_lab(user, pk) -> TreatmentPlan:
    """Return a plan of a patient at the user's site, or 404."""
    plans = TreatmentPlan.objects.select_related("patient")
    return get_for_user(plans, user, pk, site_field="patient__site")
