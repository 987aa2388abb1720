"""One report, asked for by the page, a download, the API or the command line, made one way.

The question (condition, cut-off, product, route) is checked here, the plan is the latest
locked one (its hash checked again), and the files are written here, so the page, its
downloads, the API and `celltrace report` cannot disagree on a number or a refusal.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from celltrace.catalog.models import CellProduct, Condition, Route
from celltrace.clinical.registry.report import build_report
from celltrace.clinical.registry.rows import patient_rows, write_rows_csv
from celltrace.outcomes.locked_plan import current_plan
from celltrace.outcomes.report_inputs import report_inputs
from celltrace.outcomes.report_pdf import report_pdf
from celltrace.refusal import Refused

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


def download(report: Report, fmt: str) -> HttpResponse:
    """The report file as an attachment named after its condition and cut-off, never cached."""
    response = HttpResponse(file_of(report, fmt), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{file_name(report.question, fmt)}"'
    response["Cache-Control"] = "no-store"
    return response
