"""The patient page shows who changed which of the patient's records, and how."""

from celltrace.audit import save_by
from celltrace.patients.history import patient_history
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
        short_entries = patient_history(short)
    with CaptureQueriesContext(connection) as for_long:
        long_entries = patient_history(long)

    assert len(long_entries) > len(short_entries) + 30
    assert len(for_long) == len(for_short)
    # a query per kind of record and per kind it points to (MRI scans, prior therapies too)
    assert len(for_short) <= 32
