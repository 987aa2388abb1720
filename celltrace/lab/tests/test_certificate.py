"""The certificate of analysis: the lot, every QC result, the release signature, as PDF."""

import pytest
from django.urls import reverse
from django.utils import timezone

from celltrace.accounts.models import Role, User
from celltrace.catalog.models import QCSpecification
from celltrace.lab.actions import (
    close_investigation,
    open_investigation,
    record_qc_result,
    release_lot,
)
from celltrace.lab.models import QCResult
from celltrace.lab.release_record import release_signature
from celltrace.lab.tests.helpers import an_hour_ago, pass_every_test
from testkit import PASSWORD


def certificate(client, lot):
    return client.get(reverse("lab:certificate", args=[lot.pk]))


def text(response) -> bytes:
    """The PDF's bytes with its escaped brackets read back, to find what it says."""
    return response.content.replace(b"\\(", b"(").replace(b"\\)", b")")


@pytest.fixture
def released(autologous_lot, lab_technician, quality_reviewer):
    # A failed viability, found a laboratory error, then a passing retest: the certificate
    # lists both.
    failed = record_qc_result(
        autologous_lot, lab_technician, test="viability", value=50, tested_at=an_hour_ago()
    )
    investigation = open_investigation(
        autologous_lot, lab_technician, result_ids=[failed.pk], description="Counter check"
    )
    close_investigation(
        investigation, quality_reviewer, conclusion="lab_error", findings="Stain expired"
    )
    pass_every_test(autologous_lot, lab_technician)
    return release_lot(autologous_lot, quality_reviewer, password=PASSWORD)


def test_the_certificate_names_the_lot_the_patient_and_the_signature(client_for, nurse, released):
    response = certificate(client_for(nurse), released)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = text(response)
    patient = released.source_patient
    signature = release_signature(released)
    for words in (
        f"Certificate of analysis: lot {released.code}",
        "ISBT 128 DIN",
        released.product.name,
        f"{patient.full_name} ({patient.code})",
        "Signed by Quinn",
        "Meaning: Release",
        signature.record_hash,
        "The record matches what was signed.",
    ):
        assert words.encode() in pdf, words


def test_the_certificate_lists_every_result_with_its_specification_failed_ones_too(
    client_for, lab_technician, released
):
    pdf = certificate(client_for(lab_technician), released).content
    results = released.qc_results.count()
    assert results == len(released.product.qc_specs.all()) + 1  # the failure and its retest
    assert pdf.count(b"Lena Lab") == results  # the tester of each result
    assert b"FAIL" in pdf and b"50 %" in pdf
    assert b"Viability" in pdf and b"(>) Tj (= 70 %)" in pdf
    assert b"(= 1.0 \\327 10) Tj" in pdf and b"(7) Tj" in pdf  # >= 1.0 x 10 to the 7th cells


def test_the_certificate_prints_the_specification_as_signed(client_for, nurse, released):
    QCSpecification.objects.filter(product=released.product, test="viability").update(minimum=85)
    pdf = certificate(client_for(nurse), released).content
    assert b"(= 70 %)" in pdf and b"(= 85 %)" not in pdf


def test_the_certificate_says_when_the_record_changed_after_signing(client_for, nurse, released):
    QCResult.objects.filter(lot=released, specification__test="endotoxin").update(value=3)
    pdf = certificate(client_for(nurse), released).content
    assert b"CHANGED AFTER SIGNING" in pdf and b"qc_results[" in pdf


def test_a_lot_not_released_has_no_certificate(client_for, nurse, autologous_lot):
    response = certificate(client_for(nurse), autologous_lot)
    assert response.status_code == 409
    assert "is in process, not released" in response.content.decode()


def test_a_lot_released_without_a_signature_has_no_certificate(client_for, nurse, released):
    release_signature(released).delete()
    response = certificate(client_for(nurse), released)
    assert response.status_code == 409
    assert "no signature" in response.content.decode()


def test_another_sites_lot_certificate_is_not_found(client_for, other_site, released):
    stranger = User.objects.create_user("lab2", role=Role.LAB_TECHNICIAN, site=other_site)
    assert certificate(client_for(stranger), released).status_code == 404


def test_a_patient_gets_no_certificate(client_for, site, released):
    patient = User.objects.create_user("pat", role=Role.PATIENT, site=site)
    assert certificate(client_for(patient), released).status_code == 403


def test_the_lot_page_links_the_certificate_once_released(client_for, nurse, released):
    page = client_for(nurse).get(released.get_absolute_url()).content.decode()
    assert reverse("lab:certificate", args=[released.pk]) in page
    assert timezone.now()  # the page renders with a signature in place
