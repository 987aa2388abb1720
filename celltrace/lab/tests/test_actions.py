import datetime as dt

import pytest
from django.utils import timezone

from celltrace.lab.actions import (
    allocate_lot,
    create_donor_lot,
    record_process_step,
    record_qc_result,
    reject_lot,
    release_blockers,
    release_lot,
    start_autologous_lot,
)
from celltrace.lab.models import ProcessStep, ProductLot, QCResult
from celltrace.lab.tests.helpers import an_hour_ago, pass_every_test, process_until, product
from celltrace.refusal import Refused
from testkit import PASSWORD
from testkit.journey import make_patient, make_plan, make_screening


def counts():
    return ProductLot.objects.count(), ProcessStep.objects.count(), QCResult.objects.count()


def refused(action, *args, **kwargs) -> Refused:
    before = counts()
    with pytest.raises(Refused) as caught:
        action(*args, **kwargs)
    assert counts() == before
    return caught.value


# Autologous path


def test_an_autologous_lot_starts_with_the_harvest_of_the_plans_patient(
    autologous_plan, autologous_lot, lab_technician
):
    lot = autologous_lot
    assert lot.plan == autologous_plan
    assert lot.source_patient == autologous_plan.patient
    assert lot.site == autologous_plan.patient.site
    assert lot.code.startswith(f"L-{timezone.localtime(lot.made_at):%Y%m%d}-")
    # Until formulation, the latest it may last: the whole process, then the shelf life.
    days = lot.product.process_days + lot.product.shelf_life_days
    assert lot.expires_at == lot.made_at + dt.timedelta(days=days)
    (step,) = lot.steps.all()
    assert (step.step, step.performed_by, step.performed_at) == (
        "harvest",
        lab_technician,
        lot.made_at,
    )


def test_formulation_sets_the_expiry_from_the_end_of_manufacture(autologous_lot, lab_technician):
    formulated_at = an_hour_ago()
    lot = process_until(autologous_lot, lab_technician, "formulation", when=formulated_at)
    record_process_step(
        lot,
        lab_technician,
        step="formulation",
        performed_at=formulated_at,
        viable_content=1e9,
        volume_ml=20.0,
    )
    lot.refresh_from_db()
    assert lot.expires_at == formulated_at + dt.timedelta(days=lot.product.shelf_life_days)


def test_lot_codes_are_unique_and_numbered_in_sequence(autologous_lot, donor_lot):
    first, second = sorted([autologous_lot.code, donor_lot.code])
    assert first.endswith("-001") and second.endswith("-002")


def test_a_donor_product_cannot_start_an_autologous_lot(autologous_plan, lab_technician):
    error = refused(
        start_autologous_lot,
        autologous_plan,
        lab_technician,
        product=product("msc-uc-allo"),
        harvested_at=an_hour_ago(),
    )
    assert "donor product" in error.message


def test_an_autologous_product_not_in_the_plan_is_refused(autologous_plan, lab_technician):
    error = refused(
        start_autologous_lot,
        autologous_plan,
        lab_technician,
        product=product("msc-ad-auto"),
        harvested_at=an_hour_ago(),
    )
    assert "not in this plan" in error.message


def test_no_harvest_for_a_patient_whose_screening_allows_donor_products_only(
    autologous_plan, doctor, lab_technician
):
    make_screening(autologous_plan.patient, doctor, donor_only=True)
    error = refused(
        start_autologous_lot,
        autologous_plan,
        lab_technician,
        product=product("msc-bm-auto"),
        harvested_at=an_hour_ago(),
    )
    assert "excludes harvesting" in error.message


@pytest.mark.parametrize("decision", ["not_eligible", "incomplete"])
def test_no_harvest_once_a_newer_screening_no_longer_allows_treatment(
    autologous_plan, doctor, lab_technician, decision
):
    make_screening(autologous_plan.patient, doctor, decision=decision)
    lots = ProductLot.objects.count()
    error = refused(
        start_autologous_lot,
        autologous_plan,
        lab_technician,
        product=product("msc-bm-auto"),
        harvested_at=an_hour_ago(),
    )
    assert error.message.startswith("No harvest:")
    assert ProductLot.objects.count() == lots


def test_no_harvest_while_the_newer_decision_waits_for_its_signatures(
    autologous_plan, doctor, lab_technician
):
    make_screening(autologous_plan.patient, doctor, final=False)
    error = refused(
        start_autologous_lot,
        autologous_plan,
        lab_technician,
        product=product("msc-bm-auto"),
        harvested_at=an_hour_ago(),
    )
    assert "sign" in error.message


def test_a_harvest_in_the_future_is_refused(autologous_plan, lab_technician):
    refused(
        start_autologous_lot,
        autologous_plan,
        lab_technician,
        product=product("msc-bm-auto"),
        harvested_at=timezone.now() + dt.timedelta(hours=1),
    )


def test_the_chain_of_identity_grows_step_by_step(autologous_lot, lab_technician):
    record_process_step(
        autologous_lot, lab_technician, step="separation", performed_at=an_hour_ago()
    )
    assert [s.step for s in autologous_lot.steps.all()] == ["harvest", "separation"]


