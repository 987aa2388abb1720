"""Which records become which FHIR resources: one `Source` per kind of record.

A source names its model, how its rows reach a patient, the related rows it loads with them
(`select_related` / `prefetch_related`, so a search or an export runs a fixed number of
queries whatever the number of patients) and the mapping that turns its rows into resources.
The API and the bulk export both build resources here, and every resource is validated
(`validation.validate`) before it leaves.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from celltrace.accounts.models import Site, User
from celltrace.care.models import DailyRound, TherapySession
from celltrace.clinical.eligibility.facts import QUESTIONS
from celltrace.clinical.eligibility.units import ANALYTES
from celltrace.cryostore.models import StorageConsent
from celltrace.fhir.mappings import (
    adverse_event,
    appointment,
    care_plan,
    condition,
    consent,
    document_reference,
    encounter,
    observation,
    organization,
    patient,
    practitioner,
    procedure,
    product,
    questionnaire_response,
)
from celltrace.fhir.validation import validate
from celltrace.followup.models import Appointment, FollowUpItem
from celltrace.homecare.models import HomeCareDose
from celltrace.intake.models import Attachment, ConsultationRequest
from celltrace.lab.models import ProcessStep, ProductLot
from celltrace.outcomes.instruments import measure
from celltrace.outcomes.models import Measurement
from celltrace.patients.models import Patient
from celltrace.plans.models import PlannedProduct, TreatmentPlan
from celltrace.screening.models import PatientFact, Screening
from celltrace.stays.models import Administration, AdverseEvent, Stay

PATIENT_TYPES = (
    "Patient",
    "Condition",
    "Encounter",
    "Observation",
    "Procedure",
    "BiologicallyDerivedProduct",
    "AdverseEvent",
    "CarePlan",
    "Appointment",
    "Consent",
    "QuestionnaireResponse",
    "DocumentReference",
)
# Resources a patient's record refers to, read by reference rather than by patient.
SUPPORT_TYPES = ("Practitioner", "Organization", "Location")
RESOURCE_TYPES = PATIENT_TYPES + SUPPORT_TYPES


@dataclass(frozen=True)
class Source:
    resource_type: str
    prefix: str  # the resources' ids start with "<prefix>-<row pk>"
    patient_path: str  # from a row to its patient
    queryset: Callable[[], QuerySet]
    build: Callable[[list], Iterable[dict]]  # rows in, resources out
    filters: dict = field(default_factory=dict)

    def rows(self, patients: QuerySet, pks: Iterable[int] | None = None) -> QuerySet:
        rows = self.queryset().filter(**{f"{self.patient_path}__in": patients}, **self.filters)
        return rows if pks is None else rows.filter(pk__in=pks)

    def resources(self, patients: QuerySet, pks: Iterable[int] | None = None) -> list[dict]:
        return [validate(resource) for resource in self.build(list(self.rows(patients, pks)))]


def _each(mapping):
    return lambda rows: [mapping(row) for row in rows]


def _flat(mapping):
    return lambda rows: [resource for row in rows for resource in mapping(row)]


def _dose_text(planned_or_given) -> str:
    product_ = planned_or_given.product if hasattr(planned_or_given, "product") else None
    product_ = product_ or planned_or_given.lot.product
    route = planned_or_given.get_route_display().lower()
    return f"{product_.dose_per_kg(planned_or_given.dose_per_kg)}, {route}"


def _facts(rows):
    for fact in rows:
        if fact.kind == PatientFact.Kind.LAB:
            known = ANALYTES.get(fact.analyte)
            yield observation.lab_fact(fact, known.label if known else fact.analyte)
        elif fact.kind == PatientFact.Kind.ANSWER:
            yield observation.answer_fact(fact, QUESTIONS.get(fact.question, fact.question))


def _sheet_key(row) -> tuple:
    """Measurements scored from one questionnaire sheet share these (and its answers)."""
    answers = json.dumps(row.details.get("items"), sort_keys=True)
    return (row.patient_id, row.details.get("instrument"), row.measured_on, answers)


def _sheets(rows) -> dict[tuple, list]:
    sheets = defaultdict(list)
    for row in rows:
        if isinstance(row.details.get("items"), dict):
            sheets[_sheet_key(row)].append(row)
    return sheets


def _sheet_id(rows) -> str:
    return f"qr-{min(row.pk for row in rows)}"


def _measurements(rows):
    sheets = _sheets(rows)
    for row in rows:
        sheet = sheets.get(_sheet_key(row))
        yield observation.measurement(
            row, measure(row.instrument), _sheet_id(sheet) if sheet else None
        )


def _questionnaire_responses(rows):
    for sheet in _sheets(rows).values():
        first = min(sheet, key=lambda row: row.pk)
        instrument = first.details.get("instrument") or first.instrument
        yield questionnaire_response.questionnaire_response(_sheet_id(sheet), first, instrument)


def _lots(rows):
    for lot in rows:
        steps = list(lot.steps.all())
        yield product.lot(lot, steps, given=bool(lot.administrations.all()))


def _plans(rows):
    for plan in rows:
        doses = [
            (planned, _dose_text(planned), bool(planned.administration_set.all()))
            for planned in plan.products.all()
        ]
        yield care_plan.treatment_plan(plan, doses)


def _home_care(rows):
    for stay in rows:
        items, doses = list(stay.follow_up.all()), list(stay.home_doses.all())
        if items or doses:
            yield care_plan.home_care(stay, items, doses)


def _letters(rows):
    for stay in rows:
        url = reverse("care:discharge_letter", args=[stay.pk])
        yield document_reference.discharge_letter(stay, url)


def _attachments(rows):
    for attachment in rows:
        url = reverse("intake:attachment", args=[attachment.pk])
        yield document_reference.request_attachment(attachment, url)


def _stays():
    return Stay.objects.select_related("patient", "site", "doctor", "admitted_by", "discharged_by")


SOURCES: tuple[Source, ...] = (
    Source("Patient", "", "pk", lambda: Patient.objects.select_related("site", "erasure"),
           _each(patient.patient)),
    Source("Condition", "condition", "pk", lambda: Patient.objects.select_related("condition"),
           _each(condition.program_condition)),
    Source("Condition", "fact", "patient",
           lambda: PatientFact.objects.select_related("patient", "recorded_by"),
           _each(condition.diagnosis), {"kind": PatientFact.Kind.DIAGNOSIS}),
    Source("Encounter", "screening", "patient",
           lambda: Screening.objects.select_related("patient__site", "doctor"),
           _each(encounter.consultation), {"purpose": Screening.Purpose.PLANNING}),
    Source("Encounter", "stay", "patient", _stays, _each(encounter.stay)),
    Source("Observation", "measurement", "patient",
           lambda: Measurement.objects.select_related("patient", "recorded_by"),
           _measurements),
    Source("Observation", "fact", "patient",
           lambda: PatientFact.objects.select_related("patient", "recorded_by"),
           _facts, {"kind__in": [PatientFact.Kind.LAB, PatientFact.Kind.ANSWER]}),
    Source("Observation", "round", "stay__patient",
           lambda: DailyRound.objects.select_related("stay__patient", "doctor"),
           _flat(observation.daily_round)),
    Source("Observation", "administration", "stay__patient",
           lambda: Administration.objects.select_related("stay__patient", "nurse"),
           _flat(observation.administration_checks)),
    Source("Observation", "stay", "patient", _stays, _each(observation.admission_weight),
           {"weight_kg__isnull": False}),
    Source("Procedure", "harvest", "lot__source_patient",
           lambda: ProcessStep.objects.select_related(
               "lot__site", "lot__source_patient", "performed_by"),
           _each(procedure.harvest), {"step": ProcessStep.Step.HARVEST}),
    Source("Procedure", "administration", "stay__patient",
           lambda: Administration.objects.select_related(
               "stay__patient", "stay__site", "lot__product", "nurse"),
           lambda rows: [procedure.administration(row, _dose_text(row)) for row in rows]),
    Source("Procedure", "therapy", "stay__patient",
           lambda: TherapySession.objects.select_related(
               "stay__patient", "stay__site", "planned_therapy__therapy", "recorded_by"),
           _each(procedure.therapy_session)),
    Source("BiologicallyDerivedProduct", "lot", "plan__patient",
           lambda: ProductLot.objects.select_related(
               "product", "site", "chain", "source_patient").prefetch_related(
               Prefetch("steps", queryset=ProcessStep.objects.select_related("performed_by")),
               Prefetch("administrations", queryset=Administration.objects.only("pk", "lot"))),
           _lots),
    Source("AdverseEvent", "ae", "stay__patient",
           lambda: AdverseEvent.objects.select_related("stay__patient", "term", "reported_by"),
           _each(adverse_event.adverse_event)),
    Source("CarePlan", "plan", "patient",
           lambda: TreatmentPlan.objects.select_related("patient", "created_by").prefetch_related(
               Prefetch("products", queryset=PlannedProduct.objects.select_related(
                   "product", "plan").prefetch_related("administration_set")),
               "therapies__therapy"),
           _plans),
    Source("CarePlan", "homecare", "patient",
           lambda: _stays().prefetch_related(
               Prefetch("follow_up", queryset=FollowUpItem.objects.order_by("due_date", "pk")),
               Prefetch("home_doses", queryset=HomeCareDose.objects.order_by("day", "pk"))),
           _home_care, {"discharged_at__isnull": False}),
    Source("Appointment", "appointment", "item__patient",
           lambda: Appointment.objects.select_related("item__patient__site"),
           _each(appointment.checkup)),
    Source("Consent", "storage", "patient",
           lambda: StorageConsent.objects.select_related("patient__site"),
           _each(consent.storage_consent)),
    Source("Consent", "request", "patient",
           lambda: ConsultationRequest.objects.select_related("patient", "site"),
           _each(consent.data_consent), {"consent_health_data": True}),
    Source("QuestionnaireResponse", "qr", "patient",
           lambda: Measurement.objects.select_related("patient", "recorded_by"),
           _questionnaire_responses),
    Source("DocumentReference", "letter", "patient", _stays, _letters,
           {"discharged_at__isnull": False}),
    Source("DocumentReference", "attachment", "request__patient",
           lambda: Attachment.objects.select_related("request__patient", "request__site",
                                                     "uploaded_by"),
           _attachments),
)  # fmt: skip


def sources_of(resource_type: str) -> tuple[Source, ...]:
    return tuple(source for source in SOURCES if source.resource_type == resource_type)


def patient_resources(patients: QuerySet, types: Iterable[str] = PATIENT_TYPES) -> list[dict]:
    """Every resource of the patients' records, of the given types."""
    wanted = set(types)
    return [
        resource
        for source in SOURCES
        if source.resource_type in wanted
        for resource in source.resources(patients)
    ]


