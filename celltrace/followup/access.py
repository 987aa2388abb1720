"""Who works with follow-up, and which items a user may open: one source for screens and API."""

from celltrace.accounts.access import get_for_user, scope_to_site
from celltrace.accounts.models import Role
from celltrace.followup.models import Appointment, FollowUpItem
from celltrace.patients.access import patients_for_user

VIEW = frozenset({Role.COORDINATOR, Role.DOCTOR, Role.NURSE, Role.MANAGER, Role.ADMIN})
COMPLETE = frozenset({Role.COORDINATOR})
# The coordinator agrees the day with the patient, books it and records how it went.
BOOK = frozenset({Role.COORDINATOR})
# A death or withdrawal is recorded by the doctor who learns of it or the coordinator who
# keeps in touch with the patient.
END = frozenset({Role.DOCTOR, Role.COORDINATOR})


def items_for_user(user):
    """Return the follow-up items of patients at the user's site."""
    return scope_to_site(
        FollowUpItem.objects.select_related("patient"), user, site_field="patient__site"
    )


def get_item_for_user(user, pk) -> FollowUpItem:
    """Return one follow-up item of a patient at the user's site, or 404."""
    items = FollowUpItem.objects.select_related("patient")
    return get_for_user(items, user, pk, site_field="patient__site")


def get_appointment_for_user(user, pk) -> Appointment:
    """Return one appointment of a patient at the user's site, or 404."""
    appointments = Appointment.objects.select_related("item__patient")
    return get_for_user(appointments, user, pk, site_field="item__patient__site")


def appointments_for_user(user):
    """Return the appointments the user may see: their site's, or a patient's own."""
    return Appointment.objects.select_related("item__patient").filter(
        item__patient__in=patients_for_user(user)
    )
