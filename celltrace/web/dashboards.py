"""Each role's worklists on its dashboard: what is waiting for this user now.

Every list is read through the apps' own access queries, so a user sees only their site's
work; each role's lists are built in web/worklists/<role>.py and rendered by the partial
web/worklists/_<kind>.html.
"""

from celltrace.accounts.models import Role
from celltrace.patients.access import patients_for_user
from celltrace.web.worklists import coordinator, doctor, lab, manager, nurse
from celltrace.web.worklists.base import Queue, links_queue
from celltrace.web.worklists.intake import requests_waiting

__all__ = ["Queue", "work_queues"]


def work_queues(user) -> list[Queue]:
    builders = {
        Role.ADVISOR: _advisor,
        Role.DOCTOR: doctor.worklists,
        Role.LAB_TECHNICIAN: lab.worklists,
        Role.QUALITY_REVIEWER: lab.worklists,
        Role.NURSE: nurse.worklists,
        Role.COORDINATOR: coordinator.worklists,
        Role.MANAGER: manager.worklists,
        Role.ADMIN: manager.worklists,
        Role.PATIENT: _patient,
    }
    return builders[user.role](user)


def _advisor(user):
    return [links_queue("Consultation requests waiting", requests_waiting(user), "intake:queue")]


def _patient(user):
    records = list(patients_for_user(user).select_related("condition"))
    return [
        Queue("Your record", records),
        Queue(
            "Results of this treatment",
            records,
            kind="patient_results",
            counted=False,
            note="What the records show so far about everyone treated for your condition.",
            empty="No record yet.",
        ),
    ]
