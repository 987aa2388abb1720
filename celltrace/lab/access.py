"""Who may see and change lots; one source for the lab screens and the API."""

from celltrace.accounts.access import get_for_user, scope_to_site
from celltrace.accounts.models import Role
from celltrace.lab.models import Donor, Investigation, LotAlert, ProductLot
from celltrace.plans.models import TreatmentPlan

# Harvest, donor lots, process steps, QC results and allocation: the lab's own work.
LOT_MAKERS = frozenset({Role.LAB_TECHNICIAN})
# Release and rejection: a second person, never one who made or tested the lot.
LOT_REVIEWERS = frozenset({Role.QUALITY_REVIEWER})
# Donor eligibility determination (21 CFR 1271.50): a responsible person, never the lab alone.
DONOR_DETERMINERS = frozenset({Role.DOCTOR, Role.QUALITY_REVIEWER})
# A recall stops every remaining dose of a released lot: quality decides it.
LOT_RECALLERS = frozenset({Role.QUALITY_REVIEWER})
# Donor records: the lab, quality and the doctors who determine or prescribe; no ward staff.
DONOR_VIEWERS = frozenset(
    {Role.LAB_TECHNICIAN, Role.QUALITY_REVIEWER, Role.DOCTOR, Role.MANAGER, Role.ADMIN}
)
# Labels: the technician who labels the container prints its first labels. A reprint is a
# second label for a container that already has one, the classic way a product ends up
# wearing another's identity: a quality reviewer, never the one at the bench, authorises it
# with a reason (docs/clinical/labels.md).
LABEL_PRINTERS = frozenset({Role.LAB_TECHNICIAN})
LABEL_REPRINTERS = frozenset({Role.QUALITY_REVIEWER})
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
    lots = ProductLot.objects.select_related(
        "product", "plan__patient", "source_patient", "donor", "chain"
    )
    return scope_to_site(lots, user)


def get_lot_for_user(user, pk) -> ProductLot:
    return get_for_user(lots_for_user(user), user, pk, site_field="site")


# What a lot's release readiness reads (lab.actions.release_blockers, the QC states): the
# product's specs, the results with their tests and investigations, the steps. Prefetched,
# a lot's page or a list of lots costs the same queries however many results a lot has.
RELEASE_READING = (
    "product__qc_specs",
    "qc_results__specification",
    "qc_results__investigations",
    "steps",
)


# A lot's page and API read show besides its investigations (who opened and closed each, on
# which results) and its holds, with the adverse event that raised each.
LOT_PAGE_READING = (
    *RELEASE_READING,
    "investigations__results",
    "investigations__opened_by",
    "investigations__closed_by",
    "holds__event__term",
    "holds__cleared_by",
)


def lots_to_show(user):
    """The lots of the user's site with what a lot's page (or API read) shows of each."""
    return lots_for_user(user).prefetch_related(*LOT_PAGE_READING)


def get_lot_to_show(user, pk) -> ProductLot:
    return get_for_user(lots_to_show(user), user, pk, site_field="site")


def get_plan_for_lab(user, pk) -> TreatmentPlan:
    """Return a plan of a patient at the user's site, or 404."""
    plans = TreatmentPlan.objects.select_related("patient")
    return get_for_user(plans, user, pk, site_field="patient__site")


def donors_for_user(user):
    """Return the donors of the user's site."""
    return scope_to_site(Donor.objects.all(), user)


def get_donor_for_user(user, pk) -> Donor:
    return get_for_user(donors_for_user(user), user, pk, site_field="site")


# Investigations of failed results: opened by the lab or quality, closed by quality.
INVESTIGATORS = LOT_MAKERS | LOT_REVIEWERS
# The treating physician accepts the risk of a failed lot; the medical director releases it.
EXCEPTIONAL_RELEASERS = frozenset({Role.DOCTOR})
ALERT_READERS = frozenset({Role.DOCTOR})


def get_investigation_for_user(user, lot, pk) -> Investigation:
    """Return an investigation of this lot (already checked for the user's site), or 404."""
    investigations = Investigation.objects.filter(lot=lot).select_related("lot")
    return get_for_user(investigations, user, pk, site_field="lot__site")


def alerts_for_user(user):
    alerts = LotAlert.objects.select_related("lot__product", "patient", "doctor")
    return scope_to_site(alerts, user, site_field="lot__site")


def get_alert_for_user(user, pk) -> LotAlert:
    return get_for_user(alerts_for_user(user), user, pk, site_field="lot__site")