def everything(patient: Patient) -> tuple[list[dict], list[dict]]:
    """The patient's whole record, and the practitioners, organizations and locations it names.

    Served as `Patient/<id>/$everything` and written into the patient's export
    (`celltrace.privacy.export`): the caller has checked the user may open the patient.
    """
    own = patient_resources(Patient.objects.filter(pk=patient.pk))
    return own, support_resources(references(own))


def read(patients: QuerySet, resource_type: str, resource_id: str) -> dict | None:
    """One resource of the patients' records, or None (not theirs, or no such resource)."""
    prefix, _, rest = resource_id.partition("-") if "-" in resource_id else ("", "", resource_id)
    rest = rest.partition("-")[0]
    if not rest.isdigit():
        return None
    pk = int(rest)
    for source in sources_of(resource_type):
        if source.prefix != prefix:
            continue
        row = source.rows(patients, [pk]).values_list(source.patient_path, flat=True).first()
        if row is None:
            continue
        # A resource may be built from several rows (a questionnaire sheet): build the
        # source for that one patient and pick the resource.
        for resource in source.resources(Patient.objects.filter(pk=row)):
            if resource["id"] == resource_id:
                return resource
    return None


def references(resources: Iterable[dict]) -> set[str]:
    """Every literal reference ("Type/id") the resources make."""
    found = set()

    def walk(value):
        if isinstance(value, dict):
            reference = value.get("reference")
            if isinstance(reference, str):
                found.add(reference)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for resource in resources:
        walk(resource)
    return found


