"""The portal's writes: the patient writes to the care team and sends reports; the team answers.

A patient acts only on their own record (the account linked to it); a member of the care team
only on patients of their site. Every write is audited (django-simple-history via save_by).
"""

from __future__ import annotations

import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from celltrace.accounts.access import check_actor, check_role
from celltrace.accounts.models import Role
from celltrace.audit import save_by
from celltrace.outbox.kinds import Kind
from celltrace.outbox.queue import Recipient, notify
from celltrace.outbox.writing import link
from celltrace.patients.models import Patient
from celltrace.portal.access import CARE_TEAM, PATIENT
from celltrace.portal.models import CareTeamMessage, PatientReport
from celltrace.refusal import NotAllowed, Refused
from celltrace.uploads import check_upload

BODY_MAX_LENGTH = 5000
NOTE_MAX_LENGTH = 200


@transaction.atomic
def write_to_care_team(patient: Patient, user, *, body: str) -> CareTeamMessage:
    """Send the care team a message from the patient, in the portal."""
    check_role(user, PATIENT, "write to the care team")
    _check_own(patient, user)
    return save_by(_message(patient, user, body, from_patient=True), user)


@transaction.atomic
def answer_patient(patient: Patient, user, *, body: str) -> CareTeamMessage:
    """Answer the patient for the care team; the patient is told by e-mail to sign in.

    The e-mail never holds the answer (e-mail is no safe channel for health data): it says
    that a message waits in the portal. Opening the conversation to answer marks the
    patient's messages read.
    """
    check_actor(user, CARE_TEAM, "answer a patient's message", site_id=patient.site_id)
    message = save_by(_message(patient, user, body, from_patient=False), user)
    _mark_read(patient, user, from_patient=True)
    context = {"portal_url": link("/portal/messages/") if patient.portal_user_id else ""}
    notify(Kind.CARE_TEAM_MESSAGE, Recipient.patient_of(patient), about=message, context=context)
    return message


@transaction.atomic
def read_conversation(patient: Patient, user) -> int:
    """Mark what the other side wrote as read by this user; return how many messages."""
    if user.role == Role.PATIENT:
        check_role(user, PATIENT, "read the conversation")
        _check_own(patient, user)
        return _mark_read(patient, user, from_patient=False)
    check_actor(user, CARE_TEAM, "read a patient's messages", site_id=patient.site_id)
    return _mark_read(patient, user, from_patient=True)


@transaction.atomic
def send_report(patient: Patient, user, uploaded_file, *, note: str = "") -> PatientReport:
    """Keep a medical report the patient sent, after the clinic's upload checks.

    A refused file leaves nothing behind: the check runs before anything is written, and a
    file written for a row that then fails is deleted again.
    """
    check_role(user, PATIENT, "send a medical report")
    _check_own(patient, user)
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        message = _("Keep the description under %(most)d characters.") % {"most": NOTE_MAX_LENGTH}
        raise Refused(message, code="invalid", field_errors={"note": message})
    checked = check_upload(uploaded_file)
    report = PatientReport(
        patient=patient,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        note=note,
        uploaded_by=user,
    )
    report.file.save(
        f"{uuid.uuid4().hex}.{checked.extension}", ContentFile(checked.content), save=False
    )
    try:
        return save_by(report, user)
    except BaseException:
        report.file.delete(save=False)
        raise


def _check_own(patient: Patient, user) -> None:
    if patient.portal_user_id != user.pk:
        raise NotAllowed(
            "A patient may act only on their own record.",
            code="not_own_record",
            params={"patient": patient.pk},
        )


def _message(patient: Patient, user, body: str, *, from_patient: bool) -> CareTeamMessage:
    body = (body or "").strip()
    if not body:
        message = _("Write your message first.")
        raise Refused(message, code="invalid", field_errors={"body": message})
    if len(body) > BODY_MAX_LENGTH:
        message = _("A message holds at most %(most)d characters.") % {"most": BODY_MAX_LENGTH}
        raise Refused(message, code="invalid", field_errors={"body": message})
    return CareTeamMessage(
        patient=patient, author=user, from_patient=from_patient, body=body, sent_at=timezone.now()
    )


def _mark_read(patient: Patient, user, *, from_patient: bool) -> int:
    unread = CareTeamMessage.objects.select_for_update().filter(
        patient=patient, from_patient=from_patient, read_at__isnull=True
    )
    now, count = timezone.now(), 0
    for message in unread:
        message.read_at, message.read_by = now, user
        save_by(message, user)
        count += 1
    return count
