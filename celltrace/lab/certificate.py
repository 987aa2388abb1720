"""The certificate of analysis of a released lot: its identity, every QC result, the signature."""

from __future__ import annotations

import datetime as dt
import io
import re
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from celltrace.accounts import site_time
from celltrace.clinical import numbers, qc
from celltrace.lab.models import ProductLot
from celltrace.lab.release_record import release_signature, shown_release
from celltrace.signatures.models import Signature
from celltrace.signatures.service import Shown, shown_signatures

# The PDF's standard fonts have no signs for these: write them out.
PLAIN = str.maketrans({"≥": ">=", "≤": "<="})
SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
POWER = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+")


def _text(value) -> str:
    """Escape the text for a paragraph; powers of ten (10⁷) become superscript markup."""
    text = escape(str(value).translate(PLAIN))
    return POWER.sub(lambda m: f"<super>{m.group().translate(SUPERSCRIPT)}</super>", text)


def _when(moment, site) -> str:
    local = timezone.localtime(moment, site_time.zone(site))
    utc = moment.astimezone(dt.UTC)
    return f"{local:%Y-%m-%d %H:%M} {site.time_zone} ({utc:%Y-%m-%d %H:%M} UTC)"


def certificate_pdf(lot: ProductLot) -> bytes:
    """Return the certificate as PDF bytes; the lot must carry a release signature."""
    signature = release_signature(lot)
    shown = shown_release(lot)
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    buffer = io.BytesIO()
    # Uncompressed, as the other printouts: a reader or a test finds what it says.
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, pageCompression=0
    )
    story = [
        Paragraph(_text(f"Certificate of analysis: lot {lot.code}"), styles["Title"]),
        _identity(lot, small),
        Spacer(1, 4 * mm),
        Paragraph("Quality control: every result recorded", styles["Heading2"]),
        _results(lot, signature.content.get("specifications", {}), small),
        Spacer(1, 4 * mm),
        *_accepted_risk(lot, styles),
        Paragraph("Release", styles["Heading2"]),
        *_signature(shown, lot, styles),
    ]
    doc.build(story)
    return buffer.getvalue()


def _identity(lot: ProductLot, style) -> Table:
    product, site = lot.product, lot.site
    if lot.source_patient_id:
        whose = f"Patient {lot.source_patient.full_name} ({lot.source_patient.code}), autologous"
    else:
        whose = f"Donor {lot.donor_code}, allogeneic"
    plan = f"Plan #{lot.plan.label}, {lot.plan.patient.full_name}" if lot.plan_id else "—"
    volume = f" in {numbers.plain(lot.volume_ml)} mL" if lot.volume_ml else ""
    rows = [
        ("Lot code", lot.code),
        # The ISBT 128 donation identification number, once lots carry one.
        ("ISBT 128 DIN", getattr(lot, "din", "") or "—"),
        ("Product", f"{product.name} ({product.code})"),
        ("Patient or donor", whose),
        ("For plan", plan),
        ("Site", f"{site.name} ({site.code})"),
        ("Made", _when(lot.made_at, site)),
        ("Expires", _when(lot.expires_at, site)),
        ("Released", _when(lot.released_at, site) if lot.released_at else "—"),
        ("Viable content", lot.content_label + volume),
    ]
    table = Table(
        [[Paragraph(f"<b>{_text(k)}</b>", style), Paragraph(_text(v), style)] for k, v in rows],
        colWidths=[40 * mm, 140 * mm],
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _results(lot: ProductLot, signed_specs: dict, style) -> Table:
    rows = [["Test", "Specification", "Result", "Verdict", "Tested by", "Tested at"]]
    results = lot.qc_results.select_related("specification", "tested_by").order_by(
        "tested_at", "pk"
    )
    for result in results:
        spec = result.specification
        # The criterion as signed at release: the catalog may have changed it since.
        limits = signed_specs.get(spec.test) or {
            "minimum": spec.minimum, "maximum": spec.maximum, "unit": spec.unit
        }  # fmt: skip
        criterion = qc.Spec(spec.test, spec.get_test_display(), **limits)
        unit = limits["unit"] or ""
        value = "—" if result.value is None else numbers.quantity(result.value, unit)
        rows.append(
            [
                Paragraph(_text(spec.get_test_display()), style),
                Paragraph(_text(criterion.describe()), style),
                Paragraph(_text(value), style),
                Paragraph("pass" if result.passed else "<b>FAIL</b>", style),
                Paragraph(_text(result.tested_by), style),
                Paragraph(_text(_when(result.tested_at, lot.site)), style),
            ]
        )
    if len(rows) == 1:
        rows.append(["No result recorded", "", "", "", "", ""])
    widths = [30 * mm, 30 * mm, 28 * mm, 16 * mm, 28 * mm, 48 * mm]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTSIZE", (0, 0), (-1, 0), 8),
            ]
        )
    )
    return table


def _accepted_risk(lot: ProductLot, styles) -> list:
    """The treating physician's signed acceptance of the risk, before an exceptional release."""
    accepted = shown_signatures(
        lot, time_zone=lot.site.time_zone, meaning=Signature.Meaning.RISK_ACCEPTANCE
    )
    if not accepted:
        return []
    return [
        Paragraph("Acceptance of the risk", styles["Heading2"]),
        *(Paragraph(_text(s.line), styles["BodyText"]) for s in accepted),
        Spacer(1, 4 * mm),
    ]


def _signature(shown: Shown, lot: ProductLot, styles) -> list:
    body = styles["BodyText"]
    lines = [
        f"Signed by {shown.printed_name}",
        f"Meaning: {shown.meaning_label}",
        f"Signed at {_when(shown.signed_at_utc, lot.site)}",
        f"SHA-256 of the signed record: {shown.record_hash}",
    ]
    story = [Paragraph(_text(line), body) for line in lines]
    if shown.matches:
        story.append(Paragraph("The record matches what was signed.", body))
    else:
        story.append(
            Paragraph(
                "<b>CHANGED AFTER SIGNING: the lot's record or a QC result no longer matches "
                "what was signed. This certificate does not certify the record as it is "
                "now.</b>",
                body,
            )
        )
        story.append(Paragraph(_text("Changed: " + ", ".join(shown.changed)), body))
    story.append(Spacer(1, 4 * mm))
    printed = timezone.now()
    story.append(Paragraph(_text(f"Printed {_when(printed, lot.site)}"), styles["BodyText"]))
    return story
