"""Discharge rules: nobody leaves with loose ends unless a doctor writes down why.

Three things ask for a written reason, each stored on the stay and shown to the follow-up
team: an adverse event still open (it is carried to follow-up), a planned dose not given,
and a discharge before the plan's discharge date. Refusing outright would keep a patient
who wants to go home, or must go to a hospital, on the ward; discharging silently would
lose the event or the dose. A reason is the clinic's way between the two.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DischargeFacts:
    discharge_day: date
    planned_discharge_day: date
    # Labels of the stay's open adverse events, e.g. "Fever (grade 1, recovering)".
    open_events: Sequence[str]
    # Labels of the planned doses not given, e.g. "MSC by intravenous (day 2)".
    missed_doses: Sequence[str]


@dataclass(frozen=True)
class DischargeReasons:
    open_events: str = ""
    missed_doses: str = ""
    early_discharge: str = ""


def discharge_problems(facts: DischargeFacts, reasons: DischargeReasons) -> dict[str, str]:
    """Return a message per reason field the discharge needs and lacks (empty: it may go)."""
    problems = {}
    if facts.open_events and not reasons.open_events.strip():
        problems["open_events_reason"] = (
            f"Adverse events still open: {'; '.join(facts.open_events)}. Record their "
            "resolution, or give a reason that carries them to follow-up."
        )
    if facts.missed_doses and not reasons.missed_doses.strip():
        problems["missed_doses_reason"] = (
            f"Planned doses not given: {'; '.join(facts.missed_doses)}. Give them, or say "
            "why they are not given."
        )
    if facts.discharge_day < facts.planned_discharge_day and not reasons.early_discharge.strip():
        problems["early_discharge_reason"] = (
            f"The plan discharges on {facts.planned_discharge_day}: say why the patient "
            "leaves early."
        )
    return problems
