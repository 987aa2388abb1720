"""The demo's instrument forms, filled in from the scores a trajectory asks for.

A trajectory (trajectories.py) says where a patient's score is at a visit; a real patient
answers items, walks, moves pegs and gives blood. Here each target becomes the instrument's
own form data, which the product's instrument then scores (outcomes.actions.record_instrument),
so the stored values carry their item answers and come from the product's scoring:

- questionnaires: each item answered from the target's share of the scale, plus the patient's
  own leaning on that item (kept from visit to visit) and a little noise of the day, so the
  scored value lands near the target and items move together;
- timed tests: two trials (per hand) around the target time;
- eGFR: the serum creatinine that gives the target through the product's CKD-EPI equation,
  at the patient's age and sex on the day (solved with scipy);
- EQ-5D-5L: of a few profiles drawn around the target's severity, the one whose index in the
  clinic's value set is nearest the target, with a VAS to match.
"""

from __future__ import annotations

import random

from scipy.optimize import brentq

from celltrace.clinical.ckd_epi import HIGHEST_MG_DL, LOWEST_MG_DL, CreatinineSample
from celltrace.clinical.ckd_epi import egfr_ckd_epi_2021 as egfr_of
from celltrace.clinical.eligibility.facts import completed_years
from celltrace.clinical.item_scores import item_name
from celltrace.outcomes import instruments
from celltrace.outcomes.instruments.eq5d5l import score as eq5d5l_score
from celltrace.outcomes.instruments.scim3.forms import ITEMS as SCIM3_ITEMS
from celltrace.outcomes.instruments.scim_sr.forms import ITEMS as SCIM_SR_ITEMS
from celltrace.outcomes.instruments.updrs3.forms import ITEMS as UPDRS3_ITEMS
from celltrace.outcomes.instruments.updrs3.forms import item_field

LEANING, NOISE = 0.6, 0.35  # standard deviations, in answer steps
EQ5D5L_DIMENSIONS = ("mobility", "self_care", "usual_activities")
EQ5D5L_DIMENSIONS += ("pain_discomfort", "anxiety_depression")
EQ5D5L_CANDIDATES = 8


class Patient:
    """One patient's answering: their leaning per item, and the day's noise per visit."""

    def __init__(self, key: str, *, born, sex: str):
        self.key, self.born, self.sex = key, born, sex
        self._leanings: dict[str, float] = {}

    def sheets(self, targets: dict[str, float], on) -> dict[str, dict]:
        """The form data of each instrument behind the targets, by instrument code."""
        grouped: dict[str, dict[str, float]] = {}
        for measure, value in targets.items():
            grouped.setdefault(instruments.instrument_of(measure).code, {})[measure] = value
        return {
            code: FILL[code](self, values, random.Random(f"{self.key}/{code}/{on}"), on)
            for code, values in grouped.items()
        }

    def answer(self, item: str, share: float, choices, day) -> int:
        """The item's answer nearest the target share of its scale (0: first choice)."""
        leaning = self._leanings.setdefault(
            item, random.Random(f"{self.key}/{item}").gauss(0, LEANING)
        )
        place = share * (len(choices) - 1) + leaning + day.gauss(0, NOISE)
        return choices[min(len(choices) - 1, max(0, round(place)))]


def _items(patient, prefix, count, share, choices, day) -> dict:
    return {
        item_name(n): patient.answer(f"{prefix}{n}", share, choices, day)
        for n in range(1, count + 1)
    }


def _msis29(patient, values, day, _on) -> dict:
    physical = _items(patient, "msis", 20, values["msis29_physical"] / 100, range(1, 6), day)
    share = values["msis29_psychological"] / 100
    psychological = {
        item_name(n): patient.answer(f"msis{n}", share, range(1, 6), day) for n in range(21, 30)
    }
    return physical | psychological


def _pdq39(patient, values, day, _on) -> dict:
    return _items(patient, "pdq", 39, values["pdq39"] / 100, range(5), day)


def _scim3(patient, values, day, _on) -> dict:
    share = values["scim3"] / 100
    return {
        name: patient.answer(f"scim_{name}", share, [score for score, _ in choices], day)
        for name, (_label, choices) in SCIM3_ITEMS.items()
    }


