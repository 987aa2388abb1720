"""The patient's records that no FHIR resource of ours carries yet, as plain JSON.

Messages with the care team, the reports the patient sent, check-up appointments, the
advisor's consultations with their estimates and the questionnaires that came due: the
export holds them in `records.json` beside the FHIR bundle (privacy/coverage.py says where
every kind of record goes), so the whole record is the patient's to take.
"""

from __future__ import annotations

from celltrace.followup.models import Appointment
from celltrace.intake.models import Consultation
from celltrace.patients.models import Patient
from celltrace.portal.models import CareTeamMessage, PatientReport
from celltrace.questionnaires.models import DueQuestionnaire


def plain_records(patient: Patient, report_paths: dict[int, str]) -> dict:
    """Return the records as JSON-ready lists; `report_paths` maps a report to its file."""
    return {
        "patient": patient.code,
        "messages": [_message(m) for m in _messages(patient)],
        "reports": [_report(r, report_paths[r.pk]) for r in patient_reports(patient)],
        "appointments": [_appointment(a) for a in _appointments(patient)],
        "consultations": [_consultation(c) for c in _consultations(patient)],
        "questionnaires_due": [_due(d) for d in DueQuestionnaire.objects.filter(patient=patient)],
    }


def patient_reports(patient: Patient):
    return (
        PatientReport.objects.filter(patient=patient).select_related("uploaded_by").order_by("pk")
    )


def _messages(patient):
    return CareTeamMessage.objects.filter(patient=patient).select_related("author", "read_by")


def _appointments(patient):
    return Appointment.objects.filter(item__patient=patient).select_related("item", "booked_by")


def _consultations(patient):
    return (
        Consultation.objects.filter(request__patient=patient)
        .select_related("advisor")
        .prefetch_related("estimate_lines")
    )


def _when(moment) -> str | None:
    return moment.isoformat() if moment else None


def _message(message: CareTeamMessage) -> dict:
    return {
        "sent_at": message.sent_at.isoformat(),
        "from": "patient" if message.from_patient else "care team",
        "author": str(message.author),
        "body": message.body,
        "read_at": _when(message.read_at),
    }


def _report(report: PatientReport, path: str) -> dict:
    return {
        "path": path,
        "original_name": report.original_name,
        "content_type": report.content_type,
        "size": report.size,
        "recorded_sha256": report.sha256,
        "note": report.note,
        "uploaded_at": report.uploaded_at.isoformat(),
        "uploaded_by": str(report.uploaded_by),
    }


def _appointment(appointment: Appointment) -> dict:
    item = appointment.item
    return {
        "check_up": item.title,
        "window": [_when(item.window_opens), _when(item.window_closes)],
        "starts_at": appointment.starts_at.isoformat(),
        "place": appointment.get_place_display(),
        "link": appointment.link,
        "phone": appointment.phone,
        "outside_window_reason": appointment.outside_window_reason,
        "status": appointment.get_status_display(),
        "status_note": appointment.status_note,
    }


def _consultation(consultation: Consultation) -> dict:
    return {
        "starts_at": consultation.starts_at.isoformat(),
        "minutes": consultation.minutes,
        "mode": consultation.get_mode_display(),
        "advisor": str(consultation.advisor),
        "status": consultation.get_status_display(),
        "could_help": consultation.get_could_help_display(),
        "could_help_reason": consultation.could_help_reason,
        "involves": consultation.involves,
        "stay_days": [consultation.stay_days_min, consultation.stay_days_max],
        "currency": consultation.currency,
        "estimate": [_money(consultation.estimate_low), _money(consultation.estimate_high)],
        "estimate_lines": [
            {
                "description": line.description,
                "unit_price": _money(line.unit_price),
                "quantity": [line.quantity_low, line.quantity_high],
                "amount": [_money(line.amount_low), _money(line.amount_high)],
            }
            for line in sorted(consultation.estimate_lines.all(), key=lambda line: line.position)
        ],
    }


def _due(due: DueQuestionnaire) -> dict:
    return {
        "instrument": due.instrument,
        "timepoint": due.timepoint,
        "opens_on": due.opens_on.isoformat(),
        "closes_on": due.closes_on.isoformat(),
    }


def _money(value) -> str | None:
    return None if value is None else str(value)
