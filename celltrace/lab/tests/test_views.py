import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from celltrace.lab.actions import record_qc_result, release_lot
from celltrace.lab.models import ProcessStep, ProductLot, QCResult
from celltrace.lab.tests.helpers import an_hour_ago, pass_every_test, process_until, product
from testkit import PASSWORD
from testkit.journey import make_lot, make_patient, make_plan


def when(hours_ago=1):
    return (timezone.localtime() - dt.timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M")


def counts():
    return ProductLot.objects.count(), ProcessStep.objects.count(), QCResult.objects.count()


def lot_url(name, lot):
    return reverse(f"lab:{name}", args=[lot.pk])


# The list and the lot page


def test_the_lot_list_shows_the_sites_lots_with_patient_or_donor(
    client_for, lab_technician, autologous_lot, donor_lot, other_site, doctor, catalog
):
    foreign_plan = make_plan(make_patient(other_site), doctor, product="msc-uc-allo")
    foreign = make_lot(foreign_plan, lab_technician)
    page = client_for(lab_technician).get(reverse("lab:lots")).content.decode()
    assert autologous_lot.code in page and donor_lot.code in page
    assert autologous_lot.source_patient.code in page
    assert "Donor UC-0042" in page
    assert foreign.code not in page


def test_the_lot_list_runs_a_fixed_number_of_queries(
    client_for, lab_technician, donor_plan, django_assert_max_num_queries
):
    for _ in range(5):
        make_lot(donor_plan, lab_technician, status="in_process")
    client = client_for(lab_technician)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("lab:lots"))
    assert response.content.decode().count("/lab/lots/") >= 5


def test_the_worklist_offers_plans_waiting_for_a_harvest(
    client_for, lab_technician, autologous_plan
):
    page = client_for(lab_technician).get(reverse("lab:worklist")).content.decode()
    assert reverse("lab:new_autologous", args=[autologous_plan.pk]) in page


def test_the_lot_page_shows_the_chain_of_identity_and_blockers(
    client_for, quality_reviewer, autologous_lot
):
    page = client_for(quality_reviewer).get(autologous_lot.get_absolute_url()).content.decode()
    assert "Harvest" in page and "Lena Lab" in page
    assert "Viability: no result yet." in page
    assert "≥ 70 %" in page


def test_the_lot_page_writes_cell_counts_as_powers_of_ten(
    client_for, quality_reviewer, lab_technician, donor_lot
):
    record_qc_result(
        donor_lot, lab_technician, test="cell_count", value=12_500_000.0, tested_at=an_hour_ago()
    )
    page = client_for(quality_reviewer).get(donor_lot.get_absolute_url()).content.decode()
    assert "≥ 1.0 × 10⁷ cells" in page  # the specification
    assert "1.25 × 10⁷ cells" in page  # the result
    assert "12500000" not in page and "12,500,000" not in page


@pytest.mark.parametrize("viewer", ["doctor", "nurse", "coordinator", "manager", "admin_user"])
def test_clinical_staff_may_read_a_lot(client_for, donor_lot, viewer, request):
    user = request.getfixturevalue(viewer)
    assert client_for(user).get(donor_lot.get_absolute_url()).status_code == 200


def test_a_doctor_of_another_site_gets_404_for_a_lot(client_for, other_site_doctor, donor_lot):
    assert client_for(other_site_doctor).get(donor_lot.get_absolute_url()).status_code == 404


def test_an_advisor_may_not_read_lots(client_for, advisor, donor_lot):
    assert client_for(advisor).get(reverse("lab:lots")).status_code == 403


# Starting lots


def test_a_technician_starts_an_autologous_lot_through_the_form(
    client_for, lab_technician, autologous_plan
):
    url = reverse("lab:new_autologous", args=[autologous_plan.pk])
    data = {"product": product("msc-bm-auto").pk, "harvested_at": when()}
    response = client_for(lab_technician).post(url, data)
    lot = ProductLot.objects.get()
    assert response["Location"] == lot.get_absolute_url()
    assert lot.source_patient == autologous_plan.patient


def test_a_harvest_in_the_future_is_refused_through_the_form(
    client_for, lab_technician, autologous_plan
):
    url = reverse("lab:new_autologous", args=[autologous_plan.pk])
    data = {"product": product("msc-bm-auto").pk, "harvested_at": when(-2)}
    response = client_for(lab_technician).post(url, data)
    assert response.status_code == 200
    assert b'class="refusal"' in response.content
    assert ProductLot.objects.count() == 0


def test_a_technician_of_another_site_cannot_start_a_lot_for_the_plan(
    client_for, autologous_plan, other_site
):
    from celltrace.accounts.models import Role, User

    stranger = User.objects.create_user("lab2", role=Role.LAB_TECHNICIAN, site=other_site)
    url = reverse("lab:new_autologous", args=[autologous_plan.pk])
    assert client_for(stranger).get(url).status_code == 404


def test_a_technician_registers_a_donor_lot_through_the_form(
    client_for, lab_technician, eligible_donor
):
    data = {"product": product("msc-uc-allo").pk, "donor": eligible_donor.pk, "made_at": when()}
    response = client_for(lab_technician).post(reverse("lab:new_donor"), data)
    lot = ProductLot.objects.get()
    assert response.status_code == 302
    assert (lot.donor, lot.donor_code, lot.site, lot.plan) == (
        eligible_donor,
        "UC-0042",
        lab_technician.site,
        None,
    )


