"""QC acceptance of a product lot and the conditions for releasing it to a patient.

A numeric test passes when its value lies within the specification's limits (both
inclusive); its verdict is computed, never typed in. A pass/fail test takes the
verdict as recorded. An impossible value (a percentage above 100, a negative count, not a
number) is an error, never a result. A lot is released only by a second person (four-eyes
principle) when every test the product's specification lists has passed, and every failed
result was invalidated by an investigation that found an assignable laboratory error: a
failed result is never overwritten by a later passing one (see docs/clinical/qc-release.md).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from celltrace.clinical import numbers

IN_PROCESS = "in_process"

# What a test's value measures, from its unit: a percentage lies within 0-100; counts and
# concentrations (cells, EU/mL, particles) are never negative.
PERCENTAGE = "percentage"
AMOUNT = "amount"

# Test states on a lot.
PASSED = "passed"
FAILED = "failed"
MISSING = "missing"
PENDING = "pending"  # may be released before the result (short shelf life, Ph. Eur. 2.6.27)


def quantity_kind(unit: str) -> str:
    """Return what a value in `unit` measures: a percentage, or an amount never below 0."""
    return PERCENTAGE if unit.strip().startswith("%") else AMOUNT


@dataclass(frozen=True, slots=True)
class Spec:
    """One release test of a product with its acceptance criterion."""

    test: str
    label: str
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    method: str = ""
    # The lot may be released while this test's result is awaited (sterility by a rapid
    # method for products that expire before a compendial culture ends).
    release_before_result: bool = False
    # Endotoxin: the limit is K/M for the lot's patient; `maximum` is then a fixed ceiling.
    limit_from_dose: bool = False

    @property
    def is_pass_fail(self) -> bool:
        return self.minimum is None and self.maximum is None and not self.limit_from_dose

    def describe(self) -> str:
        """Return the acceptance criterion in words."""
        if self.is_pass_fail:
            return "pass"
        if self.limit_from_dose:
            ceiling = f", at most {numbers.plain(self.maximum)}" if self.maximum is not None else ""
            return f"≤ K/M for the patient's route, weight and volume{ceiling} {self.unit}".strip()
        number = numbers.cells if numbers.is_cell_unit(self.unit) else numbers.plain
        unit = f" {self.unit}" if self.unit else ""
        if self.maximum is None:
            return f"≥ {number(self.minimum)}{unit}"
        if self.minimum is None:
            return f"≤ {number(self.maximum)}{unit}"
        return f"{number(self.minimum)} to {number(self.maximum)}{unit}"


def implausibility(spec: Spec, value: float) -> str:
    """Return why `value` cannot be a result of this test ("" when it can)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return f"{spec.label}: {value!r} is not a measured value."
    if value < 0:
        return f"{spec.label}: {numbers.plain(value)} is impossible; it cannot be negative."
    if quantity_kind(spec.unit) == PERCENTAGE and value > 100:
        return f"{spec.label}: {numbers.plain(value)} % is impossible; a percentage lies in 0-100."
    return ""


def assess(spec: Spec, *, value: float | None = None, passed: bool | None = None) -> bool:
    """Return whether a result meets the specification.

    Raise ValueError when the result is of the wrong kind (a numeric test needs a value and
    no typed-in verdict, a pass/fail test needs a verdict and no value) or impossible.
    """
    if spec.is_pass_fail:
        if value is not None:
            raise ValueError(f"{spec.label} is a pass/fail test: record pass or fail, not a value.")
        if passed is None:
            raise ValueError(f"{spec.label} is a pass/fail test: record pass or fail.")
        return passed
    if passed is not None:
        raise ValueError(
            f"{spec.label} is judged from its measured value; record the value, "
            "the verdict is computed."
        )
    if value is None:
        raise ValueError(f"{spec.label} needs a measured value.")
    if problem := implausibility(spec, value):
        raise ValueError(problem)
    if spec.limit_from_dose and spec.maximum is None:
        raise ValueError(f"{spec.label}: no limit is known for this lot.")
    if spec.minimum is not None and value < spec.minimum:
        return False
    return not (spec.maximum is not None and value > spec.maximum)


@dataclass(frozen=True, slots=True)
class Result:
    """One recorded QC result of a lot, with what investigations concluded about it."""

    test: str
    passed: bool
    tested_at: datetime
    # A closed investigation found an assignable laboratory error: the result does not count.
    invalidated: bool = False
    # An investigation about this failure is open.
    under_investigation: bool = False
    # A closed investigation confirmed the failure: the lot is out of specification.
    confirmed: bool = False


@dataclass(frozen=True, slots=True)
class QCState:
    spec: Spec
    state: str  # PASSED, FAILED, MISSING or PENDING
    problem: str = ""  # why a failed or missing test blocks release


