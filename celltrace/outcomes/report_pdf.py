"""The report as a PDF file.

stand-in: replaced by the figures helper's module at merge. It prints the header only.
"""

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def report_pdf(report: dict, rows: list[dict]) -> bytes:
    """Return a PDF of the report (stand-in: title, design, cut-off, plan and its hash)."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setTitle(report["title"])
    lines = [
        report["title"],
        report["design"],
        f"Data cut-off: {report['cutoff']}",
        f"Analysis plan {report['analysis_plan']['version']}: {report['analysis_plan']['sha256']}",
        f"Treated patients: {report['flow']['treated']}",
    ]
    if report["synthetic"]:
        lines.insert(0, "SYNTHETIC DATA")
    y = 800
    for line in lines:
        page.drawString(40, y, line)
        y -= 18
    page.showPage()
    page.save()
    return buffer.getvalue()
