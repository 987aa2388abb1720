"""The code systems and identifier systems celltrace's FHIR resources use, in one place.

Standard codes (LOINC, ICD-10, MedDRA, HL7's own) where they exist; where they do not,
celltrace's own code systems, published as CodeSystem resources (`code_systems()`) and named
in the CapabilityStatement, so a reader can look every code up.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from celltrace.clinical.eligibility.units import ANALYTES

# The canonical base of celltrace's own code, identifier and extension systems.
BASE = "http://celltrace.org/fhir"

LOINC = "http://loinc.org"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
MEDDRA = "http://terminology.hl7.org/CodeSystem/mdr"
UCUM = "http://unitsofmeasure.org"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
CONSENT_CATEGORY = "http://loinc.org"
CONSENT_POLICY = "http://terminology.hl7.org/CodeSystem/consentpolicycodes"
ADVERSE_EVENT_SERIOUSNESS = "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness"
ADVERSE_EVENT_CAUSALITY = "http://terminology.hl7.org/CodeSystem/adverse-event-causality-assess"
ADVERSE_EVENT_OUTCOME = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome"
ADVERSE_EVENT_SEVERITY = "http://terminology.hl7.org/CodeSystem/adverse-event-severity"
APPOINTMENT_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0276"
DOCUMENT_TYPE = LOINC

# celltrace's own systems.
PROCEDURE = f"{BASE}/CodeSystem/procedure"
OBSERVATION = f"{BASE}/CodeSystem/observation"
PRODUCT = f"{BASE}/CodeSystem/cell-product"
THERAPY = f"{BASE}/CodeSystem/therapy"
CONDITION = f"{BASE}/CodeSystem/condition"
CTCAE = f"{BASE}/CodeSystem/ctcae-term"
QUESTIONNAIRE = f"{BASE}/Questionnaire"
PATIENT_CODE = f"{BASE}/sid/patient-code"
STAFF_USERNAME = f"{BASE}/sid/username"
SITE_CODE = f"{BASE}/sid/site-code"
LOT_CODE = f"{BASE}/sid/lot-code"
ISBT128_DIN = f"{BASE}/sid/isbt128-din"
ISBT128_PRODUCT_CODE = f"{BASE}/sid/isbt128-product-code"
CHAIN_OF_IDENTITY = f"{BASE}/sid/isbt128-chain-of-identity"
# Extensions: R4 has no element linking a procedure or an adverse event to the
# BiologicallyDerivedProduct (R5 adds them); this one does.
PRODUCT_EXTENSION = f"{BASE}/StructureDefinition/product"
# An erased patient's record: why it is kept and until when (docs/privacy.md).
RETENTION_EXTENSION = f"{BASE}/StructureDefinition/retention"
OBSERVATION_VALUE = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue"
# Languages: BCP-47 tags, as FHIR R4's Patient.communication.language binding asks.
BCP47 = "urn:ietf:bcp:47"
LANGUAGE_NAMES = {"en": "English", "de": "German", "ru": "Russian"}


@dataclass(frozen=True)
class Code:
    system: str
    code: str
    display: str

    def concept(self, text: str | None = None) -> dict:
        return {
            "coding": [{"system": self.system, "code": self.code, "display": self.display}],
            "text": text or self.display,
        }


# Vital signs (LOINC, as the FHIR vital signs profile names them).
TEMPERATURE = Code(LOINC, "8310-5", "Body temperature")
HEART_RATE = Code(LOINC, "8867-4", "Heart rate")
BLOOD_PRESSURE = Code(LOINC, "85354-9", "Blood pressure panel with all children optional")
SYSTOLIC = Code(LOINC, "8480-6", "Systolic blood pressure")
DIASTOLIC = Code(LOINC, "8462-4", "Diastolic blood pressure")
SPO2 = Code(LOINC, "59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry")
BODY_WEIGHT = Code(LOINC, "29463-7", "Body weight")
PAIN_NRS = Code(LOINC, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
NEURO_STATUS = Code(OBSERVATION, "neuro-status", "Neurological status at the daily round")

# Outcome measures with a LOINC code; the others are celltrace's (see `measure_code`).
MEASURE_LOINC = {
    "pain": PAIN_NRS,
    "hba1c": Code(LOINC, "4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood"),
    "egfr": Code(
        LOINC,
        "98979-8",
        "Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma "
        "or Blood by Creatinine-based formula (CKD-EPI 2021)",
    ),
    "uacr": Code(LOINC, "9318-7", "Albumin/Creatinine [Mass Ratio] in Urine"),
}
# Measures that are laboratory values rather than scores.
LAB_MEASURES = frozenset({"hba1c", "egfr", "uacr"})

# Screening lab analytes (clinical/eligibility/units.py) with a LOINC code; eGFR from an
# outside report names no equation, so it keeps celltrace's code.
ANALYTE_LOINC = {
    "haemoglobin": Code(LOINC, "718-7", "Hemoglobin [Mass/volume] in Blood"),
    "platelets": Code(LOINC, "777-3", "Platelets [#/volume] in Blood by Automated count"),
    "white_cells": Code(LOINC, "6690-2", "Leukocytes [#/volume] in Blood by Automated count"),
    "inr": Code(LOINC, "6301-6", "INR in Platelet poor plasma by Coagulation assay"),
    "alt": Code(
        LOINC, "1742-6", "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma"
    ),  # fmt: skip
    "ast": Code(
        LOINC, "1920-8", "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma"
    ),  # fmt: skip
    "crp": Code(LOINC, "1988-5", "C reactive protein [Mass/volume] in Serum or Plasma"),
}
CREATININE_MASS = Code(LOINC, "2160-0", "Creatinine [Mass/volume] in Serum or Plasma")
CREATININE_MOLES = Code(LOINC, "14682-9", "Creatinine [Moles/volume] in Serum or Plasma")

# Procedures: celltrace's codes.
HARVEST = Code(PROCEDURE, "harvest", "Harvest of the patient's own cells")
ADMINISTRATION = Code(PROCEDURE, "administration", "Administration of a cell product")
THERAPY_SESSION = Code(PROCEDURE, "therapy-session", "Complementary therapy session")

# Document types (LOINC document ontology).
DISCHARGE_SUMMARY = Code(LOINC, "18842-5", "Discharge summary")
REFERRAL_DOCUMENT = Code(LOINC, "57133-1", "Referral note")


def analyte_code(analyte: str, unit: str, label: str) -> Code:
    """The code of a screening lab result: LOINC where it has one, else celltrace's."""
    if analyte == "creatinine":
        return CREATININE_MOLES if "mol" in unit.lower() else CREATININE_MASS
    return ANALYTE_LOINC.get(analyte) or Code(OBSERVATION, f"lab-{analyte}", label)


@cache
def _analytes_by_code() -> dict[tuple[str, str], str]:
    """Every code `analyte_code` writes, back to its analyte: the export's table read backwards."""
    return {
        (code.system, code.code): name
        for name, known in ANALYTES.items()
        for code in (analyte_code(name, unit, known.label) for unit in [*known.factors, ""])
    }


def lab_analyte(system: str, code: str) -> str | None:
    """The screening analyte a lab code stands for (None: not a screening lab code)."""
    return _analytes_by_code().get((system, code))


def measure_code(measure: str, label: str) -> Code:
    """The code of an outcome measure: LOINC where it has one, else celltrace's."""
    return MEASURE_LOINC.get(measure) or Code(OBSERVATION, f"measure-{measure}", label)


def slug(text: str) -> str:
    """A code or id fragment from a catalog code: FHIR ids allow no underscore."""
    return text.replace("_", "-")
