"""Import lab results and referring doctors' documents: the export's lab mapping read backwards.

A Bundle (collection, transaction or batch) of Observations and DocumentReferences, or a CSV
file of lab results (`csv_results.py`, turned into the same Observations), becomes the
patient's dated screening facts and documents. Each entry is validated with FHIR's model,
matched to a patient of the importer's site by celltrace's patient code, and checked by the
same rules as a fact typed on the screen (`screening.actions.checked_fact`) or a file sent with
a request (`uploads.check_upload`). The whole bundle is taken or nothing is: the first bad
entry is named and nothing is saved. An entry imported before (same identifier) is not taken
twice.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import PurePath

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from pydantic import ValidationError

from celltrace.accounts import site_time
from celltrace.accounts.access import check_actor, check_role
from celltrace.audit import save_by
from celltrace.fhir import access, codes
from celltrace.fhir.models import Import, ImportedResource
from celltrace.fhir.validation import model
from celltrace.intake.actions import file_patient_document
from celltrace.refusal import Refused
from celltrace.screening.actions import checked_fact
from celltrace.screening.models import PatientFact
from celltrace.uploads import EXTENSIONS, CheckedUpload, check_upload

BUNDLE_TYPES = ("collection", "transaction", "batch")
# Only a result the lab stands by: not preliminary, registered, cancelled or entered in error.
# R4's "corrected" is a kind of "amended".
RESULT_STATUSES = ("final", "amended", "corrected")
ACTION = "import lab results and documents"


@dataclass(frozen=True)
class Entry:
    """One resource to import, with how to name it in an error ("entry 3", "row 4")."""

    label: str
    resource: dict


@dataclass
class Planned:
    """What one entry becomes once every check passed: a fact or a document, not yet saved."""

    label: str
    patient: object
    resource_type: str
    identifier: tuple[str, str]
    fact: PatientFact | None = None
    upload: CheckedUpload | None = None

    def matches(self, known: ImportedResource) -> bool:
        """Tell whether an earlier import of the same identifier gave the same record."""
        if self.fact is not None:
            old = known.fact
            return old is not None and _fact_key(old) == _fact_key(self.fact)
        return known.attachment is not None and known.attachment.sha256 == self.upload.sha256


@dataclass(frozen=True)
class ImportResult:
    """What an import did: the Import row (None when nothing was new) and each entry's fate."""

    source: Import | None
    created: list[str]
    unchanged: list[str]


def refuse(label: str, reason: str, code: str = "invalid_entry") -> Refused:
    return Refused(
        f"Nothing was imported: {label}: {reason}",
        code=code,
        params={"entry": label, "reason": reason},
    )


def read_bundle(data: bytes | str | dict) -> dict:
    """Return the Bundle's JSON, or refuse what is not a FHIR Bundle celltrace imports."""
    if not isinstance(data, dict):
        try:
            data = json.loads(data)
        except (ValueError, UnicodeDecodeError) as error:
            raise refuse("the file", f"it is not JSON ({error})", "malformed") from None
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise refuse("the file", "it is not a FHIR Bundle", "not_a_bundle")
    if data.get("type") not in BUNDLE_TYPES:
        raise refuse(
            "the Bundle", f"its type is {data.get('type')!r}; send a {', '.join(BUNDLE_TYPES)}"
        )
    entries = data.get("entry") or []
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise refuse("the Bundle", "its entries are not a list of entries")
    return data


def bundle_entries(bundle: dict) -> list[Entry]:
    entries = []
    for n, entry in enumerate(bundle.get("entry") or [], start=1):
        resource = entry.get("resource")
        if not isinstance(resource, dict):
            raise refuse(f"entry {n}", "it holds no resource")
        name = f"{resource.get('resourceType')}/{resource.get('id')}" if resource.get("id") else ""
        entries.append(
            Entry(f"entry {n}" + (f" ({name})" if name else ""), resource | _full(entry))
        )
    return entries


