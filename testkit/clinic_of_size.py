"""A clinic of a chosen size with a record of every kind, for tests that compare sizes.

`grow_clinic(site, staff, patients=n)` adds n patients to the site, each at every stage at
once: a consultation request with its notes, consultation and attachment, screening facts
and a signed screening, a plan with therapies, home care and a meal booking, a released lot
with its QC, investigation, label, alert and place in the cryostore, a stay (every other
one discharged) with its administration, adverse event, lot hold, daily round and therapy
session, follow-up with an appointment, home-care doses, outcome measurements, relapses and
MRI scans, a portal login with messages, a report and a questionnaire due, e-mails in the
outbox, and a donor and a storage tank of its own. Calling it again adds more: the same
pages, ten times the rows (celltrace/web/tests/test_query_bounds.py).

Like testkit.journey, it writes straight to the database, past the actions: for tests only.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone

from celltrace.accounts.models import Role, User
from celltrace.care.models import DailyRound, ServiceBooking, TherapySession
from celltrace.catalog.models import AdverseEventTerm, QCSpecification, Therapy
from celltrace.cryostore.actions import add_container, record_reading, record_storage_consent
from celltrace.cryostore.models import Container, StorageConsent, TemperatureAlarm
from celltrace.followup.models import Appointment, FollowUpItem
from celltrace.homecare.models import HomeCareDose
from celltrace.intake.models import Attachment, Consultation, ConsultationRequest, ContactNote
from celltrace.lab.models import Investigation, LabelPrint, LotAlert, QCResult
from celltrace.outbox.models import Message
from celltrace.outcomes.models import Measurement, MriScan, Relapse
from celltrace.plans.models import PlannedHomeCare, PlannedTherapy
from celltrace.portal.models import CareTeamMessage, PatientReport
from celltrace.questionnaires.models import DueQuestionnaire
from celltrace.screening.models import PatientFact
from celltrace.stays.models import AdverseEvent, LotHold
from testkit import PASSWORD
from testkit.journey import (
    eligible_donor,
    make_administration,
    make_lot,
    make_patient,
    make_plan,
    make_screening,
    make_stay,
)

_numbers = itertools.count(1)


@dataclass(frozen=True)
class Staff:
    """One person per staff role of the site: who the builder records each step as."""

    advisor: User
    doctor: User
    nurse: User
    lab_technician: User
    quality_reviewer: User
    coordinator: User
    manager: User


@dataclass(frozen=True)
class Journey:
    """The records of one patient the builder made, for pages that show one of them."""

    request: ConsultationRequest
    attachment: Attachment
    consultation: Consultation
    patient: object
    screening: object
    plan: object
    lot: object
    stay: object
    donor: object
    tank: Container
    alarm: TemperatureAlarm
    consent: StorageConsent
    item: FollowUpItem
    appointment: Appointment
    dose: HomeCareDose
    session: TherapySession
    booking: ServiceBooking
    event: AdverseEvent
    hold: LotHold
    investigation: Investigation
    alert: LotAlert
    message: Message
    report: PatientReport
    portal_user: User


def grow_clinic(site, staff: Staff, *, patients: int) -> list[Journey]:
    """Add `patients` patients to `site`, each with a record of every kind (see above)."""
    return [_journey(site, staff, next(_numbers), home=k % 2 == 0) for k in range(patients)]


def _journey(site, staff: Staff, n: int, *, home: bool) -> Journey:
    now = timezone.now()
    today = timezone.localdate()
    doctor, nurse, lab = staff.doctor, staff.nurse, staff.lab_technician
    condition = "ms"
    patient = make_patient(site, condition=condition, code=f"SZ-{n:05d}")
    request = ConsultationRequest.objects.create(
        site=site, full_name=patient.full_name, email=patient.email, phone=patient.phone,
        country=patient.country, language=patient.language, condition=patient.condition,
        description="MS since 2015.", consent_health_data=True, status="converted",
        advisor=staff.advisor, patient=patient,
    )  # fmt: skip
    ConsultationRequest.objects.create(
        site=site, full_name=f"Enquirer {n}", email=f"enquirer{n}@example.org",
        phone="+351 912 345 678", country="Portugal", language="Portuguese",
        condition=patient.condition, description="Asking for my mother.",
        consent_health_data=True,
    )  # fmt: skip
    ContactNote.objects.create(request=request, author=staff.advisor, text="Called back.")
    attachment = Attachment.objects.create(
        request=request, file=ContentFile(b"%PDF-1.4\n%%EOF\n", name=f"r{n}.pdf"),
        original_name=f"r{n}.pdf", content_type="application/pdf", size=15, sha256="0" * 64,
    )  # fmt: skip
    consultation = Consultation.objects.create(
        request=request, advisor=staff.advisor, booked_by=staff.advisor, mode="phone",
        phone=request.phone, starts_at=now + dt.timedelta(days=1), time_zone="UTC",
    )  # fmt: skip
    for code, value in (("haemoglobin", 13.5), ("platelets", 250.0)):
        PatientFact.objects.create(
            patient=patient, kind="lab", on=today, provenance="lab report", analyte=code,
            value=value, unit="g/dL" if code == "haemoglobin" else "10^9/L", recorded_by=doctor,
        )  # fmt: skip
    screening = make_screening(patient, doctor)
    plan = make_plan(patient, doctor, admission=today - dt.timedelta(days=1))
    therapy = PlannedTherapy.objects.create(plan=plan, therapy=Therapy.objects.first(), sessions=2)
    at_home = PlannedHomeCare.objects.create(
        plan=plan, medication="Vitamin D", route="oral", every_days=1, weeks=1,
        instructions="Daily.",
    )  # fmt: skip
    booking = ServiceBooking.objects.create(plan=plan, kind="meals", diet="vegan", booked_by=doctor)
    lot = make_lot(plan, lab, reviewer=staff.quality_reviewer)
    for spec in QCSpecification.objects.filter(product=lot.product)[:3]:
        QCResult.objects.create(
            lot=lot, specification=spec, value=1.0, passed=True, tested_by=lab, tested_at=now
        )
    investigation = Investigation.objects.create(
        lot=lot, opened_by=lab, opened_at=now, description="Sterility retest."
    )
    LabelPrint.objects.create(
        lot=lot, kind="container", copies=1, reprint=0, printed_by=lab, printed_at=now
    )
    alert = LotAlert.objects.create(
        lot=lot, patient=patient, doctor=doctor, reason="Culture positive.", created_at=now
    )
    donor = eligible_donor(site, lab, code=f"DONOR-SZ-{n:05d}")
    stay = make_stay(plan, nurse, admitted_at=now - dt.timedelta(days=1))
    administration = make_administration(stay, lot, nurse, given_at=now - dt.timedelta(hours=2))
    event = AdverseEvent.objects.create(
        stay=stay, term=AdverseEventTerm.objects.filter(active=True).first(),
        administration=administration, lot=lot, onset_at=now - dt.timedelta(hours=1),
        ctcae_grade=3, serious=True, relatedness="possible", outcome="recovering",
        reported_by=nurse,
    )  # fmt: skip
    hold = LotHold.objects.create(lot=lot, event=event, ctcae_grade=3, raised_at=now)
    DailyRound.objects.create(
        stay=stay, doctor=doctor, taken_at=now - dt.timedelta(hours=3), temperature_c=36.9,
        heart_rate=72, systolic_bp=120, diastolic_bp=80, spo2=98, pain_nrs=2,
        neuro_status="stable",
    )  # fmt: skip
    session = TherapySession.objects.create(
        stay=stay, planned_therapy=therapy, scheduled_for=now + dt.timedelta(hours=2)
    )
    if home:  # every other patient has gone home (the first of each call)
        stay.discharged_at = now - dt.timedelta(minutes=30)
        stay.discharged_by = doctor
        stay.save()
    item = FollowUpItem.objects.create(
        patient=patient, stay=stay, kind="checkup", title="3-month check-up",
        due_date=today - dt.timedelta(days=3),
    )  # fmt: skip
    appointment = Appointment.objects.create(
        item=item, starts_at=now + dt.timedelta(days=2), place="clinic", booked_by=staff.coordinator
    )
    dose = HomeCareDose.objects.create(
        patient=patient, stay=stay, planned=at_home, what="Vitamin D", route="oral",
        instructions="Daily.", day=today - dt.timedelta(days=1), number=1, of=7,
    )  # fmt: skip
    for days_ago, value in ((200, 4.0), (10, 3.5)):
        Measurement.objects.create(
            patient=patient, instrument="edss", value=value,
            timepoint="baseline" if days_ago > 100 else "follow_up",
            measured_on=today - dt.timedelta(days=days_ago), recorded_by=doctor,
        )  # fmt: skip
    Relapse.objects.create(patient=patient, onset=today - dt.timedelta(days=90), recorded_by=doctor)
    MriScan.objects.create(
        patient=patient, scanned_on=today - dt.timedelta(days=30), new_t2_lesions=1,
        recorded_by=doctor,
    )  # fmt: skip
    tank = add_container(site, lab, kind="ln2_tank", label=f"Tank {n}", code=f"T-SZ-{n}")
    alarm = record_reading(tank, lab, celsius=-100, read_at=now).alarm
    consent = record_storage_consent(
        patient, lab, given_on=today, storage_until=today + dt.timedelta(days=3650)
    )
    portal_user = User.objects.create_user(
        username=f"patient-sz-{n}", password=PASSWORD, role=Role.PATIENT, site=site
    )
    patient.portal_user = portal_user
    patient.save()
    for from_patient in (True, False):
        CareTeamMessage.objects.create(
            patient=patient, author=portal_user if from_patient else nurse,
            from_patient=from_patient, body="How are you feeling?", sent_at=now,
        )  # fmt: skip
    report = PatientReport.objects.create(
        patient=patient, file=ContentFile(b"%PDF-1.4\n%%EOF\n", name=f"lab{n}.pdf"),
        original_name=f"lab{n}.pdf", content_type="application/pdf", size=15, sha256="0" * 64,
        uploaded_by=portal_user,
    )  # fmt: skip
    DueQuestionnaire.objects.create(
        patient=patient, instrument="eq5d5l", timepoint="3 months",
        opens_on=today - dt.timedelta(days=5), closes_on=today + dt.timedelta(days=25),
    )  # fmt: skip
    message = Message.objects.create(
        site=site, kind="checkup_due", language="en", recipient=patient.email, patient=patient,
        about_type="followup.followupitem", about_id=item.pk, key=f"checkup_due:{item.pk}",
        subject="Your check-up", body="Please book your check-up.",
    )  # fmt: skip
    return Journey(
        request, attachment, consultation, patient, screening, plan, lot, stay, donor, tank,
        alarm, consent, item, appointment, dose, session, booking, event, hold, investigation,
        alert, message, report, portal_user,
    )  # fmt: skip


def deepen_record(journey: Journey, staff: Staff, *, times: int) -> None:
    """Give one patient `times` more of each record that repeats in a record's life.

    Pages of one record (the patient, the lot, the stay, the request) show their lists of
    these: more of them must not cost more queries either.
    """
    j, now, today = journey, timezone.now(), timezone.localdate()
    doctor, nurse, lab = staff.doctor, staff.nurse, staff.lab_technician
    for k in range(times):
        ContactNote.objects.create(request=j.request, author=staff.advisor, text=f"Note {k}.")
        Consultation.objects.create(
            request=j.request, advisor=staff.advisor, booked_by=staff.advisor, mode="phone",
            phone=j.request.phone, starts_at=now + dt.timedelta(days=2 + k), time_zone="UTC",
        )  # fmt: skip
        PatientFact.objects.create(
            patient=j.patient, kind="lab", on=today - dt.timedelta(days=k + 1),
            provenance="lab report", analyte="haemoglobin", value=13.0, unit="g/dL",
            recorded_by=doctor,
        )  # fmt: skip
        for spec in QCSpecification.objects.filter(product=j.lot.product)[:3]:
            QCResult.objects.create(
                lot=j.lot, specification=spec, value=1.0, passed=True, tested_by=lab,
                tested_at=now - dt.timedelta(minutes=k + 1),
            )  # fmt: skip
        LabelPrint.objects.create(
            lot=j.lot, kind="container", copies=1, reprint=k + 1, reason="Smudged.",
            printed_by=lab, printed_at=now,
        )  # fmt: skip
        Investigation.objects.create(
            lot=j.lot, opened_by=lab, opened_at=now, description=f"Retest {k}."
        )
        event = AdverseEvent.objects.create(
            stay=j.stay, term=AdverseEventTerm.objects.filter(active=True)[k % 5],
            lot=j.lot, onset_at=now - dt.timedelta(minutes=k + 1), ctcae_grade=1,
            serious=False, relatedness="unlikely", outcome="recovered", reported_by=nurse,
        )  # fmt: skip
        LotHold.objects.create(lot=j.lot, event=event, ctcae_grade=1, raised_at=now)
        DailyRound.objects.create(
            stay=j.stay, doctor=doctor, taken_at=now - dt.timedelta(hours=4 + k),
            temperature_c=36.9, heart_rate=72, systolic_bp=120, diastolic_bp=80, spo2=98,
            pain_nrs=2, neuro_status="stable",
        )  # fmt: skip
        TherapySession.objects.create(
            stay=j.stay, planned_therapy=j.session.planned_therapy,
            scheduled_for=now + dt.timedelta(hours=3 + k),
        )  # fmt: skip
        item = FollowUpItem.objects.create(
            patient=j.patient, stay=j.stay, kind="checkup", title=f"Check-up {k}",
            due_date=today - dt.timedelta(days=4 + k),
        )  # fmt: skip
        Appointment.objects.create(
            item=item, starts_at=now + dt.timedelta(days=3 + k), place="phone",
            booked_by=staff.coordinator,
        )  # fmt: skip
        HomeCareDose.objects.create(
            patient=j.patient, stay=j.stay, planned=j.dose.planned, what="Vitamin D",
            route="oral", instructions="Daily.", day=today + dt.timedelta(days=k),
            number=2 + k, of=times + 1,
        )  # fmt: skip
        Measurement.objects.create(
            patient=j.patient, instrument="edss", value=3.0, timepoint="follow_up",
            measured_on=today - dt.timedelta(days=k + 1), recorded_by=doctor,
        )  # fmt: skip
        Relapse.objects.create(
            patient=j.patient, onset=today - dt.timedelta(days=100 + k), recorded_by=doctor
        )
        MriScan.objects.create(
            patient=j.patient, scanned_on=today - dt.timedelta(days=40 + k), new_t2_lesions=0,
            recorded_by=doctor,
        )  # fmt: skip
        record_reading(j.tank, lab, celsius=-190, read_at=now - dt.timedelta(minutes=k + 1))
        CareTeamMessage.objects.create(
            patient=j.patient, author=nurse, from_patient=False, body=f"Reply {k}.", sent_at=now
        )
        PatientReport.objects.create(
            patient=j.patient, file=ContentFile(b"%PDF-1.4\n%%EOF\n", name=f"more{k}.pdf"),
            original_name=f"more{k}.pdf", content_type="application/pdf", size=15,
            sha256="0" * 64, uploaded_by=j.portal_user,
        )  # fmt: skip
        Message.objects.create(
            site=j.patient.site, kind="checkup_due", language="en", recipient=j.patient.email,
            patient=j.patient, about_type="followup.followupitem", about_id=item.pk,
            key=f"checkup_due:{item.pk}", subject="Your check-up", body="Please book.",
        )  # fmt: skip
