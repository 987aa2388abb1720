"""Intake test helpers: real and fake medical reports, a valid request, a private upload folder."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from celltrace.accounts.models import Role, User
from celltrace.catalog.models import Condition
from celltrace.intake.models import ConsultationRequest


def pdf_bytes() -> bytes:
    """A real one-page PDF, as a scanner or a word processor would write it."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF_BYTES = pdf_bytes()


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, format=fmt)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf(name="report.pdf"):
    return upload(name, PDF_BYTES)


def png(name="scan.png"):
    return upload(name, image_bytes("PNG"), "image/png")


def jpeg(name="mri.jpg"):
    return upload(name, image_bytes("JPEG"), "image/jpeg")


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.fixture(autouse=True)
def uploads_dir(settings, tmp_path):
    """Keep each test's uploads in its own folder, so 'nothing left on disk' can be checked."""
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
def fields(catalog, site):
    """A complete, valid public request (the site fixture receives public requests)."""
    return {
        "full_name": "Maria Santos",
        "email": "maria@example.org",
        "phone": "+351 912 345 678",
        "country": "Portugal",
        "language": "Portuguese",
        "condition": "ms",
        "description": "Diagnosed with relapsing-remitting MS in 2015; walking is getting harder.",
        "consent_health_data": True,
    }


@pytest.fixture
def make_request(fields):
    """Build a new request at the receiving site, as the public form would."""
    from celltrace.intake.actions import submit_request

    def build(**overrides):
        return submit_request(
            fields={**fields, **overrides}, files=[], client_address="198.51.100.7"
        )

    return build


@pytest.fixture
def other_site_advisor(other_site):
    return User.objects.create_user(
        username="otto.advisor", password="x", role=Role.ADVISOR, site=other_site
    )


@pytest.fixture
def second_advisor(site):
    return User.objects.create_user(
        username="abel.advisor", password="x", role=Role.ADVISOR, site=site
    )


@pytest.fixture
def other_site_request(catalog, other_site):
    return ConsultationRequest.objects.create(
        site=other_site,
        full_name="Someone Elsewhere",
        email="else@example.org",
        phone="+357 22 000000",
        country="Cyprus",
        language="Greek",
        condition=Condition.objects.get(code="ms"),
        description="At the other site.",
        consent_health_data=True,
    )


@pytest.fixture
def many_requests(catalog, site):
    """Make `n` requests at the site straight in the database (the public form is rate-limited)."""

    def build(n, *, condition="ms", **fields):
        rows = [
            ConsultationRequest(
                site=site,
                full_name=f"Queue Person {i}",
                email=f"person{i}@example.org",
                phone="+351 912 345 678",
                country="Portugal",
                language="Portuguese",
                condition=Condition.objects.get(code=condition),
                description="Waiting in the queue.",
                consent_health_data=True,
                **fields,
            )
            for i in range(n)
        ]
        return ConsultationRequest.objects.bulk_create(rows)

    return build
