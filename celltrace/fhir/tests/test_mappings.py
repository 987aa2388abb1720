"""What each mapping says: the codes, identifiers and links a FHIR reader relies on."""

import datetime as dt

import pytest
from django.utils import timezone

from celltrace.fhir import codes, records
from celltrace.fhir.mappings import patient as patient_mapping
from celltrace.fhir.validation import InvalidResource, validate
from celltrace.followup.models import Appointment
from celltrace.patients.models import Patient


@pytest.fixture
def record(journey) -> dict[str, dict]:
    resources = records.with_support(
        records.patient_resources(Patient.objects.filter(pk=journey.pk))
    )
    return {f"{r['resourceType']}/{r['id']}": r for r in resources}


def of_type(record, resource_type) -> list[dict]:
    return [r for key, r in record.items() if key.startswith(f"{resource_type}/")]


def codings(concept) -> set[tuple[str, str]]:
    return {(c["system"], c["code"]) for c in concept.get("coding", [])}


def test_the_lot_carries_its_isbt_128_identifiers(journey, record):
    lot = journey.plans.get().lots.get()
    product = record[f"BiologicallyDerivedProduct/lot-{lot.pk}"]
    assert {"system": codes.LOT_CODE, "value": lot.code, "use": "usual"} in product["identifier"]
    din = [i for i in product["identifier"] if i["system"] == codes.ISBT128_DIN]
    assert [i["value"] for i in din] == [lot.din]
    # Autologous (collection type 1), not divided (00).
    expected = f"{lot.product.isbt_product_code}100"
    assert (codes.ISBT128_PRODUCT_CODE, expected) in codings(product["productCode"])
    assert product["collection"]["source"]["reference"] == f"Patient/{journey.pk}"
    assert product["status"] == "unavailable"  # given at the bedside


def test_the_adverse_event_names_the_administration_and_the_lot(journey, record):
    stay = journey.stays.get()
    given = stay.administrations.get()
    event = of_type(record, "AdverseEvent")[0]
    assert (codes.MEDDRA, "10016558") in codings(event["event"])
    suspect = event["suspectEntity"][0]
    assert suspect["instance"]["reference"] == f"Procedure/administration-{given.pk}"
    assert suspect["extension"][0]["valueReference"]["reference"] == (
        f"BiologicallyDerivedProduct/lot-{given.lot_id}"
    )
    assert codings(suspect["causality"][0]["assessment"]) == {
        (codes.ADVERSE_EVENT_CAUSALITY, "Possible")
    }
    assert codings(event["severity"]) == {(codes.ADVERSE_EVENT_SEVERITY, "mild")}
    assert codings(event["outcome"]) == {(codes.ADVERSE_EVENT_OUTCOME, "resolved")}
    assert event["encounter"]["reference"] == f"Encounter/stay-{stay.pk}"


def test_procedures_harvest_administration_and_therapy(journey, record):
    procedures = of_type(record, "Procedure")
    kinds = {next(iter(codings(p["code"])))[1]: p for p in procedures}
    assert set(kinds) >= {"harvest", "administration"}
    harvest = kinds["harvest"]
    assert harvest["subject"]["reference"] == f"Patient/{journey.pk}"
    assert harvest["extension"][0]["url"] == codes.PRODUCT_EXTENSION
    therapy = [p for p in procedures if p["id"].startswith("therapy-")]
    assert [p["status"] for p in therapy] == ["completed"]


def test_observations_use_loinc_where_it_has_a_code(journey, record):
    observations = of_type(record, "Observation")
    used = set().union(*(codings(o["code"]) for o in observations))
    for code in ("8310-5", "8867-4", "85354-9", "59408-5", "29463-7", "72514-3", "718-7"):
        assert (codes.LOINC, code) in used, code
    assert (codes.OBSERVATION, "measure-edss") in used
    pressure = next(o for o in observations if o["id"].endswith("-blood-pressure"))
    assert {next(iter(codings(c["code"])))[1] for c in pressure["component"]} == {
        "8480-6",
        "8462-4",
    }


def test_a_questionnaire_sheet_is_one_response_behind_both_scores(journey, record):
    responses = of_type(record, "QuestionnaireResponse")
    assert len(responses) == 1
    response = responses[0]
    assert response["questionnaire"] == f"{codes.QUESTIONNAIRE}/msis29|MSIS-29v1"
    assert len(response["item"]) == 29
    assert response["item"][0]["answer"] == [{"valueInteger": 2}]
    scores = [o for o in of_type(record, "Observation") if o.get("derivedFrom")]
    assert len(scores) == 2
    assert {s["derivedFrom"][0]["reference"] for s in scores} == {
        f"QuestionnaireResponse/{response['id']}"
    }


