"""Check the latest fresh lab result against the reference range for the patient's sex and age."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from . import units
from .checks import Check, Record
from .decision import Outcome
from .facts import Fact, LabResult, Person
from .kidney import egfr_ckd_epi_2021
from .rules import LabTest, ReferenceRange

# CKD-EPI 2021 was derived in adults only.
_ADULT = 18


@dataclass(frozen=True, slots=True)
class Measurement:
    """One value in the analyte's canonical unit, measured or derived, with its sources."""

    on: date
    value: Decimal
    facts: tuple[Fact, ...]
    text: str  # how the value is quoted in a reason


def check_lab(test: LabTest, record: Record) -> Check:
    """Compare the latest fresh result; a stale or missing one leaves the rule unknown."""
    gap = _missing_person_data(test, record)
    if gap is not None:
        return gap
    label = units.analyte(test.analyte).label
    needed = _needed(test, record)
    measurements = _measurements(test.analyte, record)
    if not measurements:
        return Check(Outcome.UNKNOWN, f"No result on file for {label}.", (), needed)
    fresh = [m for m in measurements if record.days_before(m.on) <= test.max_age_days]
    if not fresh:
        latest = measurements[-1]
        reason = f"The latest result, {latest.text} on {latest.on}, was taken "
        reason += f"{record.days_before(latest.on)} days before the treatment date; "
        reason += f"{label} results older than {test.max_age_days} days count as missing."
        return Check(Outcome.UNKNOWN, reason, latest.facts, needed)
    # Results from the same latest day that disagree: the out-of-range one wins, to be safe.
    checks = [_compare(test, m, record) for m in fresh if m.on == fresh[-1].on]
    return next((c for c in checks if c.outcome is Outcome.MET), checks[0])


def _missing_person_data(test: LabTest, record: Record) -> Check | None:
    label = units.analyte(test.analyte).label
    if any(band.needs_sex for band in test.ranges) and record.sex[0] is None:
        reason = f"The {label} reference range depends on sex, and no sex is on file."
        return Check(Outcome.UNKNOWN, reason, (), "The patient's sex")
    if any(band.needs_age for band in test.ranges) and record.birth_date[0] is None:
        reason = f"The {label} reference range depends on age, and no date of birth is on file."
        return Check(Outcome.UNKNOWN, reason, (), "The date of birth")
    return None


def _needed(test: LabTest, record: Record) -> str:
    since = record.earliest_fresh(test.max_age_days)
    if test.analyte == "egfr":
        return f"eGFR or creatinine result from a sample taken on or after {since}"
    return f"{units.analyte(test.analyte).label} result from a sample taken on or after {since}"


def _measurements(analyte: str, record: Record) -> list[Measurement]:
    found = [_measured(result) for result in record.labs if result.analyte == analyte]
    if analyte == "egfr":
        found += [_derived_egfr(r, record) for r in record.labs if r.analyte == "creatinine"]
    # Sorted by day; on one day a reported value comes before one derived from creatinine.
    return sorted((m for m in found if m is not None), key=lambda m: m.on)


def _measured(result: LabResult) -> Measurement:
    canonical = units.to_canonical(result.analyte, result.value, result.unit)
    analyte = units.analyte(result.analyte)
    quoted = _quote(canonical, analyte.unit)
    if analyte.factors[units.normalise(result.unit)] != 1:
        quoted = f"{_quote(result.value, result.unit)} ({quoted})"
    text = f"{analyte.label} {quoted}"
    return Measurement(result.on, canonical, (result,), text)


def _derived_egfr(result: LabResult, record: Record) -> Measurement | None:
    (sex, sexed), (_, born) = record.sex, record.birth_date
    age = record.age_of(result.on)
    if sex is None or age is None or age < _ADULT:
        return None
    creatinine = units.to_canonical("creatinine", result.value, result.unit)
    egfr = egfr_ckd_epi_2021(creatinine, sex=sex, age=age)
    text = f"eGFR {_quote(egfr, 'mL/min/1.73m2')} (CKD-EPI 2021 from creatinine "
    text += f"{_quote(result.value, result.unit)}, {sex.value}, {age} y)"
    return Measurement(result.on, egfr, _unique((result, sexed, born)), text)


def _compare(test: LabTest, measurement: Measurement, record: Record) -> Check:
    sex, sexed = record.sex
    age = record.age_of(measurement.on)
    who = ", ".join([*([sex.value] if sex else []), *([f"{age} y"] if age is not None else [])])
    band = next((b for b in test.ranges if b.applies_to(sex=sex, age=age)), None)
    facts = _unique((*measurement.facts, sexed, record.birth_date[1]))
    said = f"{measurement.text} on {measurement.on}"
    if band is None:
        reason = f"{said}: this rule has no reference range for {who or 'this patient'}."
        return Check(Outcome.UNKNOWN, reason, facts, f"A reference range for {who}")
    low, high = _bounds(test, band)
    unit = units.analyte(test.analyte).unit
    reference = f"(reference for {who or 'any patient'})"
    if low is not None and measurement.value < low:
        reason = f"{said} is below {_quote(low, unit)} {reference}."
        return Check(Outcome.MET, reason, facts)
    if high is not None and measurement.value > high:
        reason = f"{said} is above {_quote(high, unit)} {reference}."
        return Check(Outcome.MET, reason, facts)
    reason = f"{said} is {_within(low, high, unit)} {reference}."
    return Check(Outcome.NOT_MET, reason, facts)


def _bounds(test: LabTest, band: ReferenceRange) -> tuple[Decimal | None, Decimal | None]:
    return tuple(  # type: ignore[return-value]
        None if bound is None else units.to_canonical(test.analyte, bound, test.unit)
        for bound in (band.low, band.high)
    )


def _within(low: Decimal | None, high: Decimal | None, unit: str) -> str:
    if low is not None and high is not None:
        return f"within {units.show(low)}-{_quote(high, unit)}"
    if low is not None:
        return f"not below {_quote(low, unit)}"
    return f"not above {_quote(high, unit)}"  # type: ignore[arg-type]


def _quote(value: Decimal | float, unit: str) -> str:
    # An INR is a ratio: "INR 1.1", not "INR 1.1 INR".
    return (
        units.show(value)
        if unit.upper() in {"INR", "RATIO", "1"}
        else f"{units.show(value)} {unit}"
    )


def _unique(facts: tuple[Fact | Person | None, ...]) -> tuple[Fact, ...]:
    kept: list[Fact] = []
    for fact in facts:
        if fact is not None and fact not in kept:
            kept.append(fact)
    return tuple(kept)
