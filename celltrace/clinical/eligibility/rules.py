"""The clinic's contraindication rules, as typed values: what each asks and what it does."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .codes import CodePattern
from .facts import Sex


class Kind(StrEnum):
    """What a met rule does to the decision (DOMAIN section 2)."""

    EXCLUDES = "excludes"
    # Excludes harvesting the patient's own cells, but not treatment with donor products.
    EXCLUDES_HARVEST = "excludes_harvest"
    # Calls for careful assessment: the doctor must justify treating in writing.
    CAUTION = "caution"


class Timing(StrEnum):
    """Which diagnoses on file a diagnosis rule counts, relative to the treatment date."""

    CURRENT = "current"  # started and not resolved by the treatment date
    EVER = "ever"  # any time before the treatment date
    RECENT = "recent"  # started within `within_days` before the treatment date


@dataclass(frozen=True, slots=True)
class DiagnosisTest:
    """Met when a diagnosis on file matches one of `codes` at the given timing."""

    codes: tuple[str, ...]
    timing: Timing
    # A "no" needs a history review no older than this on the treatment date.
    history_max_age_days: int
    within_days: int | None = None

    @property
    def patterns(self) -> tuple[CodePattern, ...]:
        return tuple(CodePattern.parse(code) for code in self.codes)


@dataclass(frozen=True, slots=True)
class ReferenceRange:
    """Bounds for one sex and age band; a missing bound is a direction that does not matter."""

    low: float | None = None
    high: float | None = None
    sex: Sex | None = None  # None: either sex
    min_age_years: int | None = None  # inclusive
    below_age_years: int | None = None  # exclusive

    def applies_to(self, *, sex: Sex | None, age: int | None) -> bool:
        """Say whether this range is the one for a patient of `sex` and `age`."""
        if self.sex is not None and sex != self.sex:
            return False
        if self.min_age_years is not None and (age is None or age < self.min_age_years):
            return False
        return self.below_age_years is None or (age is not None and age < self.below_age_years)

    @property
    def needs_sex(self) -> bool:
        return self.sex is not None

    @property
    def needs_age(self) -> bool:
        return self.min_age_years is not None or self.below_age_years is not None


@dataclass(frozen=True, slots=True)
class LabTest:
    """Met when the latest fresh result lies outside the patient's reference range."""

    analyte: str
    unit: str  # the unit the range bounds are written in
    max_age_days: int  # an older result counts as missing
    ranges: tuple[ReferenceRange, ...]


@dataclass(frozen=True, slots=True)
class AnswerTest:
    """Met when the latest fresh answer to `question` is yes."""

    question: str
    max_age_days: int  # an older answer counts as missing
    # Asked of one sex only (pregnancy): for the other sex the rule is not met.
    only_for_sex: Sex | None = None


@dataclass(frozen=True, slots=True)
class AgeTest:
    """Met when the patient is older than `older_than_years` on the treatment date."""

    older_than_years: int


Test = DiagnosisTest | LabTest | AnswerTest | AgeTest


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    label: str
    kind: Kind
    test: Test


@dataclass(frozen=True, slots=True)
class RuleSet:
    """One version of the clinic's rules; every decision records which version it used."""

    version: int
    rules: tuple[Rule, ...]

    def rule(self, rule_id: str) -> Rule:
        """Return the rule with id `rule_id`."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)
