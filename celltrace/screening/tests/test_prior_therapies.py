import pytest
from django.utils import timezone

from celltrace.refusal import NotAllowed, Refused
from celltrace.screening.actions import record_prior_therapy
from celltrace.screening.models import PriorTherapy
from celltrace.screening.prior_therapies import therapies_for

THIS_YEAR = timezone.localdate().year


def test_an_ms_patients_list_has_the_coded_therapies_none_and_other():
    codes = [t.code for t in therapies_for("ms")]
    assert {"interferon_beta", "natalizumab", "anti_cd20", "none", "other"} <= set(codes)
    assert codes[-2:] == ["none", "other"]


def test_the_advisor_records_a_coded_therapy_with_its_years_audited(patient, advisor):
    record = record_prior_therapy(
        patient, advisor, therapy="interferon_beta", started_year=2015, stopped_year=2019
    )
    assert str(record) == "Interferon beta (2015-2019)"
    assert record.history.first().history_user == advisor


def test_a_doctor_records_another_therapy_by_name(patient, doctor):
    record = record_prior_therapy(patient, doctor, therapy="other", other_name="Mitoxantrone")
    assert str(record) == "Mitoxantrone"


@pytest.mark.parametrize(
    ("fields", "field", "says"),
    [
        ({"therapy": "levodopa"}, "therapy", "Choose a therapy listed"),
        ({"therapy": "other"}, "other_name", "Name the other therapy"),
        ({"started_year": THIS_YEAR + 1}, "started_year", "Give a year from 1980"),
        ({"started_year": 1979}, "started_year", "Give a year from 1980"),
        ({"started_year": 2020, "stopped_year": 2018}, "stopped_year", "stopped before"),
        ({"therapy": "none", "started_year": 2020}, "started_year", "has no years"),
    ],
)
def test_a_bad_prior_therapy_is_refused_and_nothing_is_saved(patient, doctor, fields, field, says):
    with pytest.raises(Refused) as refused:
        record_prior_therapy(patient, doctor, **({"therapy": "glatiramer"} | fields))
    assert says in refused.value.field_errors[field]
    assert not PriorTherapy.objects.exists()


def test_none_and_a_therapy_cannot_both_be_recorded(patient, doctor):
    record_prior_therapy(patient, doctor, therapy="none")
    with pytest.raises(Refused) as refused:
        record_prior_therapy(patient, doctor, therapy="natalizumab")
    assert "already" in refused.value.field_errors["therapy"]
    assert PriorTherapy.objects.count() == 1


def test_a_nurse_and_another_sites_doctor_may_not_record_one(patient, nurse, other_site_doctor):
    for user in (nurse, other_site_doctor):
        with pytest.raises((NotAllowed, Refused)):
            record_prior_therapy(patient, user, therapy="none")
    assert not PriorTherapy.objects.exists()


def test_the_screen_lists_the_therapies_and_records_one(client_for, advisor, patient):
    client = client_for(advisor)
    url = f"/screening/patients/{patient.pk}/prior-therapies/"
    page = client.get(url).content.decode()
    assert "Natalizumab (high-efficacy therapy)" in page and "Not recorded yet." in page
    refused = client.post(url, {"therapy": "other"})
    assert refused.status_code == 200 and "Name the other therapy." in refused.content.decode()
    done = client.post(url, {"therapy": "natalizumab", "started_year": "2018"})
    assert done.status_code == 302
    assert "Natalizumab (2018)" in client.get(url).content.decode()


def test_the_api_records_one_and_refuses_a_code_of_another_condition(client_for, doctor, patient):
    client = client_for(doctor)
    url = f"/api/screening/patients/{patient.pk}/prior-therapies"
    ok = client.post(url, {"therapy": "ahsct", "started_year": 2021}, "application/json")
    assert ok.status_code == 201 and ok.json()["therapy"] == "ahsct"
    bad = client.post(url, {"therapy": "insulin"}, "application/json")
    assert bad.status_code == 422 and "therapy" in bad.json()["errors"]
    assert PriorTherapy.objects.count() == 1
