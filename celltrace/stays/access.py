"""Who works with stays, and which stays a user may open: one source for screens and API."""

from django.db.models import Exists, OuterRef, Prefetch, Q

from celltrace.accounts.access import get_for_user, scope_to_site
from celltrace.accounts.models import Role, Site
from celltrace.lab.models import ProductLot
from celltrace.stays.facts import same_source
from celltrace.stays.models import AdverseEvent, LotHold, Stay

ADMIT = frozenset({Role.NURSE, Role.DOCTOR, Role.COORDINATOR})
ADMINISTER = frozenset({Role.NURSE})
REPORT_EVENT = frozenset({Role.NURSE, Role.DOCTOR})
DISCHARGE = frozenset({Role.DOCTOR})
# A lot held after a serious related adverse event is cleared by a doctor's written review.
CLEAR_HOLD = frozenset({Role.DOCTOR})
# The site's adverse event rates: the doctors who treat and the managers who answer for them.
RATES = frozenset({Role.DOCTOR, Role.MANAGER})
ASSIGN_DOCTOR = frozenset({Role.DOCTOR, Role.COORDINATOR, Role.MANAGER})
MOVE_BED = frozenset({Role.NURSE, Role.DOCTOR, Role.COORDINATOR, Role.MANAGER})
# Moving a planned dose to another day of the stay is a medical decision.
CHANGE_DAY = frozenset({Role.DOCTOR})
# The day-one re-check of fresh facts before any product is given: doctors and ward nurses.
DAY_ONE = frozenset({Role.DOCTOR, Role.NURSE})
VIEW = frozenset({Role.NURSE, Role.DOCTOR, Role.COORDINATOR, Role.MANAGER, Role.ADMIN})
# Traceability of lots to patients and back (21 CFR 1271.290): quality, who recalls, and the
# doctors who follow the recipients up.
TRACE = frozenset({Role.DOCTOR, Role.QUALITY_REVIEWER, Role.MANAGER, Role.ADMIN})


def stays_for_user(user):
    """Return the stays of the user's site."""
    return scope_to_site(
        Stay.objects.select_related("patient", "plan", "bed__room", "doctor"), user
    )


def get_stay_for_user(user, pk) -> Stay:
    """Return one stay of the user's site, or 404."""
    return get_for_user(
        Stay.objects.select_related("patient", "plan", "bed__room", "doctor"),
        user,
        pk,
        site_field="site",
    )


def get_stay_to_show(user, pk) -> Stay:
    """One stay of the user's site with its administrations and adverse events read at once
    (the API's stay): the same queries however many of them the stay has."""
    events = AdverseEvent.objects.select_related("term", "lot")
    stays = Stay.objects.select_related("patient", "plan", "bed__room", "doctor", "site")
    stays = stays.prefetch_related(
        "administrations__lot", Prefetch("adverse_events", queryset=events)
    )
    return get_for_user(stays, user, pk, site_field="site")


def sites_for_user(user):
    """Return the sites whose ward the user may see: their own, or every site for an admin."""
    sites = Site.objects.order_by("name")
    return sites if user.sees_every_site else sites.filter(pk=user.site_id)


def events_for_user(user):
    """Return the adverse events of stays at the user's site."""
    events = AdverseEvent.objects.select_related("stay__patient", "term", "lot")
    return scope_to_site(events, user, site_field="stay__site")


def get_event_for_user(user, pk):
    """Return one adverse event of the user's site, or 404."""
    return get_for_user(events_for_user(user), user, pk, site_field="stay__site")


def holds_for_user(user):
    """Return the lot holds raised by adverse events at the user's site, and those that stop
    a lot made at the user's site (the held lot or one of the same donor or harvest).

    A hold stops its lot's siblings at every site; the doctors of the site that made a
    stopped lot see why (in their worklist), and who to ask: the event's site clears it.
    """
    holds = LotHold.objects.select_related(
        "lot", "event__stay__patient", "event__stay__site", "event__term"
    )
    if user.sees_every_site or user.site_id is None:
        return scope_to_site(holds, user, site_field="event__stay__site")
    source = same_source(
        "",
        product=OuterRef("lot__product"),
        donor_code=OuterRef("lot__donor_code"),
        source_patient=OuterRef("lot__source_patient"),
    )
    made_here = ProductLot.objects.filter(Q(pk=OuterRef("lot")) | source, site_id=user.site_id)
    return holds.filter(Q(event__stay__site_id=user.site_id) | Q(Exists(made_here)))


def get_hold_for_user(user, pk):
    """Return one lot hold raised at the user's site, to review and clear, or 404.

    Only the event's site clears: the review weighs the event, and only that site's
    doctors can read the patient's record.
    """
    return get_for_user(holds_for_user(user), user, pk, site_field="event__stay__site")