@pytest.mark.parametrize("step", ["harvest", "donor_tissue", "teleportation"])
def test_only_processing_steps_can_be_added(autologous_lot, lab_technician, step):
    refused(
        record_process_step, autologous_lot, lab_technician, step=step, performed_at=an_hour_ago()
    )


def test_a_step_before_the_lot_was_made_is_refused(autologous_lot, lab_technician):
    before = autologous_lot.made_at - dt.timedelta(minutes=1)
    refused(
        record_process_step, autologous_lot, lab_technician, step="separation", performed_at=before
    )


def test_only_a_lab_technician_records_steps(autologous_lot, doctor):
    refused(
        record_process_step, autologous_lot, doctor, step="separation", performed_at=an_hour_ago()
    )


# Donor path


def test_a_donor_lot_starts_with_donor_tissue_and_no_plan(donor_lot):
    assert donor_lot.plan is None and donor_lot.source_patient is None
    assert donor_lot.donor_code == "UC-0042"
    assert [s.step for s in donor_lot.steps.all()] == ["donor_tissue"]


def test_a_donor_lot_needs_a_donor_code(site, lab_technician, catalog):
    error = refused(
        create_donor_lot,
        site,
        lab_technician,
        product=product("msc-uc-allo"),
        donor_code="  ",
        made_at=an_hour_ago(),
    )
    assert "donor_code" in error.field_errors


def test_an_autologous_product_cannot_be_a_donor_lot(site, lab_technician, catalog):
    refused(
        create_donor_lot,
        site,
        lab_technician,
        product=product("msc-bm-auto"),
        donor_code="X",
        made_at=an_hour_ago(),
    )


# QC


def test_a_numeric_verdict_is_computed_from_the_specification(donor_lot, lab_technician):
    low = record_qc_result(
        donor_lot, lab_technician, test="viability", value=69.0, tested_at=an_hour_ago()
    )
    ok = record_qc_result(
        donor_lot, lab_technician, test="cell_count", value=1.0e7, tested_at=an_hour_ago()
    )
    assert (low.passed, ok.passed) == (False, True)


def test_a_typed_in_verdict_for_a_numeric_test_is_refused(donor_lot, lab_technician):
    error = refused(
        record_qc_result,
        donor_lot,
        lab_technician,
        test="viability",
        value=10.0,
        passed=True,
        tested_at=an_hour_ago(),
    )
    assert "verdict is computed" in error.field_errors["value"]


def test_a_pass_fail_test_needs_a_verdict(donor_lot, lab_technician):
    error = refused(
        record_qc_result, donor_lot, lab_technician, test="viral", tested_at=an_hour_ago()
    )
    assert "passed" in error.field_errors


def test_a_test_the_product_does_not_specify_is_refused(lab_technician, site, eligible_donor):
    exosomes = create_donor_lot(
        site, lab_technician, product=product("exo-uc"), donor=eligible_donor, made_at=an_hour_ago()
    )
    refused(
        record_qc_result,
        exosomes,
        lab_technician,
        test="viability",
        value=90.0,
        tested_at=an_hour_ago(),
    )


# Release


def test_a_second_person_releases_a_lot_whose_every_test_passed(
    donor_lot, lab_technician, quality_reviewer
):
    pass_every_test(donor_lot, lab_technician)
    lot = release_lot(donor_lot, quality_reviewer, password=PASSWORD)
    assert (lot.status, lot.released_by) == ("released", quality_reviewer)
    assert lot.released_at is not None


def test_a_missing_qc_result_blocks_release(donor_lot, lab_technician, quality_reviewer):
    pass_every_test(donor_lot, lab_technician, skip={"viral"})
    error = refused(release_lot, donor_lot, quality_reviewer, password=PASSWORD)
    assert "Viral contamination: no result yet." in error.message
    donor_lot.refresh_from_db()
    assert donor_lot.status == "in_process"


def test_a_failing_qc_result_blocks_release(donor_lot, lab_technician, quality_reviewer):
    pass_every_test(donor_lot, lab_technician, skip=("endotoxin",))
    record_qc_result(
        donor_lot, lab_technician, test="endotoxin", value=0.7, tested_at=timezone.now()
    )
    error = refused(release_lot, donor_lot, quality_reviewer, password=PASSWORD)
    assert "Endotoxin: a result failed" in error.message


def test_the_person_who_made_the_lot_cannot_release_it(donor_lot, lab_technician):
    pass_every_test(donor_lot, lab_technician)
    # Even were the lab technician later made a quality reviewer, they made this lot.
    lab_technician.role = "quality_reviewer"
    error = refused(release_lot, donor_lot, lab_technician, password=PASSWORD)
    assert "did not make it" in error.message


def test_a_person_who_tested_the_lot_cannot_release_it(
    donor_lot, lab_technician, django_user_model, site
):
    tester = django_user_model.objects.create_user(
        "tess.tester", password="x", role="lab_technician", site=site
    )
    pass_every_test(donor_lot, tester)
    tester.role = "quality_reviewer"  # later moved to quality review
    tester.save()
    error = refused(release_lot, donor_lot, tester, password=PASSWORD)
    donor_lot.refresh_from_db()
    assert donor_lot.status == "in_process"
    assert error.message


