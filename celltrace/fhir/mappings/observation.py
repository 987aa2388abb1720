"""Observation: outcome scores, screening labs and answers, and vital signs."""

from celltrace.fhir import codes
from celltrace.fhir.mappings.common import (
    moment,
    patient_ref,
    practitioner_ref,
    quantity,
    ref,
    resource,
)


def _category(code: str, display: str) -> list[dict]:
    return [{"coding": [{"system": codes.OBSERVATION_CATEGORY, "code": code,
                         "display": display}]}]  # fmt: skip


VITAL_SIGNS = _category("vital-signs", "Vital Signs")
LABORATORY = _category("laboratory", "Laboratory")
SURVEY = _category("survey", "Survey")
EXAM = _category("exam", "Exam")


def measurement(row, measure, questionnaire_response_id: str | None = None) -> dict:
    """An outcome measure (the instrument registry's `Measure`) recorded for the patient."""
    code = codes.measure_code(row.instrument, measure.label)
    category = LABORATORY if row.instrument in codes.LAB_MEASURES else SURVEY
    components = []
    if row.category:
        components.append(
            {"code": {"text": "Grade"}, "valueCodeableConcept": {"text": row.category}}
        )
    return resource(
        "Observation",
        f"measurement-{row.pk}",
        status="final",
        category=category,
        code=code.concept(measure.label),
        subject=patient_ref(row.patient),
        effectiveDateTime=moment(row.measured_on),
        issued=moment(row.recorded_at),
        performer=[practitioner_ref(row.recorded_by)],
        valueQuantity=quantity(row.value, measure.unit),
        note=[{"text": f"Time point: {row.get_timepoint_display()}"}],
        component=components,
        derivedFrom=[ref("QuestionnaireResponse", questionnaire_response_id)]
        if questionnaire_response_id
        else [],
    )


def lab_fact(fact, label: str) -> dict:
    """A screening laboratory result, as given, with the document it came from."""
    code = codes.analyte_code(fact.analyte, fact.unit, label)
    return resource(
        "Observation",
        f"fact-{fact.pk}",
        status="final",
        category=LABORATORY,
        code=code.concept(label),
        subject=patient_ref(fact.patient),
        effectiveDateTime=moment(fact.on),
        issued=moment(fact.recorded_at),
        performer=[practitioner_ref(fact.recorded_by)],
        valueQuantity=quantity(fact.value, fact.unit),
        note=[{"text": f"Source: {fact.provenance}"}],
    )


def answer_fact(fact, question: str) -> dict:
    """A screening question answered yes or no."""
    return resource(
        "Observation",
        f"fact-{fact.pk}",
        status="final",
        category=SURVEY,
        code=codes.Code(
            codes.OBSERVATION, f"question-{codes.slug(fact.question)}", question
        ).concept(),  # fmt: skip
        subject=patient_ref(fact.patient),
        effectiveDateTime=moment(fact.on),
        issued=moment(fact.recorded_at),
        performer=[practitioner_ref(fact.recorded_by)],
        valueBoolean=fact.yes,
        note=[{"text": f"Source: {fact.provenance}"}],
    )


def _vital(id_, code, value, *, patient, stay_id, taken_at, performer, **more) -> dict:
    return resource(
        "Observation",
        id_,
        status="final",
        category=VITAL_SIGNS,
        code=code.concept(),
        subject=patient_ref(patient),
        encounter=ref("Encounter", f"stay-{stay_id}"),
        effectiveDateTime=moment(taken_at),
        performer=[practitioner_ref(performer)],
        valueQuantity=value,
        **more,
    )


def vital_signs(prefix: str, row, *, patient, stay_id, taken_at, performer, **more) -> list[dict]:
    """Temperature, heart rate, blood pressure and SpO2 of a round or a bedside check."""
    common = {"patient": patient, "stay_id": stay_id, "taken_at": taken_at,
              "performer": performer, **more}  # fmt: skip
    pressure = [
        {"code": codes.SYSTOLIC.concept(),
         "valueQuantity": quantity(row.systolic_bp, "mmHg", "mm[Hg]")},
        {"code": codes.DIASTOLIC.concept(),
         "valueQuantity": quantity(row.diastolic_bp, "mmHg", "mm[Hg]")},
    ]  # fmt: skip
    return [
        _vital(f"{prefix}-temperature", codes.TEMPERATURE,
               quantity(row.temperature_c, "°C", "Cel"), **common),
        _vital(f"{prefix}-heart-rate", codes.HEART_RATE,
               quantity(row.heart_rate, "/min", "/min"), **common),
        _vital(f"{prefix}-blood-pressure", codes.BLOOD_PRESSURE, None,
               component=pressure, **common),
        _vital(f"{prefix}-spo2", codes.SPO2, quantity(row.spo2, "%", "%"), **common),
    ]  # fmt: skip


def daily_round(row) -> list[dict]:
    """The attending doctor's morning round: vital signs, pain and the neurological status."""
    stay = row.stay
    common = {"patient": stay.patient, "stay_id": stay.pk, "taken_at": row.taken_at,
              "performer": row.doctor}  # fmt: skip
    prefix = f"round-{row.pk}"
    neuro = resource(
        "Observation",
        f"{prefix}-neuro",
        status="final",
        category=EXAM,
        code=codes.NEURO_STATUS.concept(),
        subject=patient_ref(stay.patient),
        encounter=ref("Encounter", f"stay-{stay.pk}"),
        effectiveDateTime=moment(row.taken_at),
        performer=[practitioner_ref(row.doctor)],
        valueCodeableConcept={"text": row.get_neuro_status_display()},
        note=[{"text": row.neuro_notes}] if row.neuro_notes else [],
    )
    pain = _vital(f"{prefix}-pain", codes.PAIN_NRS, None, valueInteger=row.pain_nrs, **common) | {
        "category": SURVEY
    }
    pain.pop("valueQuantity", None)
    return [*vital_signs(prefix, row, **common), pain, neuro]


def administration_checks(row) -> list[dict]:
    """The vital signs the nurse checked at the bedside before giving a product."""
    stay = row.stay
    return vital_signs(
        f"administration-{row.pk}",
        row,
        patient=stay.patient,
        stay_id=stay.pk,
        taken_at=row.given_at,
        performer=row.nurse,
        partOf=[ref("Procedure", f"administration-{row.pk}")],
    )


def admission_weight(stay) -> dict:
    return _vital(
        f"stay-{stay.pk}-weight",
        codes.BODY_WEIGHT,
        quantity(stay.weight_kg, "kg", "kg"),
        patient=stay.patient,
        stay_id=stay.pk,
        taken_at=stay.admitted_at,
        performer=stay.admitted_by,
    )