def test_a_doctor_cannot_register_lots(client_for, doctor, catalog):
    assert client_for(doctor).get(reverse("lab:new_donor")).status_code == 403


# Steps and QC


def test_a_technician_records_a_step(client_for, lab_technician, donor_lot):
    data = {"step": "separation", "performed_at": when(), "notes": "Tube 3"}
    client_for(lab_technician).post(lot_url("add_step", donor_lot), data)
    assert donor_lot.steps.last().step == "separation"


def test_a_numeric_result_with_a_typed_in_verdict_is_refused_through_the_form(
    client_for, lab_technician, donor_lot
):
    before = counts()
    data = {"test": "viability", "value": "40", "passed": "pass", "tested_at": when()}
    response = client_for(lab_technician).post(lot_url("add_qc", donor_lot), data)
    assert response.status_code == 200
    assert "the verdict is computed" in response.content.decode()
    assert counts() == before


def test_a_numeric_result_gets_its_verdict_computed_through_the_form(
    client_for, lab_technician, donor_lot
):
    data = {"test": "viability", "value": "40", "passed": "", "tested_at": when()}
    client_for(lab_technician).post(lot_url("add_qc", donor_lot), data)
    assert QCResult.objects.get().passed is False


# Release


def test_a_reviewer_releases_a_lot_whose_every_test_passed(
    client_for, quality_reviewer, lab_technician, donor_lot
):
    pass_every_test(donor_lot, lab_technician)
    response = client_for(quality_reviewer).post(
        lot_url("release", donor_lot), {"password": PASSWORD}
    )
    assert response.status_code == 302
    donor_lot.refresh_from_db()
    assert donor_lot.status == "released"


def test_missing_qc_blocks_release_through_the_form(client_for, quality_reviewer, donor_lot):
    response = client_for(quality_reviewer).post(
        lot_url("release", donor_lot), {"password": PASSWORD}
    )
    assert response.status_code == 200
    assert "cannot be released" in response.content.decode()
    donor_lot.refresh_from_db()
    assert donor_lot.status == "in_process"


def test_a_lab_technician_cannot_release(client_for, lab_technician, donor_lot):
    pass_every_test(donor_lot, lab_technician)
    assert (
        client_for(lab_technician)
        .post(lot_url("release", donor_lot), {"password": PASSWORD})
        .status_code
        == 403
    )
    donor_lot.refresh_from_db()
    assert donor_lot.status == "in_process"


def test_a_reviewer_of_another_site_gets_404(client_for, donor_lot, other_site):
    from celltrace.accounts.models import Role, User

    stranger = User.objects.create_user("qr2", role=Role.QUALITY_REVIEWER, site=other_site)
    assert (
        client_for(stranger).post(lot_url("release", donor_lot), {"password": PASSWORD}).status_code
        == 404
    )


def test_a_rejection_without_a_reason_is_refused(client_for, quality_reviewer, donor_lot):
    response = client_for(quality_reviewer).post(lot_url("reject", donor_lot), {"reason": ""})
    assert response.status_code == 200
    donor_lot.refresh_from_db()
    assert donor_lot.status == "in_process"


def test_a_reviewer_rejects_a_lot(client_for, quality_reviewer, donor_lot):
    client_for(quality_reviewer).post(lot_url("reject", donor_lot), {"reason": "Cloudy"})
    donor_lot.refresh_from_db()
    assert (donor_lot.status, donor_lot.rejection_reason) == ("rejected", "Cloudy")


# Allocation


def test_a_technician_allocates_a_released_donor_lot_to_a_plan(
    client_for, lab_technician, quality_reviewer, donor_lot, donor_plan
):
    pass_every_test(donor_lot, lab_technician)
    release_lot(donor_lot, quality_reviewer, password=PASSWORD)
    client = client_for(lab_technician)
    assert f"Plan #{donor_plan.pk}" in client.get(donor_lot.get_absolute_url()).content.decode()
    client.post(lot_url("allocate", donor_lot), {"plan": donor_plan.pk})
    donor_lot.refresh_from_db()
    assert donor_lot.plan == donor_plan


def test_allocating_to_a_plan_without_the_product_is_refused_through_the_form(
    client_for, lab_technician, quality_reviewer, donor_lot, autologous_plan
):
    pass_every_test(donor_lot, lab_technician)
    release_lot(donor_lot, quality_reviewer, password=PASSWORD)
    response = client_for(lab_technician).post(
        lot_url("allocate", donor_lot), {"plan": autologous_plan.pk}
    )
    assert "not in the plan" in response.content.decode()
    donor_lot.refresh_from_db()
    assert donor_lot.plan is None


def test_formulation_records_the_viable_content_through_the_form(
    client_for, lab_technician, donor_lot
):
    process_until(donor_lot, lab_technician, "formulation")
    client = client_for(lab_technician)
    data = {"step": "formulation", "performed_at": when(), "viable_content": "", "volume_ml": "20"}
    client.post(lot_url("add_step", donor_lot), data)
    assert not donor_lot.steps.filter(step="formulation").exists()
    data["viable_content"] = "9e7"
    client.post(lot_url("add_step", donor_lot), data)
    page = client.get(lot_url("lot_detail", donor_lot)).content.decode()
    assert "9.0 × 10⁷ viable cells" in page and "20.0 mL" in page