def _full(entry: dict) -> dict:
    """Keep the entry's fullUrl beside the resource, for references inside the Bundle."""
    return {"_fullUrl": entry["fullUrl"]} if entry.get("fullUrl") else {}


@transaction.atomic
def import_bundle(user, data, *, sender: str = "", file_name: str = "") -> ImportResult:
    """Import a FHIR Bundle of lab Observations and DocumentReferences, all or nothing."""
    check_role(user, access.IMPORT, ACTION)
    bundle = read_bundle(data)
    entries = bundle_entries(bundle)
    _validate_bundle({k: v for k, v in bundle.items() if k != "entry"})
    sender = sender.strip() or (bundle.get("meta") or {}).get("source", "")
    identifier = (bundle.get("identifier") or {}).get("value") or bundle.get("id") or ""
    return import_entries(
        user, entries, sender=sender, file_name=file_name, format=Import.Format.FHIR,
        bundle_identifier=identifier,
    )  # fmt: skip


@transaction.atomic
def import_entries(user, entries, *, sender, file_name, format, bundle_identifier=""):
    """Check every entry, then save them all in the caller's transaction; refuse the first bad."""
    check_role(user, access.IMPORT, ACTION)
    sender = (sender or "").strip()[:200]
    if not entries:
        raise refuse("the import", "it holds no entries", "empty")
    patients = PatientFinder(user, entries)
    planned = [_plan(entry, patients, sender, format) for entry in entries]
    if not sender:
        raise refuse(
            "the import",
            "say who sent the results (the laboratory or doctor): Bundle.meta.source, or the "
            "sender given with the file",
            "no_sender",
        )
    _refuse_repeats(planned)
    new, unchanged = _split_known(planned)
    if not new:
        return ImportResult(None, [], [p.label for p in unchanged])
    source = save_by(
        Import(
            format=format, sender=sender, bundle_identifier=str(bundle_identifier)[:200],
            file_name=file_name[:200], imported_by=user,
        ),
        user,
    )  # fmt: skip
    stored = []
    try:
        for item in new:
            stored.append(_save(item, source, user))
    except BaseException:
        # The rows go with the transaction; the files written so far must go too.
        for record in stored:
            if record.attachment is not None:
                record.attachment.file.delete(save=False)
        raise
    return ImportResult(source, [p.label for p in new], [p.label for p in unchanged])


def _validate_bundle(shell: dict) -> None:
    try:
        model("Bundle").model_validate(shell)
    except ValidationError as error:
        raise refuse("the Bundle", _first_problem(error)) from None


def _validate(entry: Entry) -> None:
    resource = {k: v for k, v in entry.resource.items() if k != "_fullUrl"}
    try:
        model(resource.get("resourceType", "")).model_validate(resource)
    except (ModuleNotFoundError, AttributeError):
        raise refuse(entry.label, f"{resource.get('resourceType')!r} is no FHIR resource") from None
    except ValidationError as error:
        raise refuse(entry.label, _first_problem(error)) from None


def _first_problem(error: ValidationError) -> str:
    problem = error.errors()[0]
    where = ".".join(str(part) for part in problem["loc"])
    return f"{where}: {problem['msg']}" if where else problem["msg"]


