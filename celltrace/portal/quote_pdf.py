"""The quote as PDF, for the patient to keep: every line, the total and its currency.

Written in the patient's language where the portal is translated (the active language when
it is made); the lines are the plan's, as priced when the plan was made.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate

from celltrace.care.letter_pdf import table
from celltrace.pdf_styles import stylesheet
from celltrace.plans.models import TreatmentPlan


def quote_pdf(plan: TreatmentPlan) -> bytes:
    """Return the plan's all-inclusive quote as PDF bytes."""
    styles = stylesheet()
    buffer = io.BytesIO()
    # Uncompressed, as the discharge letter: a reader (or a test) finds what it says.
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        title=_("Quote"),
        pageCompression=0,
    )
    patient = plan.patient
    story = []
    if patient.synthetic:
        story.append(Paragraph(_("SYNTHETIC DEMO DATA: not a real patient"), styles["Heading2"]))
    story += [
        Paragraph(escape(_("Your all-inclusive quote")), styles["Title"]),
        _text(
            _("For %(name)s, treatment plan %(plan)s, %(site)s.")
            % {"name": patient.full_name, "plan": plan.label, "site": patient.site.name},
            styles,
        ),
        _text(
            _("Planned stay: %(start)s to %(end)s.")
            % {"start": _date(plan.admission_date), "end": _date(plan.discharge_date)},
            styles,
        ),
    ]
    rows = [[_("What"), _("How many"), _("Price each"), _("Amount")]]
    rows += [
        [line.description, str(line.quantity), plan.price(line.unit_price), plan.price(line.amount)]
        for line in plan.quote_lines.all()
    ]
    rows.append([_("Total"), "", "", plan.price(plan.quote_total)])
    story.append(table(rows, [95, 20, 32, 33], styles["BodyText"]))
    story.append(
        _text(
            _(
                "The quote includes the treatment, the stay, the interpreter, airport transfers "
                "and meals: there are no hidden costs. Amounts are in %(currency)s."
            )
            % {"currency": plan.currency},
            styles,
        )
    )
    acceptance = plan.quote_acceptance
    if acceptance:
        story.append(
            _text(
                _("Accepted by %(name)s on %(date)s.")
                % {"name": acceptance.accepted_by_name, "date": _date(acceptance.accepted_at)},
                styles,
            )
        )
    else:
        story.append(_text(_("Not accepted yet."), styles))
    doc.build(story)
    return buffer.getvalue()


def _text(value: str, styles) -> Paragraph:
    return Paragraph(escape(value), styles["BodyText"])


def _date(value) -> str:
    return formats.date_format(value, "DATE_FORMAT")
