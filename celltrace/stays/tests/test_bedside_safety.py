"""Safety first at the bedside (issue 9): the planned day, cumulative ceilings, enough cells.

Each hole is shown closed through the action, the nurse's two-step screen and the API.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from celltrace.lab.models import ProductLot
from celltrace.plans.models import PlannedProduct
from celltrace.refusal import Refused
from celltrace.stays.actions import allow_other_day, record_administration
from celltrace.stays.models import Administration, DoseDayChange
from celltrace.stays.tests.test_api import URL, _json, _refused
from celltrace.stays.tests.test_views import ADMINISTER, _form, _post_refused
from testkit.journey import make_lot

PREVIEW = "/api/stays/administrations/preview"


def _refusal(nurse, fields) -> Refused:
    with pytest.raises(Refused) as caught:
        record_administration(nurse, **fields)
    assert not Administration.objects.exists()
    return caught.value


def _planned_for_day(ward, day):
    planned = ward.plan.products.get()
    planned.day_of_stay = day
    planned.save()
    return planned


# --- 1. the planned day ----------------------------------------------------------------------

NOT_DUE = "is not due today, day 1 of the stay: it is planned for day 2 of the stay"


def test_the_action_refuses_a_dose_planned_for_another_day_until_a_doctor_allows_it(
    ward, nurse, doctor, bedside
):
    planned = _planned_for_day(ward, 2)
    assert NOT_DUE in _refusal(nurse, bedside).message
    change = allow_other_day(planned, doctor, day=1, reason="Leaves early for a family event.")
    assert change.history.first().history_user == doctor
    assert record_administration(nurse, **bedside).planned_product == planned


def test_the_form_refuses_the_wrong_day_and_shows_the_doctors_change(
    client_for, ward, nurse, doctor, bedside
):
    planned = _planned_for_day(ward, 2)
    assert NOT_DUE in _post_refused(client_for(nurse), _form(bedside))
    url = f"/stays/{ward.stay.pk}/planned/{planned.pk}/allow-day/"
    client_for(doctor).post(url, {"day": "1", "reason": "Fever settled early."})
    nurse_client = client_for(nurse)
    stay_page = nurse_client.get(f"/stays/{ward.stay.pk}/").content.decode()
    assert "Fever settled early." in stay_page
    scan = {"patient_code": ward.patient.code, "lot_code": ward.lot.code}
    screen = nurse_client.post(ADMINISTER, scan).content.decode()
    assert "Day allowed by a doctor: Fever settled early." in screen
    assert nurse_client.post(ADMINISTER, _form(bedside)).status_code == 302


def test_the_api_refuses_the_wrong_day_until_a_doctor_allows_it(
    client_for, ward, nurse, doctor, bedside
):
    planned = _planned_for_day(ward, 2)
    assert NOT_DUE in _refused(client_for(nurse), _json(bedside))["detail"]
    response = client_for(doctor).post(
        f"/api/stays/{ward.stay.pk}/planned-products/{planned.pk}/day-changes",
        {"day": 1, "reason": "Flight moved."},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["day_of_stay"] == 1
    given = client_for(nurse).post(URL, _json(bedside), content_type="application/json")
    assert given.status_code == 201


def test_only_a_doctor_of_the_site_allows_another_day_with_a_reason_within_the_stay(
    ward, nurse, doctor, other_site_doctor
):
    planned = ward.plan.products.get()
    with pytest.raises(PermissionDenied):
        allow_other_day(planned, nurse, day=3, reason="Nurse's wish.")
    with pytest.raises(PermissionDenied):
        allow_other_day(planned, other_site_doctor, day=3, reason="Another site.")
    with pytest.raises(Refused) as caught:
        allow_other_day(planned, doctor, day=7, reason=" ")
    assert set(caught.value.field_errors) == {"day_of_stay", "reason"}
    assert not DoseDayChange.objects.exists()


def test_a_dose_given_already_cannot_change_day(ward, nurse, doctor, bedside):
    given = record_administration(nurse, **bedside)
    with pytest.raises(Refused, match="already been given"):
        allow_other_day(given.planned_product, doctor, day=3, reason="Too late.")


# --- 2. cumulative ceilings at the bedside ----------------------------------------------------


def test_a_second_dose_on_one_day_above_the_daily_maximum_is_refused(
    client_for, ward, nurse, bedside, lab_technician
):
    # msc-uc-allo by infusion: 2.0 × 10⁶ per dose and per day, 6.0 × 10⁶ per course.
    first = ward.plan.products.get()
    first.dose_per_kg = 1.5e6
    first.save()
    PlannedProduct.objects.create(
        plan=ward.plan, product=first.product, route="intravenous",
        dose_per_kg=1.5e6, day_of_stay=1,
    )  # fmt: skip
    record_administration(nurse, **{**bedside, "dose_per_kg": 1.5e6})
    second = make_lot(ward.plan, lab_technician)
    second.released_at = timezone.now() - dt.timedelta(hours=1)
    second.save()
    fields = {**bedside, "lot_code": second.code, "dose_per_kg": 1.5e6}
    daily = "3.0 × 10⁶ viable cells/kg of msc-uc-allo by the intravenous route on day 1"
    with pytest.raises(Refused, match=daily):
        record_administration(nurse, **fields)
    assert daily in _refused(client_for(nurse), _json(fields))["detail"]
    assert daily in _post_refused(client_for(nurse), _form(fields))
    assert Administration.objects.count() == 1


def test_a_dose_past_the_course_maximum_is_refused(ward, nurse, bedside, lab_technician):
    # Three full doses were given on days 1 to 3; today is day 4.
    ward.plan.admission_date -= dt.timedelta(days=3)
    ward.plan.save()
    today = _planned_for_day(ward, 4)
    for day in (1, 2, 3):
        planned = PlannedProduct.objects.create(
            plan=ward.plan, product=today.product, route="intravenous",
            dose_per_kg=2e6, day_of_stay=day,
        )  # fmt: skip
        Administration.objects.create(
            stay=ward.stay, lot=make_lot(ward.plan, lab_technician), planned_product=planned,
            route="intravenous", dose_per_kg=2e6,
            given_at=timezone.now() - dt.timedelta(days=4 - day), nurse=nurse,
            temperature_c=36.8, heart_rate=70, systolic_bp=120, diastolic_bp=80, spo2=98,
        )  # fmt: skip
    with pytest.raises(Refused, match="7.0 × 10⁶ viable cells/kg .* in the course"):
        record_administration(nurse, **bedside)
    assert Administration.objects.count() == 3


# --- 3. enough cells for the weight -----------------------------------------------------------

TOO_FEW = (
    "holds 5.0 × 10⁷ viable cells; the dose of 1.0 × 10⁶ viable cells/kg at 70 kg "
    "needs 7.0 × 10⁷ viable cells."
)


def test_a_lot_with_too_few_cells_for_the_weight_is_refused_everywhere(
    client_for, ward, nurse, bedside
):
    ProductLot.objects.filter(pk=ward.lot.pk).update(viable_content=5.0e7)
    assert TOO_FEW in _refusal(nurse, bedside).message
    assert TOO_FEW in _refused(client_for(nurse), _json(bedside))["detail"]
    assert TOO_FEW in _post_refused(client_for(nurse), _form(bedside))


def test_the_weight_at_admission_decides_not_the_plans(ward, nurse, bedside):
    ProductLot.objects.filter(pk=ward.lot.pk).update(viable_content=7.5e7)
    ward.stay.weight_kg = 80.0
    ward.stay.save()
    assert "at 80 kg needs 8.0 × 10⁷ viable cells" in _refusal(nurse, bedside).message


def test_a_lot_without_a_recorded_content_is_refused(ward, nurse, bedside):
    ProductLot.objects.filter(pk=ward.lot.pk).update(viable_content=None)
    assert "has no viable content on record" in _refusal(nurse, bedside).message


# --- 5. the nurse's two steps and the preview -------------------------------------------------


def test_the_scan_step_shows_the_plans_dose_weight_lot_and_day_without_typing(
    client_for, ward, nurse
):
    scan = {"patient_code": ward.patient.code, "lot_code": ward.lot.code}
    page = client_for(nurse).post(ADMINISTER, scan).content.decode()
    assert "1.0 × 10⁶ viable cells/kg" in page and "7.0 × 10⁷ viable cells" in page
    assert "1.0 × 10¹⁰ viable cells in 20.0 mL" in page
    assert f"Day 1 ({ward.plan.admission_date})" in page
    assert 'name="dose_per_kg"' not in page and 'name="temperature_c"' in page
    assert not Administration.objects.exists()


def test_the_scan_step_lists_the_refusals_before_anything_is_typed(client_for, ward, nurse):
    ProductLot.objects.filter(pk=ward.lot.pk).update(viable_content=5.0e7)
    scan = {"patient_code": ward.patient.code, "lot_code": ward.lot.code}
    page = client_for(nurse).post(ADMINISTER, scan).content.decode()
    assert "Do not give" in page and TOO_FEW in page and 'name="temperature_c"' not in page


def test_the_api_preview_returns_the_same_facts(client_for, ward, nurse):
    query = {"patient_code": ward.patient.code, "lot_code": ward.lot.code}
    body = client_for(nurse).get(PREVIEW, query).json()
    assert body["dose_per_kg"] == 1.0e6 and body["dose_unit"] == "viable_cells"
    assert body["dose_label"] == "1.0 × 10⁶ viable cells/kg"
    assert body["dose_for_weight"] == 7.0e7 and body["weight_kg"] == 70.0
    assert (body["planned_day"], body["may_give"], body["reasons"]) == (1, True, [])
    assert not Administration.objects.exists()


def test_the_api_preview_is_for_nurses_only(client_for, ward, doctor):
    query = {"patient_code": ward.patient.code, "lot_code": ward.lot.code}
    assert client_for(doctor).get(PREVIEW, query).status_code == 403


# --- 4. units -------------------------------------------------------------------------------


def test_the_stay_page_shows_doses_in_the_products_unit(client_for, ward, nurse, bedside):
    client = client_for(nurse)
    record_administration(nurse, **bedside)
    page = client.get(f"/stays/{ward.stay.pk}/").content.decode()
    assert page.count("1.0 × 10⁶ viable cells/kg") == 3 and "10⁶ cells/kg" not in page
