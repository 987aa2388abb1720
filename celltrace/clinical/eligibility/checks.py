"""Answer one rule's test from the patient's facts, saying why in plain words."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from .decision import Outcome
from .facts import (
    QUESTIONS,
    Answer,
    Diagnosis,
    Fact,
    HistoryReview,
    LabResult,
    Person,
    Sex,
    completed_years,
    describe,
)
from .rules import AgeTest, AnswerTest, DiagnosisTest, Timing


@dataclass(frozen=True, slots=True)
class Check:
    """A test's verdict: the outcome, why, the facts it rests on, and what would settle it."""

    outcome: Outcome
    reason: str
    facts: tuple[Fact, ...] = ()
    needed: str = ""


@dataclass(frozen=True, slots=True)
class Record:
    """The patient's facts as they stood on the planned treatment date."""

    treatment_date: date
    people: tuple[Person, ...]
    diagnoses: tuple[Diagnosis, ...]
    reviews: tuple[HistoryReview, ...]
    labs: tuple[LabResult, ...]
    answers: tuple[Answer, ...]

    @classmethod
    def of(cls, facts: Iterable[Fact], treatment_date: date) -> Record:
        """Sort the facts by type; drop what was dated after the treatment date."""
        # A fact dated after the treatment cannot tell whether it was safe to treat.
        kept = sorted((f for f in facts if f.on <= treatment_date), key=lambda f: f.on)
        return cls(
            treatment_date,
            *(tuple(f for f in kept if isinstance(f, t)) for t in _TYPES),  # type: ignore[arg-type]
        )

    @property
    def sex(self) -> tuple[Sex | None, Person | None]:
        """Return the latest recorded sex and the record it came from."""
        known = [p for p in self.people if p.sex is not None]
        return (known[-1].sex, known[-1]) if known else (None, None)

    @property
    def birth_date(self) -> tuple[date | None, Person | None]:
        """Return the latest recorded date of birth and the record it came from."""
        known = [p for p in self.people if p.birth_date is not None]
        return (known[-1].birth_date, known[-1]) if known else (None, None)

    def age_of(self, day: date) -> int | None:
        born, _ = self.birth_date
        return None if born is None else completed_years(born, day)

    def days_before(self, day: date) -> int:
        """Count the days from `day` to the treatment date."""
        return (self.treatment_date - day).days

    def earliest_fresh(self, max_age_days: int) -> date:
        """Return the oldest date a fact may carry and still count."""
        return self.treatment_date - timedelta(days=max_age_days)


_TYPES = (Person, Diagnosis, HistoryReview, LabResult, Answer)


def check_answer(test: AnswerTest, record: Record) -> Check:
    """Read the latest answer to the question, if it is fresh enough."""
    question = QUESTIONS[test.question]
    not_asked = _not_asked_of(test, record)
    if not_asked is not None:
        return not_asked
    needed = (
        f"An answer to '{question}' given on or after {record.earliest_fresh(test.max_age_days)}"
    )
    answers = [a for a in record.answers if a.question == test.question]
    if not answers:
        return Check(Outcome.UNKNOWN, f"No answer on file to '{question}'.", (), needed)
    last_day = answers[-1].on
    # Two answers on the same day that disagree: the yes wins, as the safer reading.
    latest = max((a for a in answers if a.on == last_day), key=lambda a: a.yes)
    age = record.days_before(latest.on)
    said = f"'{question}' was answered {'yes' if latest.yes else 'no'} on {latest.on}"
    if age > test.max_age_days:
        reason = f"{said}, {age} days before the treatment date; answers older than "
        reason += f"{test.max_age_days} days count as missing."
        return Check(Outcome.UNKNOWN, reason, (latest,), needed)
    outcome = Outcome.MET if latest.yes else Outcome.NOT_MET
    return Check(outcome, f"{said} ({latest.provenance}).", (latest,))


