"""A formulated lot split into ISBT 128 divisions: parts of one DIN, each scanned on its own."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from celltrace.clinical import isbt128
from celltrace.lab.actions import (
    allocate_lot,
    close_investigation,
    divide_lot,
    open_investigation,
    record_process_step,
    record_qc_result,
    release_lot,
)
from celltrace.lab.models import ProcessStep, ProductLot, QCResult
from celltrace.lab.scanning import lot_from_scan
from celltrace.lab.tests.helpers import pass_every_test, process_until
from celltrace.refusal import Refused
from testkit import PASSWORD

HALVES = [{"viable_content": 5e8, "volume_ml": 10.0}, {"viable_content": 5e8, "volume_ml": 10.0}]


def formulate(lot, technician, content=1e9, volume=20.0):
    lot = process_until(lot, technician, "formulation", when=timezone.now() - dt.timedelta(hours=2))
    record_process_step(
        lot,
        technician,
        step=ProcessStep.Step.FORMULATION,
        performed_at=timezone.now() - dt.timedelta(hours=1),
        viable_content=content,
        volume_ml=volume,
    )
    return ProductLot.objects.get(pk=lot.pk)


@pytest.fixture
def formulated(autologous_lot, lab_technician):
    lot = formulate(autologous_lot, lab_technician)
    pass_every_test(lot, lab_technician)
    return lot


def counts():
    return ProductLot.objects.count(), ProcessStep.objects.count(), QCResult.objects.count()


def test_a_formulated_lot_splits_into_parts_of_its_din(formulated, lab_technician):
    a, b = divide_lot(formulated, lab_technician, parts=HALVES)
    assert [(p.din, p.division) for p in (a, b)] == [(formulated.din, "A0"), (formulated.din, "B0")]
    assert [p.code for p in (a, b)] == [f"{formulated.code}-A0", f"{formulated.code}-B0"]
    for part in (a, b):
        assert (part.product, part.plan, part.chain) == (
            formulated.product,
            formulated.plan,
            formulated.chain,
        )
        assert part.expires_at == formulated.expires_at and part.divided_from == formulated
        assert (part.viable_content, part.volume_ml) == (5e8, 10.0)
        assert part.qc_results.count() == formulated.qc_results.count()
        assert part.steps.last().step == ProcessStep.Step.DIVISION
    parent = ProductLot.objects.get(pk=formulated.pk)
    assert parent.divided_at is not None
    assert "Split into 2 parts" in parent.steps.last().notes


@pytest.mark.parametrize(
    ("parts", "reason"),
    [
        (HALVES[:1], "2 to 26 parts"),
        (HALVES * 14, "2 to 26 parts"),
        ([{"viable_content": 6e8, "volume_ml": 10.0}, HALVES[0]], "more viable content"),
        ([{"viable_content": 1e8, "volume_ml": 15.0}, HALVES[0]], "volume adds up"),
        ([{"viable_content": 0, "volume_ml": 1.0}, HALVES[0]], "Part 1"),
        ([HALVES[0], {"viable_content": float("nan"), "volume_ml": 1.0}], "Part 2"),
    ],
)
def test_impossible_parts_are_refused_and_nothing_is_saved(
    formulated, lab_technician, parts, reason
):
    before = counts()
    with pytest.raises(Refused, match=reason):
        divide_lot(formulated, lab_technician, parts=parts)
    assert counts() == before
    assert ProductLot.objects.get(pk=formulated.pk).divided_at is None


def test_a_lot_is_split_only_after_formulation(autologous_lot, lab_technician):
    before = counts()
    with pytest.raises(Refused, match="after formulation"):
        divide_lot(autologous_lot, lab_technician, parts=HALVES)
    assert counts() == before


def test_a_divided_lot_or_a_part_is_not_split_again(formulated, lab_technician):
    a, _b = divide_lot(formulated, lab_technician, parts=HALVES)
    before = counts()
    with pytest.raises(Refused, match="split into divisions"):
        divide_lot(formulated, lab_technician, parts=HALVES)
    with pytest.raises(Refused, match="not split again"):
        divide_lot(a, lab_technician, parts=[{"viable_content": 1, "volume_ml": 1}] * 2)
    assert counts() == before


def test_a_released_lot_is_not_split(formulated, lab_technician, quality_reviewer):
    release_lot(formulated, quality_reviewer, password=PASSWORD)
    with pytest.raises(Refused, match="not in process"):
        divide_lot(formulated, lab_technician, parts=HALVES)


def test_the_divided_lot_is_no_longer_worked_on_nor_released_its_parts_are(
    formulated, lab_technician, quality_reviewer
):
    a, _b = divide_lot(formulated, lab_technician, parts=HALVES)
    with pytest.raises(Refused, match="release its parts"):
        release_lot(formulated, quality_reviewer, password=PASSWORD)
    with pytest.raises(Refused, match="record the work on its parts"):
        formulate(ProductLot.objects.get(pk=formulated.pk), lab_technician)
    assert release_lot(a, quality_reviewer, password=PASSWORD).status == ProductLot.Status.RELEASED


def test_a_divided_donor_lot_is_not_allocated_its_parts_are(
    donor_lot, donor_plan, lab_technician, quality_reviewer
):
    lot = formulate(donor_lot, lab_technician)
    pass_every_test(lot, lab_technician)
    a, _b = divide_lot(lot, lab_technician, parts=HALVES)
    ProductLot.objects.filter(pk=lot.pk).update(status=ProductLot.Status.RELEASED)
    with pytest.raises(Refused, match="allocate its parts"):
        allocate_lot(lot, donor_plan, lab_technician)
    part = allocate_lot(
        release_lot(a, quality_reviewer, password=PASSWORD), donor_plan, lab_technician
    )
    assert part.plan == donor_plan and part.chain.plan == donor_plan


def test_a_scan_finds_the_part_by_din_with_k_and_division_or_lot_number(formulated, lab_technician):
    a, b = divide_lot(formulated, lab_technician, parts=HALVES)
    lots = ProductLot.objects.all()
    din = isbt128.Din(formulated.din)
    assert lot_from_scan(lots, f"{din.eye_readable()} B0") == b
    assert lot_from_scan(lots, f"{din.value}{din.check_character}A0") == a
    assert lot_from_scan(lots, a.code) == a
    with pytest.raises(Refused, match="split into divisions"):
        lot_from_scan(lots, din.data_string())


def test_the_form_on_the_lot_page_splits_the_lot(client_for, lab_technician, formulated):
    client = client_for(lab_technician)
    page = client.get(formulated.get_absolute_url()).content.decode()
    assert 'id="divide"' in page
    url = reverse("lab:divide", args=[formulated.pk])
    response = client.post(url, {"parts": "5e8, 10\n4e8; 9"})
    assert response.status_code == 302
    parts = ProductLot.objects.filter(divided_from=formulated).order_by("division")
    assert [(p.division, p.viable_content, p.volume_ml) for p in parts] == [
        ("A0", 5e8, 10.0),
        ("B0", 4e8, 9.0),
    ]
    page = client.get(formulated.get_absolute_url()).content.decode()
    assert parts[0].code in page and 'id="divide"' not in page


def test_the_form_refuses_too_much_and_saves_nothing(client_for, lab_technician, formulated):
    before = counts()
    url = reverse("lab:divide", args=[formulated.pk])
    response = client_for(lab_technician).post(url, {"parts": "9e8, 10\n9e8, 10"})
    assert response.status_code == 200 and "more viable content" in response.content.decode()
    response = client_for(lab_technician).post(url, {"parts": "lots, 10\n9e8, 10"})
    assert "Line 1" in response.content.decode()
    assert counts() == before


def test_the_api_splits_the_lot_and_refuses_with_the_reason(
    client_for, lab_technician, formulated, other_site_doctor
):
    url = f"/api/lab/lots/{formulated.pk}/divide"
    client = client_for(lab_technician)
    before = counts()
    refused = client.post(url, {"parts": HALVES[:1]}, content_type="application/json")
    assert refused.status_code == 422 and "2 to 26 parts" in refused.json()["detail"]
    assert counts() == before
    response = client.post(url, {"parts": HALVES}, content_type="application/json")
    assert response.status_code == 201
    assert [(p["division"], p["din"]) for p in response.json()] == [
        ("A0", formulated.din),
        ("B0", formulated.din),
    ]
    assert client.get(f"/api/lab/lots/{formulated.pk}").json()["divided"] is True


def test_a_part_keeps_the_investigation_that_invalidated_its_lots_failure(
    autologous_lot, lab_technician, quality_reviewer
):
    lot = formulate(autologous_lot, lab_technician)
    failed = record_qc_result(
        lot, lab_technician, test="viability", value=50, tested_at=timezone.now()
    )
    investigation = open_investigation(
        lot, lab_technician, result_ids=[failed.pk], description="Counting error?"
    )
    close_investigation(
        investigation, quality_reviewer, conclusion="lab_error", findings="Stain expired"
    )
    pass_every_test(lot, lab_technician)
    a, _b = divide_lot(lot, lab_technician, parts=HALVES)
    assert release_lot(a, quality_reviewer, password=PASSWORD).status == "released"
