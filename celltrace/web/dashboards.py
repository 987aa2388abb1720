"""Each role's work queue on its dashboard: what is waiting for this user now."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from celltrace.accounts.models import Role
from celltrace.catalog.models import Condition
from celltrace.followup.access import items_for_user
from celltrace.intake.access import requests_for_user
from celltrace.intake.models import ConsultationRequest
from celltrace.lab.access import lots_for_user
from celltrace.lab.models import ProductLot
from celltrace.patients.access import patients_for_user
from celltrace.plans.models import TreatmentPlan
from celltrace.screening.access import awaiting_signature_of
from celltrace.screening.models import Screening
from celltrace.screening.verdicts import plannable
from celltrace.stays.access import stays_for_user


@dataclass
class Queue:
    title: str
    rows: list = field(default_factory=list)
    link: str = ""


def work_queues(user) -> list[Queue]:
    builders = {
        Role.ADVISOR: _advisor,
        Role.DOCTOR: _doctor,
        Role.LAB_TECHNICIAN: _lab,
        Role.QUALITY_REVIEWER: _quality,
        Role.NURSE: _nurse,
        Role.COORDINATOR: _coordinator,
        Role.MANAGER: _manager,
        Role.ADMIN: _manager,
        Role.PATIENT: _patient,
    }
    return builders[user.role](user)


def _advisor(user):
    open_statuses = [ConsultationRequest.Status.NEW, ConsultationRequest.Status.CLAIMED]
    waiting = requests_for_user(user).filter(status__in=open_statuses).select_related("condition")
    return [Queue("Consultation requests waiting", list(waiting[:50]), reverse("intake:queue"))]


def _doctor(user):
    patients = patients_for_user(user).select_related("condition")
    planning = Screening.objects.filter(patient=OuterRef("pk"), purpose=Screening.Purpose.PLANNING)
    unscreened = patients.filter(~Exists(planning))
    eligible_unplanned = plannable(
        patients.filter(
            Exists(planning), ~Exists(TreatmentPlan.objects.filter(patient=OuterRef("pk")))
        )
    )
    return [
        Queue("Patients waiting for screening", list(unscreened[:50])),
        Queue(
            "Screening decisions waiting for your signature",
            list(awaiting_signature_of(user)[:50]),
        ),
        Queue("Eligible patients without a plan", list(eligible_unplanned[:50])),
    ]


def _lab(user):
    lots = lots_for_user(user).filter(status=ProductLot.Status.IN_PROCESS)
    return [Queue("Lots in process", list(lots[:50]), reverse("lab:lots"))]


def _quality(user):
    return _lab(user)


def _nurse(user):
    stays = stays_for_user(user).filter(discharged_at__isnull=True)
    return [
        Queue("Patients on the ward", list(stays[:50]), reverse("stays:ward")),
        Queue("Bedside administration", [], reverse("stays:administer")),
    ]


def _coordinator(user):
    overdue = items_for_user(user).filter(
        completed_at__isnull=True, due_date__lt=timezone.localdate()
    )
    return [Queue("Overdue follow-up", list(overdue[:50]), reverse("followup:overdue"))]


def _manager(user):
    outcomes = Queue(
        "Outcomes by condition", list(Condition.objects.all()), reverse("outcomes:conditions")
    )
    return [outcomes, *_advisor(user), *_lab(user), *_nurse(user)[:1], *_coordinator(user)]


def _patient(user):
    return [Queue("Your record", list(patients_for_user(user)))]
