"""One report, asked for by the page, a download, the API or the command line, made one way.

The question (condition, cut-off, product, route) is checked here, the plan is the latest
locked one (its hash checked again), and the files are written here, so the page, its
downloads, the API and `celltrace report` cannot disagree on a number or a refusal.

The page, the downloads and the API never compute: `served` gives them the snapshot of their
question and site (celltrace.outcomes.snapshots), computed by the worker through
`make_report` and `file_of`. The command line computes directly, as a batch tool.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.http import http_date

from celltrace import snapshots as mechanism
from celltrace.catalog.models import CellProduct, Condition, Route
from celltrace.clinical.registry.report import build_report
from celltrace.clinical.registry.rows import patient_rows, write_rows_csv
from celltrace.outcomes import snapshots
from celltrace.outcomes.locked_plan import current_plan
from celltrace.outcomes.report_inputs import report_inputs
from celltrace.outcomes.report_pdf import report_pdf
from celltrace.refusal import Refused

# Seconds a client is asked to wait before it asks again for a report being prepared.
RETRY_AFTER = 5
# What each door reads of a snapshot: never the PDF for the page, never the figures for a file.
PARTS = {"page": ("report_json", "figures"), "json": ("report_json",), "csv": ("csv",),
         "pdf": ("pdf",)}  # fmt: skip
FORMATS = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class ReportQuestion:
    """What one report is asked for: a condition at a cut-off, optionally one product and route."""

    condition: Condition
    cutoff: dt.date
    product: str | None = None
    route: str | None = None


@dataclass(frozen=True)
class Report:
    question: ReportQuestion
    data: dict  # the JSON contract (docs/clinical/outcome-report.md)
    rows: list[dict]  # one per treated patient, instrument and time point


def ask(
    condition_code: str,
    *,
    cutoff: str | None,
    product: str | None,
    route: str | None,
    today: dt.date,
) -> ReportQuestion:
    """Check a report's question as typed; 404 for an unknown condition, Refused for the rest."""
    condition = get_object_or_404(Condition, code=condition_code)
    errors = {}
    day = today
    if cutoff:
        try:
            day = dt.date.fromisoformat(cutoff)
        except ValueError:
            errors["cutoff"] = f"{cutoff!r} is not a date: write it as YYYY-MM-DD."
        else:
            if day > today:
                errors["cutoff"] = (
                    f"The cut-off {day} is in the future: data after today do not exist."
                )
    if product and not CellProduct.objects.filter(code=product).exists():
        errors["product"] = f"No product has the code {product!r}."
    if route and route not in Route.values:
        errors["route"] = f"Choose a route among {', '.join(Route.values)}."
    if errors:
        raise Refused("The report was not made.", code="invalid", field_errors=errors)
    return ReportQuestion(condition, day, product or None, route or None)


def make_report(question: ReportQuestion, user) -> Report:
    """Compute the report over what `user` may see (every site when `user` is None)."""
    plan = current_plan()
    inputs = report_inputs(
        question.condition,
        user,
        cutoff=question.cutoff,
        product=question.product,
        route=question.route,
    )
    return Report(question, build_report(inputs, plan), patient_rows(inputs, plan))


def file_of(report: Report, fmt: str) -> bytes:
    """The report as a file: the JSON contract, the per-patient CSV, or the PDF."""
    if fmt == "json":
        return json.dumps(report.data, indent=2, ensure_ascii=False).encode()
    if fmt == "csv":
        text = io.StringIO()
        write_rows_csv(report.rows, text)
        return text.getvalue().encode()
    if fmt == "pdf":
        return report_pdf(report.data, report.rows)
    raise Refused(
        f"Choose a format among {', '.join(FORMATS)}.",
        code="invalid",
        field_errors={"format": f"Choose one of {', '.join(FORMATS)}."},
    )


def file_name(question: ReportQuestion, fmt: str) -> str:
    """e.g. report-ms-2026-11-26.csv, with the product and route when the report has them."""
    parts = ["report", question.condition.code, question.product, question.route]
    return f"{'-'.join(p for p in parts if p)}-{question.cutoff.isoformat()}.{fmt}"


@dataclass(frozen=True)
class Served(mechanism.Served):
    """What a request is given: the latest snapshot of its question and site, if any."""

    question: ReportQuestion | None = None


def served(question: ReportQuestion, user, part: str) -> Served:
    """The snapshot of `question` for `user`'s site (all sites for an administrator).

    A few queries whatever the number of patients: the plan, the data stamp, the snapshot.
    When the records changed since (or there is none yet), one refresh is queued and the
    last snapshot, if any, is served as it is, labelled by its time (celltrace.snapshots).
    """
    site_id = snapshots.site_of(user)
    plan = current_plan()  # refuses an altered plan, as make_report does
    result = mechanism.serve(
        snapshots.REPORT,
        snapshots.snapshot_key(question, site_id, plan.sha256),
        snapshots.defaults(question, site_id, plan.sha256),
        PARTS[part],
    )
    return Served(result.snapshot, result.current, question)


def preparing_json() -> JsonResponse:
    """202 for the API and the JSON download while the first snapshot is computed."""
    response = JsonResponse({"status": "preparing"}, status=202)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def snapshot_file(result: Served, fmt: str) -> HttpResponse:
    """A served snapshot as an attachment, saying when it was computed and whether current."""
    snapshot = result.snapshot
    content = {
        "json": lambda: snapshot.report_json.encode(),
        "csv": lambda: snapshot.csv.encode(),
        "pdf": lambda: bytes(snapshot.pdf),
    }[fmt]()
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{file_name(result.question, fmt)}"'
    response["Cache-Control"] = "no-store"
    response["Last-Modified"] = http_date(snapshot.computed_at.timestamp())
    response["X-Report-Status"] = "current" if result.current else "stale"
    return response
