"""Home care: the plan's items become dated doses; missed, confirmed and reminded by date."""

import datetime as dt
from dataclasses import replace

from celltrace.clinical import home_care
from celltrace.clinical.dosing import DoseLimit, plan_cumulative_problems
from celltrace.clinical.home_care import HomeCareItem

DISCHARGE = dt.date(2026, 3, 8)


def _spray(**fields) -> HomeCareItem:
    values = {
        "what": "Exosome nasal spray",
        "route": "nasal",
        "every_days": 3,
        "weeks": 5,
        "instructions": "One puff in each nostril in the morning.",
        "product_code": "exo-home",
        "dose_per_kg": 1.0e9,
    }
    return HomeCareItem(**{**values, **fields})


def test_doses_count_from_the_discharge_day_every_n_days_to_the_last_week():
    doses = home_care.schedule([_spray()], DISCHARGE)
    assert doses[0].day == dt.date(2026, 3, 11)
    assert doses[-1].day == DISCHARGE + dt.timedelta(days=33)  # 35 days: the last multiple of 3
    assert [(d.number, d.of) for d in doses[:2]] == [(1, 11), (2, 11)]
    assert home_care.dose_count(3, 5) == 11


def test_a_weekly_item_gives_one_dose_a_week_and_nothing_is_scheduled_without_items():
    doses = home_care.schedule([_spray(every_days=7)], DISCHARGE)
    assert [d.day for d in doses] == [DISCHARGE + dt.timedelta(weeks=w) for w in range(1, 6)]
    assert home_care.schedule([], DISCHARGE) == []


def test_two_items_are_merged_in_date_order():
    pills = _spray(
        what="Vitamin D", product_code=None, dose_per_kg=None, route="oral", every_days=1
    )
    days = [d.day for d in home_care.schedule([_spray(), pills], DISCHARGE)]
    assert days == sorted(days) and len(days) == 11 + 35


def test_home_care_longer_than_five_weeks_needs_the_doctors_reason():
    assert "weeks" in home_care.check_item(_spray(weeks=6))
    assert home_care.check_item(_spray(weeks=6), longer_reason="Slow recovery after SCI.") == {}
    assert "weeks" in home_care.check_item(_spray(weeks=13), longer_reason="Any reason.")


def test_only_home_routes_and_a_plain_instruction_are_accepted():
    errors = home_care.check_item(_spray(route="intrathecal", instructions=" "))
    assert set(errors) == {"route", "instructions"}


def test_medication_guidance_has_no_dose_per_kg_and_a_product_needs_one():
    guidance = _spray(what="Paracetamol 500 mg if fever", product_code=None, dose_per_kg=None)
    assert home_care.check_item(guidance) == {}
    assert "dose_per_kg" in home_care.check_item(_spray(dose_per_kg=None))
    assert "dose_per_kg" in home_care.check_item(replace(guidance, dose_per_kg=1.0))


def test_home_doses_count_towards_the_products_course_ceiling():
    limit = DoseLimit("exo-home", "nasal", 5.0e9, 5.0e9, 15.0e9, unit="particles")
    stay_days = 7
    ok = home_care.course_doses(_spray(), stay_days=stay_days)  # 11 x 1e9
    assert ok[0].day_of_stay == 10
    assert plan_cumulative_problems(ok, {("exo-home", "nasal"): limit}) == {}
    too_much = home_care.course_doses(_spray(dose_per_kg=2.0e9), stay_days=stay_days)
    problems = plan_cumulative_problems(too_much, {("exo-home", "nasal"): limit})
    assert min(problems) == 7  # the 8th dose takes the course over 15e9
    assert home_care.course_doses(_spray(product_code=None), stay_days=stay_days) == []


def test_a_dose_is_confirmed_on_its_day_or_later_and_skipped_at_most_two_days_ahead():
    today = dt.date(2026, 3, 11)
    assert home_care.confirm_problems(today, today) == []
    assert home_care.confirm_problems(today - dt.timedelta(days=4), today) == []
    assert home_care.confirm_problems(today + dt.timedelta(days=1), today)
    assert home_care.skip_problems(today + dt.timedelta(days=2), today, "Travelling.") == []
    assert home_care.skip_problems(today + dt.timedelta(days=3), today, "Travelling.")
    assert home_care.skip_problems(today, today, "  ") == [
        "Tell your care team why the dose was not taken."
    ]


def test_a_dose_is_missed_only_after_the_end_of_the_next_day():
    day = dt.date(2026, 3, 11)
    assert not home_care.is_missed(day, day + dt.timedelta(days=1), answered=False)
    assert home_care.is_missed(day, day + dt.timedelta(days=2), answered=False)
    assert not home_care.is_missed(day, day + dt.timedelta(days=9), answered=True)


def test_the_reminder_is_due_from_the_evening_before_to_the_dose_day():
    afternoon = dt.datetime(2026, 3, 10, 17, 59)
    evening = dt.datetime(2026, 3, 10, 18, 0)
    assert home_care.reminder_days(afternoon) == (dt.date(2026, 3, 10), dt.date(2026, 3, 10))
    assert home_care.reminder_days(evening) == (dt.date(2026, 3, 10), dt.date(2026, 3, 11))
