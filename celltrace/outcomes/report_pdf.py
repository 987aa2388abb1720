"""The cumulative statistical report as PDF: the ten sections as tables, then the figures.

Drawn from the report dict and the per-patient rows (docs/clinical/outcome-report.md) and
nothing else, so the PDF says what the page and the JSON say. Every page carries the
design line's reminder in its footer, the data cut-off, "page x of y" and, for demo data,
the SYNTHETIC DATA marking.
"""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer

from celltrace.outcomes.figures import report_figures
from celltrace.outcomes.report_pdf_parts import sections
from celltrace.outcomes.report_pdf_parts.cells import figure_block, styles, text

SYNTHETIC = "SYNTHETIC DATA: demonstration records, not real patients"
# Which section a figure belongs under, by the start of its name.
FIGURE_SECTIONS = {"flow": 1, "spaghetti": 4, "waterfall": 4, "ais": 4, "km": 6}


def report_pdf(report: dict, rows: list[dict], *, drawn=None) -> bytes:
    """Return the report as PDF bytes: the same bytes for the same report.

    `drawn`: the report's figures when the caller has drawn them already (the snapshot's
    task draws them once for the page and the PDF); drawn here otherwise.
    """
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=20 * mm,
        bottomMargin=18 * mm,
        title=report["title"],
        # Uncompressed, as the other printouts: a reader (or a test) finds what it says.
        pageCompression=0,
        invariant=True,
    )
    figures: dict[int, list] = {}
    for figure in report_figures(report, rows) if drawn is None else drawn:
        section = FIGURE_SECTIONS.get(figure.name.split("-")[0])
        figures.setdefault(section, []).append(figure)
    style = styles()
    story = _header(report, style)
    for number, build in enumerate(sections.SECTIONS, start=1):
        block = build(report, style)
        block += [figure_block(f, style, doc.width) for f in figures.get(number, [])]
        story += [KeepTogether(block[:2]), *block[2:], Spacer(1, 4 * mm)]
    doc.build(story, canvasmaker=_numbered(report))
    return buffer.getvalue()


def _header(report: dict, style) -> list:
    plan = report["analysis_plan"]
    period = report["period"]
    filters = report.get("filters") or {}
    lines = [
        f"Condition: {report['condition']['name']}"
        + "".join(f"; {key}: {value}" for key, value in filters.items() if value),
        f"Data source: {report['data_source']}",
        "Treatment starts (each patient's first administration, earliest to latest): "
        f"{period['first_administration'] or '—'} to {period['last_administration'] or '—'}",
        f"Data cut-off: {report['cutoff']}",
        f"Analysis plan: version {plan['version']}, sha256 {plan['sha256']}",
    ]
    story = []
    if report.get("synthetic"):
        story.append(Paragraph(text(SYNTHETIC), style["warning"]))
    story += [
        Paragraph(text(report["title"]), style["title"]),
        Paragraph(text(report["design"]), style["design"]),
        Spacer(1, 2 * mm),
        *[Paragraph(text(line), style["body"]) for line in lines],
        Spacer(1, 4 * mm),
    ]
    return story


def _numbered(report: dict):
    """A canvas that writes "page x of y", the cut-off and the marking on every page.

    The total is known only at the end, so each page's drawing is kept and the footers
    are written when the document is saved.
    """
    footer = (
        f"Data cut-off {report['cutoff']} | analysis plan {report['analysis_plan']['version']}"
        " | uncontrolled case series, not a controlled trial"
    )
    synthetic = bool(report.get("synthetic"))

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._decorate(number, total)
                super().showPage()
            super().save()

        def _decorate(self, number: int, total: int) -> None:
            width, height = self._pagesize
            self.setFont("Helvetica", 7)
            self.setFillColor(colors.black)
            self.drawString(15 * mm, 10 * mm, footer)
            self.drawRightString(width - 15 * mm, 10 * mm, f"page {number} of {total}")
            if synthetic:
                self.setFont("Helvetica-Bold", 9)
                self.setFillColor(colors.HexColor("#D55E00"))
                self.drawCentredString(width / 2, height - 10 * mm, SYNTHETIC)

    return NumberedCanvas
