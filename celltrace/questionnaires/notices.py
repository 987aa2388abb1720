"""The patient's reminder that a questionnaire is due: once per questionnaire and time point.

The sweep notes each questionnaire that came due as a DueQuestionnaire row; its one e-mail
is about that row, so the outbox's key (kind, record, recipient) writes it once however
often the sweep runs. Only patients with a portal account are reminded: the e-mail asks
them to answer there (staff transcribe a paper sheet for the others).
"""

from django.db import IntegrityError, transaction
from django.urls import reverse

from celltrace.accounts import site_time
from celltrace.accounts.models import Site
from celltrace.audit import save_by
from celltrace.clinical.questionnaires import due_now
from celltrace.followup.models import FollowUpEnd
from celltrace.outbox.kinds import Kind
from celltrace.outbox.queue import Recipient, notify
from celltrace.outbox.writing import link
from celltrace.patients.models import Patient
from celltrace.questionnaires.forms import title
from celltrace.questionnaires.models import DueQuestionnaire
from celltrace.questionnaires.queries import questionnaires_for


def remind_questionnaires() -> int:
    """Remind each patient of every questionnaire that came due since the last round."""
    written = 0
    ended = FollowUpEnd.objects.values("patient_id")
    for site in Site.objects.all():
        today = site_time.today(site)
        patients = (
            Patient.objects.filter(site=site, portal_user__isnull=False)
            .exclude(pk__in=ended)
            .select_related("site", "condition")
        )
        for patient in patients:
            for questionnaire in due_now(questionnaires_for(patient, today=today)):
                written += _remind(patient, questionnaire)
    return written


def _remind(patient: Patient, questionnaire) -> int:
    key = {
        "patient": patient,
        "instrument": questionnaire.instrument,
        "timepoint": questionnaire.timepoint,
    }
    if DueQuestionnaire.objects.filter(**key).exists():
        return 0
    window = questionnaire.window
    due = DueQuestionnaire(**key, opens_on=window.opens, closes_on=window.closes)
    try:
        with transaction.atomic():  # another worker's sweep noticed it at the same moment
            save_by(due, None)  # the sweep noticed it: no person did
    except IntegrityError:
        return 0
    context = {
        "due_date": questionnaire.window.closes,
        "questionnaire": title(questionnaire.instrument),
        "portal_url": link(reverse("questionnaires:answer", args=[questionnaire.instrument])),
    }
    notify(Kind.QUESTIONNAIRE_DUE, Recipient.patient_of(patient), about=due, context=context)
    return 1
