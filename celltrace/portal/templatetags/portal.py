"""What the staff patient page shows of the portal: the patient's reports, unread messages."""

from django import template

from celltrace.portal.models import CareTeamMessage, PatientReport

register = template.Library()


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
