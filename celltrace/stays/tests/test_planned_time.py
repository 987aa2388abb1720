"""The planned time at the bedside (issue 9): the nurse sees the planned day, date and time;
far from the planned time the confirm page says so, and still lets the nurse give."""

import datetime as dt

from django.utils import timezone

from celltrace.stays.actions import preview_administration
from celltrace.stays.models import Administration
from celltrace.stays.tests.test_views import ADMINISTER, _form

PREVIEW = "/api/stays/administrations/preview"


def _plan_for(ward, planned_time: dt.time) -> None:
    ward.plan.products.update(planned_time=planned_time)


def _hours_from_now(hours: int) -> dt.time:
    """The local time of day `hours` from now, to the minute (wraps round midnight)."""
    moment = timezone.localtime() + dt.timedelta(hours=hours)
    return moment.time().replace(second=0, microsecond=0)


def _scan(ward):
    return {"patient_code": ward.patient.code, "lot_code": ward.lot.code}


def test_the_confirm_page_shows_the_planned_day_date_and_time(client_for, ward, nurse):
    _plan_for(ward, dt.time(9, 15))
    page = client_for(nurse).post(ADMINISTER, _scan(ward)).content.decode()
    assert f"Day 1 ({ward.plan.admission_date}) at 09:15" in page


def test_time_given_is_prefilled_with_now(client_for, ward, nurse):
    page = client_for(nurse).post(ADMINISTER, _scan(ward)).content.decode()
    now = timezone.localtime()
    assert f'value="{now:%Y-%m-%dT%H}:' in page and 'name="given_at"' in page


def test_far_from_the_planned_time_the_page_says_so_and_the_nurse_still_gives(
    client_for, ward, nurse, bedside
):
    planned = _hours_from_now(-3)
    _plan_for(ward, planned)
    client = client_for(nurse)
    page = client.post(ADMINISTER, _scan(ward)).content.decode()
    assert 'class="notice"' in page and f"Planned for {planned:%H:%M}; now " in page
    assert 'class="refusal"' not in page and 'name="temperature_c"' in page
    response = client.post(ADMINISTER, _form(bedside, given_at=timezone.now()))
    assert response.status_code == 302
    assert Administration.objects.count() == 1


def test_at_the_planned_time_there_is_no_notice(client_for, ward, nurse):
    _plan_for(ward, _hours_from_now(0))
    page = client_for(nurse).post(ADMINISTER, _scan(ward)).content.decode()
    assert 'class="notice"' not in page and "Planned for " not in page


def test_the_preview_gives_the_planned_time_and_the_notice(ward, nurse):
    planned = _hours_from_now(3)
    _plan_for(ward, planned)
    preview = preview_administration(nurse, **_scan(ward))
    assert preview.planned_time == planned
    assert preview.time_notice.startswith(f"Planned for {planned:%H:%M}; now ")
    assert preview.may_give


def test_the_api_preview_gives_the_planned_time(client_for, ward, nurse):
    _plan_for(ward, dt.time(9, 15))
    body = client_for(nurse).get(PREVIEW, _scan(ward)).json()
    assert (body["planned_day"], body["planned_time"]) == (1, "09:15")
    assert body["planned_on"] == ward.plan.admission_date.isoformat()
    assert "time_notice" in body and body["may_give"] is True
