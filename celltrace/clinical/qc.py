"""QC acceptance of a product lot and the conditions for releasing it to a patient.

A numeric test passes when its value lies within the specification's limits (both
inclusive); its verdict is computed, never typed in. A pass/fail test takes the
verdict as recorded. A lot is released only by a second person (four-eyes principle)
when the latest result of every test the product's specification lists has passed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from celltrace.clinical import numbers

IN_PROCESS = "in_process"


@dataclass(frozen=True, slots=True)
class Spec:
    """One release test of a product with its acceptance criterion."""

    test: str
    label: str
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""

    @property
    def is_pass_fail(self) -> bool:
        return self.minimum is None and self.maximum is None

    def describe(self) -> str:
        """Return the acceptance criterion in words."""
        if self.is_pass_fail:
            return "pass"
        number = numbers.cells if numbers.is_cell_unit(self.unit) else numbers.plain
        unit = f" {self.unit}" if self.unit else ""
        if self.maximum is None:
            return f"≥ {number(self.minimum)}{unit}"
        if self.minimum is None:
            return f"≤ {number(self.maximum)}{unit}"
        return f"{number(self.minimum)} to {number(self.maximum)}{unit}"


@dataclass(frozen=True, slots=True)
class Result:
    """One recorded QC result of a lot."""

    test: str
    passed: bool
    tested_at: datetime


def assess(spec: Spec, *, value: float | None = None, passed: bool | None = None) -> bool:
    """Return whether a result meets the specification.

    Raise ValueError when the result is of the wrong kind: a numeric test needs a value
    and no typed-in verdict, a pass/fail test needs a verdict and no value.
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
    if value is None or not math.isfinite(value):
        raise ValueError(f"{spec.label} needs a measured value.")
    if spec.minimum is not None and value < spec.minimum:
        return False
    return not (spec.maximum is not None and value > spec.maximum)


def latest_results(results: Iterable[Result]) -> dict[str, Result]:
    """Return the latest result of each test; later in the input wins a tie."""
    latest: dict[str, Result] = {}
    for result in sorted(results, key=lambda r: r.tested_at):
        latest[result.test] = result
    return latest


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
    blockers = []
    if status != IN_PROCESS:
        blockers.append(f"The lot is {status.replace('_', ' ')}, not in process.")
    if expired:
        blockers.append("The lot has expired.")
    if reviewer_id is not None and (reviewer_id == made_by_id or reviewer_id in set(worked_by_ids)):
        blockers.append(
            "A lot must be released by someone who did not make it or record its steps."
        )
    specs = list(specs)
    if not specs:
        blockers.append("The product has no QC specification; nothing shows the lot is safe.")
    latest = latest_results(results)
    for spec in specs:
        result = latest.get(spec.test)
        if result is None:
            blockers.append(f"{spec.label}: no result yet.")
        elif not result.passed:
            blockers.append(f"{spec.label}: the latest result failed ({spec.describe()} needed).")
    return blockers