def test_care_plans_treatment_and_home_care(journey, record):
    plan = journey.plans.get()
    treatment = record[f"CarePlan/plan-{plan.pk}"]
    statuses = [a["detail"]["status"] for a in treatment["activity"]]
    assert statuses == ["completed", "scheduled"]  # the dose was given; the therapy planned
    home = record[f"CarePlan/homecare-{journey.stays.get().pk}"]
    assert home["basedOn"][0]["reference"] == f"CarePlan/plan-{plan.pk}"
    dose, checkup = (a["detail"] for a in home["activity"])
    assert checkup["description"] == "3-month check-up"
    assert dose["productCodeableConcept"]["text"] == "Exosome nasal spray for home use"
    assert (dose["quantity"], dose["status"]) == (
        {"value": 7.0e10, "unit": "particles"},
        "scheduled",
    )
    day = (timezone.localdate() + dt.timedelta(days=6)).isoformat()
    assert dose["scheduledPeriod"] == {"start": day, "end": day}


def test_consents_and_documents(journey, record):
    consents = {c["id"].split("-")[0]: c for c in of_type(record, "Consent")}
    assert consents["storage"]["provision"]["period"] == {"start": "2025-01-01",
                                                          "end": "2040-01-01"}  # fmt: skip
    assert codings(consents["request"]["scope"]) == {(codes.CONSENT_SCOPE, "patient-privacy")}
    documents = {d["id"].split("-")[0]: d for d in of_type(record, "DocumentReference")}
    stay = journey.stays.get()
    letter = documents["letter"]["content"][0]["attachment"]
    assert letter["url"] == f"/care/stays/{stay.pk}/letter.pdf"
    assert documents["attachment"]["description"] == "mri.pdf"


def test_the_condition_is_coded_in_icd_10(journey, record):
    condition = record[f"Condition/condition-{journey.pk}"]
    if journey.condition.icd10:
        assert (codes.ICD10, journey.condition.icd10) in codings(condition["code"])
    diagnoses = [c for c in of_type(record, "Condition") if c["id"].startswith("fact-")]
    assert [codings(d["code"]) for d in diagnoses] == [{(codes.ICD10, "G35")}]


def test_a_resource_fhir_rejects_is_named():
    with pytest.raises(InvalidResource, match="Patient/7"):
        validate({"resourceType": "Patient", "id": "7", "birthDate": "1990-13-01"})
    with pytest.raises(InvalidResource, match="Unknown resource type"):
        validate({"resourceType": "Nonsense", "id": "1"})


def test_the_patient_language_is_coded_in_bcp_47_and_keeps_the_words_they_used(journey):
    journey.language, journey.preferred_language = "Deutsch", "de"
    (german,) = validate(patient_mapping.patient(journey))["communication"]
    assert german == {
        "language": {
            "coding": [{"system": "urn:ietf:bcp:47", "code": "de", "display": "German"}],
            "text": "Deutsch",
        },
        "preferred": True,
    }
    # Spoken Portuguese, written to in English: the interpreter's language is not the mail's.
    journey.language, journey.preferred_language = "Portuguese", "en"
    written, spoken = validate(patient_mapping.patient(journey))["communication"]
    assert codings(written["language"]) == {("urn:ietf:bcp:47", "en")}
    assert written["preferred"] is True and written["language"]["text"] == "English"
    assert spoken == {"language": {"text": "Portuguese"}}


def test_a_checkup_appointment_is_an_appointment_with_its_place_and_outcome(journey, doctor):
    checkup = journey.follow_up.get(kind="checkup")
    starts = timezone.now() + dt.timedelta(days=90)
    at_clinic = Appointment.objects.create(
        item=checkup, starts_at=starts, place="clinic", booked_by=doctor
    )
    by_video = Appointment.objects.create(
        item=checkup, starts_at=starts - dt.timedelta(days=2), place="video",
        link="https://meet.example.org/x", status="cancelled", status_note="Flight moved.",
        booked_by=doctor,
    )  # fmt: skip
    record = {
        r["id"]: r
        for r in records.patient_resources(Patient.objects.filter(pk=journey.pk), ["Appointment"])
    }
    booked = record[f"appointment-{at_clinic.pk}"]
    assert (booked["status"], booked["description"]) == ("booked", "3-month check-up")
    assert codings(booked["appointmentType"]) == {(codes.APPOINTMENT_TYPE, "CHECKUP")}
    assert booked["start"] == starts.isoformat()
    assert booked["end"] == (starts + dt.timedelta(hours=1)).isoformat()
    actors = [p["actor"]["reference"] for p in booked["participant"]]
    assert actors == [f"Patient/{journey.pk}", f"Location/{journey.site_id}"]
    stay = journey.stays.get()
    assert booked["supportingInformation"] == [{"reference": f"CarePlan/homecare-{stay.pk}"}]
    cancelled = record[f"appointment-{by_video.pk}"]
    assert (cancelled["status"], cancelled["cancelationReason"]) == (
        "cancelled",
        {"text": "Flight moved."},
    )
    assert [p["actor"]["reference"] for p in cancelled["participant"]] == [f"Patient/{journey.pk}"]
    assert cancelled["serviceType"] == [{"text": "Video call"}]
    read = records.read(Patient.objects.all(), "Appointment", f"appointment-{at_clinic.pk}")
    assert read == booked
