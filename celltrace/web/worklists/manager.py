"""The clinic at a glance for a manager (every site for an administrator).

Beds and each doctor's load come from the ward board (stays/board.py), adverse event rates
from stays/rates.py: this module only gathers what the other screens already compute.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from celltrace.accounts import site_time
from celltrace.catalog.models import Condition
from celltrace.clinical.dosing import planned_day
from celltrace.clinical.follow_up import Completeness
from celltrace.clinical.lot_readiness import lot_risks
from celltrace.followup.access import items_for_user
from celltrace.lab.access import lots_for_user
from celltrace.lab.models import ProductLot
from celltrace.plans.models import PlannedProduct, TreatmentPlan
from celltrace.stays.access import events_for_user, sites_for_user
from celltrace.stays.board import SiteBoard, ward_board
from celltrace.stays.models import Administration
from celltrace.stays.rates import site_event_rates
from celltrace.web.charts import BarChart, bar_chart, count_by_age
from celltrace.web.worklists.base import SHOWN, Queue, links_queue
from celltrace.web.worklists.intake import requests_waiting

GRADES = range(1, 6)


@dataclass(frozen=True)
class WardGlance:
    board: SiteBoard
    occupied: int
    load_charts: list[tuple[object, BarChart]]  # (the board's DoctorRow, its chart)


def ward_glance(site) -> WardGlance:
    """Beds taken and free at the site now, and each doctor's load for two weeks."""
    board = ward_board(site)
    occupied = sum(1 for room in board.rooms for bed in room.beds if bed.stay)
    names = ["Today", *(f"{day:%a %d %b}" for day in board.days[1:])]
    charts = [
        (
            row,
            bar_chart(
                f"load-{site.pk}-{row.load.doctor.pk}",
                f"Patients Dr {row.load.doctor} attends each day, today and the next "
                f"{len(board.days) - 1} days (at most {row.load.max_patients})",
                [(f"{day:%d}", n) for day, (n, _over) in zip(board.days, row.per_day, strict=True)],
                limit=row.load.max_patients,
                long_labels=names,
            ),
        )
        for row in board.doctors
    ]
    return WardGlance(board, occupied, charts)


@dataclass(frozen=True)
class LotAtRisk:
    lot: ProductLot
    risks: list[str]


def lots_at_risk(user) -> list[LotAtRisk]:
    """In-process lots of current plans that may not be ready for their patient in time."""
    given = Administration.objects.filter(planned_product=OuterRef("pk"))
    waiting = PlannedProduct.objects.filter(~Exists(given))
    lots = (
        lots_for_user(user)
        .filter(
            status=ProductLot.Status.IN_PROCESS,
            # Only lots for plans in force: a superseded or cancelled plan's lot is no
            # patient's risk any more.
            plan__status=TreatmentPlan.Status.ACTIVE,
            plan__discharge_date__gte=site_time.user_today(user)[0] - dt.timedelta(days=1),
        )
        .select_related("site")
        .prefetch_related(Prefetch("plan__products", queryset=waiting))
        .order_by("plan__admission_date", "pk")
    )
    rows = []
    for lot in lots:
        plan = lot.plan
        risks = lot_risks(
            admission=plan.admission_date,
            planned_days=[
                planned_day(plan.admission_date, p.day_of_stay)
                for p in plan.products.all()
                if p.product_id == lot.product_id
            ],
            expires_on=site_time.local_date(lot.expires_at, lot.site),
            today=site_time.today(lot.site),
        )
        if risks:
            rows.append(LotAtRisk(lot, risks))
    return rows[:SHOWN]


def requests_by_age(user) -> BarChart:
    waiting = requests_waiting(user).values_list("created_at", flat=True)
    return bar_chart(
        "requests-by-age",
        "Consultation requests waiting for an answer, by how long they have waited",
        count_by_age(waiting, timezone.now()),
    )


def follow_up_completeness(user) -> list[tuple[str, Completeness]]:
    """Per site: the follow-up items due so far, how many were completed and how many are late."""
    today, _site = site_time.user_today(user)
    counts = (
        items_for_user(user)
        .filter(due_date__lte=today)
        .values("patient__site__name")
        .annotate(
            due=Count("pk"),
            completed=Count("pk", filter=Q(completed_at__isnull=False)),
            overdue=Count("pk", filter=Q(completed_at__isnull=True, due_date__lt=today)),
        )
        .order_by("patient__site__name")
    )
    return [
        (row["patient__site__name"], Completeness(row["due"], row["completed"], row["overdue"]))
        for row in counts
    ]


@dataclass(frozen=True)
class EventsGlance:
    since: dt.date
    chart: BarChart
    total: int
    rates: object  # clinical.adverse_event_rates.EventRates, since records began


def events_this_month(user) -> EventsGlance:
    """The adverse events with onset this calendar month at the user's site, by CTCAE grade."""
    first = site_time.user_today(user)[0].replace(day=1)
    start, _end = site_time.user_day_bounds(user, first)
    by_grade = dict(
        events_for_user(user)
        .filter(onset_at__gte=start)
        .order_by()
        .values_list("ctcae_grade")
        .annotate(n=Count("pk"))
    )
    counts = [(f"Grade {grade}", by_grade.get(grade, 0)) for grade in GRADES]
    chart = bar_chart(
        "events-by-grade", f"Adverse events since {first:%d %B %Y}, by CTCAE grade", counts
    )
    return EventsGlance(first, chart, sum(by_grade.values()), site_event_rates(user))


def worklists(user) -> list[Queue]:
    requests = requests_by_age(user)
    events = events_this_month(user)
    return [
        Queue(
            "The ward now",
            [ward_glance(site) for site in sites_for_user(user)],
            reverse("stays:board"),
            kind="ward_glance",
            counted=False,
            note="Beds taken and free, and the patients each doctor attends day by day; "
            "a red bar is over the doctor's capacity (the line).",
        ),
        Queue(
            "Lab orders at risk",
            lots_at_risk(user),
            reverse("lab:lots") + "?status=in_process",
            kind="lots_at_risk",
            note="Lots in process whose patient arrives within 2 days, or that expire before "
            "their planned dose.",
            empty="Every lot in process is on track.",
        ),
        Queue(
            "Consultation requests waiting, by age",
            [],
            reverse("intake:queue"),
            charts=[requests],
            note=f"{sum(bar.value for bar in requests.bars)} waiting.",
        ),
        Queue(
            "Follow-up completeness",
            follow_up_completeness(user),
            reverse("followup:overdue"),
            kind="completeness",
            counted=False,
            empty="No follow-up due yet.",
        ),
        Queue(
            "Adverse events this month",
            [events],
            reverse("stays:event_rates"),
            kind="events",
            counted=False,
            charts=[events.chart],
        ),
        links_queue("Outcomes by condition", Condition.objects.all(), "outcomes:conditions"),
    ]
