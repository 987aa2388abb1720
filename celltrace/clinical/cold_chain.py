"""The cold chain of a cryostore: temperature limits, excursions, silent sensors, thaw expiry.

Framework-free: the cryostore app turns its containers and readings into these values.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

# Cryopreserved cells stay stable below the glass transition of water, about -132 °C; above
# it ice recrystallises and damages them (FACT-JACIE; AABB Standards for Cellular Therapy).
CELL_DAMAGE_ABOVE_C = -132.0
# A reading outside these bounds is a typing or sensor error, not a temperature.
PLAUSIBLE_C = (-273.15, 60.0)


@dataclass(frozen=True)
class Limits:
    """The accepted range of a freezer or tank, and how often a reading is expected."""

    min_c: float
    max_c: float
    interval: timedelta


# Defaults a new container starts with; each container's limits can be changed.
# LN2 vapour phase: about -190 to -150 °C. An ultra-low mechanical freezer runs near -80 °C.
LN2_VAPOUR = Limits(min_c=-190.0, max_c=-150.0, interval=timedelta(hours=1))
ULTRA_LOW_FREEZER = Limits(min_c=-90.0, max_c=-65.0, interval=timedelta(hours=1))


def limit_problems(min_c: float, max_c: float, interval: timedelta) -> dict[str, str]:
    """Return a message per inconsistent limit (empty when the limits are usable)."""
    problems = {}
    low, high = PLAUSIBLE_C
    for field, value in (("min_c", min_c), ("max_c", max_c)):
        if not math.isfinite(value) or not low <= value <= high:
            problems[field] = f"A temperature between {low} and {high} °C."
    if not problems and min_c >= max_c:
        problems["max_c"] = "The upper limit must be above the lower one."
    if interval <= timedelta(0):
        problems["interval_minutes"] = "The expected interval must be above 0 minutes."
    return problems


def reading_problem(celsius: float) -> str:
    """Refuse an impossible temperature ("" when it is plausible)."""
    low, high = PLAUSIBLE_C
    if not math.isfinite(celsius) or not low <= celsius <= high:
        return f"A temperature must lie between {low} and {high} °C."
    return ""


def excursion(celsius: float, limits: Limits) -> str:
    """Describe a reading outside the limits ("" when it lies within them)."""
    if limits.min_c <= celsius <= limits.max_c:
        return ""
    side = "below" if celsius < limits.min_c else "above"
    bound = limits.min_c if side == "below" else limits.max_c
    message = f"{celsius:g} °C is {side} the limit of {bound:g} °C."
    if celsius > CELL_DAMAGE_ABOVE_C:
        message += f" Above {CELL_DAMAGE_ABOVE_C:g} °C stored cells may be damaged."
    return message


def next_reading_due(
    last_reading_at: datetime | None, *, watched_since: datetime, interval: timedelta
) -> datetime:
    """Return when the next reading is due: a container never read, one interval after it
    was put in service (`watched_since`)."""
    return (last_reading_at or watched_since) + interval


def silence_alarm(
    last_reading_at: datetime | None, *, watched_since: datetime, interval: timedelta, now: datetime
) -> str:
    """Describe a sensor gone silent: no reading for more than the interval ("" otherwise)."""
    due = next_reading_due(last_reading_at, watched_since=watched_since, interval=interval)
    if now <= due:
        return ""
    minutes = int(interval.total_seconds() // 60)
    if last_reading_at is None:
        return f"No reading recorded yet; one was expected every {minutes} minutes."
    silent = int((now - last_reading_at).total_seconds() // 60)
    return (
        f"No reading for {silent} minutes (last {last_reading_at:%Y-%m-%d %H:%M}); "
        f"one is expected every {minutes} minutes."
    )


def post_thaw_expiry(thawed_at: datetime, window: timedelta, expires_at: datetime) -> datetime:
    """A thawed product is used within its window, never after its original expiry."""
    return min(thawed_at + window, expires_at)


# The cryostore lists storage periods ending within this many days, so the clinic can ask the
# patient to renew the consent or plan the disposal in time.
PERIOD_ENDING_WITHIN_DAYS = 30


@dataclass(frozen=True)
class StorageConsent:
    given_on: date
    storage_until: date
    withdrawn: bool = False


def consent_problem(consent: StorageConsent | None, today: date) -> str:
    """Say why a patient's cells may not be stored today ("" when the consent allows it)."""
    if consent is None:
        return "The patient has no storage consent on record."
    if consent.withdrawn:
        return "The patient withdrew the storage consent."
    if consent.given_on > today:
        return f"The storage consent starts on {consent.given_on:%Y-%m-%d}."
    if consent.storage_until < today:
        return f"The agreed storage period ended on {consent.storage_until:%Y-%m-%d}."
    return ""


def period_ending(storage_until: date, today: date) -> bool:
    """Tell whether an agreed storage period has ended or ends within 30 days."""
    return storage_until <= today + timedelta(days=PERIOD_ENDING_WITHIN_DAYS)
