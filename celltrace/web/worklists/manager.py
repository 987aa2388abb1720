"""The clinic at a glance for a manager (every site for an administrator).

The figures over the whole site (beds and each doctor's load, requests by age, follow-up
completeness, adverse events) are computed by the worker and served from the site's snapshot
(web/site_figures.py), each section saying when they were computed; this module draws them.
The lab orders at risk are work to do now, read live.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse

from celltrace.accounts import site_time
from celltrace.catalog.models import Condition
from celltrace.clinical.dosing import planned_day
from celltrace.clinical.follow_up import Completeness
from celltrace.clinical.lot_readiness import lot_risks
from celltrace.lab.access import lots_for_user
from celltrace.lab.models import ProductLot
from celltrace.plans.models import PlannedProduct, TreatmentPlan
from celltrace.stays.models import Administration
from celltrace.web import site_figures
from celltrace.web.charts import BarChart, bar_chart
from celltrace.web.worklists.base import SHOWN, Queue, links_queue


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


@dataclass(frozen=True)
class DoctorGlance:
    name: str
    attending: int
    max_patients: int
    chart: BarChart


@dataclass(frozen=True)
class WardGlance:
    site: str
    occupied: int
    free: int
    coming: int
    days_ahead: int
    doctors: list[DoctorGlance]
    overloaded: list[tuple[dt.date, int]]
    unattended: int


def ward_glance(figures: dict) -> WardGlance:
    """One site's beds and each doctor's load for two weeks, drawn from its figures."""
    days = [dt.date.fromisoformat(day) for day in figures["days"]]
    names = ["Today", *(f"{day:%a %d %b}" for day in days[1:])]
    doctors = [
        DoctorGlance(
            doctor["name"],
            doctor["attending"],
            doctor["max"],
            bar_chart(
                f"load-{figures['site_pk']}-{doctor['pk']}",
                f"Patients Dr {doctor['name']} attends each day, today and the next "
                f"{len(days) - 1} days (at most {doctor['max']})",
                [(f"{day:%d}", n) for day, n in zip(days, doctor["per_day"], strict=True)],
                limit=doctor["max"],
                long_labels=names,
            ),
        )
        for doctor in figures["doctors"]
    ]
    overloaded = [(dt.date.fromisoformat(day), n) for day, n in figures["overloaded"]]
    return WardGlance(
        figures["site"], figures["occupied"], figures["free"], figures["coming"],
        len(days) - 1, doctors, overloaded, figures["unattended"],
    )  # fmt: skip


@dataclass(frozen=True)
class EventsGlance:
    since: dt.date
    total: int
    overall: str  # the rates since records began, in words
    rates_by_grade: list[str]


def _ward(figures: dict) -> dict:
    return {
        "rows": [ward_glance(site) for site in figures["ward"]],
        "kind": "ward_glance",
        "note": "Beds taken and free, and the patients each doctor attends day by day; "
        "a red bar is over the doctor's capacity (the line).",
    }


def _requests(figures: dict) -> dict:
    chart = bar_chart(
        "requests-by-age",
        "Consultation requests waiting for an answer, by how long they have waited",
        [tuple(bucket) for bucket in figures["requests_by_age"]],
    )
    return {"charts": [chart], "note": f"{sum(bar.value for bar in chart.bars)} waiting."}


def _follow_up(figures: dict) -> dict:
    rows = [(site, Completeness(*counts)) for site, *counts in figures["follow_up"]]
    return {"rows": rows, "kind": "completeness", "empty": "No follow-up due yet."}


def _events(figures: dict) -> dict:
    events = figures["events"]
    since = dt.date.fromisoformat(events["since"])
    chart = bar_chart(
        "events-by-grade",
        f"Adverse events since {since:%d %B %Y}, by CTCAE grade",
        [tuple(grade) for grade in events["by_grade"]],
    )
    glance = EventsGlance(since, events["total"], events["overall"], events["rates_by_grade"])
    return {"rows": [glance], "kind": "events", "charts": [chart]}


# The sections drawn from the site's figures: (title, the page behind them, drawing).
GLANCES = (
    ("The ward now", "stays:board", _ward),
    ("Consultation requests waiting, by age", "intake:queue", _requests),
    ("Follow-up completeness", "followup:overdue", _follow_up),
    ("Adverse events this month", "stays:event_rates", _events),
)


def glances(user) -> list[Queue]:
    """The sections of the site's figures, from its snapshot, each saying when computed."""
    served = site_figures.served(user)
    figures = None if served.preparing else served.snapshot.figures
    return [
        Queue(title, link=reverse(url), counted=False, served=served,
              **(draw(figures) if figures is not None else {}))
        for title, url, draw in GLANCES
    ]  # fmt: skip


def worklists(user) -> list[Queue]:
    ward, *others = glances(user)
    return [
        ward,
        Queue(
            "Lab orders at risk",
            lots_at_risk(user),
            reverse("lab:lots") + "?status=in_process",
            kind="lots_at_risk",
            note="Lots in process whose patient arrives within 2 days, or that expire before "
            "their planned dose.",
            empty="Every lot in process is on track.",
        ),
        *others,
        links_queue("Outcomes by condition", Condition.objects.all(), "outcomes:conditions"),
    ]
