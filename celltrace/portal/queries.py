"""What the patient's pages show, read from the record and put in plain words.

Each function takes the patient's own record (`access.own_record`) and returns plain values
for a template: no page reads another patient, and no clinician's code reaches the page
without its explanation (`plain_words`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from celltrace.accounts import site_time
from celltrace.care.models import TherapySession
from celltrace.followup.models import FollowUpItem
from celltrace.patients.models import Patient
from celltrace.plans.models import TreatmentPlan
from celltrace.portal.plain_words import product_in_words, route_in_words
from celltrace.stays.models import Stay

# Pages other parts of the portal add (home care, appointments, questionnaires): linked from
# the portal's home when their URL name exists, so each can ship on its own. A name takes
# the patient's id when its URL needs one. Wire a new page by adding its name here.
OPTIONAL_PAGES = (
    ("homecare:mine", _("My home-care calendar")),
    ("my_appointments:list", _("My appointments")),
    ("questionnaires:mine", _("My questionnaires")),
)

SEVERITY = {
    1: _("mild"),
    2: _("moderate"),
    3: _("severe"),
    4: _("very serious"),
    5: _("fatal"),
}
SESSION_STATUS = {
    TherapySession.Status.SCHEDULED: _("planned"),
    TherapySession.Status.GIVEN: _("done"),
    TherapySession.Status.MISSED: _("missed"),
}


def optional_links(patient: Patient) -> list[tuple[str, str]]:
    """Return (label, url) of the optional pages that exist in this installation."""
    links = []
    for name, label in OPTIONAL_PAGES:
        for args in ((), (patient.pk,)):
            try:
                links.append((str(label), reverse(name, args=args)))
                break
            except NoReverseMatch:
                continue
    return links


def active_plan(patient: Patient) -> TreatmentPlan | None:
    """The plan in force (the newest, when a stay follows another)."""
    plans = patient.plans.in_force().prefetch_related(
        "products__product", "therapies__therapy", "quote_lines", "acceptances"
    )
    return plans.order_by("-admission_date", "-pk").first()


@dataclass(frozen=True)
class PlannedDose:
    day: dt.date
    time: dt.time
    product: str
    what_it_is: str
    how_given: str


def planned_doses(plan: TreatmentPlan) -> list[PlannedDose]:
    return [
        PlannedDose(
            day=planned.planned_date,
            time=planned.planned_time,
            product=planned.product.name,
            what_it_is=product_in_words(planned.product),
            how_given=route_in_words(planned.route),
        )
        for planned in plan.products.all()
    ]


def latest_stay(patient: Patient) -> Stay | None:
    return (
        patient.stays.select_related("plan", "bed__room", "site").order_by("-admitted_at").first()
    )


@dataclass
class StayDay:
    day: dt.date
    number: int
    given: list[str] = field(default_factory=list)
    sessions: list[tuple[str, str]] = field(default_factory=list)
    side_effects: list[str] = field(default_factory=list)


def stay_days(stay: Stay) -> list[StayDay]:
    """Each day of the stay with what the patient lived through: doses, sessions, side effects."""
    site = stay.site
    first = site_time.local_date(stay.admitted_at, site)
    days: dict[dt.date, StayDay] = {}

    def day(moment) -> StayDay:
        date = site_time.local_date(moment, site)
        return days.setdefault(date, StayDay(day=date, number=(date - first).days + 1))

    for given in stay.administrations.select_related("lot__product"):
        product = given.lot.product
        day(given.given_at).given.append(f"{product.name}, {route_in_words(given.route)}")
    sessions = TherapySession.objects.filter(stay=stay).select_related("planned_therapy__therapy")
    for session in sessions:
        status = str(SESSION_STATUS.get(session.status, session.status))
        day(session.scheduled_for).sessions.append((session.planned_therapy.therapy.name, status))
    for event in stay.adverse_events.select_related("term"):
        day(event.onset_at).side_effects.append(side_effect_in_words(event, site))
    return [days[date] for date in sorted(days)]


def side_effect_in_words(event, site) -> str:
    """A side effect as the patient would tell it: what, how strong, whether it passed."""
    severity = SEVERITY.get(event.ctcae_grade, "")
    if event.resolved_at:
        passed = _("it passed on %(date)s") % {
            "date": site_time.local_date(event.resolved_at, site).isoformat()
        }
    else:
        passed = _("the team is looking after it")
    return f"{event.label} ({severity}; {passed})"


def coming_up(patient: Patient, *, limit: int = 5):
    """The next home-care items and check-ups not yet done, from the site's today."""
    today = site_time.today(patient.site)
    return FollowUpItem.objects.filter(
        patient=patient, completed_at__isnull=True, due_date__gte=today
    ).order_by("due_date", "pk")[:limit]


def discharged_stays(patient: Patient):
    return patient.stays.filter(discharged_at__isnull=False).order_by("-discharged_at")
