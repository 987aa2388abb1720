"""FHIR Bulk Data export: one NDJSON file per resource type, every reference inside it.

The export covers a site's patients (or every site's), each resource of their records, and
the practitioners, organizations and locations those name. With `since`, it keeps what
changed at or after that moment (the audit history of the row each resource is built from)
and, so that no reference dangles, whatever those resources refer to, however old.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from celltrace.fhir import records
from celltrace.patients.models import Patient


def _key(resource: dict) -> str:
    return f"{resource['resourceType']}/{resource['id']}"


def _row_pk(resource_id: str) -> int:
    """The pk of the row a resource is built from: its id is `<prefix>-<pk>[-<part>]`."""
    parts = resource_id.split("-")
    return int(parts[0] if len(parts) == 1 else parts[1])


def export_resources(*, site=None, since: dt.datetime | None = None) -> list[dict]:
    """The resources of the export, patients' records first, then what they refer to."""
    patients = Patient.objects.all() if site is None else Patient.objects.filter(site=site)
    changed = records.changed_since(since) if since is not None else None
    built: dict[str, dict] = {}
    wanted: list[str] = []
    for source in records.SOURCES:
        model = source.queryset().model
        for resource in source.resources(patients):
            key = _key(resource)
            built[key] = resource
            if changed is None or _row_pk(resource["id"]) in changed[model]:
                wanted.append(key)
    included = dict.fromkeys(wanted)
    queue = list(wanted)
    while queue:  # what the kept resources refer to, and what that refers to in turn
        for reference in records.references([built[queue.pop()]]):
            if reference in built and reference not in included:
                included[reference] = None
                queue.append(reference)
    return records.with_support([built[key] for key in included])


def ndjson_files(resources: list[dict]) -> dict[str, tuple[int, str]]:
    """The NDJSON text of each resource type, with its count of resources."""
    by_type: dict[str, list[str]] = {}
    for resource in resources:
        line = json.dumps(resource, ensure_ascii=False, separators=(",", ":"))
        by_type.setdefault(resource["resourceType"], []).append(line)
    return {
        resource_type: (len(lines), "".join(f"{line}\n" for line in lines))
        for resource_type, lines in by_type.items()
    }


def write_ndjson(resources: list[dict], directory: Path) -> dict[str, int]:
    """Write `<Type>.ndjson` files into the directory; return the count of each type."""
    directory.mkdir(parents=True, exist_ok=True)
    counts = {}
    for resource_type, (count, text) in ndjson_files(resources).items():
        (directory / f"{resource_type}.ndjson").write_text(text, encoding="utf-8")
        counts[resource_type] = count
    return counts
