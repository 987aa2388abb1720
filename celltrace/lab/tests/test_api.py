import datetime as dt

from django.utils import timezone

from celltrace.lab.actions import release_lot
from celltrace.lab.models import ProcessStep, ProductLot, QCResult
from celltrace.lab.tests.helpers import pass_every_test, process_until
from testkit import PASSWORD


def an_hour_ago():
    return (timezone.now() - dt.timedelta(hours=1)).isoformat()


def counts():
    return ProductLot.objects.count(), ProcessStep.objects.count(), QCResult.objects.count()


def post(client, url, body=None):
    return client.post(f"/api/lab{url}", body or {}, content_type="application/json")


def test_the_api_lists_the_sites_lots(client_for, doctor, donor_lot, autologous_lot):
    body = client_for(doctor).get("/api/lab/lots").json()["items"]
    assert {lot["code"] for lot in body} == {donor_lot.code, autologous_lot.code}


def test_the_api_filters_lots_by_status(client_for, doctor, donor_lot, quality_reviewer):
    client = client_for(doctor)
    assert client.get("/api/lab/lots?status=released").json()["items"] == []
    assert client.get("/api/lab/lots?status=in_process").json()["count"] == 1


def test_the_api_returns_a_lot_with_its_chain_and_blockers(client_for, doctor, autologous_lot):
    body = client_for(doctor).get(f"/api/lab/lots/{autologous_lot.pk}").json()
    assert [s["step"] for s in body["steps"]] == ["harvest"]
    assert "Viability: no result yet." in body["release_blockers"]


def test_a_doctor_of_another_site_gets_404_through_the_api(
    client_for, other_site_doctor, donor_lot
):
    assert client_for(other_site_doctor).get(f"/api/lab/lots/{donor_lot.pk}").status_code == 404
    assert client_for(other_site_doctor).get("/api/lab/lots").json()["items"] == []


def test_a_technician_starts_an_autologous_lot_through_the_api(
    client_for, lab_technician, autologous_plan
):
    response = post(
        client_for(lab_technician),
        f"/plans/{autologous_plan.pk}/autologous-lots",
        {"product": "msc-bm-auto", "harvested_at": an_hour_ago()},
    )
    assert response.status_code == 201
    assert response.json()["source_patient_id"] == autologous_plan.patient_id


def test_a_donor_product_cannot_start_an_autologous_lot_through_the_api(
    client_for, lab_technician, autologous_plan
):
    response = post(
        client_for(lab_technician),
        f"/plans/{autologous_plan.pk}/autologous-lots",
        {"product": "msc-uc-allo", "harvested_at": an_hour_ago()},
    )
    assert response.status_code == 422
    assert counts() == (0, 0, 0)


def test_a_technician_registers_a_donor_lot_through_the_api(
    client_for, lab_technician, eligible_donor
):
    body = {"product": "exo-uc", "donor_code": "UC-0042", "made_at": an_hour_ago()}
    response = post(client_for(lab_technician), "/donor-lots", body)
    assert response.status_code == 201
    assert response.json()["plan_id"] is None


def test_an_unknown_product_is_refused_through_the_api(client_for, lab_technician, catalog):
    body = {"product": "snake-oil", "donor_code": "X", "made_at": an_hour_ago()}
    assert post(client_for(lab_technician), "/donor-lots", body).status_code == 422
    assert counts() == (0, 0, 0)


def test_steps_and_qc_results_through_the_api(client_for, lab_technician, donor_lot):
    client = client_for(lab_technician)
    step = {"step": "separation", "performed_at": an_hour_ago()}
    assert post(client, f"/lots/{donor_lot.pk}/steps", step).status_code == 201
    result = {"test": "viability", "value": 95.0, "tested_at": an_hour_ago()}
    response = post(client, f"/lots/{donor_lot.pk}/qc-results", result)
    assert response.status_code == 201
    assert response.json()["passed"] is True


def test_a_typed_in_verdict_for_a_numeric_test_is_refused_through_the_api(
    client_for, lab_technician, donor_lot
):
    before = counts()
    result = {"test": "viability", "value": 10.0, "passed": True, "tested_at": an_hour_ago()}
    response = post(client_for(lab_technician), f"/lots/{donor_lot.pk}/qc-results", result)
    assert response.status_code == 422
    assert "verdict is computed" in response.json()["errors"]["value"]
    assert counts() == before


