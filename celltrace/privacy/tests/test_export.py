"""The patient's whole record as a ZIP: the FHIR bundle and every document, with hashes."""

import hashlib
import io
import json
import zipfile

from celltrace.audit.models import SecurityEvent
from celltrace.fhir import records
from celltrace.privacy.coverage import RECORDS
from celltrace.privacy.export import BUNDLE, MANIFEST, README, export_record
from celltrace.privacy.tests.conftest import REPORT
from testkit.signin import sign_in


def _open(content: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(content))


def test_the_export_holds_the_bundle_and_every_attachment_with_matching_hashes(patient):
    archive = _open(export_record(patient, base_url="https://clinic.example/fhir/R4"))
    bundle = json.loads(archive.read(BUNDLE))
    own, support = records.everything(patient)
    assert bundle["type"] == "collection"
    assert [e["resource"] for e in bundle["entry"]] == own + support
    assert {e["resource"]["resourceType"] for e in bundle["entry"]} >= {
        "Patient", "Encounter", "Observation", "Procedure", "AdverseEvent", "CarePlan",
        "DocumentReference", "BiologicallyDerivedProduct", "Consent",
    }  # fmt: skip
    manifest = json.loads(archive.read(MANIFEST))
    listed = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    for path, sha256 in listed.items():
        assert hashlib.sha256(archive.read(path)).hexdigest() == sha256
    attachments = patient.request.attachments.order_by("pk")
    assert len(manifest["attachments"]) == attachments.count() == 2
    for attachment, entry in zip(attachments, manifest["attachments"], strict=True):
        assert entry["recorded_sha256"] == attachment.sha256 == listed[entry["path"]]
        assert entry["resource"] in {
            f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in bundle["entry"]
        }
    assert patient.code in archive.read(README).decode()


def test_staff_download_it_from_the_patient_page_logged_as_an_export(client, patient, doctor):
    sign_in(client, doctor)
    page = client.get(patient.get_absolute_url())
    url = f"/privacy/patients/{patient.pk}/export.zip"
    assert url in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert BUNDLE in _open(response.content).namelist()
    event = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORTED).latest("pk")
    assert (event.username, event.path) == (doctor.username, url)


def test_the_patient_downloads_their_own_record_in_the_portal(client, patient):
    sign_in(client, patient.portal_user)
    page = client.get(patient.get_absolute_url())
    assert f"/privacy/patients/{patient.pk}/export.zip" in page.content.decode()
    response = client.get(f"/privacy/patients/{patient.pk}/export.zip")
    assert response.status_code == 200
    assert patient.code in _open(response.content).read(README).decode()


def test_another_patient_another_site_or_another_role_cannot_download_it(
    client, patient, other_patient, other_site_doctor, nurse
):
    url = f"/privacy/patients/{patient.pk}/export.zip"
    sign_in(client, other_patient.portal_user)
    assert client.get(url).status_code == 404
    sign_in(client, other_site_doctor)
    assert client.get(url).status_code == 404
    sign_in(client, nurse)
    assert client.get(url).status_code == 403
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORTED).exists()


def test_the_export_holds_messages_reports_appointments_consultations_and_questionnaires(
    portal_records,
):
    patient = portal_records
    archive = _open(export_record(patient, base_url="https://clinic.example/fhir/R4"))
    held = json.loads(archive.read(RECORDS))
    (message,) = held["messages"]
    assert (message["from"], message["body"]) == (
        "patient",
        "The spray makes me sneeze; is that expected?",
    )
    (report,) = held["reports"]
    assert archive.read(report["path"]) == REPORT
    assert report["recorded_sha256"] == hashlib.sha256(REPORT).hexdigest()
    manifest = json.loads(archive.read(MANIFEST))
    assert report["path"] in {entry["path"] for entry in manifest["files"]}
    assert manifest["reports"] == [
        {"path": report["path"], "recorded_sha256": report["recorded_sha256"]}
    ]
    (appointment,) = [a for a in held["appointments"] if a["place"] == "Phone call"]
    assert (appointment["check_up"], appointment["place"]) == ("3-month check-up", "Phone call")
    (consultation,) = held["consultations"]
    assert consultation["estimate"] == ["9000.00", "12000.00"]
    assert [line["description"] for line in consultation["estimate_lines"]] == ["MSC infusion"]
    assert [(d["instrument"], d["timepoint"]) for d in held["questionnaires_due"]] == [
        ("eq5d5l", "3 months")
    ]
    doses = [
        activity
        for entry in json.loads(archive.read(BUNDLE))["entry"]
        if entry["resource"]["id"].startswith("homecare-")
        for activity in entry["resource"]["activity"]
    ]
    assert any("Exosome nasal spray" in json.dumps(a, ensure_ascii=False) for a in doses)
    assert RECORDS in archive.read(README).decode()
