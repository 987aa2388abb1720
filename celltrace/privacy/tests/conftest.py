"""A seeded patient: the whole journey, its portal account and a medical report as uploaded."""

import datetime as dt
import hashlib

import pytest
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.utils import timezone

from celltrace.accounts.models import Role, User
from celltrace.audit import save_by
from celltrace.fhir.tests.conftest import whole_journey
from celltrace.followup.models import Appointment
from celltrace.intake.actions import add_attachment
from celltrace.intake.models import Consultation, EstimateLine
from celltrace.intake.tests.conftest import pdf
from celltrace.portal.models import CareTeamMessage, PatientReport
from celltrace.questionnaires.models import DueQuestionnaire
from testkit import PASSWORD

REPORT = b"%PDF-1.4 a neurologist's letter, as the patient sent it"


@pytest.fixture(autouse=True)
def uploads_dir(settings, tmp_path):
    root = tmp_path / "uploads"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


@pytest.fixture
def patient(site, catalog, advisor, doctor, nurse, lab_technician, quality_reviewer):
    """A discharged patient with every kind of record, and two documents with their hashes."""
    patient = whole_journey(
        site, doctor, nurse, lab_technician, quality_reviewer, portal_username="portal.ana"
    )
    patient.portal_user.password = make_password(PASSWORD)
    patient.portal_user.save()
    request = patient.request
    request.client_address = "198.51.100.7"
    save_by(request, advisor)
    add_attachment(request, advisor, pdf("blood-tests.pdf"))
    seeded = request.attachments.get(original_name="mri.pdf")  # written with a dummy hash
    with seeded.file.open("rb") as stored:
        seeded.sha256 = hashlib.sha256(stored.read()).hexdigest()
    save_by(seeded, advisor)
    return patient


@pytest.fixture
def other_patient(other_site, catalog, other_site_doctor):
    return whole_journey(
        other_site, other_site_doctor, other_site_doctor, other_site_doctor, other_site_doctor,
        portal_username="portal.omar",
    )  # fmt: skip


@pytest.fixture
def other_site_manager(other_site):
    return User.objects.create_user(
        username="otis.manager", password=PASSWORD, role=Role.MANAGER, site=other_site
    )


@pytest.fixture
def portal_records(patient, advisor, doctor):
    """What the portal, the check-ups, the advisor and the questionnaires add to the record."""
    now = timezone.now()
    CareTeamMessage.objects.create(
        patient=patient, author=patient.portal_user, from_patient=True,
        body="The spray makes me sneeze; is that expected?", sent_at=now,
    )  # fmt: skip
    report = PatientReport(
        patient=patient, original_name="neurologist letter.pdf", content_type="application/pdf",
        size=len(REPORT), sha256=hashlib.sha256(REPORT).hexdigest(), note="From my neurologist",
        uploaded_by=patient.portal_user,
    )  # fmt: skip
    report.file.save("neurologist.pdf", ContentFile(REPORT), save=False)
    save_by(report, patient.portal_user)
    item = patient.follow_up.get(kind="checkup")
    Appointment.objects.create(
        item=item, starts_at=now + dt.timedelta(days=90), place="phone", phone="+351 912 345 678",
        booked_by=doctor,
    )  # fmt: skip
    consultation = Consultation.objects.create(
        request=patient.request, advisor=advisor, starts_at=now - dt.timedelta(days=60),
        mode="phone", phone="+351 912 345 678", time_zone="Europe/Lisbon", booked_by=advisor,
        status="held", could_help="possibly", involves="Two infusions, a week's stay.",
        currency="EUR", estimate_low=9000, estimate_high=12000,
    )  # fmt: skip
    EstimateLine.objects.create(
        consultation=consultation, position=1, description="MSC infusion", unit_price=4500,
        quantity_low=2, quantity_high=2, amount_low=9000, amount_high=9000,
    )  # fmt: skip
    DueQuestionnaire.objects.create(
        patient=patient, instrument="eq5d5l", timepoint="3 months",
        opens_on=timezone.localdate(), closes_on=timezone.localdate() + dt.timedelta(days=30),
    )  # fmt: skip
    return patient
