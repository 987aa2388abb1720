"""How the PDF writes numbers, text and tables: the contract's rules in one place.

A null the small-cell rule withholds reads "n < 10: counts only"; any other null reads
"—"; a proportion is always k/n, with its percentage and 95 % CI when they are given.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image, KeepTogether, Paragraph, Table, TableStyle

DASH = "—"
MAX_FIGURE_HEIGHT = 150 * mm
# The PDF's standard fonts have no signs for these: write them out.
PLAIN = str.maketrans({"≥": ">=", "≤": "<=", "−": "-", "₂": "2"})


def styles() -> dict:
    sheet = getSampleStyleSheet()
    body = sheet["BodyText"].clone("report-body", fontSize=9, leading=11)
    return {
        "title": sheet["Title"],
        "design": sheet["Heading2"].clone(
            "report-design",
            fontSize=12,
            leading=15,
            textColor=colors.black,
            borderWidth=1,
            borderColor=colors.black,
            borderPadding=4,
            spaceBefore=2,
            spaceAfter=6,
        ),
        "warning": sheet["Heading2"].clone("report-warning", textColor=colors.HexColor("#D55E00")),
        "heading": sheet["Heading2"],
        "subheading": sheet["Heading4"],
        "body": body,
        "cell": body.clone("report-cell", fontSize=7, leading=8.5),
        "caption": body.clone(
            "report-caption", fontSize=7.5, leading=9, fontName="Helvetica-Oblique"
        ),
        "note": body.clone(
            "report-note", fontSize=8, leading=10, textColor=colors.HexColor("#333333")
        ),
    }


def text(value) -> str:
    """Escape a value for a paragraph, with the signs the standard fonts lack written out."""
    return escape(str(value).translate(PLAIN))


def counts_only(small_cell: int) -> str:
    return f"n < {small_cell}: counts only"


def number(value, digits: int = 1) -> str:
    if value is None:
        return DASH
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value)}"
    return f"{value:.{digits}f}"


def interval(ci, digits: int = 1, *, percent: bool = False) -> str:
    if not ci:
        return DASH
    low, high = (c * 100 if percent else c for c in ci)
    unit = " %" if percent else ""
    return f"{number(low, digits)} to {number(high, digits)}{unit}"


def cell(value) -> str:
    """Any other value of the contract in a table cell: an interval, a number or a word."""
    if isinstance(value, list):
        if len(value) == 2 and all(isinstance(v, int | float) for v in value):
            return interval(value, 2)
        return ", ".join(cell(v) for v in value) or DASH
    if isinstance(value, bool | float | int) or value is None:
        return number(value, 2)
    return str(value)


def estimate(value, ci, n, small_cell: int, digits: int = 1) -> str:
    """A mean or a rate with its 95 % CI; the small-cell text when n withholds it."""
    if value is None:
        return counts_only(small_cell) if n is not None and n < small_cell else DASH
    if ci:
        return f"{number(value, digits)} (95 % CI {interval(ci, digits)})"
    return number(value, digits)


def spread(value, low_high, n, small_cell: int, digits: int = 1) -> str:
    """A median with its IQR (or range), or the small-cell text."""
    if value is None:
        return counts_only(small_cell) if n is not None and n < small_cell else DASH
    if low_high:
        low, high = (number(v, digits) for v in low_high)
        return f"{number(value, digits)} ({low} to {high})"
    return number(value, digits)


def proportion(part: dict | None, small_cell: int) -> str:
    """k/n, with the percentage and 95 % CI when the rules give them."""
    if not part:
        return DASH
    k, n, ci = part.get("k"), part.get("n"), part.get("ci95")
    if k is None or n is None:
        return DASH
    if not n:
        return f"{k}/{n}"
    if ci is None and n < small_cell:
        return f"{k}/{n} ({counts_only(small_cell)})"
    share = f"{k / n * 100:.1f} %"
    return (
        f"{k}/{n} ({share}, 95 % CI {interval(ci, percent=True)})" if ci else f"{k}/{n} ({share})"
    )


def table(headers, rows, style, widths=None) -> Table:
    """A grid whose cells wrap; the header row repeats on every page."""
    cells = [[Paragraph(f"<b>{text(h)}</b>", style["cell"]) for h in headers]]
    cells += [[Paragraph(text(cell), style["cell"]) for cell in row] for row in rows]
    if len(cells) == 1:
        cells.append([Paragraph("none", style["cell"])] + [""] * (len(headers) - 1))
    grid = Table(cells, colWidths=[w * mm for w in widths] if widths else None, repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
            ]
        )
    )
    return grid


def figure_block(figure, style, width: float) -> KeepTogether:
    """The figure's PNG scaled to the text width (a tall one to 150 mm high), captioned."""
    reader = ImageReader(io.BytesIO(figure.png))
    pixels_wide, pixels_high = reader.getSize()
    height = width * pixels_high / pixels_wide
    if height > MAX_FIGURE_HEIGHT:
        width, height = width * MAX_FIGURE_HEIGHT / height, MAX_FIGURE_HEIGHT
    return KeepTogether(
        [
            Paragraph(f"<b>Figure: {text(figure.title)}</b>", style["body"]),
            Image(io.BytesIO(figure.png), width=width, height=height),
            Paragraph(text(figure.alt), style["caption"]),
        ]
    )
