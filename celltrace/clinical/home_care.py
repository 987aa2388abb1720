"""Home care after the stay: the plan's items become dated doses the patient takes at home.

DOMAIN.md sections 3 and 6: a stay of 5 to 9 days, then up to five weeks of supportive care
at home (exosomes on a schedule, medication guidance). The plan holds each home-care item
(what, by which route, at which dose, every how many days, for how many weeks); on discharge
each becomes one dose per dose day, counted from the discharge day: "every 3 days" is days
3, 6, 9... after it, up to the last day of the last week. Nothing is scheduled that the plan
does not hold.

A dose the patient neither confirmed nor skipped by the end of the day after its date is
missed: the coordinator calls (a day's grace, for a patient who confirms the next morning).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from celltrace.clinical.dosing import DayDose

# Routes a patient uses at home; infusions and injections into the spinal canal or a
# lesion are given at the clinic only.
HOME_ROUTES = ("nasal", "subcutaneous", "oral")
MAX_WEEKS = 5  # DOMAIN.md: up to five weeks of supportive care at home
MAX_WEEKS_WITH_REASON = 12  # longer only with the doctor's written reason, and never open-ended
MAX_EVERY_DAYS = 14
# The patient confirms a dose on its day or later, and may say ahead of time that they will
# skip one (travel, a fever), at most this many days before its date.
SKIP_AHEAD_DAYS = 2
MISSED_AFTER_DAYS = 1  # unconfirmed at the end of the day after its date: missed
REMINDER_TIME = time(18, 0)  # the evening before a dose day, at the site


@dataclass(frozen=True, slots=True)
class HomeCareItem:
    """One item of the plan's home care: what to take, how often and for how long."""

    what: str  # the product's name, or the medication the guidance is about
    route: str
    every_days: int
    weeks: int
    instructions: str
    product_code: str | None = None
    dose_per_kg: float | None = None


@dataclass(frozen=True, slots=True)
class ScheduledDose:
    """One dated dose of a home-care item: dose `number` of `of`."""

    item: HomeCareItem
    day: date
    number: int
    of: int


def dose_offsets(every_days: int, weeks: int) -> list[int]:
    """Return the days after discharge the doses fall on: every `every_days`, for `weeks`."""
    last = weeks * 7
    return list(range(every_days, last + 1, every_days)) if every_days >= 1 else []


def dose_count(every_days: int, weeks: int) -> int:
    return len(dose_offsets(every_days, weeks))


def schedule(items: list[HomeCareItem], discharge_day: date) -> list[ScheduledDose]:
    """Return every home-care dose, dated from the discharge day, in date order."""
    doses = []
    for item in items:
        offsets = dose_offsets(item.every_days, item.weeks)
        doses += [
            ScheduledDose(item, discharge_day + timedelta(days=offset), n, len(offsets))
            for n, offset in enumerate(offsets, start=1)
        ]
    return sorted(doses, key=lambda dose: dose.day)


def check_item(item: HomeCareItem, *, longer_reason: str = "") -> dict[str, str]:
    """Return what is wrong with a home-care item, keyed by field (the dose is checked by the
    product's limits, dosing.check_dose, where a product is given)."""
    errors = {}
    if not item.what.strip():
        errors["product"] = "Choose a product, or name the medication the guidance is about."
    if item.route not in HOME_ROUTES:
        errors["route"] = (
            f"At home a patient takes doses by the {', '.join(HOME_ROUTES)} route; "
            "other routes are given at the clinic."
        )
    if not isinstance(item.every_days, int) or not 1 <= item.every_days <= MAX_EVERY_DAYS:
        errors["every_days"] = f"Give a dose every 1 to {MAX_EVERY_DAYS} days."
    limit = MAX_WEEKS_WITH_REASON if longer_reason.strip() else MAX_WEEKS
    if not isinstance(item.weeks, int) or item.weeks < 1:
        errors["weeks"] = "Home care lasts at least one week."
    elif item.weeks > limit:
        errors["weeks"] = (
            f"Home care lasts at most {MAX_WEEKS} weeks; longer (up to "
            f"{MAX_WEEKS_WITH_REASON}) needs your reason."
        )
    if item.product_code is None and item.dose_per_kg is not None:
        errors["dose_per_kg"] = "A dose per kg is for a catalog product; say the dose in words."
    if item.product_code is not None and (
        item.dose_per_kg is None or not math.isfinite(item.dose_per_kg)
    ):
        errors["dose_per_kg"] = "Give the dose per kg in the product's unit."
    if not item.instructions.strip():
        errors["instructions"] = "Tell the patient in plain words how to take it."
    return errors


def course_doses(item: HomeCareItem, *, stay_days: int) -> list[DayDose]:
    """Return the item's doses as days of the course, after the stay's last day.

    The product's per-day and per-course ceilings (dosing.plan_cumulative_problems) then add
    the doses taken at home to those given at the clinic, of the same product and route.
    """
    if item.product_code is None or item.dose_per_kg is None:
        return []
    return [
        DayDose(item.product_code, item.route, stay_days + offset, item.dose_per_kg)
        for offset in dose_offsets(item.every_days, item.weeks)
    ]


def confirm_problems(day: date, today: date) -> list[str]:
    """Refuse to confirm a dose before its day: a dose is confirmed once taken."""
    if day > today:
        return [f"This dose is for {day:%Y-%m-%d}: confirm it once you have taken it."]
    return []


def skip_problems(day: date, today: date, reason: str) -> list[str]:
    """Refuse a skip without a reason, or announced more than a couple of days ahead."""
    problems = []
    if day > today + timedelta(days=SKIP_AHEAD_DAYS):
        problems.append(
            f"This dose is for {day:%Y-%m-%d}: you can say you skip it at most "
            f"{SKIP_AHEAD_DAYS} days ahead."
        )
    if not reason.strip():
        problems.append("Tell your care team why the dose was not taken.")
    return problems


def is_missed(day: date, today: date, *, answered: bool) -> bool:
    """Tell whether a dose is missed: neither confirmed nor skipped by the end of the next day."""
    return not answered and today > day + timedelta(days=MISSED_AFTER_DAYS)


def reminder_days(now_local: datetime) -> tuple[date, date]:
    """Return the first and last dose days whose reminder is due at this local moment.

    From the evening before a dose day (REMINDER_TIME) to the end of the day itself: a sweep
    that did not run that evening still reminds on the morning of the day, never after.
    """
    today = now_local.date()
    last = today + timedelta(days=1) if now_local.time() >= REMINDER_TIME else today
    return today, last
