"""The discharge letter as PDF: for the patient and their home doctor.

What was given (product, lot, dose, route, day), adverse events, therapies, the home-care
plan (one line per item of the plan: dose, route, how often, first and last day, count,
instructions) and the check-ups with their windows, from one `DischargeLetter`; the
rendering knows nothing of the database, so what the letter says is decided in one place
(`letter.discharge_letter`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from celltrace.pdf_styles import stylesheet


@dataclass(frozen=True)
class GivenProduct:
    day_of_stay: int
    given_at: datetime
    product: str
    lot_code: str
    dose: str
    route: str


@dataclass(frozen=True)
class EventLine:
    term: str
    grade: int
    serious: bool
    relatedness: str
    onset_at: datetime
    outcome: str


@dataclass(frozen=True)
class TherapyLine:
    therapy: str
    given: int
    missed: int
    planned: int


@dataclass(frozen=True)
class FollowUpLine:
    title: str
    due_date: date
    # A check-up counts for its time point only inside its window (empty for a home check).
    window_opens: date | None = None
    window_closes: date | None = None


@dataclass(frozen=True)
class HomeCareLine:
    """One item of the plan's home care: its doses summed up, not listed one by one."""

    what: str
    dose: str  # one dose in the product's unit and per kg; "" for medication guidance
    route: str
    how_often: str
    first_day: date
    last_day: date
    doses: int
    instructions: str


@dataclass(frozen=True)
class DischargeLetter:
    site: str
    patient_name: str
    patient_code: str
    date_of_birth: date
    condition: str
    admitted_at: datetime
    discharged_at: datetime
    attending_doctor: str
    discharged_by: str
    weight_kg: float | None
    early_discharge_reason: str
    given: tuple[GivenProduct, ...]
    events: tuple[EventLine, ...]
    therapies: tuple[TherapyLine, ...]
    home_care: tuple[HomeCareLine, ...]
    checkups: tuple[FollowUpLine, ...]
    synthetic: bool
    # Adverse events open at discharge, followed at home until they resolve.
    home_checks: tuple[FollowUpLine, ...] = ()
    # The discharge's electronic signature as printed (21 CFR 11.50), one line each.
    signatures: tuple[str, ...] = ()


def table(rows: list[list[str]], widths: list[float], style) -> Table:
    """A gridded table of text cells, its first row the heading (the letter's and the quote's)."""
    cells = [[Paragraph(escape(str(value)), style) for value in row] for row in rows]
    table = Table(cells, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
            ]
        )
    )
    return table


def _section(title: str, rows, widths, styles, small, empty: str) -> list:
    story = [Paragraph(escape(title), styles["Heading2"])]
    if len(rows) == 1:
        story.append(Paragraph(escape(empty), styles["BodyText"]))
    else:
        story.append(table(rows, widths, small))
    return story


def letter_pdf(letter: DischargeLetter) -> bytes:
    """Return the letter as PDF bytes."""
    styles = stylesheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        title=f"Discharge letter {letter.patient_code}",
        # Uncompressed: the letter is a few pages of text, and a reader (or a test) can find
        # what it says without a PDF library.
        pageCompression=0,
    )
    story = []
    if letter.synthetic:
        story.append(Paragraph("SYNTHETIC DEMO DATA: not a real patient", styles["Heading2"]))
    story += [
        Paragraph(escape(f"Discharge letter: {letter.patient_name}"), styles["Title"]),
        Paragraph(
            escape(
                f"{letter.patient_code}, born {letter.date_of_birth:%Y-%m-%d}; "
                f"treated for {letter.condition} at {letter.site}."
            ),
            styles["BodyText"],
        ),
        Paragraph(
            escape(
                f"Admitted {letter.admitted_at:%Y-%m-%d %H:%M}, discharged "
                f"{letter.discharged_at:%Y-%m-%d %H:%M} by {letter.discharged_by}. "
                f"Attending doctor: {letter.attending_doctor or 'not recorded'}."
                + (f" Weight at admission: {letter.weight_kg:g} kg." if letter.weight_kg else "")
            ),
            styles["BodyText"],
        ),
    ]
    story += [Paragraph(escape(line), styles["BodyText"]) for line in letter.signatures]
    if letter.early_discharge_reason:
        story.append(
            Paragraph(
                escape(f"Discharged early: {letter.early_discharge_reason}"), styles["BodyText"]
            )
        )
    story.append(Spacer(1, 3 * mm))
    given = [["Day", "Given at", "Product", "Lot", "Dose", "Route"]] + [
        [str(g.day_of_stay), f"{g.given_at:%Y-%m-%d %H:%M}", g.product, g.lot_code, g.dose, g.route]
        for g in letter.given
    ]
    story += _section(
        "Cell products given", given, [10, 28, 52, 28, 32, 30], styles, small, "None given."
    )
    events = [["Event", "Grade", "Serious", "Related", "Onset", "Outcome"]] + [
        [
            e.term,
            str(e.grade),
            "yes" if e.serious else "no",
            e.relatedness,
            f"{e.onset_at:%Y-%m-%d %H:%M}",
            e.outcome,
        ]
        for e in letter.events
    ]
    story += _section(
        "Adverse events (CTCAE v5.0)",
        events,
        [52, 14, 16, 22, 30, 46],
        styles,
        small,
        "No adverse events were recorded.",
    )
    therapies = [["Therapy", "Sessions given", "Missed", "Planned"]] + [
        [t.therapy, str(t.given), str(t.missed), str(t.planned)] for t in letter.therapies
    ]
    story += _section(
        "Complementary therapies", therapies, [90, 30, 30, 30], styles, small, "None planned."
    )
    home = [["Home care", "Dose", "Route", "How often", "From", "To", "Doses", "How to take it"]]
    home += [
        [h.what, h.dose or "see instructions", h.route, h.how_often, f"{h.first_day:%Y-%m-%d}",
         f"{h.last_day:%Y-%m-%d}", str(h.doses), h.instructions]
        for h in letter.home_care
    ]  # fmt: skip
    story += _section(
        "Home-care plan",
        home,
        [30, 26, 16, 18, 21, 21, 11, 37],  # a date in DejaVu Sans at 8 pt needs 21 mm
        styles,
        small,
        "No home care planned.",
    )
    if letter.home_checks:
        checks = [["Followed at home", "Due"]] + [
            [i.title, f"{i.due_date:%Y-%m-%d}"] for i in letter.home_checks
        ]
        story += _section("Home checks", checks, [150, 30], styles, small, "")
    checks = [["Check-up", "Target day", "Counts if done between"]] + [
        [i.title, f"{i.due_date:%Y-%m-%d}", _window(i)] for i in letter.checkups
    ]
    story += _section("Check-ups", checks, [100, 30, 50], styles, small, "No check-ups planned.")
    doc.build(story)
    return buffer.getvalue()


def _window(item: FollowUpLine) -> str:
    if item.window_opens is None or item.window_closes is None:
        return ""
    return f"{item.window_opens:%Y-%m-%d} to {item.window_closes:%Y-%m-%d}"
