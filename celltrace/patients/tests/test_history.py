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
