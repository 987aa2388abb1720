"""The printed screening report: the decision, every rule's result and the signatures."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from celltrace.pdf_styles import stylesheet
from celltrace.signatures.service import shown_signatures

OUTCOMES = {"met": "Found", "not_met": "Not found", "unknown": "Not known"}


def screening_pdf(screening, *, required_signatures: int) -> bytes:
    """Return the report as PDF bytes, for the patient's file."""
    styles = stylesheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    buffer = io.BytesIO()
    # Uncompressed, as the discharge letter: a reader or a test finds what it says.
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, pageCompression=0
    )
    patient = screening.patient
    story = [
        Paragraph(
            escape(f"Screening report: {patient.full_name} ({patient.code})"), styles["Title"]
        ),
        Paragraph(escape(_header(screening, required_signatures)), styles["BodyText"]),
    ]
    if screening.new_cautions:
        new = "; ".join(screening.new_cautions)
        story.append(
            Paragraph(
                escape(
                    f"New on day one, since the plan's decision: {new}. No product is given "
                    f"until {required_signatures} doctors have signed, each with a justification."
                ),
                styles["BodyText"],
            )
        )
    story.append(Spacer(1, 4 * mm))
    rows = [["Rule", "Kind", "Result", "Why, and the facts used"]]
    for result in screening.results:
        why = result["reason"] + (
            "" if not result["facts"] else " Facts: " + "; ".join(result["facts"])
        )
        rows.append(
            [
                Paragraph(escape(result["label"]), small),
                Paragraph(escape(result["kind"].replace("_", " ")), small),
                Paragraph(OUTCOMES.get(result["outcome"], result["outcome"]), small),
                Paragraph(escape(why), small),
            ]
        )
    table = Table(rows, colWidths=[45 * mm, 22 * mm, 18 * mm, 95 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTSIZE", (0, 0), (-1, 0), 8),
            ]
        )
    )
    story += [table, Spacer(1, 4 * mm), Paragraph("Signatures", styles["Heading2"])]
    for signature in screening.signatures.all():
        line = f"{signature.doctor} on {signature.signed_at:%Y-%m-%d %H:%M %Z}: {signature.meaning}"
        story.append(Paragraph(escape(line), styles["BodyText"]))
        for rule_id, text in signature.justifications.items():
            story.append(Paragraph(escape(f"Caution {rule_id}: {text}"), small))
    zone = screening.patient.site.time_zone
    for shown in shown_signatures(screening, time_zone=zone):
        story.append(Paragraph(escape(shown.line), small))
    doc.build(story)
    return buffer.getvalue()


def _header(screening, required: int) -> str:
    status = (
        "final"
        if screening.is_final
        else f"not final ({screening.signatures.count()} of {required} signatures)"
    )
    ruleset = screening.ruleset.version if screening.ruleset else "checklist"
    return (
        f"Decision: {screening.get_decision_display()} ({status}). "
        f"Rule set version {ruleset}; {screening.get_purpose_display().lower()}; "
        f"treatment date {screening.treatment_date}; {screening.source} cells. "
        f"Run by {screening.doctor} on {screening.decided_at:%Y-%m-%d %H:%M}. {screening.reasons}"
    )
