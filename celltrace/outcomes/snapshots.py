"""Reports computed once per change of the records, by the worker, and kept as snapshots.

A report (with its 18 figures and its PDF) takes seconds to compute; a page view must take
milliseconds. So a request never computes one: it finds the snapshot of its question and
scope, serves it when the records have not changed since (`data_stamp`), and otherwise
queues one refresh on the task queue (Django's tasks, the database backend, run by
`celltrace worker`) while it serves the last snapshot, labelled with its time.

The data stamp is the newest audit-history id of each table the report reads
(report_inputs.py): every change to one of those records writes a history row, so a stamp
equal to the snapshot's means nothing the report reads has changed. It is one query of
indexed MAX()es, whatever the number of patients. Edits the stamp does not see (a site's
name or time zone, a catalog entry, a bulk `update()` that bypasses the history) show at
the next change of the records or the next cut-off.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Q
from django.tasks import TaskResultStatus, task
from django.utils import timezone

from celltrace.followup.models import FollowUpEnd, FollowUpItem
from celltrace.intake.models import ConsultationRequest
from celltrace.outcomes.models import (
    AnalysisPlan,
    Measurement,
    MriScan,
    Relapse,
    ReportSnapshot,
)
from celltrace.patients.models import Patient
from celltrace.screening.models import PatientFact, PriorTherapy, Screening
from celltrace.stays.models import Administration, AdverseEvent, Stay

# Every record the report's inputs read (report_inputs.py) and the plan it is computed under.
STAMPED = (
    Measurement, Relapse, MriScan, Administration, AdverseEvent, FollowUpEnd, FollowUpItem, Patient,
    Screening, PatientFact, PriorTherapy, ConsultationRequest, AnalysisPlan,
)  # fmt: skip
# A queued refresh that has not finished after this long is taken as lost (a worker killed
# mid-task) and queued again.
LOST_AFTER = dt.timedelta(minutes=15)
Status = ReportSnapshot.Status


def data_stamp() -> str:
    """The newest history id of each table the report reads, in one query."""
    quote = connection.ops.quote_name
    columns = ", ".join(
        f"(SELECT MAX({quote('history_id')}) FROM {quote(m.history.model._meta.db_table)})"  # noqa: S608
        for m in STAMPED
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")  # the table names are the models' own
        newest = cursor.fetchone()
    return ".".join(str(value or 0) for value in newest)


@dataclasses.dataclass(frozen=True)
class SiteReader:
    """One site's view of the records: what report_inputs asks of a user, without a user."""

    site_id: int
    sees_every_site = False


def site_of(user) -> int | None:
    """The scope of a user's reports: their site, or None for every site (an administrator)."""
    if user.sees_every_site:
        return None
    if user.site_id is None:
        raise PermissionDenied("A report is of a site: this account has none.")
    return user.site_id


def reader(site_id: int | None):
    """Who a report is computed for: every site (None, as the command line) or one site."""
    return None if site_id is None else SiteReader(site_id)


def snapshot_key(question, site_id: int | None, plan_sha256: str) -> str:
    parts = (
        question.condition.code,
        "*" if site_id is None else str(site_id),
        question.product or "",
        question.route or "",
        question.cutoff.isoformat(),
        plan_sha256,
    )
    return "|".join(parts)


def request_refresh(question, site_id: int | None, plan_sha256: str, stamp: str) -> bool:
    """Queue one computation of this snapshot unless one waits already; True if it ran at once.

    The snapshot row is the lock: only the request whose UPDATE turns it to "queued" enqueues,
    so many page views of a stale report queue one task. A computation that failed on these
    very records is not tried again until they change.
    """
    now = timezone.now()
    snapshot, created = ReportSnapshot.objects.get_or_create(
        key=snapshot_key(question, site_id, plan_sha256),
        defaults={
            "condition": question.condition,
            "site_id": site_id,
            "product": question.product or "",
            "route": question.route or "",
            "cutoff": question.cutoff,
            "plan_sha256": plan_sha256,
            "status": Status.QUEUED,
            "queued_at": now,
            "asked_stamp": stamp,
        },
    )
    if not created and not _claim(snapshot.pk, stamp, now):
        return False
    return _enqueue(snapshot.pk)


def _claim(pk: int, stamp: str, now) -> bool:
    waiting = Q(status=Status.QUEUED, queued_at__gte=now - LOST_AFTER)
    failed_on_these = Q(status=Status.FAILED, asked_stamp=stamp)
    claimed = (
        ReportSnapshot.objects.filter(pk=pk)
        .exclude(waiting | failed_on_these)
        .update(status=Status.QUEUED, queued_at=now, asked_stamp=stamp)
    )
    return claimed == 1