def _scim_sr(patient, values, day, _on) -> dict:
    """The patient's own SCIM answers lean as the clinician's ratings of them do."""
    share = values["scim_sr"] / 100
    return {
        name: patient.answer(f"scim_{name}", share, [score for score, _ in choices], day)
        for name, (_label, choices) in SCIM_SR_ITEMS.items()
    }


def _updrs3(patient, values, day, _on) -> dict:
    """Examined ON medication, as a clinic's check-up usually is; the same state each visit."""
    share = values["updrs3"] / 132
    items = {
        item_field(number): patient.answer(f"updrs_{number}", share, range(5), day)
        for number, _label in UPDRS3_ITEMS
    }
    return items | {"medication_state": "on"}


def _eq5d5l(patient, values, day, _on) -> dict:
    target = values["eq5d5l"]
    severity = (1 - target) / 0.9  # about 0 for full health, 1 for the worst states
    candidates = []
    for n in range(EQ5D5L_CANDIDATES):
        levels = {
            name: patient.answer(f"eq_{name}", severity, range(1, 6), day)
            if n == 0
            else min(5, max(1, round(1 + 4 * severity + day.gauss(0, 0.8))))
            for name in EQ5D5L_DIMENSIONS
        }
        (scored,) = eq5d5l_score(levels | {"vas": None})
        candidates.append((abs(scored.value - target), n, levels))
    _gap, _n, levels = min(candidates)
    vas = round(100 * (0.35 + 0.6 * target) + day.gauss(0, 5))
    return levels | {"vas": min(100, max(0, vas))}


def _trials(day, target: float, spread: float = 0.06) -> tuple[float, float]:
    """Two trials whose mean is the target, to the tenth of a second."""
    first = round(target * (1 + day.uniform(-spread, spread)), 1)
    return first, round(max(0.1, 2 * target - first), 1)


def _t25fw(_patient, values, day, _on) -> dict:
    first, second = _trials(day, values["t25fw"])
    device = "none" if values["t25fw"] < 8 else "cane"
    return {"trial_1": first, "trial_2": second, "assistive_device": device}


def _nhpt(_patient, values, day, _on) -> dict:
    """Dominant hand a little faster; the hands' harmonic mean is the target."""
    target = values["nhpt"]
    dominant = target * 0.92
    other = 1 / (2 / target - 1 / dominant)
    dominant_1, dominant_2 = _trials(day, dominant)
    other_1, other_2 = _trials(day, other)
    return {
        "dominant_hand": "right",
        "dominant_1": dominant_1,
        "dominant_2": dominant_2,
        "non_dominant_1": other_1,
        "non_dominant_2": other_2,
    }


def _egfr(patient, values, _day, on) -> dict:
    """The creatinine (mg/dL, two decimals as labs report it) behind the target eGFR."""
    age = completed_years(patient.born, on)

    def gap(creatinine: float) -> float:
        return egfr_of(CreatinineSample(creatinine, age, patient.sex)) - values["egfr"]

    creatinine = brentq(gap, LOWEST_MG_DL, HIGHEST_MG_DL)
    return {"creatinine": round(max(LOWEST_MG_DL, creatinine), 2), "creatinine_unit": "mg_dl"}


def _sdmt(_patient, values, _day, _on) -> dict:
    return {"sdmt": round(values["sdmt"]), "version": "oral"}  # one version for every visit


def _one(field: str, whole: bool = False):
    def fill(_patient, values, _day, _on) -> dict:
        value = values[field]
        return {field: round(value) if whole else value}

    return fill


FILL = {
    "msis29": _msis29,
    "pdq39": _pdq39,
    "scim3": _scim3,
    "scim_sr": _scim_sr,
    "updrs3": _updrs3,
    "eq5d5l": _eq5d5l,
    "t25fw": _t25fw,
    "nhpt": _nhpt,
    "egfr": _egfr,
    "pain": _one("pain", whole=True),
    "sdmt": _sdmt,
    "hba1c": _one("hba1c"),
    "uacr": _one("uacr"),
}
