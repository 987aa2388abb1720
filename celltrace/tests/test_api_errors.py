"""The API's schema names every error an endpoint gives, with the body it really has."""

import pytest
from django.test import Client
from ninja import Schema
from pydantic import TypeAdapter

from celltrace.api import api
from celltrace.schemas import ErrorOut, InvalidInputOut, RefusalOut
from testkit.signin import sign_in


@pytest.fixture(scope="module")
def schema():
    return api.get_openapi_schema(path_prefix="/api/")


def _operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_every_signed_in_endpoint_documents_its_refusals(schema):
    for label, operation in _operations(schema):
        statuses = set(operation["responses"])
        expected = {401, 403, 404, 422} if operation.get("security") else {422}
        assert expected <= statuses, label


def test_every_endpoint_taking_json_documents_a_body_that_is_not_json(schema):
    for label, operation in _operations(schema):
        if "application/json" in operation.get("requestBody", {}).get("content", {}):
            assert 400 in operation["responses"], label


def test_each_status_is_listed_once_with_all_that_is_said_of_it(schema):
    """Ninja writes statuses as numbers, an endpoint's extra responses as text: one key each."""
    for label, operation in _operations(schema):
        keys = [str(status) for status in operation["responses"]]
        assert len(keys) == len(set(keys)), label
    report = schema["paths"]["/api/outcomes/reports/{condition_code}"]["get"]["responses"]
    assert report[202]["headers"]["Retry-After"] and report[202]["content"]


def test_no_two_api_schemas_share_a_name():
    """The schema's components are named by class: two LotOut would describe one as the other."""
    seen, stack = {}, list(Schema.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("celltrace.") and ".tests" not in cls.__module__:
            seen.setdefault(cls.__name__, set()).add(cls.__module__)
    assert {name: where for name, where in seen.items() if len(where) > 1} == {}


def test_a_body_that_does_not_fit_gets_the_documented_validation_body(client_for, lab_technician):
    response = client_for(lab_technician).post(
        "/api/lab/donors", {"code": 3}, content_type="application/json"
    )
    assert response.status_code == 422
    assert isinstance(
        TypeAdapter(RefusalOut | InvalidInputOut).validate_python(response.json()), InvalidInputOut
    )


def test_a_refusal_by_an_action_gets_the_documented_refusal_body(client_for, lab_technician):
    response = client_for(lab_technician).post(
        "/api/lab/donors",
        {"code": " ", "recovered_on": "2026-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = TypeAdapter(RefusalOut | InvalidInputOut).validate_python(response.json())
    assert isinstance(body, RefusalOut) and body.errors == {"code": "Required."}


@pytest.mark.parametrize("status", [401, 403, 404])
def test_the_other_errors_have_the_documented_body(status, db, advisor, lab_technician):
    callers = {401: None, 403: advisor, 404: lab_technician}
    client = Client() if callers[status] is None else sign_in(Client(), callers[status])
    response = client.get("/api/lab/donors/999999" if status != 403 else "/api/lab/lots")
    assert response.status_code == status
    ErrorOut.model_validate(response.json())


def test_a_nul_character_in_a_body_is_refused_by_name_and_nothing_is_saved(
    client_for, lab_technician
):
    from celltrace.lab.models import Donor

    response = client_for(lab_technician).post(
        "/api/lab/donors",
        {"code": "UC-1", "recovered_on": "2026-01-01", "sex": "female\x00"},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = TypeAdapter(RefusalOut | InvalidInputOut).validate_python(response.json())
    assert isinstance(body, RefusalOut) and "NUL" in body.errors["sex"]
    assert not Donor.objects.exists()


def test_a_nul_character_in_a_query_is_refused(client_for, lab_technician):
    response = client_for(lab_technician).get("/api/lab/donors", {"determination": "x\x00"})
    assert response.status_code == 422
    assert "NUL" in response.json()["errors"]["determination"]


def test_a_nul_character_in_a_pages_query_is_a_bad_request(client_for, advisor):
    response = client_for(advisor).get("/patients/", {"q": "Ann\x00"})
    assert response.status_code == 400 and b"NUL character" in response.content