def _enqueue(pk: int) -> bool:
    result = refresh_snapshot.enqueue(pk)
    return result.status == TaskResultStatus.SUCCESSFUL  # only a backend that runs at once


@task()
def refresh_snapshot(snapshot_id: int) -> str:
    """Compute one snapshot: the report, its CSV, its figures and its PDF (on the worker)."""
    from celltrace.outcomes.figures import report_figures
    from celltrace.outcomes.report_pdf import report_pdf
    from celltrace.outcomes.reports import ReportQuestion, file_of, make_report

    snapshot = (
        ReportSnapshot.objects.select_related("condition")
        .only("condition", "site", "product", "route", "cutoff")
        .get(pk=snapshot_id)
    )
    stamp = data_stamp()  # before reading: a change made meanwhile leaves the snapshot stale
    question = ReportQuestion(
        snapshot.condition, snapshot.cutoff, snapshot.product or None, snapshot.route or None
    )
    try:
        report = make_report(question, reader(snapshot.site_id))
        figures = report_figures(report.data, report.rows)
        pdf = report_pdf(report.data, report.rows, drawn=figures)
        fields = {
            "report_json": file_of(report, "json").decode(),
            "csv": file_of(report, "csv").decode(),
            "figures": [_figure(figure) for figure in figures],
            "pdf": pdf,
        }
    except Exception as error:
        ReportSnapshot.objects.filter(pk=snapshot_id).update(
            status=Status.FAILED, error=f"{type(error).__name__}: {error}"
        )
        raise
    ReportSnapshot.objects.filter(pk=snapshot_id).update(
        **fields, data_stamp=stamp, computed_at=timezone.now(), status=Status.READY, error=""
    )
    return stamp


def _figure(figure) -> dict:
    return {
        "name": figure.name,
        "title": figure.title,
        "svg": figure.svg,
        "alt": figure.alt,
        "headers": list(figure.headers),
        "table": [list(row) for row in figure.table],
    }


# -- When the records change: refresh today's snapshots of that condition, once per commit.

PATIENT_OF = {
    Measurement: "patient_id", Relapse: "patient_id", MriScan: "patient_id",
    FollowUpEnd: "patient_id", FollowUpItem: "patient_id", Screening: "patient_id",
    PatientFact: "patient_id", PriorTherapy: "patient_id",
}  # fmt: skip
STAY_OF = {Administration: "stay_id", AdverseEvent: "stay_id"}
CONDITION_OF = {Patient: "condition_id", ConsultationRequest: "condition_id"}


def record_changed(sender, instance, **kwargs) -> None:
    """A stamped record was saved or deleted: after the commit, refresh what it changed."""
    if kwargs.get("raw"):
        return  # fixtures being loaded
    for kind, fields in (
        ("patients", PATIENT_OF),
        ("stays", STAY_OF),
        ("conditions", CONDITION_OF),
    ):
        if sender in fields:
            change = {"patients": set(), "stays": set(), "conditions": set()}
            change[kind].add(getattr(instance, fields[sender]))
            if connection.in_atomic_block:
                _pending()[kind] |= change[kind]
            else:
                refresh_changed(change)  # autocommit: committed already


def _pending() -> dict:
    """The changes of the current transaction, with one on_commit callback to refresh them.

    Kept on the connection's own list of callbacks, so a rolled-back transaction takes its
    changes with it and a transaction of ten thousand writes registers one callback.
    """
    for _sids, func, _robust in connection.run_on_commit:
        if getattr(func, "func", None) is refresh_changed and not func.args[0]["done"]:
            return func.args[0]
    changes = {"patients": set(), "stays": set(), "conditions": set(), "done": False}
    transaction.on_commit(partial(refresh_changed, changes), robust=True)
    return changes


def refresh_changed(changes: dict) -> int:
    """Queue a refresh of the snapshots at today's cut-off of the conditions changed."""
    changes["done"] = True
    conditions = set(changes["conditions"])
    if changes["patients"]:
        conditions |= set(
            Patient.objects.filter(pk__in=changes["patients"]).values_list(
                "condition_id", flat=True
            )
        )
    if changes["stays"]:
        conditions |= set(
            Stay.objects.filter(pk__in=changes["stays"]).values_list(
                "patient__condition_id", flat=True
            )
        )
    # Today at any site: a site's day may be the server's yesterday or tomorrow.
    recent = timezone.localdate() - dt.timedelta(days=1)
    snapshots = ReportSnapshot.objects.filter(
        condition_id__in=conditions, cutoff__gte=recent
    ).values_list("pk", flat=True)
    stamp = data_stamp() if snapshots else ""
    now = timezone.now()
    queued = 0
    for pk in snapshots:
        if _claim(pk, stamp, now):
            _enqueue(pk)
            queued += 1
    return queued
