"""The three doors of the import (API, staff screen, command) take the same action."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from celltrace.cli import main
from celltrace.fhir.models import Import
from celltrace.screening.models import PatientFact
from testkit.journey import make_patient
from testkit.signin import sign_in

from .test_imports import bundle, lab_facts, observation


def post(client, body, content_type="application/fhir+json", **query):
    url = "/fhir/R4/" + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    return client.post(url, body, content_type=content_type)


def test_the_api_imports_a_bundle_and_says_what_became_of_each_entry(
    catalog, site, lab_technician, client
):
    patient = make_patient(site)
    sign_in(client, lab_technician)
    sent = json.dumps(bundle(observation(patient, value=12.0)))
    response = post(client, sent)
    assert response.status_code == 201
    assert response.json()["issue"][0]["diagnostics"] == "entry 1 (Observation/obs-1): was imported"
    assert lab_facts(patient) == [("haemoglobin", 12.0, "g/dL", timezone.localdate())]
    again = post(client, sent)
    assert again.status_code == 200
    assert "was imported before: unchanged" in again.json()["issue"][0]["diagnostics"]


def test_the_api_takes_csv_with_the_sender_in_the_query(catalog, site, nurse, client):
    patient = make_patient(site)
    sign_in(client, nurse)
    text = (
        f"patient_code,code,value,unit,date\n{patient.code},1988-5,3,mg/L,{timezone.localdate()}\n"
    )
    response = post(client, text, content_type="text/csv", sender="Outside lab")
    assert response.status_code == 201
    assert Import.objects.get().sender == "Outside lab"


def test_the_api_refuses_another_sites_patient_as_not_found_and_saves_nothing(
    catalog, site, other_site, doctor, client
):
    foreign = make_patient(other_site)
    sign_in(client, doctor)
    response = post(client, json.dumps(bundle(observation(foreign))))
    assert response.status_code == 404
    assert f"no patient {foreign.code} at your site" in response.json()["issue"][0]["diagnostics"]
    assert not PatientFact.objects.exists()


def test_the_api_refuses_a_bad_bundle_and_a_role_that_does_not_import(
    catalog, site, doctor, coordinator, client
):
    patient = make_patient(site)
    sign_in(client, doctor)
    response = post(client, "{not json")
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"
    sign_in(client, coordinator)
    assert post(client, json.dumps(bundle(observation(patient)))).status_code == 403
    client.logout()
    assert post(client, json.dumps(bundle(observation(patient)))).status_code == 401
    assert not PatientFact.objects.exists()


def test_the_staff_screen_imports_a_file_and_shows_a_refusal(catalog, site, doctor, client_for):
    patient = make_patient(site)
    client = client_for(doctor)
    good = json.dumps(bundle(observation(patient))).encode()
    page = client.post(
        "/fhir/import/", {"file": SimpleUploadedFile("labs.json", good), "sender": ""}, follow=True
    )
    assert "1 imported, 0 imported before." in page.content.decode()
    assert "labs.json" in page.content.decode()
    bad = json.dumps(bundle(observation(patient, unit="furlongs", id_="b"))).encode()
    page = client.post("/fhir/import/", {"file": SimpleUploadedFile("bad.json", bad)})
    assert "unknown unit &#x27;furlongs&#x27;" in page.content.decode()
    assert PatientFact.objects.count() == 1


def test_the_command_imports_a_file_as_the_user_named(catalog, site, doctor, tmp_path, capsys):
    patient = make_patient(site)
    path = tmp_path / "labs.json"
    path.write_text(json.dumps(bundle(observation(patient))))
    assert main(["fhir", "import", str(path), "--user", doctor.username]) == 0
    assert capsys.readouterr().out == "imported: 1, imported before: 0\n"
    assert PatientFact.objects.get().recorded_by == doctor
    path.write_text(json.dumps(bundle(observation(patient, code="9999-9", id_="x"))))
    assert main(["fhir", "import", str(path), "--user", doctor.username]) == 1
    assert "9999-9 is not a screening lab result" in capsys.readouterr().err
    assert main(["fhir", "import", str(path), "--user", "nobody"]) == 2
    assert PatientFact.objects.count() == 1


def test_the_facts_page_leads_to_the_import_screen(catalog, site, nurse, client_for):
    patient = make_patient(site)
    page = client_for(nurse).get(f"/screening/patients/{patient.pk}/facts/")
    assert 'href="/fhir/import/"' in page.content.decode()
