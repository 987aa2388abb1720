"""The patient page shows who changed which of the patient's records, and how."""

import datetime as dt

import pytest

from celltrace.audit import save_by
from celltrace.patients.history import PAGE_SIZE, patient_history
from testkit.journey import make_patient, make_plan


def test_it_names_each_kind_of_record_and_the_change(catalog, site, doctor):
    patient = make_patient(site)
    plan = make_plan(patient, doctor)
    plan.notes = "Bring recent MRI."
    save_by(plan, doctor)

    entries = patient_history(patient)

    whats = [entry["what"] for entry in entries]
    assert "patient created" in whats
    assert "treatment plan created" in whats
    assert "planned product created" in whats
    change = next(e for e in entries if e["what"] == "treatment plan changed")
    assert change["who"] == doctor
    assert change["changes"] == ["notes: — → Bring recent MRI."]


def test_it_leaves_out_other_patients_records(catalog, site, doctor):
    patient, other = make_patient(site), make_patient(site)
    make_plan(other, doctor)
    assert all("plan" not in entry["what"] for entry in patient_history(patient))


def test_it_includes_the_lab_steps_and_the_doctors_signatures(
    catalog, site, doctor, lab_technician
):
    from testkit.journey import make_lot

    patient = make_patient(site)
    plan = make_plan(patient, doctor)
    make_lot(plan, lab_technician)

    whats = {entry["what"] for entry in patient_history(patient)}
    assert "process step created" in whats
    assert "screening signature created" in whats


def _change_hands(patient, doctor, second_doctor, lab_technician, *, times: int):
    """Change the screening's doctor, the planned dose and the step's lot, `times` each."""
    from celltrace.catalog.models import CellProduct
    from testkit.journey import make_lot

    plan = make_plan(patient, doctor)
    screening, planned = plan.screening, plan.products.get()
    first, second = make_lot(plan, lab_technician), make_lot(plan, lab_technician)
    step = first.steps.get()
    products = list(CellProduct.objects.filter(source="allogeneic")[:2])
    for n in range(times):
        screening.doctor = second_doctor if n % 2 == 0 else doctor
        save_by(screening, doctor)
        planned.dose_per_kg = 1.5e6 + n
        planned.product = products[n % 2]
        save_by(planned, doctor)
        step.lot = second if n % 2 == 0 else first
        save_by(step, lab_technician)
    return first, second


def test_changed_links_read_as_names_and_doses_as_cells(
    catalog, site, doctor, second_doctor, lab_technician
):
    patient = make_patient(site)
    first, second = _change_hands(patient, doctor, second_doctor, lab_technician, times=1)

    changes = [c for entry in patient_history(patient) for c in entry["changes"]]

    assert "run by: Dan Doctor → Dora Doctor" in changes  # the screening's doctor
    assert f"lot: {first} → {second}" in changes
    assert f"Lot {first.code}" in str(first)
    assert "dose per kg: 1.0 × 10⁶ → 1.5 × 10⁶" in changes
    product_change = next(c for c in changes if c.startswith("product: "))
    assert not any(char.isdigit() for char in product_change)  # names, never ids


def test_the_history_takes_the_same_few_queries_however_long_it_is(
    catalog, site, doctor, second_doctor, lab_technician
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    short, long = make_patient(site), make_patient(site)
    _change_hands(short, doctor, second_doctor, lab_technician, times=1)
    _change_hands(long, doctor, second_doctor, lab_technician, times=12)

    with CaptureQueriesContext(connection) as for_short:
        short_entries = patient_history(short, size=500)
    with CaptureQueriesContext(connection) as for_long:
        long_entries = patient_history(long, size=500)

    assert len(long_entries) > len(short_entries) + 30
    assert len(for_long) == len(for_short)
    # a query per kind of record and per kind it points to (MRI scans, prior therapies too)
    assert len(for_short) <= 32


def _pages(patient, *, size: int) -> list:
    """Every page of the patient's history, following each page's link to the older ones."""
    pages = [patient_history(patient, size=size)]
    while pages[-1].older:
        pages.append(patient_history(patient, size=size, before=pages[-1].older))
    return pages


@pytest.mark.parametrize("one_instant", [False, True], ids=["ticking", "one-instant"])
def test_the_history_is_shown_a_page_at_a_time_and_reads_the_same_across_pages(
    one_instant, catalog, site, doctor, second_doctor, lab_technician, time_machine
):
    if one_instant:  # changes saved at the same instant are split between pages too
        time_machine.move_to(dt.datetime(2026, 5, 2, 12, tzinfo=dt.UTC), tick=False)
    patient = make_patient(site)
    _change_hands(patient, doctor, second_doctor, lab_technician, times=6)
    whole = patient_history(patient, size=500)
    assert not whole.older and len(whole) > 20

    pages = _pages(patient, size=7)

    assert all(len(page) == 7 for page in pages[:-1]) and 1 <= len(pages[-1]) <= 7
    # Newest first, none twice, none left out; a change at the top of a page still says
    # what it changed from, though the version before it is on the next page.
    assert [entry for page in pages for entry in page] == whole.entries
    assert any(page.entries[0]["what"].endswith("changed") for page in pages[1:])


def test_a_page_of_an_old_history_takes_as_few_queries_as_the_newest(
    catalog, site, doctor, second_doctor, lab_technician
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    patient = make_patient(site)
    _change_hands(patient, doctor, second_doctor, lab_technician, times=12)
    newest = patient_history(patient, size=10)
    with CaptureQueriesContext(connection) as for_newest:
        patient_history(patient, size=10)
    with CaptureQueriesContext(connection) as for_older:
        older = patient_history(patient, size=10, before=newest.older)
    assert len(older) == 10 and older.entries[0] != newest.entries[0]
    assert len(for_older) <= len(for_newest) + 3  # + the versions before a page's first


def test_a_page_past_the_end_is_empty_and_a_wrong_link_shows_the_newest(catalog, site, doctor):
    patient = make_patient(site)
    make_plan(patient, doctor)
    newest = patient_history(patient)
    oldest = newest.entries[-1]["when"]

    assert newest.older == "" and len(newest) < PAGE_SIZE
    past = f"{(oldest - dt.timedelta(seconds=1)).isoformat()}~0~0"
    assert patient_history(patient, before=past).entries == []
    assert patient_history(patient, before="yesterday").entries == newest.entries
