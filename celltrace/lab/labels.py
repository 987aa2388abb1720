"""A lot's labels as PDF for label printers: the container label and the partial label.

The content (what each label says and every barcode's data) is built framework-free by
`celltrace.clinical.labels` from the lot's facts read here; this module only places it on a
page of the printer's label size, one label per page. Text is Helvetica, the printers' and
PDF's standard font, so the PDF is readable text (pageCompression=0) and prints anywhere.
"""

from __future__ import annotations

import io

from django.http import HttpResponse
from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.ecc200datamatrix import ECC200DataMatrix
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from celltrace.catalog.models import Source
from celltrace.clinical import labels
from celltrace.lab.models import LabelPrint

CONTAINER_SIZE = (102 * mm, 76 * mm)  # 4 x 3 inch, a size thermal label printers take
PARTIAL_SIZE = (50 * mm, 25 * mm)
FONT, BOLD = "Helvetica", "Helvetica-Bold"
DONOR_STATUS = "ALLOGENEIC — donor eligibility: see record"
# ST-001 asks for a quiet zone of at least 10 times the narrowest bar on each side.
QUIET_MODULES = 10
# Characters the standard fonts (WinAnsi) lack: written so the meaning survives.
SPELLED = {"≤": "<=", "≥": ">=", "−": "-", "µ": "u"}


def donor_status_text(lot) -> str:
    """What a donor product's label says instead of "FOR AUTOLOGOUS USE ONLY".

    21 CFR 1271.60(d): a product used before the donor's determination is labelled "NOT
    EVALUATED FOR INFECTIOUS SUBSTANCES"; 1271.65(b)(2): an ineligible donor's product
    carries the communicable disease warning.
    """
    state = lot.donor_state
    if state == "segregated":
        return "INELIGIBLE DONOR — WARNING: Advise patient of communicable disease risks"
    if state == "quarantine":
        return "QUARANTINE — NOT EVALUATED FOR INFECTIOUS SUBSTANCES"
    return f"ALLOGENEIC — donor {lot.donor.code} eligible" if lot.donor_id else DONOR_STATUS


def lot_facts(lot) -> labels.LotFacts:
    """Read the facts a label shows from a lot, its product, plan and site."""
    patient = lot.plan.patient if lot.plan_id else lot.source_patient
    product, site = lot.product, lot.site
    autologous = product.source == Source.AUTOLOGOUS
    return labels.LotFacts(
        din=lot.din,
        division=lot.division,
        product_name=product.name,
        product_description_code=product.isbt_product_code,
        autologous=autologous,
        donor_status="" if autologous else donor_status_text(lot),
        recipient_name=patient.full_name if patient else None,
        recipient_id=patient.code if patient else None,
        collected_at=lot.made_at,
        expires_at=lot.expires_at,
        time_zone=site.time_zone,
        volume_ml=lot.volume_ml,
        storage_temperature=product.storage_temperature,
        facility_name=site.name,
        fin=site.isbt_fin,
    )


def label_content(lot, kind: str) -> labels.ContainerLabel | labels.PartialLabel:
    """Build what a label of this kind says for the lot."""
    if kind == LabelPrint.Kind.PARTIAL:
        return labels.partial_label(lot_facts(lot))
    return labels.container_label(lot_facts(lot))


def _code128(value: str, *, bar_width: float, height: float) -> Code128:
    quiet = QUIET_MODULES * bar_width
    return Code128(
        value,
        barWidth=bar_width,
        barHeight=height,
        humanReadable=0,
        lquiet=quiet,
        rquiet=quiet,
    )


def container_barcodes(label: labels.ContainerLabel) -> dict:
    """The barcodes of a container label, by what they carry."""
    linear = {"bar_width": 0.25 * mm, "height": 9 * mm}
    # 44 x 44 modules of 0.45 mm: 20 mm square; drawn from its own corner (x, y).
    matrix = ECC200DataMatrix(label.datamatrix_data, barWidth=0.45 * mm, x=0, y=0)
    matrix.validate()
    matrix.encode()
    return {
        "din": _code128(label.din_data, **linear),
        "product_code": _code128(label.product_code_data, **linear),
        "expiry": _code128(label.expiry_data, bar_width=0.25 * mm, height=6 * mm),
        "datamatrix": matrix,
    }


def partial_barcodes(label: labels.PartialLabel) -> dict:
    return {"din": _code128(label.din_data, bar_width=0.19 * mm, height=6.5 * mm)}


def printable(text: str) -> str:
    """The text in the standard fonts' character set; a missing character never vanishes."""
    text = "".join(SPELLED.get(char, char) for char in text)
    return text.encode("cp1252", errors="replace").decode("cp1252")


def _line(canvas, x, y, text, *, size, width, font=FONT, right=False):
    """Write one line, shrunk to fit `width` (down to 4.5 pt), then cut with an ellipsis."""
    text = printable(text)
    while size > 4.5 and stringWidth(text, font, size) > width:
        size -= 0.25
    while len(text) > 1 and stringWidth(text, font, size) > width:
        text = text[:-2] + "…"
    canvas.setFont(font, size)
    if right:
        canvas.drawRightString(x, y, text)
    else:
        canvas.drawString(x, y, text)


