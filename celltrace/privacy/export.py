"""A patient's complete record as one ZIP file: the FHIR bundle, the documents, a manifest.

The bundle is the one `Patient/<id>/$everything` serves (`fhir.records.everything`), so the
export and the API cannot disagree. The manifest gives every file's SHA-256, so the person
(or the clinic receiving the record) can check that nothing was changed on the way.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile

from django.utils import timezone

from celltrace.fhir import records
from celltrace.intake.models import Attachment
from celltrace.patients.models import Patient
from celltrace.privacy.coverage import BUNDLE, RECORDS
from celltrace.privacy.plain_records import patient_reports, plain_records

MANIFEST = "manifest.json"
README = "README.txt"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")

_README = """\
The clinical record of {code}, exported by celltrace on {made_at}.

{bundle}  the whole record as a FHIR R4 Bundle (JSON): the patient, conditions,
                  visits, observations, procedures, cell products, adverse events,
                  care plans, consents and documents, and the staff and sites they name.
{records}      what no FHIR resource carries yet: the messages with the care team,
                  the reports sent in the portal, check-up appointments, the
                  consultations with their estimates, the questionnaires that came due.
attachments/      the documents sent with the consultation request (medical reports,
                  images), as they were received.
reports/          the medical reports sent through the portal, as they were received.
{manifest}     the SHA-256 and size of every file here; the attachments' hashes
                  were recorded when the clinic received them.
"""


def export_record(patient: Patient, *, base_url: str) -> bytes:
    """Return the ZIP of the patient's record; `base_url` is the FHIR base (…/fhir/R4)."""
    made_at = timezone.now()
    files: dict[str, bytes] = {BUNDLE: _bundle_json(patient, base_url, made_at)}
    documents = []
    for attachment in Attachment.objects.filter(request__patient=patient).order_by("pk"):
        path = f"attachments/{attachment.pk}-{_UNSAFE.sub('_', attachment.original_name)}"
        with attachment.file.open("rb") as stored:
            files[path] = stored.read()
        documents.append({"path": path, "resource": f"DocumentReference/attachment-{attachment.pk}",
                          "recorded_sha256": attachment.sha256})  # fmt: skip
    report_paths, sent = {}, []
    for report in patient_reports(patient):
        path = f"reports/{report.pk}-{_UNSAFE.sub('_', report.original_name)}"
        with report.file.open("rb") as stored:
            files[path] = stored.read()
        report_paths[report.pk] = path
        sent.append({"path": path, "recorded_sha256": report.sha256})
    files[RECORDS] = json.dumps(plain_records(patient, report_paths), indent=2,
                                ensure_ascii=False).encode()  # fmt: skip
    manifest = {
        "patient": patient.code,
        "made_at": made_at.isoformat(),
        "files": [_entry(path, content) for path, content in files.items()],
        "attachments": documents,
        "reports": sent,
    }
    files[MANIFEST] = json.dumps(manifest, indent=2).encode()
    text = _README.format(code=patient.code, made_at=made_at.isoformat(), bundle=BUNDLE,
                          records=RECORDS, manifest=MANIFEST)  # fmt: skip
    files[README] = text.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in (README, MANIFEST, *(p for p in files if p not in (README, MANIFEST))):
            archive.writestr(path, files[path])
    return buffer.getvalue()


def file_name(patient: Patient) -> str:
    return f"record-{_UNSAFE.sub('_', patient.code)}.zip"


def _bundle_json(patient: Patient, base_url: str, made_at) -> bytes:
    own, support = records.everything(patient)
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": made_at.isoformat(),
        "entry": [
            {
                "fullUrl": f"{base_url}/{resource['resourceType']}/{resource['id']}",
                "resource": resource,
            }
            for resource in own + support
        ],  # fmt: skip
    }
    return json.dumps(bundle, indent=2, ensure_ascii=False).encode()


def _entry(path: str, content: bytes) -> dict:
    return {"path": path, "sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
