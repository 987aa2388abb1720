"""Who may see and change the cryostore; one source for its screens and its API."""

from celltrace.accounts.access import get_for_user, scope_to_site
from celltrace.accounts.models import Role
from celltrace.cryostore.models import Container, StorageConsent, TemperatureAlarm
from celltrace.patients.models import Patient

# Containers, deposits, retrievals, transfers, thaws, readings and acknowledgements.
STORE_KEEPERS = frozenset({Role.LAB_TECHNICIAN})
# The storage consent is taken by the clinicians who talk with the patient, or checked in
# by the lab when the cells arrive.
CONSENT_RECORDERS = frozenset({Role.LAB_TECHNICIAN, Role.DOCTOR, Role.COORDINATOR})
STORE_VIEWERS = frozenset(
    {Role.LAB_TECHNICIAN, Role.QUALITY_REVIEWER, Role.DOCTOR, Role.MANAGER, Role.ADMIN}
)


def containers_for_user(user):
    return scope_to_site(Container.objects.select_related("site", "parent"), user)


def get_container_for_user(user, pk) -> Container:
    return get_for_user(containers_for_user(user), user, pk, site_field="site")


def get_alarm_for_user(user, pk) -> TemperatureAlarm:
    alarms = TemperatureAlarm.objects.select_related("container")
    return get_for_user(alarms, user, pk, site_field="container__site")


def get_patient_for_store(user, pk) -> Patient:
    return get_for_user(Patient.objects.all(), user, pk, site_field="site")


def get_consent_for_user(user, pk) -> StorageConsent:
    consents = StorageConsent.objects.select_related("patient")
    return get_for_user(consents, user, pk, site_field="patient__site")
