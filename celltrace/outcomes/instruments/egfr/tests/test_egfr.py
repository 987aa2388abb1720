import datetime as dt

import pytest
from django.utils import timezone

from celltrace.outcomes.actions import record_instrument
from celltrace.outcomes.models import Measurement
from celltrace.outcomes.tests.instrument_helpers import (
    assert_refused_by_every_door,
    post_api,
    post_form,
)
from celltrace.refusal import Refused
from testkit.journey import make_patient

TODAY = timezone.localdate


def born_years_ago(years: int, *, days_before_birthday: int = 0) -> dt.date:
    today = TODAY()
    return today.replace(year=today.year - years) + dt.timedelta(days=days_before_birthday)


@pytest.fixture
def patient(catalog, site):
    # 55 tomorrow: 54 today, so the age is taken on the measurement date, in whole years.
    return make_patient(
        site, condition="ckd", sex="male", date_of_birth=born_years_ago(55, days_before_birthday=1)
    )


def test_egfr_is_computed_with_the_records_age_and_sex(client_for, doctor, patient):
    response = post_api(
        client_for(doctor), patient, "egfr", {"creatinine": 1.2, "creatinine_unit": "mg_dl"}
    )
    assert response.status_code == 201
    (stored,) = response.json()
    assert stored["details"]["age_years"] == 54 and stored["details"]["sex"] == "male"
    assert stored["value"] == 71.9  # 142 x (1.2/0.9)^-1.2 x 0.9938^54, male


def test_creatinine_in_umol_per_litre_gives_the_same_egfr(client_for, doctor, patient):
    answers = {"creatinine": "106.08", "creatinine_unit": "umol_l"}
    assert post_form(client_for(doctor), patient, "egfr", answers).status_code == 302
    stored = Measurement.objects.get()
    assert stored.value == 71.9 and stored.details["creatinine_mg_dl"] == 1.2


@pytest.mark.parametrize(("missing", "field"), [("date_of_birth", "age_years"), ("sex", "sex")])
def test_an_unknown_age_or_sex_is_refused_and_nothing_saved(doctor, patient, missing, field):
    setattr(patient, missing, None if missing == "date_of_birth" else "")
    patient.save()
    with pytest.raises(Refused) as refused:
        record_instrument(
            patient, doctor, "egfr", {"creatinine": 1.0, "creatinine_unit": "mg_dl"}, TODAY()
        )
    assert "not recorded" in refused.value.field_errors[field]
    assert not Measurement.objects.exists()


def test_a_patient_under_18_is_refused(doctor, catalog, site):
    young = make_patient(site, condition="ckd", date_of_birth=born_years_ago(16))
    with pytest.raises(Refused) as refused:
        record_instrument(
            young, doctor, "egfr", {"creatinine": 0.6, "creatinine_unit": "mg_dl"}, TODAY()
        )
    assert "adults" in refused.value.field_errors["age_years"]


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"creatinine": 40, "creatinine_unit": "mg_dl"}, "creatinine"),
        ({"creatinine": 1.0, "creatinine_unit": "g_l"}, "creatinine_unit"),
        ({"creatinine_unit": "mg_dl"}, "creatinine"),
    ],
)
def test_impossible_creatinine_is_refused_by_every_door(
    client_for, doctor, patient, answers, field
):
    assert_refused_by_every_door(client_for(doctor), patient, "egfr", answers, field)
