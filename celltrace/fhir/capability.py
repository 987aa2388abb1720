"""The CapabilityStatement (`/fhir/R4/metadata`) and celltrace's own code systems."""

from __future__ import annotations

from django.utils import timezone

from celltrace.catalog.models import AdverseEventTerm, CellProduct, Condition, Therapy
from celltrace.clinical.eligibility.facts import QUESTIONS
from celltrace.clinical.eligibility.units import ANALYTES
from celltrace.fhir import codes
from celltrace.fhir.records import PATIENT_TYPES, SUPPORT_TYPES
from celltrace.fhir.validation import validate
from celltrace.outcomes.instruments import measures

FHIR_VERSION = "4.0.1"
EVERYTHING = "http://hl7.org/fhir/OperationDefinition/Patient-everything"


def _concepts(pairs) -> list[dict]:
    return [{"code": code, "display": display} for code, display in pairs]


def _observation_concepts() -> list[tuple[str, str]]:
    pairs = [(codes.NEURO_STATUS.code, codes.NEURO_STATUS.display)]
    pairs += [
        (f"measure-{m.code}", m.label) for m in measures() if m.code not in codes.MEASURE_LOINC
    ]
    pairs += [
        (f"lab-{name}", analyte.label)
        for name, analyte in ANALYTES.items()
        if name not in codes.ANALYTE_LOINC and name != "creatinine"
    ]
    pairs += [(f"question-{codes.slug(name)}", text) for name, text in QUESTIONS.items()]
    return pairs


def _systems() -> dict[str, tuple[str, str, list[tuple[str, str]]]]:
    """id -> (canonical URL, title, concepts)."""
    procedures = [codes.HARVEST, codes.ADMINISTRATION, codes.THERAPY_SESSION]
    conditions = Condition.objects.values_list("code", "name")
    return {
        "procedure": (codes.PROCEDURE, "celltrace procedures",
                      [(c.code, c.display) for c in procedures]),
        "observation": (codes.OBSERVATION, "celltrace observations without a LOINC code",
                        _observation_concepts()),
        "cell-product": (codes.PRODUCT, "celltrace cell products",
                         list(CellProduct.objects.values_list("code", "name"))),
        "therapy": (codes.THERAPY, "celltrace complementary therapies",
                    [(codes.slug(c), n) for c, n in Therapy.objects.values_list("code", "name")]),
        "condition": (codes.CONDITION, "celltrace program conditions",
                      [(codes.slug(c), n) for c, n in conditions]),
        "ctcae-term": (codes.CTCAE, "CTCAE v5.0 terms as celltrace codes them",
                       list(AdverseEventTerm.objects.values_list("code", "term"))),
    }  # fmt: skip


CODE_SYSTEM_IDS = ("procedure", "observation", "cell-product", "therapy", "condition", "ctcae-term")


def code_system(system_id: str) -> dict | None:
    """One of celltrace's code systems as a CodeSystem resource, or None."""
    if system_id not in CODE_SYSTEM_IDS:
        return None
    url, title, concepts = _systems()[system_id]
    return validate(
        {
            "resourceType": "CodeSystem",
            "id": system_id,
            "url": url,
            "name": "".join(part.title() for part in f"celltrace-{system_id}".split("-")),
            "title": title,
            "status": "active",
            "publisher": "celltrace",
            "caseSensitive": True,
            "content": "complete",
            "count": len(concepts),
            "concept": _concepts(concepts),
        }
    )


def capability_statement(base_url: str) -> dict:
    """What the server offers: read and search by patient, $everything, the code systems."""
    systems = "; ".join(f"{base_url}/CodeSystem/{i}" for i in CODE_SYSTEM_IDS)
    resources = []
    for resource_type in PATIENT_TYPES:
        entry = {
            "type": resource_type,
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "searchParam": [
                {"name": "_id", "type": "token"}
                if resource_type == "Patient"
                else {"name": "patient", "type": "reference"}
            ],
        }
        if resource_type == "Patient":
            entry["operation"] = [{"name": "everything", "definition": EVERYTHING}]
        resources.append(entry)
    resources += [{"type": t, "interaction": [{"code": "read"}]} for t in SUPPORT_TYPES]
    resources.append(
        {
            "type": "CodeSystem",
            "interaction": [{"code": "read"}],
            "documentation": f"celltrace's own code systems, for codes with no LOINC, SNOMED CT "
            f"or ICD-10 equivalent: {systems}",
        }
    )
    return validate(
        {
            "resourceType": "CapabilityStatement",
            "id": "celltrace",
            "status": "active",
            "date": timezone.now().isoformat(),
            "publisher": "celltrace",
            "kind": "instance",
            "software": {"name": "celltrace"},
            "implementation": {
                "description": "celltrace clinic records as FHIR R4",
                "url": base_url,
            },
            "fhirVersion": FHIR_VERSION,
            "format": ["json"],
            "rest": [
                {
                    "mode": "server",
                    "documentation": "Read, and search of each resource type by patient "
                    "(Patient by _id); a Bundle (collection, transaction or batch) of lab "
                    "Observations and DocumentReferences POSTed to the base is imported whole "
                    f"or not at all (docs/fhir.md). Code systems: {systems}",
                    "security": {
                        "description": "Signed-in session of the clinic: the care team at its "
                        "site, an administrator everywhere, a patient their own record only."
                    },
                    "resource": resources,
                    "interaction": [{"code": "transaction"}, {"code": "batch"}],
                }
            ],
        }
    )
