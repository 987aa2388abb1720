"""Each role's work queue on its dashboard: what is waiting for this user now."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from celltrace.accounts.access import scope_to_site
from celltrace.accounts.models import Role
from celltrace.patients.access import patients_for_user


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
    from celltrace.intake.models import ConsultationRequest

    requests = scope_to_site(ConsultationRequest.objects.all(), user)
    open_statuses = [ConsultationRequest.Status.NEW, ConsultationRequest.Status.CLAIMED]
    return [
        Queue(
            "Consultation requests waiting",
            list(requests.filter(status__in=open_statuses).select_related("condition")[:50]),
            reverse("intake:queue"),
        )
    ]


def _doctor(user):
    from celltrace.plans.models import TreatmentPlan
    from celltrace.screening.models import Screening, ScreeningSignature
    from celltrace.screening.verdicts import plannable

    patients = patients_for_user(user).select_related("condition")
    planning = Screening.objects.filter(patient=OuterRef("pk"), purpose="planning")
    unscreened = patients.filter(~Exists(planning))
    to_sign = (
        scope_to_site(
            Screening.objects.filter(finalized_at__isnull=True, purpose="planning"),
            user,
            site_field="patient__site",
        )
        .exclude(ruleset__isnull=True)
        .exclude(Exists(ScreeningSignature.objects.filter(screening=OuterRef("pk"), doctor=user)))
        .select_related("patient")
    )
    eligible_unplanned = plannable(
        patients.filter(
            Exists(planning), ~Exists(TreatmentPlan.objects.filter(patient=OuterRef("pk")))
        )
    )
    return [
        Queue("Patients waiting for screening", list(unscreened[:50])),
        Queue("Screening decisions waiting for your signature", list(to_sign[:50])),
        Queue("Eligible patients without a plan", list(eligible_unplanned[:50])),
    ]


def _lab(user):
    from celltrace.lab.models import ProductLot

    lots = scope_to_site(ProductLot.objects.filter(status="in_process"), user)
    return [
        Queue("Lots in process", list(lots.select_related("product")[:50]), reverse("lab:lots"))
    ]


def _quality(user):
    return _lab(user)


def _nurse(user):
    from celltrace.stays.models import Stay

    stays = scope_to_site(Stay.objects.filter(discharged_at__isnull=True), user)
    return [
        Queue(
            "Patients on the ward",
            list(stays.select_related("patient")[:50]),
            reverse("stays:ward"),
        ),
        Queue("Bedside administration", [], reverse("stays:administer")),
    ]


def _coordinator(user):
    from celltrace.followup.models import FollowUpItem

    items = FollowUpItem.objects.filter(
        completed_at__isnull=True, due_date__lt=timezone.localdate()
    )
    items = scope_to_site(items, user, site_field="patient__site")
    return [
        Queue(
            "Overdue follow-up",
            list(items.select_related("patient")[:50]),
            reverse("followup:overdue"),
        )
    ]


def _manager(user):
    from celltrace.catalog.models import Condition

    outcomes = Queue(
        "Outcomes by condition", list(Condition.objects.all()), reverse("outcomes:conditions")
    )
    return [outcomes, *_advisor(user), *_lab(user), *_nurse(user)[:1], *_coordinator(user)]


def _patient(user):
    return [Queue("Your record", list(patients_for_user(user)))]
