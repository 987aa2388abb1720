"""Donor records and eligibility through the actions, the forms and the API: a lot from an
undetermined donor is quarantined, an ineligible donor's lots are segregated (21 CFR 1271.85)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from celltrace.accounts.models import Role, User
from celltrace.lab.actions import (
    allocate_lot,
    create_donor_lot,
    determine_donor,
    record_donor_test,
    register_donor,
    release_lot,
)
from celltrace.lab.models import Donor, DonorDetermination, DonorTestResult, ProductLot
from celltrace.lab.tests.helpers import an_hour_ago, make_donor, pass_every_test, product
from celltrace.refusal import NotAllowed, Refused
from testkit import PASSWORD

QUARANTINE = "quarantine: donor determination pending"
SEGREGATED = "INELIGIBLE DONOR — segregated"


def counts():
    return (
        Donor.objects.count(),
        DonorTestResult.objects.count(),
        DonorDetermination.objects.count(),
        ProductLot.objects.count(),
        list(Donor.objects.values_list("determination", flat=True)),
    )


def refused(action, *args, **kwargs) -> Refused:
    before = counts()
    with pytest.raises(Refused) as caught:
        action(*args, **kwargs)
    assert counts() == before
    return caught.value


def lot_of(donor, technician, code="msc-uc-allo"):
    return create_donor_lot(
        donor.site, technician, product=product(code), donor=donor, made_at=an_hour_ago()
    )


@pytest.fixture
def pending_donor(site, lab_technician, catalog):
    return make_donor(site, lab_technician, code="UC-0100", skip=("treponema",))


# Registering and testing


def test_a_donor_is_registered_by_code_without_personal_data(site, lab_technician, catalog):
    donor = register_donor(
        site, lab_technician, code=" UC-1 ", recovered_on=timezone.localdate(), sex="male"
    )
    assert (donor.code, donor.determination, donor.age_years) == ("UC-1", "pending", None)
    assert donor.history.count() == 1
    assert not {"name", "full_name", "birth_date"} & {f.name for f in Donor._meta.fields}


def test_a_code_is_registered_once_per_site(site, lab_technician, pending_donor):
    error = refused(
        register_donor, site, lab_technician, code="uc-0100", recovered_on=timezone.localdate()
    )
    assert "code" in error.field_errors


def test_a_recovery_in_the_future_is_refused(site, lab_technician, catalog):
    tomorrow = timezone.localdate() + dt.timedelta(days=2)
    error = refused(register_donor, site, lab_technician, code="X", recovered_on=tomorrow)
    assert "recovered_on" in error.field_errors


def test_only_the_lab_registers_donors_and_records_tests(site, doctor, pending_donor):
    refused(register_donor, site, doctor, code="X", recovered_on=timezone.localdate())
    refused(
        record_donor_test,
        pending_donor,
        doctor,
        test="treponema",
        reactive=False,
        specimen_date=timezone.localdate(),
        laboratory="Lab",
    )


def test_a_test_outside_the_catalog_is_refused(lab_technician, pending_donor):
    error = refused(
        record_donor_test,
        pending_donor,
        lab_technician,
        test="zika",
        reactive=False,
        specimen_date=timezone.localdate(),
        laboratory="",
    )
    assert {"test", "laboratory"} <= set(error.field_errors)


# Determination


def test_a_donor_with_a_missing_test_cannot_be_determined_eligible(doctor, pending_donor):
    error = refused(determine_donor, pending_donor, doctor, decision="eligible")
    assert "Treponema pallidum" in error.message


def test_a_doctor_or_a_quality_reviewer_determines_never_the_lab(
    site, lab_technician, doctor, quality_reviewer, catalog
):
    first = make_donor(site, lab_technician, code="A")
    second = make_donor(site, lab_technician, code="B")
    refused(determine_donor, first, lab_technician, decision="eligible")
    assert determine_donor(first, doctor, decision="eligible").determination == "eligible"
    assert determine_donor(second, quality_reviewer, decision="eligible").determination == (
        "eligible"
    )
    record = DonorDetermination.objects.get(donor=first)
    assert (record.decided_by, record.decision) == (doctor, "eligible")


def test_a_reactive_donor_is_ineligible_only_with_a_reason(site, lab_technician, doctor, catalog):
    donor = make_donor(site, lab_technician, code="R", reactive=("hcv-ab",))
    refused(determine_donor, donor, doctor, decision="eligible")
    refused(determine_donor, donor, doctor, decision="ineligible", reason="  ")
    donor = determine_donor(donor, doctor, decision="ineligible", reason="HCV antibody reactive")
    assert donor.determination == "ineligible"


def test_a_reactive_result_after_eligibility_sends_the_donor_back_to_pending(
    lab_technician, eligible_donor
):
    record_donor_test(
        eligible_donor,
        lab_technician,
        test="hiv1-nat",
        reactive=True,
        specimen_date=timezone.localdate(),
        laboratory="Lab",
    )
    eligible_donor.refresh_from_db()
    assert eligible_donor.determination == "pending"


def test_a_leukocyte_rich_lot_needs_the_htlv_and_cmv_results(
    site, lab_technician, doctor, quality_reviewer, catalog
):
    donor = make_donor(site, lab_technician, code="L", skip=("cmv",), determiner=doctor)
    leukocytes = product("msc-uc-allo")
    leukocytes.leukocyte_rich = True
    leukocytes.save()
    lot = lot_of(donor, lab_technician)
    pass_every_test(lot, lab_technician)
    with pytest.raises(Refused, match="do not cover this product: No result yet: Cytomegalo"):
        release_lot(lot, quality_reviewer, password=PASSWORD)
    error = refused(determine_donor, donor, doctor, decision="eligible")
    assert "CMV" in error.message


# Quarantine and segregation of lots


def test_a_lot_from_an_undetermined_donor_is_quarantined_and_not_released(
    lab_technician, quality_reviewer, pending_donor
):
    lot = lot_of(pending_donor, lab_technician)
    pass_every_test(lot, lab_technician)
    assert lot.donor_state_label == QUARANTINE
    with pytest.raises(Refused, match="quarantine: donor determination pending"):
        release_lot(lot, quality_reviewer, password=PASSWORD)
    lot.refresh_from_db()
    assert lot.status == "in_process"


def test_once_the_donor_is_eligible_the_lot_may_be_released(
    site, lab_technician, doctor, quality_reviewer, catalog
):
    donor = make_donor(site, lab_technician, code="E")
    lot = lot_of(donor, lab_technician)
    pass_every_test(lot, lab_technician)
    determine_donor(donor, doctor, decision="eligible")
    assert release_lot(lot, quality_reviewer, password=PASSWORD).status == "released"


def test_an_ineligible_donors_lot_is_segregated_never_released_nor_allocated(
    site, lab_technician, doctor, quality_reviewer, donor_plan, eligible_donor
):
    lot = lot_of(eligible_donor, lab_technician)
    pass_every_test(lot, lab_technician)
    release_lot(lot, quality_reviewer, password=PASSWORD)
    record_donor_test(
        eligible_donor,
        lab_technician,
        test="anti-hbc",
        reactive=True,
        specimen_date=timezone.localdate(),
        laboratory="Lab",
    )
    determine_donor(eligible_donor, doctor, decision="ineligible", reason="anti-HBc reactive")
    lot = ProductLot.objects.get(pk=lot.pk)
    assert lot.donor_state_label == SEGREGATED
    with pytest.raises(Refused, match="INELIGIBLE DONOR"):
        allocate_lot(lot, donor_plan, lab_technician)
    assert ProductLot.objects.get(pk=lot.pk).plan is None


def test_no_new_lot_from_an_ineligible_unknown_or_other_sites_donor(
    site, other_site, lab_technician, doctor, catalog
):
    bad = make_donor(site, lab_technician, code="BAD", reactive=("hbsag",), determiner=doctor)
    stranger = User.objects.create_user("lab2", role=Role.LAB_TECHNICIAN, site=other_site)
    theirs = make_donor(other_site, stranger, code="THEIRS")
    for kwargs in ({"donor": bad}, {"donor_code": "NOPE"}, {"donor": theirs}, {"donor_code": ""}):
        refused(
            create_donor_lot,
            site,
            lab_technician,
            product=product("msc-uc-allo"),
            made_at=an_hour_ago(),
            **kwargs,
        )


def test_autologous_lots_need_no_donor(autologous_lot, quality_reviewer, lab_technician):
    pass_every_test(autologous_lot, lab_technician)
    assert autologous_lot.donor_state == ""
    assert release_lot(autologous_lot, quality_reviewer, password=PASSWORD).status == "released"


# Screens


def test_the_lot_pages_say_quarantine_and_segregated(
    client_for, site, lab_technician, doctor, pending_donor
):
    waiting = lot_of(pending_donor, lab_technician)
    bad = make_donor(site, lab_technician, code="BAD", reactive=("hbsag",))
    segregated = lot_of(bad, lab_technician)
    determine_donor(bad, doctor, decision="ineligible", reason="HBsAg reactive")
    client = client_for(doctor)
    listing = client.get(reverse("lab:lots")).content.decode()
    assert QUARANTINE in listing and SEGREGATED in listing
    assert QUARANTINE in client.get(waiting.get_absolute_url()).content.decode()
    assert SEGREGATED in client.get(segregated.get_absolute_url()).content.decode()


def test_the_lab_records_a_test_and_a_doctor_determines_through_the_forms(
    client_for, lab_technician, doctor, pending_donor
):
    url = reverse("lab:add_donor_test", args=[pending_donor.pk])
    data = {
        "test": "treponema",
        "result": "non_reactive",
        "specimen_date": timezone.localdate().isoformat(),
        "laboratory": "Central lab",
    }
    assert client_for(lab_technician).post(url, data).status_code == 302
    url = reverse("lab:determine_donor", args=[pending_donor.pk])
    assert client_for(doctor).post(url, {"decision": "eligible"}).status_code == 302
    pending_donor.refresh_from_db()
    assert pending_donor.determination == "eligible"


def test_a_refused_determination_form_saves_nothing(client_for, doctor, pending_donor):
    before = counts()
    url = reverse("lab:determine_donor", args=[pending_donor.pk])
    response = client_for(doctor).post(url, {"decision": "eligible"})
    assert response.status_code == 200
    assert "Treponema pallidum" in response.content.decode()
    assert counts() == before


def test_the_lab_registers_a_donor_through_the_form(client_for, lab_technician, catalog):
    data = {"code": "F-1", "recovered_on": timezone.localdate().isoformat(), "sex": "female"}
    response = client_for(lab_technician).post(reverse("lab:new_donor_record"), data)
    donor = Donor.objects.get()
    assert response.status_code == 302 and response["Location"] == donor.get_absolute_url()


def test_another_sites_donor_is_404_on_screens_and_api(
    client_for, other_site_doctor, pending_donor
):
    client = client_for(other_site_doctor)
    assert client.get(reverse("lab:donor_detail", args=[pending_donor.pk])).status_code == 404
    assert client.get(f"/api/lab/donors/{pending_donor.pk}").status_code == 404
    assert client.get("/api/lab/donors").json()["items"] == []


# API


def api(client, url, body):
    return client.post(f"/api/lab{url}", body, content_type="application/json")


def test_the_api_registers_tests_and_determines_a_donor(
    client_for, lab_technician, quality_reviewer, catalog
):
    from celltrace.catalog.models import DonorTest

    lab = client_for(lab_technician)
    body = {"code": "API-1", "recovered_on": timezone.localdate().isoformat()}
    response = api(lab, "/donors", body)
    assert response.status_code == 201
    donor_id = response.json()["id"]
    for test in DonorTest.objects.filter(leukocyte_rich_only=False):
        result = {
            "test": test.code,
            "reactive": False,
            "specimen_date": timezone.localdate().isoformat(),
            "laboratory": "Central lab",
        }
        assert api(lab, f"/donors/{donor_id}/tests", result).status_code == 201
    qa = client_for(quality_reviewer)
    response = api(qa, f"/donors/{donor_id}/determination", {"decision": "eligible"})
    assert response.status_code == 200
    assert response.json()["determination"] == "eligible"
    assert response.json()["eligibility_problems"] == []


def test_a_refused_api_determination_saves_nothing(client_for, doctor, pending_donor):
    before = counts()
    body = {"decision": "eligible"}
    response = api(client_for(doctor), f"/donors/{pending_donor.pk}/determination", body)
    assert response.status_code == 422
    assert counts() == before


def test_the_api_shows_a_lots_quarantine(client_for, doctor, lab_technician, pending_donor):
    lot = lot_of(pending_donor, lab_technician)
    body = client_for(doctor).get(f"/api/lab/lots/{lot.pk}").json()
    assert (body["donor_state"], body["donor_state_label"]) == ("quarantine", QUARANTINE)
    assert f"In {QUARANTINE}." in body["release_blockers"]


def test_the_api_registers_a_lot_by_donor_id(client_for, lab_technician, pending_donor):
    body = {"product": "msc-uc-allo", "donor_id": pending_donor.pk, "made_at": an_hour_ago()}
    body["made_at"] = body["made_at"].isoformat()
    response = api(client_for(lab_technician), "/donor-lots", body)
    assert response.status_code == 201
    assert response.json()["donor_state"] == "quarantine"


def test_a_wrong_role_is_not_allowed_to_determine(quality_reviewer, lab_technician, pending_donor):
    with pytest.raises(NotAllowed):
        determine_donor(pending_donor, lab_technician, decision="eligible")


def test_the_migration_turns_each_sites_donor_codes_into_pending_donors(
    site, other_site, lab_technician, quality_reviewer, catalog
):
    import importlib

    from django.apps import apps

    from testkit.journey import make_lot, make_patient, make_plan

    migration = importlib.import_module(
        "celltrace.lab.migrations.0005_donor_records_from_donor_codes"
    )
    here = make_plan(make_patient(site), lab_technician)
    there = make_plan(make_patient(other_site), lab_technician)
    lots = [make_lot(plan, lab_technician) for plan in (here, here, there)]
    ProductLot.objects.update(donor=None, donor_code="OLD-7")
    Donor.objects.all().delete()
    migration.donors_from_codes(apps, None)
    donors = Donor.objects.order_by("site__code")
    assert [(d.site, d.code, d.determination) for d in donors] == [
        (site, "OLD-7", "pending"),
        (other_site, "OLD-7", "pending"),
    ]
    for lot in lots:
        lot.refresh_from_db()
        assert lot.donor.site_id == lot.site_id and lot.donor_state == "quarantine"


def test_the_donor_list_asks_a_fixed_number_of_queries(
    client_for, site, lab_technician, catalog, django_assert_max_num_queries
):
    for n in range(5):
        make_donor(site, lab_technician, code=f"Q-{n}")
    client = client_for(lab_technician)
    with django_assert_max_num_queries(6):  # the page's rows and the count of all
        response = client.get(reverse("lab:donors"))
    assert response.content.decode().count("Q-") == 5
