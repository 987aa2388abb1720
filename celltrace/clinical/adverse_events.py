"""Adverse events that tell the truth: coded, linked to what may have caused them, followed to
their end, and final once resolved.

Plain rules, no database: the stays app turns its records into these arguments.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

# The relatedness values that say the treatment may have caused the event (WHO-UMC scale).
RELATED = frozenset({"possible", "probable", "definite"})
# An event ends with one of these outcomes, and only then has a resolution time.
RESOLVED_OUTCOMES = frozenset({"recovered", "sequelae", "fatal"})
OPEN_OUTCOMES = frozenset({"recovering", "not_recovered", "unknown"})


def is_open(*, outcome: str, resolved_at: datetime | None) -> bool:
    """An event is open while it has no resolution time and its outcome is not an end."""
    return resolved_at is None and outcome in OPEN_OUTCOMES


def is_final(*, outcome: str, resolved_at: datetime | None) -> bool:
    """A resolved event (time and outcome both say so) is final: later news is a new event."""
    return resolved_at is not None and outcome in RESOLVED_OUTCOMES


def resolution_problems(
    *, outcome: str, onset_at: datetime, resolved_at: datetime | None, now: datetime
) -> dict[str, str]:
    """Return a message per field where the outcome, the onset and the resolution disagree."""
    if onset_at > now:
        return {"onset_at": "The onset is in the future."}
    if resolved_at is None:
        if outcome in RESOLVED_OUTCOMES:
            return {"resolved_at": "Give the time the event resolved: the outcome says it ended."}
        return {}
    if outcome not in RESOLVED_OUTCOMES:
        return {
            "outcome": "A resolved event's outcome is recovered, recovered with sequelae or fatal."
        }
    if resolved_at < onset_at:
        return {"resolved_at": "The resolution is before the onset."}
    if resolved_at > now:
        return {"resolved_at": "The resolution time is in the future."}
    return {}


def link_problems(
    *,
    relatedness: str,
    onset_at: datetime,
    stay_has_administrations: bool,
    administration_given_at: datetime | None,
) -> dict[str, str]:
    """A related event names the administration it may come from, given before the onset."""
    if relatedness not in RELATED:
        return {}
    if administration_given_at is None:
        if stay_has_administrations:
            return {
                "administration_id": (
                    "The event may be related to the treatment: name the administration "
                    "(and so the lot) it may come from."
                )
            }
        return {}
    if onset_at < administration_given_at:
        return {
            "administration_id": (
                "The event began before this administration: it cannot have caused it."
            )
        }
    return {}


def raises_lot_hold(*, serious: bool, relatedness: str, has_lot: bool) -> bool:
    """A serious event that may come from a lot stops that lot and its siblings."""
    return serious and relatedness in RELATED and has_lot


@dataclass(frozen=True)
class EarlierHold:
    """A hold the same event already raised on the same lot: the grade it was raised at."""

    grade: int
    open: bool


def lot_hold_due(
    *, serious: bool, relatedness: str, grade: int, has_lot: bool, earlier: Sequence[EarlierHold]
) -> bool:
    """Tell whether the event must raise a new hold on its current lot.

    `earlier` are the holds this event raised on that lot. A lot the event now points at
    (first report, or a doctor re-linking it to another administration) is held unless a hold
    from this event is still open on it. Once a doctor cleared it, the review covered the
    event as it was; only a worse grade than at every earlier hold calls for a new review.
    """
    if not raises_lot_hold(serious=serious, relatedness=relatedness, has_lot=has_lot):
        return False
    if any(hold.open for hold in earlier):
        return False
    return all(grade > hold.grade for hold in earlier)
