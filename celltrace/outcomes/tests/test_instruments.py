"""The instrument registry and the one action, screen and API every instrument goes through."""

import datetime as dt
import math
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from celltrace.outcomes import actions, instruments
from celltrace.outcomes.actions import record_instrument, record_measurement
from celltrace.outcomes.instruments.base import InstrumentDefinition, Measure, Measured
from celltrace.outcomes.instruments.pain.forms import PainForm
from celltrace.outcomes.models import Measurement
from celltrace.outcomes.tests.conftest import treated_patient
from celltrace.outcomes.tests.instrument_helpers import form_url, post_api, post_form
from celltrace.refusal import Refused
from testkit.journey import make_patient

TODAY = timezone.localdate
MINE = {"isncsci", "edss", "pain", "hba1c", "t25fw", "nhpt", "sdmt", "updrs3", "uacr", "egfr"}


@pytest.fixture
def patient(catalog, site):
    return make_patient(site, condition="ms")


# The registry


def test_every_folder_with_an_instrument_is_registered_by_its_folder_name():
    root = Path(instruments.__file__).parent
    folders = {p.parent.name for p in root.glob("*/__init__.py")}
    assert {d.code for d in instruments.instruments()} == folders >= MINE


def test_every_measure_is_an_instrument_of_the_analysis_plan():
    plan = instruments.analysis_plan()
    # The SCIM self-report is collected at the plan's time points ahead of a plan that
    # reports it (docs/clinical/scim-sr.md); every other measure is the plan's.
    assert {m.code for m in instruments.measures()} - set(plan.instruments) == {"scim_sr"}
    assert instruments.measure("ais").unit == "grade (A=0 to E=4)"


def test_a_condition_gets_its_measures_in_the_plans_order():
    codes = [m.code for m in instruments.measures_for_condition("ms")]
    planned = instruments.analysis_plan().condition("ms").outcomes
    assert codes == [c for c in planned if c in {m.code for m in instruments.measures()}]
    assert codes[:4] == ["edss", "t25fw", "nhpt", "sdmt"]
    assert [d.code for d in instruments.instruments_for_condition("sci")][:1] == ["isncsci"]
    assert instruments.measures_for_condition("no-such-condition") == ()


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (0, None),
        (10, None),
        (3.5, None),
        (3.3, "Must be in steps of 0.5."),
        (10.5, "Must be between 0 and 10."),
        (-0.5, "Must be between 0 and 10."),
        (math.nan, "Must be a number."),
    ],
)
def test_a_measure_judges_its_range_and_step(value, problem):
    assert instruments.measure("edss").problem(value) == problem


# The action


def test_dates_in_the_future_or_before_the_record_are_refused_and_nothing_saved(patient, doctor):
    for day in (TODAY() + dt.timedelta(days=1), TODAY() - dt.timedelta(days=1)):
        with pytest.raises(Refused) as refused:
            record_instrument(patient, doctor, "pain", {"pain": 4}, day)
        assert "measured_on" in refused.value.field_errors
    assert not Measurement.objects.exists()


def test_a_single_value_before_the_record_is_refused_too(patient, doctor):
    with pytest.raises(Refused) as refused:
        record_measurement(
            patient,
            doctor,
            instrument="pain",
            value=4,
            timepoint="baseline",
            measured_on=TODAY() - dt.timedelta(days=3),
        )
    assert "before the patient's record" in refused.value.field_errors["measured_on"]


def test_an_unknown_instrument_is_refused_by_every_door(client_for, doctor, patient):
    with pytest.raises(Refused) as refused:
        record_instrument(patient, doctor, "iq", {"iq": 100}, TODAY())
    assert refused.value.code == "unknown_instrument"
    client = client_for(doctor)
    assert client.get(form_url(patient, "iq")).status_code == 404
    response = post_api(client, patient, "iq", {"iq": 100})
    assert response.status_code == 422 and "instrument" in response.json()["errors"]


def test_the_timepoint_follows_the_date_of_the_first_treatment(
    catalog, site, doctor, nurse, lab_technician
):
    treated, _ = treated_patient(site, doctor, nurse, lab_technician)
    given = actions.first_treatment_date(treated)
    treated.created_at = timezone.now() - dt.timedelta(days=400)
    treated.save()
    (before,) = record_instrument(treated, doctor, "pain", {"pain": 6}, given)
    (after,) = record_instrument(treated, doctor, "pain", {"pain": 3}, TODAY())
    assert (before.timepoint, after.timepoint) == ("baseline", "follow_up")


@pytest.mark.parametrize("role_user", ["nurse", "coordinator", "other_site_doctor"])
def test_only_a_doctor_of_the_patients_site_records_an_instrument(patient, role_user, request):
    with pytest.raises(Refused) as refused:
        record_instrument(patient, request.getfixturevalue(role_user), "pain", {"pain": 4}, TODAY())
    assert isinstance(refused.value, PermissionDenied)
    assert not Measurement.objects.exists()


