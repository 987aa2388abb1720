"""Template tags of the portal: a clinical term with its plain explanation, and what the
staff patient page shows of the portal (the patient's reports, their unread messages)."""

from django import template
from django.utils.html import format_html

from celltrace.portal.models import CareTeamMessage, PatientReport
from celltrace.portal.plain_words import explain as explanation

register = template.Library()


@register.simple_tag
def explain(term: str):
    """Show a clinical term followed by its one-line explanation."""
    plain = explanation(term)
    if not plain:
        return term
    return format_html(
        '<abbr title="{}">{}</abbr> <span class="muted">({})</span>', plain, term, plain
    )


@register.simple_tag
def sent_reports(patient):
    """The reports the patient sent through the portal, newest first."""
    return PatientReport.objects.filter(patient=patient)


@register.simple_tag
def unread_from(patient) -> int:
    """How many of the patient's messages the care team has not read."""
    return CareTeamMessage.objects.filter(
        patient=patient, from_patient=True, read_at__isnull=True
    ).count()
