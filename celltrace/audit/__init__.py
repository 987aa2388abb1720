"""Who changed clinical records: helpers for the audit history kept by django-simple-history."""

from django.db import models


def save_by(record: models.Model, user) -> models.Model:
    """Save a record with its author in the audit history, also outside a web request."""
    record._history_user = user
    record.save()
    return record
