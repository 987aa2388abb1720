"""The report's figures, drawn on the server without a display: SVG for the page, PNG for
the PDF, each with the table of its data and a text alternative that states its numbers.

Drawn from the report dict and the per-patient rows (docs/clinical/outcome-report.md); a
figure whose data are absent is left out, never drawn empty.
"""

from __future__ import annotations

from celltrace.outcomes.figures import cohort
from celltrace.outcomes.figures.flow import flow_figure
from celltrace.outcomes.figures.render import ReportFigure
from celltrace.outcomes.figures.spaghetti import spaghetti_figure
from celltrace.outcomes.figures.survival import survival_figure
from celltrace.outcomes.figures.transitions import transition_figures
from celltrace.outcomes.figures.waterfall import waterfall_figure

__all__ = ["ReportFigure", "report_figures"]


def report_figures(report: dict, rows: list[dict]) -> list[ReportFigure]:
    """Every figure the report's data allow, in the order of the report's sections."""
    candidates = [flow_figure(report)]
    grouped = cohort.PatientRows(rows)
    for instrument in cohort.instruments(report, grouped):
        candidates.append(spaghetti_figure(report, grouped, instrument))
        candidates.append(waterfall_figure(report, grouped, instrument))
    candidates += [survival_figure(report, o) for o in report.get("time_to_event") or []]
    candidates += transition_figures(report)
    return [figure for figure in candidates if figure is not None]
