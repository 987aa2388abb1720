"""The daily doctor check-up: when a round is due, and what a round's record must hold.

The clinic promises a doctor sees every patient on the ward every day (DOMAIN section 5);
a stay without a round on the site's local today is flagged until a doctor records one.
"""

import math
from collections.abc import Iterable
from datetime import date, datetime

PAIN_NRS_MAX = 10


def needs_round_today(*, is_open: bool, round_days: Iterable[date], today: date) -> bool:
    """Tell whether an open stay has no round recorded on `today` (the site's local date)."""
    return is_open and today not in set(round_days)


def pain_problem(pain_nrs) -> str:
    """Return why a pain score is not a 0-10 numeric rating ("" when it is one)."""
    whole = isinstance(pain_nrs, int) and not isinstance(pain_nrs, bool)
    if isinstance(pain_nrs, float) and math.isfinite(pain_nrs) and pain_nrs.is_integer():
        whole = True
    if not whole or not 0 <= pain_nrs <= PAIN_NRS_MAX:
        return f"Pain is a whole number from 0 (no pain) to {PAIN_NRS_MAX} (worst imaginable)."
    return ""


def taken_at_problem(taken_at: datetime, *, admitted_at: datetime, now: datetime) -> str:
    """Return why a round cannot have been taken at this time ("" when it can)."""
    if taken_at > now:
        return "The round time is in the future."
    if taken_at < admitted_at:
        return "The round time is before the admission."
    return ""
