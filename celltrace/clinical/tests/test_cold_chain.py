from datetime import date, datetime, timedelta

import pytest

from celltrace.clinical.cold_chain import (
    LN2_VAPOUR,
    Limits,
    StorageConsent,
    consent_problem,
    excursion,
    limit_problems,
    period_ending,
    post_thaw_expiry,
    reading_problem,
    silence_alarm,
)

T0 = datetime(2030, 3, 1, 9, 0)
HOUR = timedelta(hours=1)


@pytest.mark.parametrize("celsius", [-190.0, -170.0, -150.0])
def test_a_reading_within_the_limits_inclusive_is_no_excursion(celsius):
    assert excursion(celsius, LN2_VAPOUR) == ""


def test_a_reading_below_the_lower_limit_is_an_excursion():
    assert excursion(-195.0, LN2_VAPOUR) == "-195 °C is below the limit of -190 °C."


def test_a_reading_just_above_the_upper_limit_is_an_excursion_without_damage():
    assert excursion(-149.0, LN2_VAPOUR) == "-149 °C is above the limit of -150 °C."


def test_a_reading_above_the_glass_transition_warns_of_damaged_cells():
    assert "cells may be damaged" in excursion(-120.0, LN2_VAPOUR)


def test_limits_are_configurable_per_container():
    freezer = Limits(min_c=-90.0, max_c=-65.0, interval=HOUR)
    assert excursion(-80.0, freezer) == ""
    assert excursion(-80.0, LN2_VAPOUR) != ""


@pytest.mark.parametrize("celsius", [float("nan"), float("inf"), -300.0, 100.0])
def test_an_impossible_temperature_is_refused(celsius):
    assert reading_problem(celsius)


def test_a_plausible_temperature_is_accepted():
    assert reading_problem(-180.0) == ""


def test_limits_must_be_ordered_and_the_interval_positive():
    assert limit_problems(-150.0, -190.0, HOUR) == {
        "max_c": "The upper limit must be above the lower one."
    }
    assert "interval_minutes" in limit_problems(-190.0, -150.0, timedelta(0))
    assert "min_c" in limit_problems(float("nan"), -150.0, HOUR)
    assert limit_problems(-190.0, -150.0, HOUR) == {}


def test_no_alarm_while_the_last_reading_is_within_the_interval():
    assert silence_alarm(T0, watched_since=T0, interval=HOUR, now=T0 + HOUR) == ""


def test_an_alarm_when_no_reading_came_for_more_than_the_interval():
    alarm = silence_alarm(T0, watched_since=T0, interval=HOUR, now=T0 + HOUR + timedelta(minutes=1))
    assert alarm.startswith("No reading for 61 minutes")


def test_a_container_never_read_alarms_one_interval_after_it_was_put_in_service():
    assert silence_alarm(None, watched_since=T0, interval=HOUR, now=T0 + HOUR) == ""
    assert silence_alarm(None, watched_since=T0, interval=HOUR, now=T0 + 2 * HOUR).startswith(
        "No reading recorded yet"
    )


def test_a_thawed_product_expires_after_its_window():
    assert post_thaw_expiry(T0, timedelta(hours=4), T0 + timedelta(days=30)) == T0 + 4 * HOUR


def test_a_thaw_never_extends_the_original_expiry():
    assert post_thaw_expiry(T0, timedelta(hours=4), T0 + HOUR) == T0 + HOUR


TODAY = date(2030, 3, 1)


def test_a_valid_consent_allows_storage():
    consent = StorageConsent(given_on=TODAY, storage_until=TODAY)
    assert consent_problem(consent, TODAY) == ""


@pytest.mark.parametrize(
    ("consent", "reason"),
    [
        (None, "no storage consent"),
        (StorageConsent(TODAY, date(2031, 1, 1), withdrawn=True), "withdrew"),
        (StorageConsent(date(2030, 3, 2), date(2031, 1, 1)), "starts on 2030-03-02"),
        (StorageConsent(date(2029, 1, 1), date(2030, 2, 28)), "ended on 2030-02-28"),
    ],
)
def test_storage_is_refused_without_a_valid_consent(consent, reason):
    assert reason in consent_problem(consent, TODAY)


def test_a_period_ending_within_30_days_is_listed():
    assert period_ending(TODAY + timedelta(days=30), TODAY)
    assert period_ending(TODAY - timedelta(days=1), TODAY)
    assert not period_ending(TODAY + timedelta(days=31), TODAY)
