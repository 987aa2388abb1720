"""Lab results as a CSV file: each row becomes the Observation a FHIR lab would send.

Columns (a header row names them, in any order): `patient_code` (celltrace's patient code),
`code` (the LOINC code, or celltrace's `lab-<analyte>` where LOINC has none, as the export
writes them), `value`, `unit`, `date` (the sample's day, YYYY-MM-DD) and, optionally,
`identifier` (the lab's own id of the result). Without an identifier a row stands for itself:
the same patient, code, date, value and unit are taken once. The rows then go through
`imports.import_entries`, the same mapping and checks as a Bundle.
"""

from __future__ import annotations

import csv
import io
import re

from django.db import transaction

from celltrace.fhir import codes
from celltrace.fhir.imports import Entry, ImportResult, import_entries, refuse
from celltrace.fhir.models import Import

COLUMNS = ("patient_code", "code", "value", "unit", "date")
OPTIONAL = ("identifier",)
ROW_IDENTIFIER = f"{codes.BASE}/sid/csv-row"
_LOINC = re.compile(r"^[0-9]{1,7}-[0-9]$")
MAX_ROWS = 5000


def read_rows(text: str | bytes) -> list[Entry]:
    """Return one Observation entry per row, or refuse a file without the columns."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise refuse("the file", "it is not UTF-8 text", "malformed") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise refuse("the file", f"the header lacks {', '.join(missing)}", "malformed")
    unknown = set(header) - set(COLUMNS) - set(OPTIONAL)
    if unknown:
        raise refuse("the file", f"unknown columns {', '.join(sorted(unknown))}", "malformed")
    entries = []
    for line, row in enumerate(reader, start=2):
        if line > MAX_ROWS + 1:
            raise refuse("the file", f"more than {MAX_ROWS} rows", "too_large")
        row = {key.strip(): (value or "").strip() for key, value in row.items() if key}
        if any(row.values()):
            entries.append(Entry(f"row {line}", observation(row, f"row {line}")))
    return entries


def observation(row: dict, label: str) -> dict:
    """The Observation a lab would have sent for the row."""
    try:
        value = float(row["value"].replace(",", "."))
    except ValueError:
        raise refuse(label, f"the value {row['value']!r} is not a number") from None
    code = row["code"]
    system = codes.LOINC if _LOINC.match(code) else codes.OBSERVATION
    identifier = (
        {"value": row["identifier"]}
        if row.get("identifier")
        else {"system": ROW_IDENTIFIER, "value": "|".join(row[column] for column in COLUMNS)}
    )
    return {
        "resourceType": "Observation",
        "identifier": [identifier],
        "status": "final",
        "code": {"coding": [{"system": system, "code": code}]},
        "subject": {"identifier": {"system": codes.PATIENT_CODE, "value": row["patient_code"]}},
        "effectiveDateTime": row["date"],
        "valueQuantity": {"value": value, "unit": row["unit"]},
    }


@transaction.atomic
def import_csv(user, text: str | bytes, *, sender: str, file_name: str = "") -> ImportResult:
    """Import a CSV file of lab results, all rows or none."""
    return import_entries(
        user, read_rows(text), sender=sender, file_name=file_name, format=Import.Format.CSV
    )