def test_a_lab_technician_cannot_release(donor_lot, lab_technician):
    pass_every_test(donor_lot, lab_technician)
    assert (
        "Only a quality reviewer"
        in refused(release_lot, donor_lot, lab_technician, password=PASSWORD).message
    )


def test_an_expired_lot_cannot_be_released(donor_lot, lab_technician, quality_reviewer):
    pass_every_test(donor_lot, lab_technician)
    ProductLot.objects.filter(pk=donor_lot.pk).update(expires_at=an_hour_ago())
    assert "expired" in refused(release_lot, donor_lot, quality_reviewer, password=PASSWORD).message


def test_the_blockers_are_listed_for_the_lot_page(donor_lot, quality_reviewer):
    # Every test but the two sterility cultures, which may follow the release (2.6.27).
    assert len(release_blockers(donor_lot, quality_reviewer)) == 14


def test_a_released_lot_takes_no_more_results(donor_lot, lab_technician, quality_reviewer):
    pass_every_test(donor_lot, lab_technician)
    release_lot(donor_lot, quality_reviewer, password=PASSWORD)
    donor_lot.refresh_from_db()
    refused(
        record_qc_result,
        donor_lot,
        lab_technician,
        test="viral",
        passed=False,
        tested_at=an_hour_ago(),
    )


def test_a_reviewer_rejects_a_lot_with_a_reason(donor_lot, quality_reviewer):
    lot = reject_lot(donor_lot, quality_reviewer, reason="Contaminated flask")
    assert (lot.status, lot.rejection_reason) == ("rejected", "Contaminated flask")


def test_a_rejection_needs_a_reason(donor_lot, quality_reviewer):
    assert "reason" in refused(reject_lot, donor_lot, quality_reviewer, reason=" ").field_errors


def test_a_rejected_lot_cannot_be_released(donor_lot, lab_technician, quality_reviewer):
    pass_every_test(donor_lot, lab_technician)
    reject_lot(donor_lot, quality_reviewer, reason="Dropped")
    assert (
        "not in process"
        in refused(release_lot, donor_lot, quality_reviewer, password=PASSWORD).message
    )


# Allocation


@pytest.fixture
def released_donor_lot(donor_lot, lab_technician, quality_reviewer):
    pass_every_test(donor_lot, lab_technician)
    return release_lot(donor_lot, quality_reviewer, password=PASSWORD)


def test_a_released_donor_lot_is_allocated_to_a_plan_with_its_product(
    released_donor_lot, donor_plan, lab_technician
):
    lot = allocate_lot(released_donor_lot, donor_plan, lab_technician)
    assert lot.plan == donor_plan


def test_a_lot_in_process_cannot_be_allocated(donor_lot, donor_plan, lab_technician):
    assert (
        "only released lots" in refused(allocate_lot, donor_lot, donor_plan, lab_technician).message
    )


def test_a_lot_is_allocated_only_once(released_donor_lot, donor_plan, lab_technician, doctor, site):
    allocate_lot(released_donor_lot, donor_plan, lab_technician)
    other_plan = make_plan(make_patient(site), doctor)
    error = refused(allocate_lot, released_donor_lot, other_plan, lab_technician)
    assert "already allocated" in error.message


def test_a_lot_of_a_product_not_in_the_plan_is_refused(
    released_donor_lot, autologous_plan, lab_technician
):
    error = refused(allocate_lot, released_donor_lot, autologous_plan, lab_technician)
    assert "not in the plan" in error.message


def test_an_autologous_lot_is_never_allocated(
    autologous_lot, lab_technician, quality_reviewer, doctor, site
):
    pass_every_test(autologous_lot, lab_technician)
    release_lot(autologous_lot, quality_reviewer, password=PASSWORD)
    other_plan = make_plan(make_patient(site), doctor, product="msc-bm-auto")
    error = refused(allocate_lot, autologous_lot, other_plan, lab_technician)
    assert "only donor lots" in error.message


def test_formulation_records_what_the_lot_holds(donor_lot, lab_technician):
    process_until(donor_lot, lab_technician, "formulation")
    record_process_step(
        donor_lot,
        lab_technician,
        step="formulation",
        performed_at=an_hour_ago(),
        viable_content=9.0e7,
        volume_ml=20.0,
    )
    donor_lot.refresh_from_db()
    assert (donor_lot.viable_content, donor_lot.volume_ml) == (9.0e7, 20.0)
    assert donor_lot.content_label == "9.0 × 10⁷ viable cells"


@pytest.mark.parametrize("content", [None, 0.0, -1.0, float("nan")])
def test_formulation_without_a_plausible_content_is_refused(donor_lot, lab_technician, content):
    process_until(donor_lot, lab_technician, "formulation")
    refused(
        record_process_step,
        donor_lot,
        lab_technician,
        step="formulation",
        performed_at=an_hour_ago(),
        viable_content=content,
        volume_ml=20.0,
    )
    donor_lot.refresh_from_db()
    assert donor_lot.viable_content is None
