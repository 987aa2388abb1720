"""The list of conditions with how many patients each has (the report itself: reports.py)."""

from django.db.models import Count, Q

from celltrace.catalog.models import Condition


def conditions_with_counts(user):
    """Every condition with how many of the user's patients have it."""
    in_scope = Q() if user.sees_every_site else Q(patients__site_id=user.site_id)
    return Condition.objects.annotate(patient_count=Count("patients", filter=in_scope))
