"""The PDF's NEDA-3 status table: k/n where the data allow, and who was not evaluable."""

from __future__ import annotations

from reportlab.platypus import Paragraph

from celltrace.outcomes.report_pdf_parts.cells import proportion, table, text

REASONS = {
    "no_baseline": "no baseline EDSS",
    "no_mri": "no MRI in the period",
    "no_edss": "no EDSS in the window",
}


def neda_status(outcome: dict, style, small_cell: int) -> list:
    """NEDA-3 at each time point of the plan, after the outcome's Kaplan-Meier table."""
    statuses = outcome.get("status_at") or []
    if not statuses:
        return []
    rows = [
        (
            s["timepoint"],
            s["due"],
            s["lost"],
            not_evaluable(s),
            proportion(s, small_cell),
        )
        for s in statuses
    ]
    note = Paragraph(
        text(
            "NEDA-3 at a time point: patients whose window has ended by the cut-off (due). "
            "Free of activity counts only with an MRI in the period and an EDSS reading in "
            "the window; the others due are not evaluable, by reason (exact 95 % CI)."
        ),
        style["body"],
    )
    headers = ("Time point", "Due", "Activity", "Not evaluable", "NEDA-3 kept (95 % CI)")
    return [note, table(headers, rows, style, (26, 16, 20, 56, 62))]


def not_evaluable(status: dict) -> str:
    """The patients not evaluable, with their reasons ('0' when none)."""
    counts = status["not_evaluable"]
    reasons = [f"{n} {REASONS[reason]}" for reason, n in counts.items() if n]
    return ", ".join(reasons) if reasons else "0"
