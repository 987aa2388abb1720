import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from celltrace.outcomes.actions import record_measurement
from celltrace.outcomes.models import Measurement
from celltrace.refusal import Refused
from testkit.journey import make_patient

TODAY = timezone.localdate


@pytest.fixture
def patient(catalog, site):
    return make_patient(site)


def test_a_doctor_records_a_baseline(patient, doctor):
    m = record_measurement(
        patient,
        doctor,
        instrument="edss",
        value=3.5,
        timepoint="baseline",
        measured_on=TODAY(),
        details={"pyramidal": 2},
    )
    assert m.recorded_by == doctor and m.details == {"pyramidal": 2}
    assert m.history.first().history_user == doctor


@pytest.mark.parametrize(
    ("instrument", "value", "field"),
    [
        ("edss", 10.5, "value"),
        ("edss", 3.3, "value"),
        ("pain", -1, "value"),
        ("hba1c", 25, "value"),
        ("egfr", 250, "value"),
        ("updrs3", 133, "value"),
        ("isncsci_motor", 101, "value"),
        ("iq", 100, "instrument"),
    ],
)
def test_out_of_range_values_are_refused(patient, doctor, instrument, value, field):
    with pytest.raises(Refused) as refused:
        record_measurement(
            patient,
            doctor,
            instrument=instrument,
            value=value,
            timepoint="baseline",
            measured_on=TODAY(),
        )
    assert field in refused.value.field_errors
    assert not Measurement.objects.exists()


def test_a_future_date_is_refused(patient, doctor):
    with pytest.raises(Refused) as refused:
        record_measurement(
            patient,
            doctor,
            instrument="pain",
            value=4,
            timepoint="baseline",
            measured_on=TODAY() + dt.timedelta(days=1),
        )
    assert "measured_on" in refused.value.field_errors
    assert not Measurement.objects.exists()


def test_a_follow_up_value_of_an_untreated_patient_is_refused(patient, doctor):
    with pytest.raises(Refused) as refused:
        record_measurement(
            patient, doctor, instrument="pain", value=4, timepoint="follow_up", measured_on=TODAY()
        )
    assert "not been treated" in refused.value.field_errors["timepoint"]


def test_a_baseline_after_treatment_is_refused(cohort, doctor):
    with pytest.raises(Refused) as refused:
        record_measurement(
            cohort.p1.patient,
            doctor,
            instrument="edss",
            value=4,
            timepoint="baseline",
            measured_on=TODAY(),
        )
    assert "before the first treatment" in refused.value.field_errors["timepoint"]


def test_a_doctor_of_another_site_cannot_record(patient, other_site_doctor):
    with pytest.raises(Refused):
        record_measurement(
            patient,
            other_site_doctor,
            instrument="pain",
            value=4,
            timepoint="baseline",
            measured_on=TODAY(),
        )
    assert not Measurement.objects.exists()


@pytest.mark.parametrize("role_user", ["nurse", "coordinator", "manager", "admin_user"])
def test_only_a_doctor_may_record_a_measurement_even_calling_the_action(
    patient, role_user, request
):
    with pytest.raises(PermissionDenied):
        record_measurement(
            patient,
            request.getfixturevalue(role_user),
            instrument="pain",
            value=4,
            timepoint="baseline",
            measured_on=TODAY(),
        )
    assert not Measurement.objects.exists()