def test_missing_qc_blocks_release_through_the_api(client_for, quality_reviewer, donor_lot):
    response = post(
        client_for(quality_reviewer), f"/lots/{donor_lot.pk}/release", {"password": PASSWORD}
    )
    assert response.status_code == 422
    assert "no result yet" in response.json()["detail"]
    donor_lot.refresh_from_db()
    assert donor_lot.status == "in_process"


def test_failing_qc_blocks_release_through_the_api(
    client_for, quality_reviewer, lab_technician, donor_lot
):
    pass_every_test(donor_lot, lab_technician, skip=("viral",))
    client = client_for(lab_technician)
    post(
        client,
        f"/lots/{donor_lot.pk}/qc-results",
        {"test": "viral", "passed": False, "tested_at": timezone.now().isoformat()},
    )
    response = post(
        client_for(quality_reviewer), f"/lots/{donor_lot.pk}/release", {"password": PASSWORD}
    )
    assert response.status_code == 422
    assert "Viral contamination: a result failed" in response.json()["detail"]


def test_a_lab_technician_cannot_release_through_the_api(client_for, lab_technician, donor_lot):
    pass_every_test(donor_lot, lab_technician)
    assert (
        post(
            client_for(lab_technician), f"/lots/{donor_lot.pk}/release", {"password": PASSWORD}
        ).status_code
        == 403
    )
    donor_lot.refresh_from_db()
    assert donor_lot.status == "in_process"


def test_a_reviewer_releases_and_a_technician_allocates_through_the_api(
    client_for, quality_reviewer, lab_technician, donor_lot, donor_plan
):
    pass_every_test(donor_lot, lab_technician)
    response = post(
        client_for(quality_reviewer), f"/lots/{donor_lot.pk}/release", {"password": PASSWORD}
    )
    assert response.json()["status"] == "released"
    body = {"plan_id": donor_plan.pk}
    response = post(client_for(lab_technician), f"/lots/{donor_lot.pk}/allocate", body)
    assert response.json()["plan_id"] == donor_plan.pk


def test_allocating_an_unreleased_lot_is_refused_through_the_api(
    client_for, lab_technician, donor_lot, donor_plan
):
    body = {"plan_id": donor_plan.pk}
    response = post(client_for(lab_technician), f"/lots/{donor_lot.pk}/allocate", body)
    assert response.status_code == 422
    donor_lot.refresh_from_db()
    assert donor_lot.plan is None


def test_a_reviewer_rejects_through_the_api(client_for, quality_reviewer, donor_lot):
    client = client_for(quality_reviewer)
    assert post(client, f"/lots/{donor_lot.pk}/reject", {"reason": ""}).status_code == 422
    response = post(client, f"/lots/{donor_lot.pk}/reject", {"reason": "Leaking bag"})
    assert response.json()["status"] == "rejected"


def test_a_released_lot_cannot_be_released_twice(
    client_for, quality_reviewer, lab_technician, donor_lot
):
    pass_every_test(donor_lot, lab_technician)
    release_lot(donor_lot, quality_reviewer, password=PASSWORD)
    assert (
        post(
            client_for(quality_reviewer), f"/lots/{donor_lot.pk}/release", {"password": PASSWORD}
        ).status_code
        == 422
    )


def test_the_lab_endpoints_are_in_the_openapi_schema(client_for, doctor):
    paths = client_for(doctor).get("/api/openapi.json").json()["paths"]
    assert "/api/lab/lots/{lot_id}/release" in paths
    assert "/api/plans/patients/{patient_id}" in paths


def test_formulation_records_the_viable_content_through_the_api(
    client_for, lab_technician, donor_lot
):
    process_until(donor_lot, lab_technician, "formulation")
    client = client_for(lab_technician)
    step = {"step": "formulation", "performed_at": an_hour_ago()}
    assert post(client, f"/lots/{donor_lot.pk}/steps", step).status_code == 422
    step.update(viable_content=9.0e7, volume_ml=20.0)
    body = post(client, f"/lots/{donor_lot.pk}/steps", step).json()
    assert (body["viable_content"], body["dose_unit"], body["volume_ml"]) == (
        9.0e7,
        "viable_cells",
        20.0,
    )
