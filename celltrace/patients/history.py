"""A patient's audit trail: every recorded change to any of their clinical records.

Changes are shown as a person reads them: a changed doctor, product or lot by its name
or code (never "doctor: 12"), a status by its label, cells as 2.0 × 10⁶. The records
behind every foreign key are fetched in bulk, a few queries per kind of record, however
long the history is.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils import timezone

from celltrace.clinical import numbers
from celltrace.patients.models import ERASED_FIELDS

# Each audited model and the path from its history rows to the patient.
_PATIENT_PATHS = [
    ("patients.Patient", "id"),
    ("intake.ConsultationRequest", "patient_id"),
    ("intake.ContactNote", "request__patient_id"),
    ("intake.Attachment", "request__patient_id"),
    ("screening.Screening", "patient_id"),
    ("screening.PatientFact", "patient_id"),
    ("screening.PriorTherapy", "patient_id"),
    ("screening.ScreeningSignature", "screening__patient_id"),
    ("plans.TreatmentPlan", "patient_id"),
    ("plans.PlannedProduct", "plan__patient_id"),
    ("plans.PlannedTherapy", "plan__patient_id"),
    ("lab.ProductLot", "plan__patient_id"),
    ("lab.ProcessStep", "lot__plan__patient_id"),
    ("lab.QCResult", "lot__plan__patient_id"),
    ("stays.Stay", "patient_id"),
    ("stays.Administration", "stay__patient_id"),
    ("stays.AdverseEvent", "stay__patient_id"),
    ("followup.FollowUpItem", "patient_id"),
    ("followup.Appointment", "item__patient_id"),
    ("outcomes.Measurement", "patient_id"),
    ("outcomes.Relapse", "patient_id"),
    ("outcomes.MriScan", "patient_id"),
]

_VERBS = {"+": "created", "~": "changed", "-": "deleted"}


# Changes the patient page shows at once; older ones are a link away.
PAGE_SIZE = 50


@dataclass(frozen=True)
class HistoryPage:
    """A page of the patient's changes, newest first, and where the older ones start."""

    entries: list[dict]
    older: str = ""  # the `before` of the next page; "" on the last one

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


def patient_history(
    patient, *, before: str = "", size: int | None = None, erased: bool = False
) -> HistoryPage:
    """Return a page of the changes to the patient's records, newest first.

    `before` is the `older` of the page shown before (none: the newest changes); a page
    costs the same few queries however long the history is. Changes at the same instant
    are ordered by kind of record, then newest row first, so no change falls between pages.
    Of an `erased` patient, the identity and contact data the erasure replaced are written
    "erased" (their past values stay in the audit trail, not on the screen).
    """
    from django.apps import apps

    cursor, size = _cursor(before), size or PAGE_SIZE
    fetched = []
    for index, (label, path) in enumerate(_PATIENT_PATHS):
        model = apps.get_model(label)
        rows = (
            model.history.filter(**{path: patient.pk})
            .filter(_after(cursor, index))
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[: size + 1]
        )
        fetched += [(index, model, row) for row in rows]
    fetched.sort(key=lambda found: (found[0], -found[2].pk))
    fetched.sort(key=lambda found: found[2].history_date, reverse=True)  # stable: ties kept
    shown = [(model, row) for _index, model, row in fetched[:size]]
    pairs = [(model, row) for _index, model, row in fetched]
    previous = _previous_records(pairs, shown)
    names = _RelatedNames(shown + [(model, row) for model, row in previous.values()])
    hidden = ERASED_FIELDS if erased else {}
    entries = [
        _describe(row, model, previous.get(id(row)), names, hidden.get(model._meta.label, ()))
        for model, row in shown
    ]
    last = fetched[size - 1] if len(fetched) > size else None
    older = f"{last[2].history_date.isoformat()}~{last[0]}~{last[2].pk}" if last else ""
    return HistoryPage(entries, older)


def _cursor(before: str) -> tuple[dt.datetime, int, int] | None:
    """Read a page's `before` (when, kind of record, history row); a wrong one reads as none."""
    try:
        when, index, pk = before.split("~")
        moment = dt.datetime.fromisoformat(when)
        return (moment, int(index), int(pk)) if timezone.is_aware(moment) else None
    except ValueError:
        return None


def _after(cursor, index: int) -> Q:
    """The rows of the `index`th kind of record that come after the cursor, newest first."""
    if cursor is None:
        return Q()
    when, cursor_index, pk = cursor
    if index < cursor_index:
        return Q(history_date__lt=when)
    if index > cursor_index:
        return Q(history_date__lte=when)
    return Q(history_date__lt=when) | Q(history_date=when, history_id__lt=pk)