def _not_asked_of(test: AnswerTest, record: Record) -> Check | None:
    sex, person = record.sex
    if test.only_for_sex is None or sex is None or person is None or sex is test.only_for_sex:
        return None
    reason = f"'{QUESTIONS[test.question]}' is asked of {test.only_for_sex.value} patients only; "
    reason += f"the patient is {sex.value} ({person.provenance})."
    return Check(Outcome.NOT_MET, reason, (person,))


def check_age(test: AgeTest, record: Record) -> Check:
    """Compare the age on the treatment date with the rule's limit."""
    born, person = record.birth_date
    if born is None or person is None:
        return Check(Outcome.UNKNOWN, "No date of birth on file.", (), "The date of birth")
    day = record.treatment_date
    years = completed_years(born, day)
    on_birthday = (day.month, day.day) == (born.month, born.day)
    # "Over 70" starts the day after the 70th birthday.
    older = years > test.older_than_years or (years == test.older_than_years and not on_birthday)
    verdict = "older" if older else "not older"
    reason = f"Aged {years} on the treatment date {day} (born {born}, {person.provenance}): "
    reason += f"{verdict} than {test.older_than_years}."
    return Check(Outcome.MET if older else Outcome.NOT_MET, reason, (person,))


def check_diagnosis(test: DiagnosisTest, record: Record) -> Check:
    """Look for a matching diagnosis at the rule's timing; a 'no' needs a fresh review."""
    patterns = test.patterns
    matching = [d for d in record.diagnoses if any(p.matches(d.code) for p in patterns)]
    counted = [d for d in matching if _counts(test, d, record)]
    if counted:
        reason = "; ".join(_why_counted(test, d, record) for d in counted) + "."
        return Check(Outcome.MET, reason, tuple(counted))
    codes = ", ".join(test.codes)
    earliest = record.earliest_fresh(test.history_max_age_days)
    reviews = [r for r in record.reviews if r.on >= earliest]
    if not reviews:
        reason = f"No history review on file since {earliest}, so {codes} cannot be ruled out."
        needed = f"A review of the coded medical history dated on or after {earliest}"
        return Check(Outcome.UNKNOWN, reason, tuple(matching), needed)
    review = reviews[-1]
    reason = (
        f"No diagnosis under {codes} {_timing_words(test)} in the history reviewed on {review.on} "
    )
    reason += f"({review.provenance})"
    ignored = "".join(f"; {_why_not_counted(test, d, record)}" for d in matching)
    return Check(Outcome.NOT_MET, reason + ignored + ".", (review, *matching))


def _counts(test: DiagnosisTest, diagnosis: Diagnosis, record: Record) -> bool:
    if test.timing is Timing.CURRENT:
        return diagnosis.is_current_on(record.treatment_date)
    if test.timing is Timing.RECENT:
        return record.days_before(diagnosis.on) <= test.within_days  # type: ignore[operator]
    return True


def _timing_words(test: DiagnosisTest) -> str:
    if test.timing is Timing.CURRENT:
        return "current on the treatment date"
    if test.timing is Timing.RECENT:
        return f"within {test.within_days} days before the treatment date"
    return "at any time"


def _why_counted(test: DiagnosisTest, diagnosis: Diagnosis, record: Record) -> str:
    name = describe(diagnosis)
    if test.timing is Timing.RECENT:
        days = record.days_before(diagnosis.on)
        return f"{name} is {days} days before the treatment date, within {test.within_days}"
    if test.timing is Timing.CURRENT:
        return f"{name} is not resolved by the treatment date"
    return f"{name} is in the history"


def _why_not_counted(test: DiagnosisTest, diagnosis: Diagnosis, record: Record) -> str:
    name = describe(diagnosis)
    if test.timing is Timing.RECENT:
        days = record.days_before(diagnosis.on)
        return f"{name} is {days} days before the treatment date, outside {test.within_days}"
    return f"{name} resolved on {diagnosis.resolved_on}"
