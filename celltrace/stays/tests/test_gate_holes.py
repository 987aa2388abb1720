"""The bedside gate and admission cannot be got around: by NaN, back-dating, a race, a newer
screening, or by calling an action without the role. Each hole is tried through the action,
the API and the form, and nothing is saved."""

import datetime as dt
from dataclasses import replace

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from celltrace.plans.models import PlannedProduct
from celltrace.refusal import Refused
from celltrace.screening.models import Screening
from celltrace.stays import facts
from celltrace.stays.actions import (
    admit_patient,
    discharge_patient,
    record_administration,
    report_adverse_event,
)
from celltrace.stays.models import Administration, AdverseEvent, Stay
from celltrace.stays.tests.test_api import URL, _json, _refused
from celltrace.stays.tests.test_views import ADMINISTER, _form, _post_refused
from testkit import PASSWORD
from testkit.journey import (
    bed_and_doctor,
    make_lot,
    make_patient,
    make_plan,
    make_screening,
)

NAN = float("nan")
INF = float("inf")


def _refused_by_action(nurse, fields) -> Refused:
    before = Administration.objects.count()
    with pytest.raises(Refused) as refused:
        record_administration(nurse, **fields)
    assert Administration.objects.count() == before
    return refused.value


def _schema_refused(client, data) -> list[dict]:
    """The API refuses at parsing (422, pydantic errors), before the action runs."""
    before = Administration.objects.count()
    response = client.post(URL, data, content_type="application/json")
    assert response.status_code == 422
    assert Administration.objects.count() == before
    return response.json()["detail"]


# --- 1a. a dose or a vital sign that is not a finite number ---------------------------------


@pytest.mark.parametrize("dose", [NAN, INF, -INF])
def test_the_action_refuses_a_dose_that_is_not_a_finite_number(ward, nurse, bedside, dose):
    refusal = _refused_by_action(nurse, {**bedside, "dose_per_kg": dose})
    assert "The dose must be a positive number per kg." in refusal.reasons


@pytest.mark.parametrize("field", ["dose_per_kg", "temperature_c"])
@pytest.mark.parametrize("value", [NAN, INF])
def test_the_api_refuses_nan_and_infinity_at_parsing(
    client_for, nurse, ward, bedside, field, value
):
    errors = _schema_refused(client_for(nurse), _json(bedside, **{field: value}))
    assert [error["type"] for error in errors] == ["finite_number"]
    assert errors[0]["loc"][-1] == field


@pytest.mark.parametrize("field", ["temperature_c"])
@pytest.mark.parametrize("value", ["nan", "inf"])
def test_the_form_refuses_nan_and_infinity(client_for, nurse, ward, bedside, field, value):
    response = client_for(nurse).post(ADMINISTER, _form(bedside, **{field: value}))
    assert response.status_code == 200 and not Administration.objects.exists()
    assert response.context["form"].errors[field]


def test_the_action_refuses_a_temperature_that_is_not_a_number(ward, nurse, bedside):
    refusal = _refused_by_action(nurse, {**bedside, "temperature_c": NAN})
    assert "temperature_c" in refusal.field_errors


# --- 1b. back-dating the time given ----------------------------------------------------------


def _expired_a_minute_ago(ward):
    ward.lot.expires_at = timezone.now() - dt.timedelta(minutes=1)
    ward.lot.save()
    return timezone.now() - dt.timedelta(minutes=30)  # before the expiry, after the release


def test_the_action_refuses_a_lot_expired_now_even_if_the_time_given_is_before_expiry(
    ward, nurse, bedside
):
    given_at = _expired_a_minute_ago(ward)
    refusal = _refused_by_action(nurse, {**bedside, "given_at": given_at})
    assert refusal.reasons == [
        f"Lot {ward.lot.code} expired on {ward.lot.expires_at:%Y-%m-%d %H:%M %Z}."
    ]


