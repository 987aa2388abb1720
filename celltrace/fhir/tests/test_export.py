"""`celltrace fhir export`: Bulk Data NDJSON, valid R4, no reference dangling."""

import datetime as dt
import json

import time_machine
from django.utils import timezone

from celltrace.cli import main
from celltrace.fhir import records
from celltrace.fhir.validation import model
from celltrace.outcomes.models import Measurement


def read_export(directory) -> dict[str, list[dict]]:
    exported = {}
    for path in sorted(directory.glob("*.ndjson")):
        lines = path.read_text(encoding="utf-8").splitlines()
        exported[path.stem] = [json.loads(line) for line in lines]
    return exported


def check_export(exported: dict[str, list[dict]]) -> list[dict]:
    """Every file holds its type only, every resource is valid, every reference resolves."""
    resources = [resource for lines in exported.values() for resource in lines]
    for resource_type, lines in exported.items():
        assert {resource["resourceType"] for resource in lines} == {resource_type}
    for resource in resources:
        model(resource["resourceType"]).model_validate(resource)
    keys = [f"{r['resourceType']}/{r['id']}" for r in resources]
    assert len(keys) == len(set(keys))
    assert records.references(resources) - set(keys) == set()
    return resources


def test_a_sites_export_has_every_kind_and_nothing_of_another_site(
    journey, foreign_journey, site, tmp_path, capsys
):
    assert main(["fhir", "export", str(tmp_path), "--site", site.code]) == 0
    exported = read_export(tmp_path)
    assert set(exported) == set(records.RESOURCE_TYPES)
    resources = check_export(exported)
    assert [p["id"] for p in exported["Patient"]] == [str(journey.pk)]
    foreign = f"Patient/{foreign_journey.pk}"
    assert foreign not in records.references(resources)
    assert {o["id"] for o in exported["Organization"]} == {str(site.pk)}
    printed = capsys.readouterr().out.splitlines()
    assert "Patient.ndjson: 1" in printed
    assert len(printed) == len(records.RESOURCE_TYPES)


def test_an_export_of_every_site(journey, foreign_journey, tmp_path):
    assert main(["fhir", "export", str(tmp_path)]) == 0
    exported = read_export(tmp_path)
    check_export(exported)
    assert {p["id"] for p in exported["Patient"]} == {str(journey.pk), str(foreign_journey.pk)}


def test_since_keeps_what_changed_and_what_it_refers_to(journey, doctor, tmp_path):
    later = timezone.now() + dt.timedelta(days=2)
    with time_machine.travel(later, tick=False):
        new = Measurement.objects.create(
            patient=journey, instrument="pain", value=3, timepoint="follow_up",
            measured_on=later.date(), recorded_by=doctor,
        )  # fmt: skip
    since = (later - dt.timedelta(hours=1)).isoformat()
    assert main(["fhir", "export", str(tmp_path), "--since", since]) == 0
    exported = read_export(tmp_path)
    check_export(exported)
    assert [o["id"] for o in exported["Observation"]] == [f"measurement-{new.pk}"]
    assert [p["id"] for p in exported["Patient"]] == [str(journey.pk)]
    assert [p["id"] for p in exported["Practitioner"]] == [str(doctor.pk)]
    assert "AdverseEvent" not in exported


def test_bad_arguments_are_refused_with_nothing_written(journey, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["fhir", "export", str(out), "--site", "atlantis"]) == 2
    assert main(["fhir", "export", str(out), "--since", "last week"]) == 2
    assert not out.exists()
    errors = capsys.readouterr().err
    assert "no site has the code 'atlantis'" in errors
    assert "--since" in errors