def support_resources(wanted: Iterable[str]) -> list[dict]:
    """The practitioners, organizations and locations the references name (two queries)."""
    ids = defaultdict(set)
    for reference in wanted:
        resource_type, _, resource_id = reference.partition("/")
        if resource_type in SUPPORT_TYPES and resource_id.isdigit():
            ids[resource_type].add(int(resource_id))
    users = User.objects.filter(pk__in=ids["Practitioner"]).order_by("pk")
    sites = Site.objects.filter(pk__in=ids["Organization"] | ids["Location"]).order_by("pk")
    sites = list(sites)
    built = [practitioner.practitioner(user) for user in users]
    built += [organization.organization(s) for s in sites if s.pk in ids["Organization"]]
    built += [organization.location(s) for s in sites if s.pk in ids["Location"]]
    return [validate(resource) for resource in built]


def with_support(resources: list[dict]) -> list[dict]:
    """The resources followed by the practitioners, organizations and locations they name."""
    return resources + support_resources(references(resources))


def changed_since(moment: dt.datetime) -> dict[type, set[int]]:
    """The rows of every source's model changed (audit history) at or after the moment."""
    models = {source.queryset().model for source in SOURCES}
    return {
        model: set(model.history.filter(history_date__gte=moment).values_list("id", flat=True))
        for model in models
    }