class PatientFinder:
    """Find an entry's patient by celltrace's patient code, at the importer's site only."""

    def __init__(self, user, entries: list[Entry]):
        self.user = user
        self.in_bundle = {}
        for entry in entries:
            resource = entry.resource
            if resource.get("resourceType") == "Patient":
                for key in (resource.get("_fullUrl"), f"Patient/{resource.get('id')}"):
                    if key:
                        self.in_bundle[key] = resource

    def code(self, subject: dict | None) -> str | None:
        subject = subject or {}
        named = [subject.get("identifier") or {}]
        if resource := self.in_bundle.get(subject.get("reference")):
            named += resource.get("identifier") or []
        for identifier in named:
            if identifier.get("system") == codes.PATIENT_CODE and identifier.get("value"):
                return identifier["value"]
        return None

    def patient(self, entry: Entry):
        code = self.code(entry.resource.get("subject"))
        if code is None:
            raise refuse(
                entry.label,
                f"name the patient by celltrace's patient code ({codes.PATIENT_CODE}), in "
                "subject.identifier or in a Patient entry of the Bundle",
                "unknown_patient",
            )
        patient = access.patients_for_user(self.user).filter(code=code).first()
        if patient is None:
            # Never say whether the code exists at another site.
            raise refuse(entry.label, f"no patient {code} at your site", "unknown_patient")
        check_actor(self.user, access.IMPORT, ACTION, site_id=patient.site_id)
        return patient


def _plan(entry: Entry, patients: PatientFinder, sender: str, format: str) -> Planned | None:
    kind = entry.resource.get("resourceType")
    if kind == "Patient":
        _validate(entry)
        return None
    if kind not in ("Observation", "DocumentReference"):
        raise refuse(
            entry.label,
            f"a {kind} is not imported: send lab results as Observations and documents as "
            "DocumentReferences",
            "not_supported",
        )
    _validate(entry)
    patient = patients.patient(entry)
    identifier = _identifier(entry, sender)
    try:
        if kind == "Observation":
            fact = _lab_fact(entry, patient, patients.user, f"{Import.Format(format).label} from "
                             f"{sender}: {identifier[1]}")  # fmt: skip
            return Planned(entry.label, patient, kind, identifier, fact=fact)
        return Planned(entry.label, patient, kind, identifier, upload=_document(entry))
    except Refused as refusal:
        if refusal.code in ("invalid", "attachment_refused"):
            raise refuse(entry.label, _reason(refusal), refusal.code) from None
        raise


def _reason(refusal: Refused) -> str:
    if refusal.field_errors:
        return "; ".join(refusal.field_errors.values())
    return refusal.message


def _identifier(entry: Entry, sender: str) -> tuple[str, str]:
    """The entry's identifier; failing one, the sender and the resource's id stand for it."""
    resource = entry.resource
    for identifier in [resource.get("masterIdentifier") or {}, *(resource.get("identifier") or [])]:
        if identifier.get("value"):
            return identifier.get("system", "")[:200], identifier["value"][:200]
    if resource.get("id"):
        return sender[:200], f"{resource['resourceType']}/{resource['id']}"[:200]
    raise refuse(
        entry.label,
        "give it an identifier (or an id), so that a second import can tell it was taken",
        "no_identifier",
    )


def _lab_fact(entry: Entry, patient, user, provenance: str) -> PatientFact:
    observation = entry.resource
    if observation.get("status") not in RESULT_STATUSES:
        raise refuse(
            entry.label,
            f"its status is {observation.get('status')!r}; only {', '.join(RESULT_STATUSES)} "
            "results are imported",
            "not_final",
        )
    codings = (observation.get("code") or {}).get("coding") or []
    known = [(c, codes.lab_analyte(c.get("system"), c.get("code"))) for c in codings]
    coding, analyte = next(((c, a) for c, a in known if a), (None, None))
    if analyte is None:
        shown = ", ".join(f"{c.get('system')}|{c.get('code')}" for c in codings) or "no code"
        raise refuse(entry.label, f"{shown} is not a screening lab result celltrace knows",
                     "unknown_code")  # fmt: skip
    quantity = observation.get("valueQuantity") or {}
    if quantity.get("value") is None:
        raise refuse(entry.label, "give the result as valueQuantity with its unit")
    unit = quantity.get("unit") or quantity.get("code") or ""
    fact = checked_fact(
        patient, user, kind=PatientFact.Kind.LAB, on=_effective_on(entry, patient),
        provenance=provenance[:200], analyte=analyte, value=float(quantity["value"]), unit=unit,
    )  # fmt: skip
    # The export writes one code per analyte and unit (creatinine's by mass or by moles):
    # a code that the unit contradicts is refused rather than guessed.
    expected = codes.analyte_code(analyte, unit, "")
    if (expected.system, expected.code) != (coding.get("system"), coding.get("code")):
        raise refuse(
            entry.label, f"the unit {unit!r} does not fit the code {coding.get('code')}", "unit"
        )
    return fact


