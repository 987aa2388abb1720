"""The FHIR read API: the care team reads its site's patients, a patient only their own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from celltrace.fhir import records
from celltrace.fhir.validation import model
from celltrace.patients.models import Patient
from testkit.signin import sign_in

from .conftest import whole_journey

EVERY_TYPE = set(records.RESOURCE_TYPES)


def everything(client, patient):
    return client.get(f"/fhir/R4/Patient/{patient.pk}/$everything")


def _keys(bundle) -> set[str]:
    return {f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in bundle["entry"]}


def test_the_care_team_reads_the_whole_record_and_every_reference_resolves(journey, doctor, client):
    sign_in(client, doctor)
    response = everything(client, journey)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    bundle = response.json()
    model("Bundle").model_validate(bundle)
    resources = [entry["resource"] for entry in bundle["entry"]]
    assert {r["resourceType"] for r in resources} == EVERY_TYPE
    assert records.references(resources) <= _keys(bundle)
    for resource in resources:
        model(resource["resourceType"]).model_validate(resource)


def test_each_resource_reads_alone_as_in_the_record(journey, nurse, client):
    sign_in(client, nurse)
    for entry in everything(client, journey).json()["entry"]:
        resource = entry["resource"]
        response = client.get(f"/fhir/R4/{resource['resourceType']}/{resource['id']}")
        assert response.status_code == 200, resource["id"]
        assert response.json() == resource


def test_search_by_patient_gives_that_type_of_the_record(journey, doctor, client):
    sign_in(client, doctor)
    record = everything(client, journey).json()
    for resource_type in records.PATIENT_TYPES:
        wanted = {key for key in _keys(record) if key.startswith(f"{resource_type}/")}
        parameter = "_id" if resource_type == "Patient" else "patient"
        response = client.get(f"/fhir/R4/{resource_type}?{parameter}={journey.pk}")
        assert response.status_code == 200
        assert _keys(response.json()) == wanted


def test_a_foreign_sites_patient_never_appears(journey, foreign_journey, doctor, client):
    sign_in(client, doctor)
    foreign = foreign_journey.pk
    assert everything(client, foreign_journey).status_code == 404
    assert client.get(f"/fhir/R4/Patient/{foreign}").status_code == 404
    assert client.get(f"/fhir/R4/Observation?patient={foreign}").status_code == 404
    patients = client.get("/fhir/R4/Patient").json()
    assert _keys(patients) == {f"Patient/{journey.pk}"}
    # Not one of the foreign record's resources reads, whatever its id.
    foreign_ids = records.patient_resources(Patient.objects.filter(pk=foreign))
    for resource in foreign_ids:
        if resource["resourceType"] != "Patient":
            url = f"/fhir/R4/{resource['resourceType']}/{resource['id']}"
            assert client.get(url).status_code == 404, url
    other_site_organization = foreign_ids[0]["managingOrganization"]["reference"]
    assert client.get(f"/fhir/R4/{other_site_organization}").status_code == 404


def test_an_administrator_reads_every_site(journey, foreign_journey, admin_user, client):
    sign_in(client, admin_user)
    assert everything(client, foreign_journey).status_code == 200
    patients = client.get("/fhir/R4/Patient").json()
    assert _keys(patients) == {f"Patient/{journey.pk}", f"Patient/{foreign_journey.pk}"}


def test_a_patient_reads_only_their_own_record(journey, site, doctor, nurse, client, catalog,
                                               lab_technician, quality_reviewer):  # fmt: skip
    neighbour = whole_journey(site, doctor, nurse, lab_technician, quality_reviewer)
    sign_in(client, journey.portal_user)
    own = everything(client, journey)
    assert own.status_code == 200
    assert {e["resource"]["resourceType"] for e in own.json()["entry"]} == EVERY_TYPE
    assert everything(client, neighbour).status_code == 404
    assert client.get(f"/fhir/R4/Patient/{neighbour.pk}").status_code == 404
    assert client.get(f"/fhir/R4/AdverseEvent?patient={neighbour.pk}").status_code == 404
    assert _keys(client.get("/fhir/R4/Patient").json()) == {f"Patient/{journey.pk}"}
    neighbours = records.patient_resources(Patient.objects.filter(pk=neighbour.pk))
    for resource in neighbours:
        url = f"/fhir/R4/{resource['resourceType']}/{resource['id']}"
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("role_fixture", ["lab_technician", "quality_reviewer", "advisor"])
def test_roles_outside_the_care_team_are_refused(journey, role_fixture, request, client):
    sign_in(client, request.getfixturevalue(role_fixture))
    response = everything(client, journey)
    assert response.status_code == 403
    assert response.json()["resourceType"] == "OperationOutcome"


def test_a_visitor_is_asked_to_sign_in(journey, client):
    response = everything(client, journey)
    assert response.status_code == 401
    assert response.json()["issue"][0]["code"] == "login"


def test_search_without_a_patient_is_refused_with_an_outcome(journey, doctor, client):
    sign_in(client, doctor)
    response = client.get("/fhir/R4/Observation")
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"
    assert client.get("/fhir/R4/Medication?patient=1").status_code == 404
    assert client.get("/fhir/R4/Observation/measurement-x").status_code == 404


def test_the_capability_statement_declares_r4_and_the_code_systems(client, catalog):
    response = client.get("/fhir/R4/metadata")
    assert response.status_code == 200
    statement = response.json()
    model("CapabilityStatement").model_validate(statement)
    assert statement["fhirVersion"] == "4.0.1"
    served = {r["type"] for r in statement["rest"][0]["resource"]}
    assert served == EVERY_TYPE | {"CodeSystem"}
    assert "CodeSystem/observation" in statement["rest"][0]["documentation"]
    system = client.get("/fhir/R4/CodeSystem/observation").json()
    model("CodeSystem").model_validate(system)
    assert "measure-edss" in {concept["code"] for concept in system["concept"]}
    assert client.get("/fhir/R4/CodeSystem/nothing").status_code == 404


def test_every_celltrace_code_used_is_published(journey, doctor, client):
    sign_in(client, doctor)
    published = {}
    for system_id in ("procedure", "observation", "cell-product", "therapy", "condition",
                      "ctcae-term"):  # fmt: skip
        system = client.get(f"/fhir/R4/CodeSystem/{system_id}").json()
        published[system["url"]] = {concept["code"] for concept in system["concept"]}
    used = set()

    def walk(value):
        if isinstance(value, dict):
            if value.get("system", "").startswith("http://celltrace.org/fhir/CodeSystem/"):
                used.add((value["system"], value["code"]))
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(everything(client, journey).json())
    assert used
    assert {(s, c) for s, c in used if c not in published.get(s, set())} == set()


def _queries(patients) -> int:
    with CaptureQueriesContext(connection) as queries:
        records.with_support(records.patient_resources(patients))
    return len(queries)


def test_the_queries_do_not_grow_with_the_patients(journey, site, doctor, nurse, catalog,
                                                   lab_technician, quality_reviewer):  # fmt: skip
    one = _queries(Patient.objects.filter(pk=journey.pk))
    for _ in range(2):
        whole_journey(site, doctor, nurse, lab_technician, quality_reviewer)
    assert _queries(Patient.objects.all()) == one
