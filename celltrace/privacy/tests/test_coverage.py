"""Every kind of record about a patient has its place in the export, or a stated reason."""

from django.apps import apps

from celltrace.fhir.records import SOURCES
from celltrace.patients.models import Patient
from celltrace.privacy.coverage import BUNDLE, PLACES, RECORDS
from celltrace.privacy.plain_records import plain_records


def _belongs_to_a_patient(model, seen=()) -> bool:
    """A foreign key to Patient, or to a record that has one (staff and catalog rows aside)."""
    for field in model._meta.get_fields():
        if not (field.many_to_one or (field.one_to_one and field.concrete)):
            continue
        target = field.related_model
        if target is Patient:
            return True
        if (
            target is not None
            and target not in seen
            and target.__module__.startswith("celltrace")
            and target._meta.app_label not in ("accounts", "catalog")
            and _belongs_to_a_patient(target, (*seen, model))
        ):
            return True
    return False


def _patient_records() -> set[str]:
    return {
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith("celltrace")
        and not model.__name__.startswith("Historical")
        and _belongs_to_a_patient(model)
    }


def test_every_model_holding_patient_data_is_placed_in_the_export():
    assert _patient_records() - set(PLACES) == set(), "add it to privacy/coverage.py PLACES"
    assert set(PLACES) - _patient_records() == set(), "no longer a patient's record"


def test_what_the_places_claim_is_where_the_export_puts_it(db):
    in_bundle = {source.queryset().model._meta.label for source in SOURCES}
    claimed = {label for label, place in PLACES.items() if place.startswith(f"{BUNDLE}: ")}
    # The bundle's sources, or rows a source loads with its own (a plan's doses, a lot's chain).
    assert in_bundle - {"patients.Patient"} <= claimed
    sections = set(plain_records(Patient(pk=0, code="PT-0"), {})) - {"patient"}
    named = {place.split(f"{RECORDS}: ")[1].split(",")[0].split(";")[0].split(" (")[0]
             for place in PLACES.values() if f"{RECORDS}: " in place}  # fmt: skip
    assert {name.replace(" ", "_") for name in named} == sections
