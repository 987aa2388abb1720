"""Donor eligibility of allogeneic cells and tissue (21 CFR 1271.45-1271.85).

A donor's lots stay in quarantine until a responsible person determines the donor eligible
or ineligible (1271.45, 1271.60). The determination rests on the relevant communicable
disease tests (1271.85): a donor may be determined eligible only when every required test
has a non-reactive result on a specimen taken within seven days of the recovery
(1271.80(b)); any reactive result makes the donor ineligible. Which tests are required is
catalog data: HTLV-I/II and CMV only for products of viable leukocyte-rich cells (1271.85(b)).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

ELIGIBLE = "eligible"
INELIGIBLE = "ineligible"
PENDING = "pending"

# 21 CFR 1271.80(b): the specimen is collected at the time of recovery or up to 7 days before
# or after it.
SPECIMEN_WINDOW = timedelta(days=7)

QUARANTINE_LABEL = "quarantine: donor determination pending"
SEGREGATED_LABEL = "INELIGIBLE DONOR — segregated"


@dataclass(frozen=True, slots=True)
class DonorTest:
    """One communicable disease test of the catalog."""

    code: str
    label: str
    leukocyte_rich_only: bool = False


@dataclass(frozen=True, slots=True)
class TestResult:
    """One recorded result of a donor's specimen."""

    __test__ = False  # not a pytest test class

    test: str
    reactive: bool
    specimen_date: date


@dataclass(frozen=True, slots=True)
class Assessment:
    """What the donor's results say, test by test, against the required panel."""

    reactive: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    out_of_window: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        if self.reactive:
            return "reactive"
        if self.missing or self.out_of_window:
            return "incomplete"
        return "complete"

    @property
    def may_be_eligible(self) -> bool:
        return self.status == "complete"

    def problems(self) -> list[str]:
        """Say in words why the donor may not be determined eligible (empty when they may)."""
        lines = []
        if self.reactive:
            lines.append("Reactive: " + ", ".join(self.reactive) + ".")
        if self.missing:
            lines.append("No result yet: " + ", ".join(self.missing) + ".")
        if self.out_of_window:
            lines.append(
                "Specimen not taken within 7 days of the recovery: "
                + ", ".join(self.out_of_window)
                + "."
            )
        return lines


def required_tests(tests: Iterable[DonorTest], *, leukocyte_rich: bool) -> list[DonorTest]:
    """Return the tests a donor needs for a product (leukocyte-rich or not)."""
    return [t for t in tests if leukocyte_rich or not t.leukocyte_rich_only]


def assess(
    required: Iterable[DonorTest], results: Iterable[TestResult], *, recovered_on: date
) -> Assessment:
    """Compare the donor's results with the required tests.

    A reactive result counts whatever its date and is never outweighed by a later
    non-reactive one: a retest does not make a reactive donor eligible.
    """
    results = list(results)
    reactive, missing, out_of_window = [], [], []
    for test in required:
        own = [r for r in results if r.test == test.code]
        if any(r.reactive for r in own):
            reactive.append(test.label)
        elif not own:
            missing.append(test.label)
        elif not any(abs(r.specimen_date - recovered_on) <= SPECIMEN_WINDOW for r in own):
            out_of_window.append(test.label)
    # A reactive result of a test outside the product's panel still speaks against the donor.
    labels = {t.code for t in required}
    reactive += sorted({r.test for r in results if r.reactive and r.test not in labels})
    return Assessment(tuple(reactive), tuple(missing), tuple(out_of_window))


def determination_problems(assessment: Assessment, decision: str, *, reason: str) -> list[str]:
    """Return why this determination may not be recorded (empty when it may).

    Eligible needs every required test present and non-reactive. Ineligible may always be
    determined (a reactive test, or the medical history and risk factors), with a reason.
    """
    if decision == ELIGIBLE:
        return assessment.problems()
    if decision == INELIGIBLE:
        return [] if reason.strip() else ["Say why the donor is ineligible."]
    return [f"{decision!r} is not a determination: eligible or ineligible."]


def lot_state(*, autologous: bool, has_donor: bool, determination: str) -> str:
    """Return "" (free to use), "quarantine" or "segregated" for a lot."""
    if autologous or not has_donor:
        return ""
    if determination == INELIGIBLE:
        return "segregated"
    if determination == ELIGIBLE:
        return ""
    return "quarantine"


def lot_blockers(
    *,
    autologous: bool,
    has_donor: bool,
    determination: str,
    assessment: Assessment | None = None,
) -> list[str]:
    """Return why the donor stops a lot's release (or its use); empty when nothing does.

    An allogeneic lot needs a donor record; an eligible determination made on a panel without
    the leukocyte-rich tests does not cover a leukocyte-rich product (pass its `assessment`).
    """
    if autologous:
        return []
    if not has_donor:
        return ["The lot has no donor record: register the donor and link the lot."]
    state = lot_state(autologous=False, has_donor=True, determination=determination)
    if state == "segregated":
        return [f"{SEGREGATED_LABEL}: the donor was determined ineligible."]
    if state == "quarantine":
        return [f"In {QUARANTINE_LABEL}."]
    if assessment is not None and not assessment.may_be_eligible:
        return ["The donor's tests do not cover this product: " + " ".join(assessment.problems())]
    return []
