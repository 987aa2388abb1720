"""The demo clinic exported as FHIR (celltrace/fhir/): every kind of resource, valid, whole."""

from celltrace.fhir import records
from celltrace.fhir.export import export_resources, write_ndjson
from celltrace.fhir.tests.test_export import check_export, read_export


def test_the_demo_clinic_exports_every_kind_of_resource_valid_and_whole(demo, tmp_path):
    counts = write_ndjson(export_resources(), tmp_path)
    assert set(counts) == set(records.RESOURCE_TYPES)
    resources = check_export(read_export(tmp_path))
    assert len(resources) == sum(counts.values())
