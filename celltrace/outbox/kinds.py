"""What the clinic writes about, in which languages, and which messages a patient may decline."""

from django.db import models

from celltrace.accounts.languages import language_of
from celltrace.accounts.models import Language


class Kind(models.TextChoices):
    # To the person who asked, then the patient
    REQUEST_RECEIVED = "request_received", "Request received"
    CONSULTATION_BOOKED = "consultation_booked", "Consultation booked"
    CONSULTATION_RESCHEDULED = "consultation_rescheduled", "Consultation moved"
    CONSULTATION_CANCELLED = "consultation_cancelled", "Consultation cancelled"
    CONSULTATION_SUMMARY = "consultation_summary", "Consultation summary and estimate"
    SCREENING_DECIDED = "screening_decided", "Screening decided"
    QUOTE_READY = "quote_ready", "Treatment plan and quote ready"
    ADMISSION_REMINDER = "admission_reminder", "Admission reminder"
    HOME_CARE_DUE = "home_care_due", "Home-care doses due"
    CHECKUP_DUE = "checkup_due", "Check-up due"
    APPOINTMENT_REMINDER = "appointment_reminder", "Check-up appointment reminder"
    QUESTIONNAIRE_DUE = "questionnaire_due", "Questionnaire due"
    CARE_TEAM_MESSAGE = "care_team_message", "New message from the care team"
    # To staff
    DAY_ONE_BLOCK = "day_one_block", "Day-one re-check blocks treatment"
    QC_FAILURE_AFTER_RELEASE = "qc_failure_after_release", "QC failure after release"
    SERIOUS_ADVERSE_EVENT = "serious_adverse_event", "Serious adverse event"


# Reminders a patient may decline ("no reminders by e-mail"). Every other message answers
# something the patient asked for or must know (a decision, a quote), or alerts staff to a
# safety event: those are always sent.
OPTIONAL = frozenset(
    {
        Kind.ADMISSION_REMINDER,
        Kind.HOME_CARE_DUE,
        Kind.CHECKUP_DUE,
        Kind.APPOINTMENT_REMINDER,
        Kind.QUESTIONNAIRE_DUE,
    }
)


# language_of lives with the clinic's languages (celltrace/accounts/languages.py): the patients'
# migration that coded the free-text languages uses it too.
__all__ = ["OPTIONAL", "Kind", "Language", "language_of"]