def _din_with_boxed_check(canvas, x, y, din: str, check: str, *, size: float) -> None:
    """The DIN, then its check character K in a box beside it (ST-001)."""
    canvas.setFont(BOLD, size)
    canvas.drawString(x, y, din)
    k_x = x + stringWidth(din, BOLD, size) + size * 0.5
    canvas.drawString(k_x + size * 0.25, y, check)
    box = stringWidth(check, BOLD, size) + size * 0.5
    canvas.rect(k_x, y - size * 0.25, box, size * 1.15)


def _container_page(canvas, label: labels.ContainerLabel) -> None:
    width, height = CONTAINER_SIZE
    left, usable = 3 * mm, width - 6 * mm
    codes = container_barcodes(label)
    codes["din"].drawOn(canvas, left - codes["din"].lquiet, height - 12 * mm)
    code = codes["product_code"]
    code.drawOn(canvas, width - left - code.width + code.rquiet, height - 12 * mm)
    _din_with_boxed_check(
        canvas, left, height - 16.5 * mm, label.din, label.check_character, size=11
    )
    _line(canvas, width - left, height - 16.5 * mm, label.product_code_data[2:], size=9,
          width=30 * mm, font=BOLD, right=True)  # fmt: skip
    _line(canvas, left, height - 22 * mm, label.product_name, size=10, width=usable, font=BOLD)
    _line(canvas, left, height - 26 * mm, label.product_code, size=7, width=usable)
    _line(canvas, left, height - 32 * mm, label.use_statement, size=11, width=usable, font=BOLD)
    text_width = 74 * mm  # the DataMatrix takes the bottom right corner
    rows = [
        (label.recipient, BOLD),
        (label.collected, FONT),
        (label.expires, BOLD),
        (label.expires_utc, FONT),
        (label.volume, FONT),
        (label.storage, BOLD),
        (label.facility, FONT),
    ]
    for number, (text, font) in enumerate(rows):
        y = height - (37 + 3.5 * number) * mm
        _line(canvas, left, y, text, size=7.5, width=text_width, font=font)
    codes["expiry"].drawOn(canvas, left - codes["expiry"].lquiet, 6 * mm)
    matrix = codes["datamatrix"]
    matrix.drawOn(canvas, width - left - 44 * matrix.barWidth, 5.5 * mm)
    _line(canvas, left, 2.2 * mm, label.identify_statement, size=7, width=usable, font=BOLD)


def _partial_page(canvas, label: labels.PartialLabel) -> None:
    width, height = PARTIAL_SIZE
    left, usable = 2 * mm, width - 4 * mm
    _din_with_boxed_check(canvas, left, height - 5.5 * mm, label.din, label.check_character, size=9)
    _line(canvas, left, height - 9.5 * mm, label.product_name, size=6.5, width=usable, font=BOLD)
    _line(canvas, left, height - 13 * mm, label.recipient, size=6.5, width=usable)
    code = partial_barcodes(label)["din"]
    code.drawOn(canvas, left - code.lquiet, 2 * mm)


def labels_pdf(pages: list[tuple[str, object, int]], *, title: str) -> bytes:
    """Return the PDF of the labels: (kind, content, copies) each, one label a page."""
    buffer = io.BytesIO()
    # Uncompressed: a reader or a test finds what the labels say.
    canvas = Canvas(buffer, pagesize=CONTAINER_SIZE, pageCompression=0)
    canvas.setTitle(title)
    for kind, content, copies in pages:
        size = PARTIAL_SIZE if kind == LabelPrint.Kind.PARTIAL else CONTAINER_SIZE
        draw = _partial_page if kind == LabelPrint.Kind.PARTIAL else _container_page
        for _copy in range(copies):
            canvas.setPageSize(size)
            draw(canvas, content)
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def pdf_response(printed: list) -> HttpResponse:
    """The recorded printings' labels as one PDF download, named by the DIN of a single lot."""
    pages = [(p.kind, label_content(p.lot, p.kind), p.copies) for p in printed]
    first = printed[0]
    if len(printed) == 1:
        title = f"Labels of DIN {first.lot.din}"
        filename = f"labels-{first.lot.din}-{first.lot.division}-{first.kind}.pdf"
    else:
        title = f"Labels of {len(printed)} lots"
        filename = f"labels-{len(printed)}-lots-{first.kind}.pdf"
    response = HttpResponse(labels_pdf(pages, title=title), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _times(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def print_summaries(prints) -> list[str]:
    """Say, per kind of label, how often the lot's labels were printed and reprinted."""
    summaries = []
    for kind, name in LabelPrint.Kind.choices:
        count = sum(1 for p in prints if p.kind == kind)
        if count:
            reprints = _times(count - 1, "reprint", "reprints")
            summaries.append(
                f"{name} printed {_times(count, 'time', 'times')}: 1 original, {reprints}"
            )
    return summaries
