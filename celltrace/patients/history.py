"""A patient's audit trail: every recorded change to any of their clinical records."""

import datetime as dt
from itertools import chain, islice

from django.utils import timezone

# Each audited model and the path from its history rows to the patient.
_PATIENT_PATHS = [
    ("patients.Patient", "id"),
    ("intake.ConsultationRequest", "patient_id"),
    ("intake.ContactNote", "request__patient_id"),
    ("intake.Attachment", "request__patient_id"),
    ("screening.Screening", "patient_id"),
    ("screening.PatientFact", "patient_id"),
    ("screening.ScreeningSignature", "screening__patient_id"),
    ("plans.TreatmentPlan", "patient_id"),
    ("plans.PlannedProduct", "plan__patient_id"),
    ("plans.PlannedTherapy", "plan__patient_id"),
    ("lab.ProductLot", "plan__patient_id"),
    ("lab.ProcessStep", "lot__plan__patient_id"),
    ("lab.QCResult", "lot__plan__patient_id"),
    ("stays.Stay", "patient_id"),
    ("stays.Administration", "stay__patient_id"),
    ("stays.AdverseEvent", "stay__patient_id"),
    ("followup.FollowUpItem", "patient_id"),
    ("outcomes.Measurement", "patient_id"),
    ("outcomes.Relapse", "patient_id"),
]

_VERBS = {"+": "created", "~": "changed", "-": "deleted"}


def patient_history(patient, *, limit: int = 200) -> list[dict]:
    """Return the newest changes to the patient's records, newest first."""
    from django.apps import apps

    streams = []
    for label, path in _PATIENT_PATHS:
        model = apps.get_model(label)
        rows = (
            model.history.filter(**{path: patient.pk})
            .select_related("history_user")
            .order_by("-history_date")[:limit]
        )
        kind = model._meta.verbose_name
        streams.append([_describe(row, kind) for row in rows])
    merged = sorted(chain.from_iterable(streams), key=lambda e: e["when"], reverse=True)
    return list(islice(merged, limit))


def _describe(row, kind: str) -> dict:
    changes = []
    if row.history_type == "~" and row.prev_record is not None:
        delta = row.diff_against(row.prev_record)
        changes = [f"{c.field}: {_shown(c.old)} → {_shown(c.new)}" for c in delta.changes]
    return {
        "when": row.history_date,
        "who": row.history_user or "system",
        "what": f"{kind} {_VERBS.get(row.history_type, row.history_type)}",
        "record": str(row.instance) if row.history_type != "-" else f"#{row.id}",
        "changes": changes,
    }


def _shown(value) -> str:
    """Write a changed value as a person reads it, not as Python prints it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(value)
