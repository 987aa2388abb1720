"""AdverseEvent: a side effect, coded (CTCAE v5.0 / MedDRA), linked to the product given."""

from celltrace.fhir import codes
from celltrace.fhir.mappings.common import (
    moment,
    patient_ref,
    practitioner_ref,
    product_extension,
    ref,
    resource,
)

# CTCAE grade -> FHIR R4's severity (mild, moderate, severe); the grade itself is in the text.
SEVERITY = {1: "mild", 2: "moderate"}
# celltrace's outcome -> FHIR R4's adverse-event-outcome.
OUTCOME = {
    "recovered": "resolved",
    "recovering": "recovering",
    "not_recovered": "ongoing",
    "sequelae": "resolvedWithSequelae",
    "fatal": "fatal",
    "unknown": "unknown",
}
# The doctor's relatedness -> FHIR R4's causality assessment (WHO-UMC); "unrelated" has none.
CAUSALITY = {
    "definite": "Certain",
    "probable": "Probably-Likely",
    "possible": "Possible",
    "unlikely": "Unlikely",
}


def _code(system: str, code: str) -> dict:
    return {"coding": [{"system": system, "code": code}]}


def adverse_event(event) -> dict:
    stay = event.stay
    term = event.term
    coding = [{"system": codes.CTCAE, "code": term.code, "display": term.term}]
    if term.meddra_code:
        coding.append({"system": codes.MEDDRA, "code": term.meddra_code, "display": term.term})
    suspect = []
    if event.administration_id:
        relatedness = event.get_relatedness_display()
        assessment = {"text": relatedness}
        if event.relatedness in CAUSALITY:
            assessment = _code(codes.ADVERSE_EVENT_CAUSALITY, CAUSALITY[event.relatedness])
            assessment["text"] = relatedness
        suspect.append(
            {
                "extension": [product_extension(event.lot_id)] if event.lot_id else [],
                "instance": ref("Procedure", f"administration-{event.administration_id}"),
                "causality": [
                    {"assessment": assessment, "author": practitioner_ref(event.reported_by)}
                ],
            }
        )
    return resource(
        "AdverseEvent",
        f"ae-{event.pk}",
        actuality="actual",
        event={"coding": coding, "text": f"{event.label}, CTCAE grade {event.ctcae_grade}"},
        subject=patient_ref(stay.patient),
        encounter=ref("Encounter", f"stay-{stay.pk}"),
        date=moment(event.onset_at),
        detected=moment(event.onset_at),
        recorder=practitioner_ref(event.reported_by),
        seriousness=_code(
            codes.ADVERSE_EVENT_SERIOUSNESS, "serious" if event.serious else "non-serious"
        ),
        severity=_code(codes.ADVERSE_EVENT_SEVERITY, SEVERITY.get(event.ctcae_grade, "severe")),
        outcome=_code(codes.ADVERSE_EVENT_OUTCOME, OUTCOME[event.outcome]),
        suspectEntity=suspect,
    )