def _state(spec: Spec, results: list[Result]) -> QCState:
    failures = [r for r in results if not r.passed and not r.invalidated]
    if any(r.confirmed for r in failures):
        return QCState(spec, FAILED, f"{spec.label}: out of specification (confirmed).")
    if any(r.under_investigation for r in failures):
        return QCState(spec, FAILED, f"{spec.label}: a failed result is under investigation.")
    if failures:
        return QCState(
            spec,
            FAILED,
            f"{spec.label}: a result failed ({spec.describe()} needed); "
            "only an investigation can lead to a retest.",
        )
    if any(r.passed for r in results):
        return QCState(spec, PASSED)
    if spec.release_before_result:
        return QCState(spec, PENDING)
    return QCState(spec, MISSING, f"{spec.label}: no result yet.")


def qc_states(specs: Iterable[Spec], results: Iterable[Result]) -> list[QCState]:
    """Return the state of each test: every failed result counts until invalidated."""
    results = list(results)
    return [_state(spec, [r for r in results if r.test == spec.test]) for spec in specs]


def qc_blockers(specs: Iterable[Spec], results: Iterable[Result]) -> list[str]:
    """Return why the lot's QC does not allow release (empty: every test passed or may wait)."""
    specs = list(specs)
    if not specs:
        return ["The product has no QC specification; nothing shows the lot is safe."]
    return [s.problem for s in qc_states(specs, results) if s.problem]


def lot_blockers(
    *,
    made_by_id: int,
    reviewer_id: int | None,
    status: str,
    worked_by_ids: Iterable[int] = (),
    expired: bool = False,
) -> list[str]:
    """Return why the lot may not be released whatever its QC says."""
    blockers = []
    if status != IN_PROCESS:
        blockers.append(f"The lot is {status.replace('_', ' ')}, not in process.")
    if expired:
        blockers.append("The lot has expired.")
    if reviewer_id is not None and (reviewer_id == made_by_id or reviewer_id in set(worked_by_ids)):
        blockers.append(
            "A lot must be released by someone who did not make it or record its steps."
        )
    return blockers


def release_blockers(
    specs: Iterable[Spec],
    results: Iterable[Result],
    *,
    made_by_id: int,
    reviewer_id: int | None,
    status: str,
    worked_by_ids: Iterable[int] = (),
    expired: bool = False,
) -> list[str]:
    """Return every reason the lot may not be released; an empty list means it may.

    `worked_by_ids` are the people who recorded the lot's steps; with `made_by_id` they
    may not release it. A `reviewer_id` of None leaves the reviewer out of the check.
    """
    return lot_blockers(
        made_by_id=made_by_id,
        reviewer_id=reviewer_id,
        status=status,
        worked_by_ids=worked_by_ids,
        expired=expired,
    ) + qc_blockers(specs, results)


def exceptional_release_problems(specs: Iterable[Spec], results: Iterable[Result]) -> list[str]:
    """Return why the QC does not call for an exceptional release (empty: it does).

    An exceptional release is for a lot that was tested and failed: a test without a result
    still blocks it, and a lot that failed nothing is released the ordinary way.
    """
    states = qc_states(specs, results)
    problems = [s.problem for s in states if s.state == MISSING]
    if not any(s.state == FAILED for s in states):
        problems.append("No test failed: release the lot the ordinary way.")
    return problems


# Endotoxin tolerance K (Ph. Eur. 5.1.10, USP <85>): EU per kg body weight in one hour.
ENDOTOXIN_K_PARENTERAL = 5.0
ENDOTOXIN_K_INTRATHECAL = 0.2
INTRATHECAL = "intrathecal"
PARENTERAL_ROUTES = frozenset({"intravenous", "local", "intramuscular", "subcutaneous"})


def endotoxin_k(route: str) -> float:
    """Return the threshold pyrogenic dose K for a route, in EU/kg."""
    if route == INTRATHECAL:
        return ENDOTOXIN_K_INTRATHECAL
    if route in PARENTERAL_ROUTES:
        return ENDOTOXIN_K_PARENTERAL
    raise ValueError(f"No endotoxin tolerance is known for the route {route!r}.")


def endotoxin_limit(*, route: str, weight_kg: float, volume_ml: float) -> float:
    """Return the endotoxin limit K/M in EU/mL when `volume_ml` is given within one hour.

    M, the dose per kg in one hour, is volume_ml / weight_kg (mL/kg), so the limit is
    K x weight / volume: 3 mL intrathecal for 60 kg is 0.2 / 0.05 = 4 EU/mL.
    """
    for name, value in (("weight", weight_kg), ("volume", volume_ml)):
        if not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
            raise ValueError(f"The endotoxin limit needs the patient's {name}, above 0.")
    return endotoxin_k(route) * weight_kg / volume_ml
