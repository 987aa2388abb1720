"""The demo clinic exported as FHIR (celltrace/fhir/): every kind of resource, valid, whole."""

from celltrace.accounts.models import Role, User
from celltrace.fhir import records
from celltrace.fhir.export import export_resources, write_ndjson
from celltrace.fhir.imports import import_bundle
from celltrace.fhir.tests.test_export import check_export, read_export
from celltrace.fhir.tests.test_imports import bundle, lab_facts
from celltrace.patients.models import Patient
from celltrace.screening.models import PatientFact


def test_the_demo_clinic_exports_every_kind_of_resource_valid_and_whole(demo, tmp_path):
    counts = write_ndjson(export_resources(), tmp_path)
    assert set(counts) == set(records.RESOURCE_TYPES)
    resources = check_export(read_export(tmp_path))
    assert len(resources) == sum(counts.values())


def test_one_demo_patients_exported_lab_results_import_back_unchanged(demo, tmp_path):
    """Issue 14's round trip on the whole demo clinic: export, validate, re-import one patient."""
    write_ndjson(export_resources(), tmp_path)
    resources = check_export(read_export(tmp_path))
    patient = (
        Patient.objects.filter(facts__kind="lab", site__users__role=Role.DOCTOR)
        .order_by("pk")
        .first()
    )
    doctor = User.objects.filter(site=patient.site, role=Role.DOCTOR, is_active=True).first()
    reference = f"Patient/{patient.pk}"
    labs = [
        r for r in resources
        if r["resourceType"] == "Observation" and r["id"].startswith("fact-")
        and r["subject"]["reference"] == reference
        and r["category"][0]["coding"][0]["code"] == "laboratory"
    ]  # fmt: skip
    record = next(
        r for r in resources if r["resourceType"] == "Patient" and r["id"] == str(patient.pk)
    )
    exported = lab_facts(patient)
    assert len(labs) == len(exported) > 0
    PatientFact.objects.filter(patient=patient, kind="lab").delete()
    sent = bundle(record, *labs, source="celltrace demo export")
    sent["entry"][0]["fullUrl"] = reference

    import_bundle(doctor, sent)

    assert lab_facts(patient) == exported
