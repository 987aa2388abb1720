"""`$export`: a registry's account kicks off an export, polls it, and reads its files."""

import json

from celltrace.accounts.models import Role, User
from celltrace.fhir import records
from celltrace.fhir.models import BulkExport
from testkit.signin import sign_in

from .test_export import check_export


def kick_off(client, query=""):
    return client.get(f"/fhir/R4/$export{query}", HTTP_PREFER="respond-async")


def test_a_manager_exports_their_sites_records(journey, foreign_journey, manager, client):
    sign_in(client, manager)
    response = kick_off(client)
    assert response.status_code == 202
    status = client.get(response["Content-Location"])  # the test queue runs it at once
    assert status.status_code == 200
    manifest = status.json()
    assert manifest["requiresAccessToken"] is True
    exported = {}
    for output in manifest["output"]:
        file = client.get(output["url"])
        assert file["Content-Type"].startswith("application/fhir+ndjson")
        lines = file.content.decode().splitlines()
        assert len(lines) == output["count"]
        exported[output["type"]] = [json.loads(line) for line in lines]
    assert set(exported) == set(records.RESOURCE_TYPES)
    check_export(exported)
    assert [p["id"] for p in exported["Patient"]] == [str(journey.pk)]


def test_only_the_requester_reads_an_export(journey, manager, site, client):
    sign_in(client, manager)
    status_url = kick_off(client)["Content-Location"]
    colleague = User.objects.create_user(
        username="second.manager", password="x", role=Role.MANAGER, site=site
    )
    sign_in(client, colleague)
    assert client.get(status_url).status_code == 404


def test_the_care_team_cannot_export(journey, doctor, client):
    sign_in(client, doctor)
    assert kick_off(client).status_code == 403
    assert not BulkExport.objects.exists()


def test_a_bad_kick_off_is_refused_and_nothing_queued(journey, manager, client):
    sign_in(client, manager)
    for query in ("?_since=yesterday", "?_since=2026-01-01T00:00:00", "?_type=Patient",
                  "?_outputFormat=text/csv"):  # fmt: skip
        response = kick_off(client, query)
        assert response.status_code == 400, query
        assert response.json()["resourceType"] == "OperationOutcome"
    assert not BulkExport.objects.exists()