def test_the_api_refuses_a_back_dated_time_that_hides_an_expired_lot(
    client_for, nurse, ward, bedside
):
    given_at = _expired_a_minute_ago(ward)
    body = _refused(client_for(nurse), _json(bedside, given_at=given_at))
    assert any("expired on" in reason for reason in body["reasons"])


def test_the_form_refuses_a_back_dated_time_that_hides_an_expired_lot(
    client_for, nurse, ward, bedside
):
    given_at = _expired_a_minute_ago(ward)
    assert "expired on" in _post_refused(client_for(nurse), _form(bedside, given_at=given_at))


def _released_ten_minutes_ago(ward):
    ward.lot.released_at = timezone.now() - dt.timedelta(minutes=10)
    ward.lot.save()
    return timezone.now() - dt.timedelta(minutes=30)


BEFORE_RELEASE = "The time given is before lot {} was released"


def test_the_action_refuses_a_time_given_before_the_lot_was_released(ward, nurse, bedside):
    given_at = _released_ten_minutes_ago(ward)
    refusal = _refused_by_action(nurse, {**bedside, "given_at": given_at})
    assert refusal.reasons[0].startswith(BEFORE_RELEASE.format(ward.lot.code))


def test_the_api_refuses_a_time_given_before_the_lot_was_released(client_for, nurse, ward, bedside):
    given_at = _released_ten_minutes_ago(ward)
    body = _refused(client_for(nurse), _json(bedside, given_at=given_at))
    assert body["reasons"][0].startswith(BEFORE_RELEASE.format(ward.lot.code))


def test_the_form_refuses_a_time_given_before_the_lot_was_released(
    client_for, nurse, ward, bedside
):
    given_at = _released_ten_minutes_ago(ward)
    page = _post_refused(client_for(nurse), _form(bedside, given_at=given_at))
    assert BEFORE_RELEASE.format(ward.lot.code) in page


def _cleared_ten_minutes_ago(ward):
    Screening.objects.filter(stay=ward.stay).update(
        decided_at=timezone.now() - dt.timedelta(minutes=10)
    )
    return timezone.now() - dt.timedelta(minutes=30)


BEFORE_CLEARING = "The time given is before the day-one screening that cleared the stay"


def test_the_action_refuses_a_time_given_before_the_day_one_screening(ward, nurse, bedside):
    given_at = _cleared_ten_minutes_ago(ward)
    refusal = _refused_by_action(nurse, {**bedside, "given_at": given_at})
    assert refusal.reasons[0].startswith(BEFORE_CLEARING)


def test_the_api_refuses_a_time_given_before_the_day_one_screening(
    client_for, nurse, ward, bedside
):
    given_at = _cleared_ten_minutes_ago(ward)
    body = _refused(client_for(nurse), _json(bedside, given_at=given_at))
    assert body["reasons"][0].startswith(BEFORE_CLEARING)


def test_the_form_refuses_a_time_given_before_the_day_one_screening(
    client_for, nurse, ward, bedside
):
    given_at = _cleared_ten_minutes_ago(ward)
    assert BEFORE_CLEARING in _post_refused(client_for(nurse), _form(bedside, given_at=given_at))


def _thirteen_hours_ago(ward, time_machine):
    """A stay admitted, cleared and supplied a day ago; the time typed is 13 hours back.

    The clock reads 20:00, so 13 hours back is still today, the planned day: the time is
    refused for its age alone.
    """
    time_machine.move_to(timezone.now().replace(hour=20), tick=True)
    day_ago = timezone.now() - dt.timedelta(days=1)
    Stay.objects.filter(pk=ward.stay.pk).update(admitted_at=day_ago)
    Screening.objects.filter(stay=ward.stay).update(decided_at=day_ago)
    ward.lot.released_at = day_ago
    ward.lot.save()
    return timezone.now() - dt.timedelta(hours=13)


TOO_LATE = (
    "The time given is more than 12 hours ago: record an administration when it is given, "
    "not later."
)


