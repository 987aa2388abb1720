"""The day of the stay is the site's day, not the server's: a site may be hours ahead or behind.

Kiritimati is UTC+14 and Pago Pago UTC-11; the test server runs on its configured zone
(UTC). A dose planned for day 2 is given on the site's day 2, whatever the server's date.
"""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from celltrace.accounts.models import User
from celltrace.care.letter import discharge_letter
from celltrace.clinical.follow_up import follow_up_schedule
from celltrace.followup.models import FollowUpItem
from celltrace.plans.models import PlannedHomeCare
from celltrace.refusal import Refused
from celltrace.screening.models import Screening
from celltrace.stays.actions import discharge_patient, preview_administration, record_administration
from celltrace.stays.board import ward_board
from testkit import PASSWORD
from testkit.journey import make_lot, make_patient, make_plan, make_stay

ADMISSION = dt.date(2026, 3, 10)


def _on_ward(site, zone_name, doctor, nurse, lab_technician, quality_reviewer):
    """A patient admitted at 08:00 site time on ADMISSION, a dose planned for day 2."""
    site.time_zone = zone_name
    site.save()
    zone = zoneinfo.ZoneInfo(zone_name)
    admitted = dt.datetime.combine(ADMISSION, dt.time(8, 0), tzinfo=zone)
    with time_machine.travel(admitted + dt.timedelta(hours=1), tick=False):
        plan = make_plan(make_patient(site), doctor, admission=ADMISSION, day=2)
        stay = make_stay(plan, nurse, admitted_at=admitted)
        Screening.objects.filter(stay=stay).update(decided_at=admitted)
        lot = make_lot(plan, lab_technician, reviewer=quality_reviewer)
    return stay, lot, User.objects.get(pk=nurse.pk), zone


def _give(nurse, stay, lot, at):
    with time_machine.travel(at + dt.timedelta(minutes=5), tick=False):
        return record_administration(
            nurse,
            patient_code=stay.patient.code,
            lot_code=lot.code,
            dose_per_kg=1.0e6,
            route="intravenous",
            given_at=at,
            temperature_c=36.8,
            heart_rate=72,
            systolic_bp=120,
            diastolic_bp=80,
            spo2=98,
        )


def _server_day(moment):
    return timezone.localdate(moment, timezone.get_default_timezone())


@pytest.fixture
def kiritimati(catalog, site, doctor, nurse, lab_technician, quality_reviewer):
    return _on_ward(site, "Pacific/Kiritimati", doctor, nurse, lab_technician, quality_reviewer)


def test_a_day_two_dose_is_given_on_the_sites_day_two_while_the_server_is_still_on_day_one(
    kiritimati,
):
    stay, lot, nurse, zone = kiritimati
    at = dt.datetime.combine(ADMISSION + dt.timedelta(days=1), dt.time(2, 0), tzinfo=zone)
    assert _server_day(at) == ADMISSION  # day 1 on the server's clock
    with time_machine.travel(at, tick=False):
        preview = preview_administration(nurse, patient_code=stay.patient.code, lot_code=lot.code)
    assert preview.may_give, preview.reasons
    assert preview.planned_day == 2
    assert _give(nurse, stay, lot, at).stay == stay


def test_a_day_two_dose_is_refused_on_the_sites_day_one(kiritimati):
    stay, lot, nurse, zone = kiritimati
    at = dt.datetime.combine(ADMISSION, dt.time(22, 0), tzinfo=zone)
    with pytest.raises(Refused, match="day 2"):
        _give(nurse, stay, lot, at)


def test_a_day_two_dose_is_refused_on_the_sites_day_one_while_the_server_is_on_day_two(
    catalog, site, doctor, nurse, lab_technician, quality_reviewer
):
    stay, lot, nurse, zone = _on_ward(
        site, "Pacific/Pago_Pago", doctor, nurse, lab_technician, quality_reviewer
    )
    at = dt.datetime.combine(ADMISSION, dt.time(14, 0), tzinfo=zone)
    assert _server_day(at) == ADMISSION + dt.timedelta(days=1)  # day 2 on the server's clock
    with time_machine.travel(at, tick=False):
        preview = preview_administration(nurse, patient_code=stay.patient.code, lot_code=lot.code)
    assert not preview.may_give
    with pytest.raises(Refused, match="day 2"):
        _give(nurse, stay, lot, at)


def test_the_discharge_day_and_the_letter_count_the_sites_days(kiritimati, doctor):
    """On the planned discharge day at the site, not early; home care counts from that day,
    the check-ups from the site's day of the first administration (day 2, the server's day 1)."""
    stay, lot, nurse, zone = kiritimati
    day_two = dt.datetime.combine(ADMISSION + dt.timedelta(days=1), dt.time(2, 0), tzinfo=zone)
    _give(nurse, stay, lot, day_two)
    planned_day = stay.plan.discharge_date
    PlannedHomeCare.objects.create(
        plan=stay.plan, medication="Vitamin D", route="oral", every_days=7, weeks=1,
        instructions="One tablet.",
    )  # fmt: skip
    leaving = dt.datetime.combine(planned_day, dt.time(9, 0), tzinfo=zone)
    assert _server_day(leaving) == planned_day - dt.timedelta(days=1)
    with time_machine.travel(leaving + dt.timedelta(minutes=5), tick=False):
        discharge_patient(
            stay, doctor, password=PASSWORD, discharged_at=leaving
        )  # no early-discharge reason
    due = sorted(FollowUpItem.objects.filter(stay=stay).values_list("due_date", flat=True))
    given_on = ADMISSION + dt.timedelta(days=1)
    assert due == sorted(item.due_date for item in follow_up_schedule(planned_day, given_on))
    assert stay.home_doses.get().day == planned_day + dt.timedelta(days=7)
    stay.refresh_from_db()
    assert [g.day_of_stay for g in discharge_letter(stay).given] == [2]


def test_the_ward_board_starts_on_the_sites_today(kiritimati, site):
    _stay, _lot, _nurse, zone = kiritimati
    at = dt.datetime.combine(ADMISSION + dt.timedelta(days=1), dt.time(2, 0), tzinfo=zone)
    with time_machine.travel(at, tick=False):
        assert ward_board(site).days[0] == ADMISSION + dt.timedelta(days=1)
