"""The doctor's list: their patients on the ward and the round due, signatures, lot holds."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from celltrace.care.queries import stays_without_round_today
from celltrace.lab.access import alerts_for_user
from celltrace.patients.access import patients_for_user
from celltrace.plans.models import TreatmentPlan
from celltrace.screening.access import awaiting_signature_of
from celltrace.screening.models import Screening
from celltrace.screening.verdicts import plannable
from celltrace.stays.access import holds_for_user
from celltrace.stays.models import Stay
from celltrace.web.worklists.base import SHOWN, Queue
from celltrace.web.worklists.nurse import open_stays


@dataclass(frozen=True)
class AttendedPatient:
    stay: Stay
    needs_round: bool  # no round recorded on the site's today


def attended(user) -> list[AttendedPatient]:
    """The open stays at the user's site the user attends, with today's round flag."""
    stays = list(open_stays(user).filter(doctor=user))
    unseen = stays_without_round_today(stays)
    return [AttendedPatient(stay, stay.pk in unseen) for stay in stays]


def open_holds(user):
    """Lots held after a serious related adverse event at the user's site, not yet reviewed."""
    return list(holds_for_user(user).filter(cleared_at__isnull=True)[:SHOWN])


def open_lot_alerts(user):
    """Lots that failed a test after release, given or planned for the user's patients."""
    alerts = alerts_for_user(user).filter(doctor=user, acknowledged_at__isnull=True)
    return list(alerts[:SHOWN])


def worklists(user) -> list[Queue]:
    patients = patients_for_user(user).select_related("condition")
    planning = Screening.objects.filter(patient=OuterRef("pk"), purpose=Screening.Purpose.PLANNING)
    unscreened = patients.filter(~Exists(planning))
    eligible_unplanned = plannable(
        patients.filter(
            Exists(planning), ~Exists(TreatmentPlan.objects.filter(patient=OuterRef("pk")))
        )
    )
    ward = attended(user)
    unseen = sum(1 for row in ward if row.needs_round)
    return [
        Queue(
            "Your patients on the ward",
            ward,
            kind="attended",
            note=f"{unseen} without today's round." if unseen else "All seen today.",
            empty="You attend no patient on the ward.",
        ),
        Queue(
            "Screening decisions waiting for your signature",
            list(awaiting_signature_of(user)[:SHOWN]),
        ),
        Queue(
            "Lot alerts waiting for your acknowledgement",
            open_lot_alerts(user),
            kind="lot_alerts",
            note="A test failed after release (a positive culture): the lot is blocked.",
        ),
        Queue(
            "Lot holds waiting for a doctor's review",
            open_holds(user),
            kind="holds",
            note="A serious related adverse event stopped these lots; a review clears them.",
        ),
        Queue("Patients waiting for screening", list(unscreened[:SHOWN])),
        Queue("Eligible patients without a plan", list(eligible_unplanned[:SHOWN])),
    ]