def test_the_action_refuses_a_time_given_more_than_12_hours_ago(ward, nurse, bedside, time_machine):
    given_at = _thirteen_hours_ago(ward, time_machine)
    assert _refused_by_action(nurse, {**bedside, "given_at": given_at}).reasons == [TOO_LATE]


def test_the_api_refuses_a_time_given_more_than_12_hours_ago(
    client_for, nurse, ward, bedside, time_machine
):
    given_at = _thirteen_hours_ago(ward, time_machine)
    assert _refused(client_for(nurse), _json(bedside, given_at=given_at))["reasons"] == [TOO_LATE]


def test_the_form_refuses_a_time_given_more_than_12_hours_ago(
    client_for, nurse, ward, bedside, time_machine
):
    given_at = _thirteen_hours_ago(ward, time_machine)
    assert TOO_LATE in _post_refused(client_for(nurse), _form(bedside, given_at=given_at))


def test_a_time_given_11_hours_ago_after_release_and_clearing_is_recorded(
    ward, nurse, bedside, time_machine
):
    given_at = _thirteen_hours_ago(ward, time_machine) + dt.timedelta(hours=2)
    assert record_administration(nurse, **{**bedside, "given_at": given_at}).given_at == given_at


# --- 1c. two lots for the same planned dose at the same moment --------------------------------


