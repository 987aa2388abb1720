"""The outcome report's snapshots: computed by the worker once per change, served as kept.

A report (with its 18 figures and its PDF) takes seconds to compute; a page view must take
milliseconds. So a request never computes one: `reports.served` finds the snapshot of its
question and scope through the one mechanism of celltrace.snapshots (data stamp, one queued
refresh, the last snapshot served labelled with its time). This module says what a report
snapshot reads (`STAMPED`, the tables of report_inputs.py), how it is keyed, how the worker
computes it, and which snapshots a change of the records makes stale.
"""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django.utils import timezone

from celltrace import snapshots as mechanism
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

# The scope of a report: a user's site, or every site (None) for an administrator.
SiteReader = mechanism.SiteReader
site_of = mechanism.site_of

# Every record the report's inputs read (report_inputs.py) and the plan it is computed under.
STAMPED = (
    Measurement, Relapse, MriScan, Administration, AdverseEvent, FollowUpEnd, FollowUpItem, Patient,
    Screening, PatientFact, PriorTherapy, ConsultationRequest, AnalysisPlan,
)  # fmt: skip


@task()
def refresh_snapshot(snapshot_id: int) -> str:
    """Compute one snapshot: the report, its CSV, its figures and its PDF (on the worker)."""
    return mechanism.refresh(REPORT, snapshot_id, _computed)


QUESTION = ("condition", "site", "product", "route", "cutoff")
REPORT = mechanism.Kind(ReportSnapshot, STAMPED, refresh_snapshot, reads=QUESTION)


def data_stamp() -> str:
    """The newest history id of each table the report reads, in one query."""
    return REPORT.stamp()


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


def defaults(question, site_id: int | None, plan_sha256: str) -> dict:
    """The columns of a new snapshot of this question (the key says the same in one string)."""
    return {
        "condition": question.condition,
        "site_id": site_id,
        "product": question.product or "",
        "route": question.route or "",
        "cutoff": question.cutoff,
        "plan_sha256": plan_sha256,
    }


def _computed(snapshot: ReportSnapshot) -> dict:
    from celltrace.outcomes.figures import report_figures
    from celltrace.outcomes.report_pdf import report_pdf
    from celltrace.outcomes.reports import ReportQuestion, file_of, make_report

    question = ReportQuestion(
        snapshot.condition, snapshot.cutoff, snapshot.product or None, snapshot.route or None
    )
    report = make_report(question, reader(snapshot.site_id))
    figures = report_figures(report.data, report.rows)
    return {
        "report_json": file_of(report, "json").decode(),
        "csv": file_of(report, "csv").decode(),
        "figures": [_figure(figure) for figure in figures],
        "pdf": report_pdf(report.data, report.rows, drawn=figures),
    }


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
    changed = (("patients", PATIENT_OF), ("stays", STAY_OF), ("conditions", CONDITION_OF))
    for what, fields in changed:
        if sender in fields:
            mechanism.after_commit(refresh_changed, what, getattr(instance, fields[sender]))


def refresh_changed(changes: dict) -> int:
    """Queue a refresh of the snapshots at today's cut-off of the conditions changed."""
    conditions = set(changes.get("conditions", ()))
    if changes.get("patients"):
        conditions |= set(
            Patient.objects.filter(pk__in=changes["patients"]).values_list(
                "condition_id", flat=True
            )
        )
    if changes.get("stays"):
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
    return mechanism.refresh_each(REPORT, snapshots)
