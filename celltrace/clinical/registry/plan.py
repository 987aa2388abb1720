"""The analysis plan: what a report holds and how it is computed, fixed before it is run.

A plan is data (celltrace/outcomes/analysis_plans/v<N>.json, locked in the database when
published). Its sha256 is taken over a canonical JSON form (sorted keys, no spaces,
UTF-8), so the same plan always prints the same hash and any edit gives a new one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from celltrace.clinical.registry import rules


class PlanError(ValueError):
    """The plan is not well formed; the message names the part."""


def canonical_json(content: dict) -> bytes:
    """Return the plan's canonical bytes: the input of its sha256."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def plan_sha256(content: dict) -> str:
    return hashlib.sha256(canonical_json(content)).hexdigest()


@dataclass(frozen=True, slots=True)
class TimePoint:
    """A visit after the first administration, with the days that count as in window."""

    name: str  # e.g. "6 months": the same in JSON and CSV
    target_day: int
    first_day: int
    last_day: int

    def holds(self, day: int) -> bool:
        return self.first_day <= day <= self.last_day


@dataclass(frozen=True, slots=True)
class Mcid:
    """The smallest change that matters, as data with its source.

    kind "absolute": `improvement`/`worsening` in the instrument's units;
    kind "relative": fractions of the baseline value (0.2 = 20 %);
    kind "disability_course": the disability-course engine's minimum change from the
    baseline (EDSS, T25FW, 9HPT, SDMT: one definition for every screen);
    kind "none": no established threshold; changes are described, never classified.
    """

    kind: str
    improvement: float | None
    worsening: float | None
    text: str
    source: str


@dataclass(frozen=True, slots=True)
class InstrumentPlan:
    code: str
    label: str
    unit: str
    lower_is_better: bool
    mcid: Mcid


@dataclass(frozen=True, slots=True)
class ConditionPlan:
    code: str
    outcomes: tuple[str, ...]  # instrument codes, all reported whichever way they point
    time_to_event: tuple[str, ...]  # e.g. "confirmed_disability_worsening"
    subgroups: tuple[str, ...]  # pre-specified only: "product", "route", "sex", "age_band"
    benchmarks: tuple[str, ...]  # keys of AnalysisPlan.benchmarks


@dataclass(frozen=True, slots=True)
class AnalysisPlan:
    version: str
    sha256: str
    baseline_first_day: int  # the baseline is the last value from this day to day 0
    timepoints: tuple[TimePoint, ...]
    small_cell: int  # below this n a cell shows counts only
    completeness_flag: float  # completeness under this is flagged (CIBMTR: 0.9)
    instruments: MappingProxyType  # code -> InstrumentPlan
    conditions: MappingProxyType  # code -> ConditionPlan
    benchmarks: MappingProxyType  # name -> the benchmark's data, as written in the plan
    safety_claims: tuple[dict[str, Any], ...]
    content: MappingProxyType  # the plan as written

    def condition(self, code: str) -> ConditionPlan:
        try:
            return self.conditions[code]
        except KeyError:
            raise PlanError(
                f"The analysis plan {self.version} has no condition {code!r}."
            ) from None

    def timepoint_of(self, day: int) -> TimePoint | None:
        """The time point whose window holds `day` after the first administration, if any."""
        return next((tp for tp in self.timepoints if tp.holds(day)), None)