def test_the_gate_locks_the_stay_row_so_administrations_of_a_stay_go_one_at_a_time(
    ward, nurse, bedside, monkeypatch
):
    locked = []
    original = QuerySet.select_for_update

    def spy(queryset, *args, **kwargs):
        locked.append(queryset.model)
        return original(queryset, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    record_administration(nurse, **bedside)
    assert Stay in locked


def test_the_database_gives_a_lot_once_and_a_planned_dose_once(
    ward, nurse, bedside, lab_technician
):
    given = record_administration(nurse, **bedside)
    first_dose = given.planned_product
    second_dose = PlannedProduct.objects.create(
        plan=ward.plan, product=first_dose.product, route=first_dose.route,
        dose_per_kg=first_dose.dose_per_kg, day_of_stay=3,
    )  # fmt: skip
    fields = {
        f.attname: getattr(given, f.attname)
        for f in Administration._meta.concrete_fields
        if not f.primary_key
    }
    same_lot_other_dose = {"planned_product_id": second_dose.pk}
    other_lot_same_dose = {"lot_id": make_lot(ward.plan, lab_technician).pk}
    for changes in (same_lot_other_dose, other_lot_same_dose):
        with pytest.raises(IntegrityError), transaction.atomic():
            Administration.objects.create(**{**fields, **changes})
    assert Administration.objects.count() == 1


def _race_lost(ward, nurse, bedside, lab_technician, monkeypatch):
    """The first lot was given; the second nurse's gate read the plan before it was."""
    record_administration(nurse, **bedside)
    second_lot = make_lot(ward.plan, lab_technician)
    second_lot.released_at = timezone.now() - dt.timedelta(hours=1)
    second_lot.save()
    stale = [replace(d, already_given=False) for d in facts.planned_doses(ward.stay)]
    monkeypatch.setattr(facts, "planned_doses", lambda stay: stale)
    return {**bedside, "lot_code": second_lot.code, "given_at": timezone.now()}


def test_the_action_refuses_a_second_lot_for_a_planned_dose_given_meanwhile(
    ward, nurse, bedside, lab_technician, monkeypatch
):
    fields = _race_lost(ward, nurse, bedside, lab_technician, monkeypatch)
    with pytest.raises(Refused, match="already been given"):
        record_administration(nurse, **fields)
    assert Administration.objects.count() == 1


def test_the_api_refuses_a_second_lot_for_a_planned_dose_given_meanwhile(
    client_for, ward, nurse, bedside, lab_technician, monkeypatch
):
    fields = _race_lost(ward, nurse, bedside, lab_technician, monkeypatch)
    body = _refused(client_for(nurse), _json(fields))
    assert "already been given" in body["detail"]


def test_the_form_refuses_a_second_lot_for_a_planned_dose_given_meanwhile(
    client_for, ward, nurse, bedside, lab_technician, monkeypatch
):
    fields = _race_lost(ward, nurse, bedside, lab_technician, monkeypatch)
    assert "already been given" in _post_refused(client_for(nurse), _form(fields))


# --- 1d. a newer final planning screening overrides the plan's -------------------------------


NOT_ELIGIBLE_NOW = "a plan needs an eligible screening"


@pytest.fixture
def planned(catalog, site, doctor):
    return make_plan(make_patient(site), doctor, admission=timezone.localdate())


def _admit_refused(call):
    before = Stay.objects.count()
    result = call()
    assert Stay.objects.count() == before
    return result


def test_the_action_refuses_admission_after_a_newer_not_eligible_screening(planned, nurse, doctor):
    make_screening(planned.patient, doctor, decision="not_eligible")
    with pytest.raises(Refused, match=NOT_ELIGIBLE_NOW):
        _admit_refused(
            lambda: admit_patient(
                planned,
                nurse,
                admitted_at=timezone.now(),
                **bed_and_doctor(planned),
                weight_kg=70.0,
            )
        )


def test_the_api_refuses_admission_after_a_newer_not_eligible_screening(
    client_for, planned, nurse, doctor
):
    make_screening(planned.patient, doctor, decision="not_eligible")
    data = {"plan_id": planned.pk, "admitted_at": timezone.now().isoformat(), "weight_kg": 70}
    data |= {f"{key}_id": value.pk for key, value in bed_and_doctor(planned).items()}
    response = _admit_refused(
        lambda: client_for(nurse).post("/api/stays/", data, content_type="application/json")
    )
    assert response.status_code == 422 and NOT_ELIGIBLE_NOW in response.json()["detail"]


def test_the_form_refuses_admission_after_a_newer_not_eligible_screening(
    client_for, planned, nurse, doctor
):
    make_screening(planned.patient, doctor, decision="not_eligible")
    data = {"admitted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "weight_kg": "70"}
    data |= {key: value.pk for key, value in bed_and_doctor(planned).items()}
    response = _admit_refused(lambda: client_for(nurse).post(f"/stays/admit/{planned.pk}/", data))
    assert response.status_code == 200 and b'class="refusal"' in response.content
    assert NOT_ELIGIBLE_NOW in response.content.decode()


def test_admission_is_refused_while_a_newer_screening_is_not_final(planned, nurse, doctor):
    make_screening(planned.patient, doctor, decision="eligible", final=False)
    with pytest.raises(Refused, match="is not final"):
        _admit_refused(
            lambda: admit_patient(
                planned,
                nurse,
                admitted_at=timezone.now(),
                **bed_and_doctor(planned),
                weight_kg=70.0,
            )
        )


def test_admission_of_an_autologous_plan_is_refused_after_a_donor_only_screening(
    catalog, site, doctor, nurse
):
    plan = make_plan(
        make_patient(site), doctor, product="msc-bm-auto", admission=timezone.localdate()
    )
    make_screening(plan.patient, doctor, donor_only=True)
    with pytest.raises(Refused, match="no longer allows autologous products"):
        _admit_refused(
            lambda: admit_patient(
                plan, nurse, admitted_at=timezone.now(), **bed_and_doctor(plan), weight_kg=70.0
            )
        )


def test_the_action_refuses_treatment_after_a_newer_not_eligible_screening(
    ward, nurse, doctor, bedside
):
    make_screening(ward.patient, doctor, decision="not_eligible")
    refusal = _refused_by_action(nurse, bedside)
    assert any(NOT_ELIGIBLE_NOW in reason for reason in refusal.reasons)


def test_the_api_refuses_treatment_after_a_newer_not_eligible_screening(
    client_for, ward, nurse, doctor, bedside
):
    make_screening(ward.patient, doctor, decision="not_eligible")
    body = _refused(client_for(nurse), _json(bedside))
    assert any(NOT_ELIGIBLE_NOW in reason for reason in body["reasons"])


def test_the_form_refuses_treatment_after_a_newer_not_eligible_screening(
    client_for, ward, nurse, doctor, bedside
):
    make_screening(ward.patient, doctor, decision="not_eligible")
    assert NOT_ELIGIBLE_NOW in _post_refused(client_for(nurse), _form(bedside))


def test_treatment_with_autologous_cells_is_refused_after_a_donor_only_screening(
    catalog, site, doctor, nurse, lab_technician
):
    from testkit.journey import make_stay

    plan = make_plan(
        make_patient(site), doctor, product="msc-bm-auto", admission=timezone.localdate()
    )
    make_stay(plan, nurse, admitted_at=timezone.now() - dt.timedelta(hours=3))
    lot = make_lot(plan, lab_technician)
    make_screening(plan.patient, doctor, donor_only=True)
    fields = {
        "patient_code": plan.patient.code,
        "lot_code": lot.code,
        "dose_per_kg": 1.0e6,
        "route": "intravenous",
        "given_at": timezone.now(),
        "temperature_c": 36.8,
        "heart_rate": 72,
        "systolic_bp": 120,
        "diastolic_bp": 80,
        "spo2": 98,
    }
    refusal = _refused_by_action(nurse, fields)
    assert any("no longer allows autologous" in reason for reason in refusal.reasons)


# --- 2b. the actions check the role themselves ------------------------------------------------


@pytest.mark.parametrize("role_user", ["lab_technician", "quality_reviewer", "manager"])
def test_only_ward_staff_may_admit_even_calling_the_action(planned, role_user, request):
    with pytest.raises(PermissionDenied):
        admit_patient(
            planned,
            request.getfixturevalue(role_user),
            admitted_at=timezone.now(),
            **bed_and_doctor(planned),
            weight_kg=70.0,
        )
    assert not Stay.objects.exists()


@pytest.mark.parametrize("role_user", ["doctor", "coordinator", "admin_user"])
def test_only_a_nurse_may_give_a_product_even_calling_the_action(ward, bedside, role_user, request):
    with pytest.raises(PermissionDenied):
        record_administration(request.getfixturevalue(role_user), **bedside)
    assert not Administration.objects.exists()


@pytest.mark.parametrize("role_user", ["coordinator", "lab_technician", "manager"])
def test_only_a_nurse_or_doctor_may_report_an_event_even_calling_the_action(
    ward, role_user, request
):
    with pytest.raises(PermissionDenied):
        report_adverse_event(
            ward.stay, request.getfixturevalue(role_user), term="fever",
            onset_at=timezone.now(), ctcae_grade=1, serious=False,
            relatedness="possible", outcome="recovered",
        )  # fmt: skip
    assert not AdverseEvent.objects.exists()


@pytest.mark.parametrize("role_user", ["nurse", "coordinator", "admin_user"])
def test_only_a_doctor_may_discharge_even_calling_the_action(ward, role_user, request):
    with pytest.raises(PermissionDenied):
        discharge_patient(
            ward.stay,
            request.getfixturevalue(role_user),
            password=PASSWORD,
            discharged_at=timezone.now(),
        )
    ward.stay.refresh_from_db()
    assert ward.stay.is_open


def test_the_database_keeps_one_open_stay_per_patient(catalog, site, doctor, nurse):
    from django.db import IntegrityError, transaction

    from testkit.journey import make_patient, make_plan, make_stay

    patient = make_patient(site)
    make_stay(make_plan(patient, doctor), nurse)
    second_plan = make_plan(patient, doctor)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_stay(second_plan, nurse, day_one=False)
