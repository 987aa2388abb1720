"""A seeded patient: the whole journey, its portal account and a medical report as uploaded."""

import hashlib

import pytest
from django.contrib.auth.hashers import make_password

from celltrace.accounts.models import Role, User
from celltrace.audit import save_by
from celltrace.fhir.tests.conftest import whole_journey
from celltrace.intake.actions import add_attachment
from celltrace.intake.tests.conftest import pdf
from testkit import PASSWORD


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