def load_plan(content: dict) -> AnalysisPlan:
    """Read a plan written as data; PlanError names the first part that is wrong."""
    try:
        timepoints = tuple(
            TimePoint(tp["name"], int(tp["target_day"]), *map(int, tp["window_days"]))
            for tp in content["timepoints"]
        )
        instruments = {
            code: InstrumentPlan(
                code,
                spec["label"],
                spec.get("unit", ""),
                bool(spec["lower_is_better"]),
                Mcid(
                    spec["mcid"]["kind"],
                    spec["mcid"].get("improvement"),
                    spec["mcid"].get("worsening"),
                    spec["mcid"]["text"],
                    spec["mcid"]["source"],
                ),
            )
            for code, spec in content["instruments"].items()
        }
        conditions = {
            code: ConditionPlan(
                code,
                tuple(spec["outcomes"]),
                tuple(spec.get("time_to_event", ())),
                tuple(spec.get("subgroups", ())),
                tuple(spec.get("benchmarks", ())),
            )
            for code, spec in content["conditions"].items()
        }
        plan = AnalysisPlan(
            version=str(content["version"]),
            sha256=plan_sha256(content),
            baseline_first_day=int(content["baseline_window_days"][0]),
            timepoints=timepoints,
            small_cell=int(content["small_cell"]),
            completeness_flag=float(content["completeness_flag"]),
            instruments=MappingProxyType(instruments),
            conditions=MappingProxyType(conditions),
            benchmarks=MappingProxyType(dict(content.get("benchmarks", {}))),
            safety_claims=tuple(content.get("safety_claims", ())),
            content=MappingProxyType(content),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise PlanError(f"The analysis plan is not well formed: {error!r}.") from None
    _check(plan)
    _check_rules(plan)
    return plan


def _check_rules(plan: AnalysisPlan) -> None:
    """Refuse a plan that would loosen a rule of the report (rules.py holds them)."""
    if plan.small_cell < rules.SMALL_CELL:
        raise PlanError(
            f"small_cell {plan.small_cell} is below the rule's {rules.SMALL_CELL}: a plan "
            "may raise the small-cell threshold, never lower it."
        )
    if plan.completeness_flag < rules.COMPLETENESS_FLAG:
        raise PlanError(
            f"completeness_flag {plan.completeness_flag} is below the rule's "
            f"{rules.COMPLETENESS_FLAG}: a plan may raise the flag, never lower it."
        )
    if plan.content.get("design") != rules.DESIGN:
        raise PlanError(f"The design must read {rules.DESIGN!r}.")
    limitations = plan.content.get("limitations")
    if not isinstance(limitations, list):
        raise PlanError("The limitations must be a list holding the fixed limitations.")
    for text in rules.LIMITATIONS:
        if text not in limitations:
            raise PlanError(f"The fixed limitation {text!r} is missing from the plan.")


def _check(plan: AnalysisPlan) -> None:
    days = sorted((tp.first_day, tp.last_day, tp.name) for tp in plan.timepoints)
    for first, last, name in days:
        if not 0 < first <= last:
            raise PlanError(f"The window of {name} must start after day 0 and not end before.")
    for (_, last, name), (first, _, following) in zip(days, days[1:], strict=False):
        if first <= last:
            raise PlanError(f"The windows of {name} and {following} overlap.")
    for condition in plan.conditions.values():
        for code in condition.outcomes:
            if code not in plan.instruments:
                raise PlanError(f"{condition.code}: outcome {code!r} is not an instrument.")
        for name in condition.benchmarks:
            if name not in plan.benchmarks:
                raise PlanError(f"{condition.code}: benchmark {name!r} is not in the plan.")
    for instrument in plan.instruments.values():
        if instrument.mcid.kind not in ("absolute", "relative", "disability_course", "none"):
            raise PlanError(f"{instrument.code}: unknown MCID kind {instrument.mcid.kind!r}.")


def check_successor(previous: AnalysisPlan, new: AnalysisPlan) -> None:
    """Refuse a new version that drops what the previous one promised to report.

    REPORT.md: outcomes and time points come from the locked plan and all are reported,
    whichever way they point. A later version may add outcomes and time points but never
    drop one (that would hide a result after seeing it), and an MCID changed between
    versions must be said in the plan's "changes" note, so the reader is told.
    """
    for code, condition in previous.conditions.items():
        kept = new.conditions.get(code)
        dropped = [o for o in condition.outcomes if kept is None or o not in kept.outcomes]
        if dropped:
            raise PlanError(
                f"{code}: outcome {dropped[0]!r} of plan {previous.version} is dropped; a new "
                "version may add outcomes, never drop one."
            )
    names = {tp.name for tp in new.timepoints}
    for timepoint in previous.timepoints:
        if timepoint.name not in names:
            raise PlanError(
                f"Time point {timepoint.name!r} of plan {previous.version} is dropped; a new "
                "version may add time points, never drop one."
            )
    changed = [
        code
        for code, instrument in previous.instruments.items()
        if code in new.instruments and new.instruments[code].mcid != instrument.mcid
    ]
    note = new.content.get("changes")
    if changed and not (isinstance(note, str) and note.strip()):
        raise PlanError(
            f"The MCID of {', '.join(changed)} differs from plan {previous.version}: say so "
            'in the plan\'s "changes" note.'
        )