def _effective_on(entry: Entry, patient) -> dt.date | None:
    raw = entry.resource.get("effectiveDateTime") or ""
    if len(raw) == len("2026-01-31"):
        return dt.date.fromisoformat(raw)
    if "T" in raw:
        moment = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
        if moment.tzinfo is not None:
            return site_time.local_date(moment, patient.site)
        raise refuse(entry.label, "a time in effectiveDateTime needs its offset (FHIR's rule)")
    raise refuse(entry.label, "give the day the sample was taken in effectiveDateTime")


def _document(entry: Entry) -> CheckedUpload:
    resource = entry.resource
    if resource.get("status") != "current":
        raise refuse(entry.label, "only a current DocumentReference is imported")
    attachments = [c.get("attachment") or {} for c in resource.get("content") or []]
    if len(attachments) != 1 or not attachments[0].get("data"):
        raise refuse(
            entry.label,
            "send exactly one attachment, its content in data (documents are not fetched "
            "from URLs)",
        )
    attachment = attachments[0]
    content_type = (attachment.get("contentType") or "").split(";")[0].strip().lower()
    data = model("DocumentReference").model_validate(
        {k: v for k, v in resource.items() if k != "_fullUrl"}
    ).content[0].attachment.data  # fmt: skip
    name = attachment.get("title") or resource.get("description") or "document"
    extension = EXTENSIONS.get(content_type)
    if extension and PurePath(name).suffix.lower().lstrip(".") not in ("jpg", "jpeg", "png", "pdf"):
        name = f"{name}.{extension}"
    return check_upload(SimpleUploadedFile(name, data, content_type=content_type))


def _fact_key(fact: PatientFact) -> tuple:
    return (fact.kind, fact.analyte, float(fact.value), fact.unit, fact.on)


def _refuse_repeats(planned: list[Planned | None]) -> None:
    seen = {}
    for item in filter(None, planned):
        key = (item.patient.pk, item.resource_type, item.identifier)
        if key in seen:
            raise refuse(item.label, f"it has the same identifier as {seen[key]}", "repeated")
        seen[key] = item.label


def _split_known(planned: list[Planned | None]) -> tuple[list[Planned], list[Planned]]:
    """Set apart what an earlier import took already; refuse an identifier whose data changed."""
    new, unchanged = [], []
    for item in filter(None, planned):
        known = (
            ImportedResource.objects.select_related("fact", "attachment")
            .filter(patient=item.patient, resource_type=item.resource_type,
                    identifier_system=item.identifier[0], identifier_value=item.identifier[1])
            .first()
        )  # fmt: skip
        if known is None:
            new.append(item)
        elif item.matches(known):
            unchanged.append(item)
        else:
            raise refuse(
                item.label,
                f"{item.identifier[1]} was imported on {known.source.imported_at:%Y-%m-%d} with "
                "other content; a changed result is not overwritten: record the correction by "
                "hand",
                "changed",
            )
    return new, unchanged


def _save(item: Planned, source: Import, user) -> ImportedResource:
    record = ImportedResource(
        source=source, patient=item.patient, resource_type=item.resource_type,
        identifier_system=item.identifier[0], identifier_value=item.identifier[1],
    )  # fmt: skip
    if item.fact is not None:
        record.fact = save_by(item.fact, user)
    else:
        try:
            record.attachment = file_patient_document(item.patient, user, item.upload)
        except Refused as refusal:
            raise refuse(item.label, refusal.message, refusal.code) from None
    return save_by(record, user)
