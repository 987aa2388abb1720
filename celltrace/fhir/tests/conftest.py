"""A patient's whole journey, from the public request to the check-ups after discharge."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from celltrace.accounts.models import Role, User
from celltrace.care.models import DailyRound, TherapySession
from celltrace.catalog.models import AdverseEventTerm, CellProduct, Therapy
from celltrace.cryostore.actions import record_storage_consent
from celltrace.followup.models import Appointment, FollowUpItem
from celltrace.homecare.models import HomeCareDose
from celltrace.intake.models import Attachment, ConsultationRequest
from celltrace.outcomes.models import Measurement
from celltrace.plans.models import PlannedHomeCare, PlannedTherapy
from celltrace.screening.models import PatientFact
from celltrace.stays.models import AdverseEvent
from testkit.journey import make_administration, make_lot, make_patient, make_plan, make_stay
from testkit.samples import record_normal_facts


def whole_journey(site, doctor, nurse, technician, reviewer, *, portal_username=None):
    """A discharged patient with every kind of record the FHIR export writes."""
    patient = make_patient(site)
    now = timezone.now()
    request = ConsultationRequest.objects.create(
        site=site, full_name=patient.full_name, email=patient.email, phone=patient.phone,
        country=patient.country, language=patient.language, condition=patient.condition,
        description="MS since 2015.", consent_health_data=True, patient=patient,
    )  # fmt: skip
    Attachment.objects.create(
        request=request, file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="mri.pdf"),
        original_name="mri.pdf", content_type="application/pdf", size=15, sha256="0" * 64,
    )  # fmt: skip
    record_normal_facts(patient, doctor)
    PatientFact.objects.create(
        patient=patient, kind="diagnosis", on=dt.date(2015, 3, 1), provenance="Neurologist",
        code="G35", label="Multiple sclerosis", recorded_by=doctor,
    )  # fmt: skip
    plan = make_plan(patient, doctor, product="msc-bm-auto")
    PlannedTherapy.objects.create(plan=plan, therapy=Therapy.objects.first(), sessions=2)
    lot = make_lot(plan, technician, reviewer=reviewer)
    stay = make_stay(plan, nurse, admitted_at=now - dt.timedelta(days=5))
    given = make_administration(stay, lot, nurse, given_at=now - dt.timedelta(days=4))
    AdverseEvent.objects.create(
        stay=stay, term=AdverseEventTerm.objects.get(code="fever"), administration=given,
        lot=lot, onset_at=now - dt.timedelta(days=4, hours=-3), ctcae_grade=1, serious=False,
        relatedness="possible", outcome="recovered", reported_by=nurse,
    )  # fmt: skip
    DailyRound.objects.create(
        stay=stay, doctor=doctor, taken_at=now - dt.timedelta(days=3), temperature_c=36.9,
        heart_rate=72, systolic_bp=118, diastolic_bp=76, spo2=98, pain_nrs=2,
        neuro_status="stable",
    )  # fmt: skip
    TherapySession.objects.create(
        stay=stay, planned_therapy=plan.therapies.get(), scheduled_for=now - dt.timedelta(days=3),
        status="given", recorded_by=nurse, recorded_at=now - dt.timedelta(days=3),
    )  # fmt: skip
    items = {f"msis29_{n:02d}": 2 for n in range(1, 30)}
    for code, value in (("msis29_physical", 25.0), ("msis29_psychological", 30.5)):
        Measurement.objects.create(
            patient=patient, instrument=code, value=value, timepoint="baseline",
            measured_on=stay.admitted_at.date(), recorded_by=doctor,
            details={"instrument": "msis29", "version": "MSIS-29v1", "items": items},
        )  # fmt: skip
    Measurement.objects.create(
        patient=patient, instrument="edss", value=4.5, timepoint="baseline",
        measured_on=stay.admitted_at.date(), recorded_by=doctor,
    )  # fmt: skip
    stay.discharged_at = now - dt.timedelta(days=1)
    stay.discharged_by = doctor
    stay.save()
    checkup = FollowUpItem.objects.create(
        patient=patient, stay=stay, kind="checkup", title="3-month check-up",
        due_date=timezone.localdate() + dt.timedelta(days=90),
    )  # fmt: skip
    Appointment.objects.create(
        item=checkup, starts_at=now + dt.timedelta(days=88), place="video",
        link="https://meet.example.org/checkup", booked_by=doctor,
    )  # fmt: skip
    spray = PlannedHomeCare.objects.create(
        plan=stay.plan, product=CellProduct.objects.get(code="exo-home"), route="nasal",
        dose_per_kg=1.0e9, every_days=7, weeks=1, instructions="One puff in each nostril.",
    )  # fmt: skip
    HomeCareDose.objects.create(
        patient=patient, stay=stay, planned=spray, product=spray.product, what=spray.what,
        route="nasal", dose_per_kg=1.0e9, amount=7.0e10, dose_unit="particles",
        instructions=spray.instructions, day=timezone.localdate() + dt.timedelta(days=6),
        number=1, of=1,
    )  # fmt: skip
    record_storage_consent(
        patient, doctor, given_on=dt.date(2025, 1, 1), storage_until=dt.date(2040, 1, 1)
    )
    if portal_username:
        patient.portal_user = User.objects.create_user(
            username=portal_username, password="x", role=Role.PATIENT, site=site
        )
        patient.save()
    return patient


@pytest.fixture
def journey(site, catalog, doctor, nurse, lab_technician, quality_reviewer):
    return whole_journey(
        site, doctor, nurse, lab_technician, quality_reviewer, portal_username="portal.ana"
    )


@pytest.fixture
def foreign_journey(other_site, catalog, other_site_doctor):
    return whole_journey(
        other_site, other_site_doctor, other_site_doctor, other_site_doctor, other_site_doctor,
        portal_username="portal.omar",
    )  # fmt: skip
