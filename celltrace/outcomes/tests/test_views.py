from django.utils import timezone

from celltrace.catalog.models import Condition
from celltrace.outcomes.models import Measurement
from testkit.journey import make_patient


def test_the_conditions_page_links_each_condition(client_for, manager, catalog):
    page = client_for(manager).get("/outcomes/").content.decode()
    codes = Condition.objects.values_list("code", flat=True)
    assert all(f'href="/outcomes/{code}/"' in page for code in codes) and len(codes) == 6
    assert "Multiple sclerosis" in page


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
