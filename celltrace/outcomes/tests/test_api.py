from django.utils import timezone

from celltrace.outcomes.models import Measurement
from testkit.journey import make_patient


def test_record_and_list_measurements_through_the_api(client_for, doctor, nurse, site, catalog):
    patient = make_patient(site)
    url = f"/api/outcomes/patients/{patient.pk}/measurements"
    body = {
        "instrument": "pain",
        "value": 6,
        "timepoint": "baseline",
        "measured_on": timezone.localdate().isoformat(),
        "details": {"site": "lower back"},
    }
    response = client_for(doctor).post(url, body, content_type="application/json")
    assert response.status_code == 201
    listed = client_for(nurse).get(url).json()
    assert [(m["instrument"], m["value"]) for m in listed] == [("pain", 6.0)]


def test_the_api_refuses_out_of_range_and_future_values(client_for, doctor, site, catalog):
    patient = make_patient(site)
    url = f"/api/outcomes/patients/{patient.pk}/measurements"
    body = {"instrument": "edss", "value": 12, "timepoint": "baseline", "measured_on": "2999-01-01"}
    response = client_for(doctor).post(url, body, content_type="application/json")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"value", "measured_on"}
    assert not Measurement.objects.exists()


def test_a_nurse_cannot_record_and_another_site_gets_404(
    client_for, nurse, other_site_doctor, site, catalog
):
    patient = make_patient(site)
    url = f"/api/outcomes/patients/{patient.pk}/measurements"
    body = {
        "instrument": "pain",
        "value": 6,
        "timepoint": "baseline",
        "measured_on": timezone.localdate().isoformat(),
    }
    assert client_for(nurse).post(url, body, content_type="application/json").status_code == 403
    assert client_for(other_site_doctor).get(url).status_code == 404
