"""Patients answering their questionnaires in the portal, on the demo's last day.

A few treated patients with questionnaires due today answer them through the product's own
action (questionnaires.actions.answer_questionnaire), as themselves, so their answers are
scored by the instruments and stored as patient-reported. The next such patient keeps theirs
due, to answer in the demo: they sign in as `demo-patient-questionnaire` with the demo
password (the `demo-patient` login's patient is weeks after discharge, with home care, when
no questionnaire window is open). The answers lean where the patient's
last values are (answer_sheets.py); SCIM-SR, which staff never record, leans on SCIM III.
"""

from celltrace.clinical.questionnaires import due_now
from celltrace.demo import answer_sheets, setup
from celltrace.outcomes import instruments
from celltrace.outcomes.models import Measurement
from celltrace.patients.models import Patient
from celltrace.questionnaires.actions import answer_questionnaire
from celltrace.questionnaires.queries import questionnaires_for

ANSWERING = 8  # patients who answer today's questionnaires in the portal
DUE_LOGIN = "demo-patient-questionnaire"  # the patient who keeps theirs due
LEANS_ON = {"scim_sr": "scim3"}  # a self-report measure staff never record: its staff twin


def patients_answer_questionnaires(admin, on) -> int:
    """Let the first treated patients with questionnaires due today answer; return how many."""
    treated = (
        Patient.objects.filter(
            stays__administrations__isnull=False,
            follow_up_end__isnull=True,
        )
        .exclude(portal_user__username__startswith="demo-")
        .distinct()
        .select_related("site", "condition")
        .order_by("pk")
    )
    answered = 0
    for patient in treated:
        due = [q.instrument for q in due_now(questionnaires_for(patient))]
        targets = _targets(patient, due)
        if not targets:
            continue
        if answered == ANSWERING:
            _open_portal(patient, admin, username=DUE_LOGIN)
            break
        _open_portal(patient, admin)
        sheets = answer_sheets.Patient(
            f"portal-{patient.pk}", born=patient.date_of_birth, sex=patient.sex
        ).sheets(targets, on)
        for code, data in sheets.items():
            answer_questionnaire(patient, patient.portal_user, code, data)
        answered += 1
    return answered


def _targets(patient, codes) -> dict[str, float]:
    """Each due questionnaire's measures, aimed at the patient's last value (none: skipped)."""
    targets = {}
    for code in codes:
        wanted = {}
        for measure in instruments.instrument(code).measures:
            last = (
                Measurement.objects.filter(
                    patient=patient, instrument=LEANS_ON.get(measure.code, measure.code)
                )
                .order_by("measured_on", "pk")
                .last()
            )
            if last is None:
                break
            wanted[measure.code] = last.value
        else:
            targets |= wanted
    return targets


def _open_portal(patient, admin, *, username: str | None = None) -> None:
    """The patient's portal account: the demo's login if named, else one nobody uses (kept
    if the patient has one from discharge, for the home-care doses)."""
    if username or patient.portal_user is None:
        setup.create_portal_login(patient, admin, username=username)