def _previous_records(fetched, shown) -> dict[int, tuple]:
    """Map each shown change ("~") to the history row before it, in one query per model.

    The row before may be on the next page: it is then read by its history number (rows
    saved in the same instant share their time).
    """
    by_object = defaultdict(list)  # (model, object id) -> its fetched rows, newest first
    for model, row in fetched:
        by_object[model, row.id].append(row)
    previous, missing = {}, defaultdict(list)
    for model, row in shown:
        if row.history_type != "~":
            continue
        rows = by_object[model, row.id]
        older = rows[rows.index(row) + 1 :]
        if older:
            previous[id(row)] = (model, older[0])
        else:
            missing[model].append(row)
    for model, rows in missing.items():
        earlier = Q()
        for row in rows:
            earlier |= Q(id=row.id, history_id__lt=row.pk)
        candidates = list(model.history.filter(earlier).order_by("-history_id"))
        for row in rows:
            before = [c for c in candidates if c.id == row.id and c.pk < row.pk]
            if before:
                previous[id(row)] = (model, before[0])
    return previous


class _RelatedNames:
    """The records the history rows point to, fetched once per related model."""

    def __init__(self, pairs):
        wanted = defaultdict(set)
        for model, row in pairs:
            for field in _foreign_keys(model):
                value = getattr(row, field.attname)
                if value is not None:
                    wanted[field.related_model].add(value)
        self._records = {related: _fetch(related, ids) for related, ids in wanted.items()}

    def get(self, related_model, pk):
        return self._records.get(related_model, {}).get(pk)

    def instance(self, model, row):
        """The row as its model's instance, its foreign keys filled from the bulk fetch."""
        instance = row.instance
        for field in _foreign_keys(model):
            value = getattr(row, field.attname)
            if value is None:
                continue
            record = self.get(field.related_model, value)
            if record is None:
                return None  # points to a deleted record: naming it would query it
            field.set_cached_value(instance, record)
        return instance


def _fetch(model, ids) -> dict:
    rows = model._base_manager.all()
    paths = _foreign_key_paths(model)
    return (rows.select_related(*paths) if paths else rows).in_bulk(ids)


def _foreign_keys(model):
    return [f for f in model._meta.concrete_fields if f.many_to_one]


def _foreign_key_paths(model) -> list[str]:
    """The foreign keys of a model and theirs, for names such as 'Lot L-1 (product)'."""
    paths = []
    for field in _foreign_keys(model):
        paths.append(field.name)
        paths += [f"{field.name}__{inner.name}" for inner in _foreign_keys(field.related_model)]
    return paths


def _describe(row, model, previous, names, hidden) -> dict:
    changes = []
    if row.history_type == "~" and previous is not None:
        delta = row.diff_against(previous[1])
        changes = [
            _erased(model, c) if c.field in hidden else _change(model, c, names)
            for c in delta.changes
        ]
    # A record whose name holds the identity is named by its kind and number.
    instance = names.instance(model, row) if row.history_type != "-" and not hidden else None
    return {
        "when": row.history_date,
        "who": row.history_user or "system",
        "what": f"{model._meta.verbose_name} {_VERBS.get(row.history_type, row.history_type)}",
        "record": str(instance)
        if instance is not None
        else f"{model._meta.verbose_name} #{row.id}",
        "changes": changes,
    }


def _erased(model, change) -> str:
    return f"{model._meta.get_field(change.field).verbose_name}: erased"


def _change(model, change, names) -> str:
    try:
        field = model._meta.get_field(change.field)
    except FieldDoesNotExist:
        return f"{change.field}: {_shown(change.old)} → {_shown(change.new)}"
    old, new = (_value(field, value, names) for value in (change.old, change.new))
    return f"{field.verbose_name}: {old} → {new}"


def _value(field, value, names) -> str:
    """Write a changed value as a person reads it, not as the database stores it."""
    if value is None or value == "":
        return "—"
    if field.many_to_one:
        record = names.get(field.related_model, value)
        return str(record) if record is not None else f"deleted {field.verbose_name} #{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if _is_count(field.name, value):
        return numbers.cells(value)
    return _shown(value)


def _is_count(name: str, value) -> bool:
    """Tell whether a value is a dose or a lot's content big enough to write as a power of ten.

    Cells and particles are counted in millions and billions; µg of protein are written
    plainly, as the amounts are small.
    """
    counted = any(word in name for word in ("dose", "cells", "content"))
    return counted and isinstance(value, int | float) and abs(value) >= 1e4


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return numbers.plain(value)
    return str(value)
