"""The API documentation works without the internet and is for the clinic's staff only."""

import re

import pytest

from celltrace.accounts.models import Role, User
from testkit.pages import attribute_values

DOCS, SCHEMA = "/api/docs", "/api/openapi.json"


def _assets(html: str) -> list[str]:
    return attribute_values(html, {"script": ("src",), "link": ("href",)})


def test_the_docs_page_loads_every_script_and_style_from_this_server(client_for, doctor):
    client = client_for(doctor)
    response = client.get(DOCS)
    assert response.status_code == 200
    page = response.content.decode()
    urls = _assets(page)
    assert any(url.endswith("swagger-ui-bundle.js") for url in urls)
    assert any(url.endswith("swagger-ui.css") for url in urls)
    assert [url for url in urls if not url.startswith("/static/")] == []
    # No content delivery network named anywhere but in random tokens (the CSRF token may
    # hold the letters "cdn" by chance): look at every URL-like text of the page.
    assert not re.search(r"(//|\.)[\w.-]*cdn[\w.-]*\.", page.lower()) and "https://" not in page
    for url in urls:
        assert client.get(url).status_code == 200, url  # served here, not fetched elsewhere
    assert SCHEMA in page
    assert '"validatorUrl": null' in page  # no badge fetched from validator.swagger.io


@pytest.mark.parametrize("path", [DOCS, SCHEMA])
def test_staff_open_the_docs_and_the_schema(path, client_for, advisor):
    assert client_for(advisor).get(path).status_code == 200


@pytest.mark.parametrize("path", [DOCS, SCHEMA])
def test_a_patient_may_not_open_the_docs_or_the_schema(path, client_for, site):
    patient = User.objects.create_user("portal", password="x", role=Role.PATIENT, site=site)
    assert client_for(patient).get(path).status_code == 403


@pytest.mark.parametrize("path", [DOCS, SCHEMA])
def test_a_visitor_is_sent_to_sign_in(path, client, db):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_schema_lists_the_endpoints(client_for, doctor):
    paths = client_for(doctor).get(SCHEMA).json()["paths"]
    assert "/api/intake/requests" in paths and "/api/stays/administrations" in paths
