"""The patient sends new medical reports through the clinic's upload checks."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from celltrace.intake.tests.hostile_files import JS, raw_pdf, valid_pdf
from celltrace.portal.models import PatientReport


def _upload(client, name, data, content_type="application/pdf", note=""):
    file = SimpleUploadedFile(name, data, content_type=content_type)
    return client.post(reverse("portal:send_report"), {"file": file, "note": note})


def test_a_report_is_kept_and_the_care_team_sees_it_on_the_patient_page(mine, client_for, doctor):
    response = _upload(client_for(mine.user), "blood.pdf", valid_pdf(), note="Blood test, May")
    assert response.status_code == 302
    report = PatientReport.objects.get()
    assert (report.patient, report.note, report.content_type) == (
        mine.patient, "Blood test, May", "application/pdf"
    )  # fmt: skip
    staff = client_for(doctor)  # the same test client, now the doctor's
    page = staff.get(mine.patient.get_absolute_url()).content.decode()
    assert "blood.pdf" in page and "Blood test, May" in page
    download = staff.get(reverse("portal:report_file", args=[report.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_bad_file_is_refused_with_its_reason_and_nothing_is_saved(mine, client_for):
    folder = Path(PatientReport._meta.get_field("file").storage.location) / "portal"
    before = set(folder.rglob("*")) if folder.exists() else set()
    scripted = raw_pdf(JS, root_extra=b"/OpenAction 4 0 R")
    page = _upload(client_for(mine.user), "scan.pdf", scripted).content.decode()
    assert "The attachment was refused" in page and "JavaScript" in page
    page = _upload(client_for(mine.user), "notes.txt", b"hello", "text/plain").content.decode()
    assert "only PDF, JPEG and PNG files are accepted" in page
    assert not PatientReport.objects.exists()
    assert (set(folder.rglob("*")) if folder.exists() else set()) == before


def test_another_patient_cannot_download_the_report(mine, stranger, client_for, other_site_doctor):
    _upload(client_for(mine.user), "blood.pdf", valid_pdf())
    url = reverse("portal:report_file", args=[PatientReport.objects.get().pk])
    assert client_for(stranger.user).get(url).status_code == 404
    assert client_for(other_site_doctor).get(url).status_code == 404
    assert client_for(mine.user).get(url).status_code == 200
