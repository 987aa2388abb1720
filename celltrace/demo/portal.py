"""The demo patient's portal: a conversation with the care team and a report sent from home.

Written through the portal's own actions with the clock moved to each moment, as the
patient's and the coordinator's clicks would have written them. Each audit table is written
in time order, so the portal is opened and the conversation held after the stories' last
step and before now (`start`). The last question is still unread, so the care team's inbox
shows it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from celltrace.accounts.models import Role
from celltrace.demo import setup
from celltrace.patients.models import Patient
from celltrace.portal.actions import answer_patient, send_report, write_to_care_team

# (share of the time from discharge to now, who, what): the patient home, then the team.
CONVERSATION = (
    (0.30, "patient", "Since I came home I feel more tired in the afternoons. Is that normal?"),
    (
        0.32,
        "team",
        "Thank you for telling us. Tiredness in the first weeks is common and usually passes. "
        "Please rest when you need to, and send us your next blood test when you have it.",
    ),
    (0.60, "report", "Blood test from my family doctor"),
    (0.62, "team", "We received your blood test: the values are within the normal ranges."),
    (0.90, "patient", "May I start swimming again?"),
)


def open_portal(
    patient: Patient, clinic, move_to: Callable[[dt.datetime], None], *, start, now
) -> None:
    """Give the patient their portal login, then replay the conversation, each step in time."""
    # Whole seconds (the demo's clock moves by them), never before `start` nor after now.
    start = min(start.replace(microsecond=0) + dt.timedelta(seconds=1), now)
    move_to(start + (now - start) * 0.05)
    user = setup.create_portal_login(patient, clinic.admin)
    coordinator = clinic.staff[patient.site.code][Role.COORDINATOR.value]
    for share, who, text in CONVERSATION:
        move_to(start + (now - start) * share)
        if who == "patient":
            write_to_care_team(patient, user, body=text)
        elif who == "team":
            answer_patient(patient, coordinator, body=text)
        else:
            send_report(patient, user, _blood_test(patient), note=text)


def _blood_test(patient: Patient) -> SimpleUploadedFile:
    """A one-page synthetic lab report, as a family doctor's practice would print it."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, pageCompression=0)
    lines = [
        "SYNTHETIC DEMO DATA: not a real patient",
        f"Blood test for {patient.full_name}",
        "Haemoglobin 13.8 g/dL (12.0-16.0)",
        "Leukocytes 6.1 x 10^9/L (4.0-10.0)",
        "CRP 2 mg/L (< 5)",
    ]
    for number, line in enumerate(lines):
        page.drawString(72, 770 - 20 * number, line)
    page.showPage()
    page.save()
    return SimpleUploadedFile("blood-test.pdf", buffer.getvalue(), content_type="application/pdf")
