"""The outbox's one action: a patient's choice about reminders by e-mail."""

from __future__ import annotations

from django.db import transaction

from celltrace.accounts.access import check_actor
from celltrace.accounts.models import Role
from celltrace.audit import save_by
from celltrace.patients.models import Patient

PREFERENCE_ROLES = frozenset({Role.ADVISOR, Role.COORDINATOR, Role.MANAGER, Role.ADMIN})


@transaction.atomic
def set_reminders(patient: Patient, user, *, wanted: bool) -> Patient:
    """Record whether the patient wants reminders by e-mail: their own choice, or told to staff."""
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    if not (user.role == Role.PATIENT and patient.portal_user_id == user.pk):
        check_actor(
            user, PREFERENCE_ROLES, "change a patient's e-mail reminders", site_id=patient.site_id
        )
    patient.declines_reminders = not wanted
    return save_by(patient, user)
