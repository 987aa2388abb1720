from django.utils import timezone

from celltrace.catalog.models import Condition
from celltrace.outcomes.models import Measurement
from celltrace.outcomes.tests.conftest import treated_patient
from testkit.journey import make_patient


def test_the_conditions_page_links_each_condition(client_for, manager, catalog):
    page = client_for(manager).get("/outcomes/").content.decode()
    codes = Condition.objects.values_list("code", flat=True)
    assert all(f'href="/outcomes/{code}/"' in page for code in codes) and len(codes) == 6
    assert "Multiple sclerosis" in page


def test_the_condition_page_shows_the_summary(client_for, manager, cohort):
    page = client_for(manager).get("/outcomes/ms/").content.decode()
    assert "-0.17" in page and "95% CI -2.06 to 1.73" in page
    for heading in ("No usable baseline", "Follow-up not yet due", "Lost to follow-up"):
        assert heading in page
    assert "Clearly improved" in page and "No clear change" in page
    assert "1 of 3" in page and "2 of 3" in page  # improved, no clear change
    assert "1 of 4 treated patients had a fever event: 25.0 %" in page
    assert "these patients contradict the claim" in page
    assert "CTCAE grade 2" in page and "25.0 % <small>(4.6 % to 69.9 %)</small>" in page


def test_a_single_pair_shows_n_too_small_instead_of_an_interval(
    client_for, manager, catalog, site, doctor, nurse, lab_technician
):
    from celltrace.outcomes.tests.conftest import measure

    patient, _ = treated_patient(site, doctor, nurse, lab_technician)
    measure(
        patient,
        doctor,
        40,
        on=timezone.localdate().replace(year=2026, month=1, day=5),
        timepoint="baseline",
        instrument="isncsci_motor",
    )
    measure(
        patient,
        doctor,
        44,
        on=timezone.localdate().replace(year=2026, month=6, day=1),
        timepoint="follow_up",
        instrument="isncsci_motor",
    )
    page = client_for(manager).get("/outcomes/ms/").content.decode()
    assert "n too small" in page and "44.00" not in page and "4.00" not in page


def test_the_condition_page_query_count_does_not_grow_with_patients(
    client_for,
    manager,
    cohort,
    site,
    doctor,
    nurse,
    lab_technician,
    django_assert_max_num_queries,
):
    client = client_for(manager)
    with django_assert_max_num_queries(12) as before:
        client.get("/outcomes/ms/")
    for _ in range(5):
        treated_patient(site, doctor, nurse, lab_technician)
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get("/outcomes/ms/")


def test_a_condition_without_treated_patients_shows_no_numbers(client_for, manager, catalog):
    page = client_for(manager).get("/outcomes/ms/").content.decode()
    assert "No treated patients yet" in page and "%" not in page.split("<h2>Adverse events")[1]


def test_nurses_and_patients_cannot_see_the_condition_report(client_for, nurse, catalog):
    assert client_for(nurse).get("/outcomes/ms/").status_code == 403


def test_a_doctor_records_a_measurement_through_the_form(client_for, doctor, site, catalog):
    patient = make_patient(site)
    url = f"/outcomes/patients/{patient.pk}/new/"
    data = {
        "instrument": "edss",
        "value": "3.5",
        "timepoint": "baseline",
        "measured_on": timezone.localdate().isoformat(),
    }
    response = client_for(doctor).post(url, data)
    assert response.status_code == 302 and Measurement.objects.get().value == 3.5


def test_the_form_refuses_an_out_of_range_value(client_for, doctor, site, catalog):
    patient = make_patient(site)
    url = f"/outcomes/patients/{patient.pk}/new/"
    data = {
        "instrument": "edss",
        "value": "11",
        "timepoint": "baseline",
        "measured_on": timezone.localdate().isoformat(),
    }
    response = client_for(doctor).post(url, data)
    page = response.content.decode()
    assert 'class="refusal"' in page and "Must be between 0 and 10." in page
    assert not Measurement.objects.exists()


def test_other_sites_patients_are_not_found_and_nurses_cannot_record(
    client_for, other_site_doctor, nurse, site, catalog
):
    patient = make_patient(site)
    url = f"/outcomes/patients/{patient.pk}/new/"
    assert client_for(other_site_doctor).get(url).status_code == 404
    assert client_for(nurse).get(url).status_code == 403
