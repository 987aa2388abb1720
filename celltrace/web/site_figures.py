"""The clinic at a glance: a site's figures, computed by the worker, served from a snapshot.

Beds and each doctor's load (stays/board.py), consultation requests by how long they have
waited, follow-up completeness and adverse events (stays/rates.py) are counts over the whole
site: the manager's dashboard serves them from a `SiteFigures` snapshot per site and day,
through the one mechanism of celltrace.snapshots, and shows when they were computed. The
worklists of one user's work now (doses due, patients not seen today, lots at risk) are
safety information and stay live (web/worklists/).

The figures are plain numbers and words (JSON); the dashboard draws the charts from them.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.tasks import task
from django.utils import timezone

from celltrace import snapshots as mechanism
from celltrace.accounts import site_time
from celltrace.followup.access import items_for_user
from celltrace.followup.models import FollowUpItem
from celltrace.intake.models import ConsultationRequest
from celltrace.plans.models import TreatmentPlan
from celltrace.stays.access import events_for_user, sites_for_user
from celltrace.stays.board import ward_board
from celltrace.stays.models import Administration, AdverseEvent, Stay
from celltrace.stays.rates import site_event_rates
from celltrace.ward.models import Bed, DoctorCapacity, Room
from celltrace.web.charts import count_by_age
from celltrace.web.models import SiteFigures
from celltrace.web.worklists.intake import requests_waiting

GRADES = range(1, 6)
# Every record the figures read. A doctor who joins or leaves (an account) shows at the next
# change of these: a sign-in writes the account's history and would make every figure stale.
STAMPED = (
    Stay, TreatmentPlan, Room, Bed, DoctorCapacity, ConsultationRequest, FollowUpItem,
    AdverseEvent, Administration,
)  # fmt: skip
# A request's wait grows with the clock alone: figures older than this are computed again.
FRESH_FOR = dt.timedelta(hours=1)


@task()
def refresh_site_figures(snapshot_id: int) -> str:
    """Compute one site's figures (on the worker)."""
    return mechanism.refresh(FIGURES, snapshot_id, _computed)


FIGURES = mechanism.Kind(
    SiteFigures, STAMPED, refresh_site_figures, reads=("site", "day"), fresh_for=FRESH_FOR
)


def served(user) -> mechanism.Served:
    """The figures of the user's site today (every site's for an administrator)."""
    site_id = mechanism.site_of(user)
    today, _site = site_time.user_today(user)
    key = f"{'*' if site_id is None else site_id}|{today.isoformat()}"
    return mechanism.serve(FIGURES, key, {"site_id": site_id, "day": today}, ("figures",))


def _computed(snapshot: SiteFigures) -> dict:
    return {"figures": site_figures(mechanism.SiteReader(snapshot.site_id))}


def site_figures(reader) -> dict:
    """Every figure of the glance for one site (or every site), as numbers and words."""
    return {
        "ward": [ward_figures(site) for site in sites_for_user(reader)],
        "requests_by_age": requests_by_age(reader),
        "follow_up": follow_up_completeness(reader),
        "events": events_this_month(reader),
    }


def ward_figures(site) -> dict:
    """Beds taken and free at the site now, and each doctor's load for two weeks."""
    board = ward_board(site)
    return {
        "site": str(site),
        "site_pk": site.pk,
        "occupied": sum(1 for room in board.rooms for bed in room.beds if bed.stay),
        "free": board.free_beds,
        "coming": len(board.coming),
        "days": [day.isoformat() for day in board.days],
        "doctors": [
            {
                "pk": row.load.doctor.pk,
                "name": str(row.load.doctor),
                "attending": row.load.attending,
                "max": row.load.max_patients,
                "per_day": [n for n, _over in row.per_day],
            }
            for row in board.doctors
        ],
        "overloaded": [[day.isoformat(), n] for day, n in board.overloaded_days],
        "unattended": board.unattended[0],
    }


def requests_by_age(reader) -> list[list]:
    """The open requests counted by how long they have waited: [label, count], youngest first."""
    waiting = requests_waiting(reader).values_list("created_at", flat=True)
    return [list(bucket) for bucket in count_by_age(waiting, timezone.now())]


def follow_up_completeness(reader) -> list[list]:
    """Per site: [name, items due so far, completed, overdue]."""
    today, _site = site_time.user_today(reader)
    counts = (
        items_for_user(reader)
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
        [row["patient__site__name"], row["due"], row["completed"], row["overdue"]] for row in counts
    ]


def events_this_month(reader) -> dict:
    """The adverse events with onset this calendar month, by CTCAE grade, and the rates."""
    first = site_time.user_today(reader)[0].replace(day=1)
    start, _end = site_time.user_day_bounds(reader, first)
    by_grade = dict(
        events_for_user(reader)
        .filter(onset_at__gte=start)
        .order_by()
        .values_list("ctcae_grade")
        .annotate(n=Count("pk"))
    )
    rates = site_event_rates(reader)
    return {
        "since": first.isoformat(),
        "by_grade": [[f"Grade {grade}", by_grade.get(grade, 0)] for grade in GRADES],
        "total": sum(by_grade.values()),
        "overall": rates.overall.text,
        "rates_by_grade": [row.text for row in rates.by_grade],
    }


# -- When the records change: refresh today's figures, once per commit.


def record_changed(sender, instance, **kwargs) -> None:
    """A record the figures read was saved or deleted: refresh them after the commit."""
    if not kwargs.get("raw"):
        mechanism.after_commit(refresh_changed, "records", sender._meta.label)


def refresh_changed(changes: dict) -> int:
    """Queue a refresh of today's figures of every site (few: one per site, one for all).

    Not narrowed to the changed record's site: finding it costs a query per kind of record,
    and an administrator's figures of every site change with any of them.
    """
    recent = timezone.localdate() - dt.timedelta(days=1)  # today at any site
    snapshots = SiteFigures.objects.filter(day__gte=recent).values_list("pk", flat=True)
    return mechanism.refresh_each(FIGURES, snapshots)