def test_the_values_of_one_questionnaire_are_stored_all_or_none(patient, doctor, monkeypatch):
    two = InstrumentDefinition(
        code="two",
        label="Two values",
        measures=(instruments.measure("pain"), instruments.measure("sdmt")),
        form_class=PainForm,
        score=lambda data: [Measured("pain", data["pain"], {}), Measured("sdmt", 40, {})],
        template="instruments/pain/form.html",
    )
    monkeypatch.setattr(instruments, "instrument", lambda code: two)
    real = actions.record_measurement
    calls = []

    def failing_second(*args, **kwargs):
        calls.append(kwargs["instrument"])
        if len(calls) == 2:
            raise Refused("The disk is full.", code="io")
        return real(*args, **kwargs)

    monkeypatch.setattr(actions, "record_measurement", failing_second)
    with pytest.raises(Refused):
        record_instrument(patient, doctor, "two", {"pain": 5}, TODAY())
    assert calls == ["pain", "sdmt"] and not Measurement.objects.exists()


def test_a_score_outside_its_measure_is_refused_before_anything_is_written(
    patient, doctor, monkeypatch
):
    wild = InstrumentDefinition(
        code="wild",
        label="Wild",
        measures=(Measure("pain", "Pain", "points", 0, 10, 1, True),),
        form_class=PainForm,
        score=lambda data: [Measured("pain", 4, {}), Measured("pain", 40, {})],
        template="instruments/pain/form.html",
    )
    monkeypatch.setattr(instruments, "instrument", lambda code: wild)
    with pytest.raises(Refused) as refused:
        record_instrument(patient, doctor, "wild", {"pain": 4}, TODAY())
    assert refused.value.field_errors == {"pain": "Must be between 0 and 10."}
    assert not Measurement.objects.exists()


# The screen and the API


def test_a_future_date_on_the_screen_is_shown_at_the_date(client_for, doctor, patient):
    tomorrow = TODAY() + dt.timedelta(days=1)
    page = post_form(client_for(doctor), patient, "pain", {"pain": "4"}, measured_on=tomorrow)
    assert page.context["when"].errors["measured_on"] == ["The date is in the future."]
    assert not Measurement.objects.exists()


def test_nurses_may_not_record_and_other_sites_get_404(
    client_for, nurse, other_site_doctor, patient
):
    assert client_for(nurse).get(form_url(patient, "pain")).status_code == 403
    assert client_for(other_site_doctor).get(form_url(patient, "pain")).status_code == 404
    assert post_api(client_for(nurse), patient, "pain", {"pain": 4}).status_code == 403
    assert post_api(client_for(other_site_doctor), patient, "pain", {"pain": 4}).status_code == 404
    assert not Measurement.objects.exists()


def test_the_registry_api_lists_measures_ranges_and_the_plans_mcids(client_for, nurse, catalog):
    body = {i["code"]: i for i in client_for(nurse).get("/api/outcomes/instruments").json()}
    assert set(body) >= MINE
    (updrs3,) = body["updrs3"]["measures"]
    assert (updrs3["low"], updrs3["high"], updrs3["step"]) == (0, 132, 1)
    assert (updrs3["mcid"]["improvement"], updrs3["mcid"]["worsening"]) == (3.25, 4.63)
    assert body["updrs3"]["conditions"] == ["parkinsons"]
    assert [m["code"] for m in body["isncsci"]["measures"]] == ["isncsci_motor", "ais"]
    assert body["egfr"]["fields"] == ["creatinine", "creatinine_unit"]


# The patient's record


def test_the_record_page_lists_the_instruments_of_the_patients_condition(
    client_for, doctor, patient
):
    page = client_for(doctor).get(patient.get_absolute_url()).content.decode()
    listed = page.split('id="condition-instruments"')[1].split("</ul>")[0]
    for code in ("edss", "t25fw", "nhpt", "sdmt", "pain"):
        assert f'href="{form_url(patient, code)}"' in listed
    assert "hba1c" not in listed and "isncsci" not in listed


def test_a_nurse_sees_the_list_without_links_to_record(client_for, nurse, catalog, site):
    patient = make_patient(site, condition="ckd")
    page = client_for(nurse).get(patient.get_absolute_url()).content.decode()
    listed = page.split('id="condition-instruments"')[1].split("</ul>")[0]
    assert "eGFR (CKD-EPI 2021)" in listed and "Urine albumin-creatinine ratio" in listed
    assert "href" not in listed


def test_the_conditions_an_instrument_names_are_those_the_plan_gives_it():
    plan = instruments.analysis_plan()
    for definition in instruments.instruments():
        if definition.conditions:
            planned = {
                code
                for code in plan.conditions
                if definition in instruments.instruments_for_condition(code)
            }
            assert set(definition.conditions) == planned, definition.code
