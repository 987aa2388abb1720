"""How often adverse events follow an administration, with the uncertainty the numbers carry.

The unit is the administration: "Fever: 3 of 150 administrations" counts administrations
followed by at least one fever, so it is a proportion and takes the same 95 % Wilson score
interval as the outcome report's responders (registry.stats.wilson_ci95, statsmodels). An
event counts against the administration it names; the stays app attributes an event that
names none to the last administration of its stay before the onset, and leaves out events
before any administration (they cannot be side effects of it). A lot is given once, so the rate per
lot is the share of lots given that were followed by an event.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from celltrace.clinical.numbers import percent
from celltrace.clinical.registry.stats import wilson_ci95


@dataclass(frozen=True)
class Proportion:
    events: int
    n: int
    rate: float | None
    low: float | None
    high: float | None


def wilson_interval(events: int, n: int) -> Proportion:
    """Return events/n with its 95 % Wilson score interval (all None when n is 0)."""
    if not 0 <= events <= n:
        raise ValueError("events must be between 0 and n")
    if n == 0:
        return Proportion(events, 0, None, None, None)
    low, high = wilson_ci95(events, n)
    return Proportion(events, n, events / n, low, high)


@dataclass(frozen=True)
class EventRecord:
    term: str
    grade: int
    administration_id: int
    lot_code: str


@dataclass(frozen=True)
class RateRow:
    label: str
    rate: Proportion

    @property
    def text(self) -> str:
        return describe(self.label, self.rate, unit="administrations")


@dataclass(frozen=True)
class LotRow:
    lot_code: str
    events: int
    terms: tuple[str, ...]
    worst_grade: int


@dataclass(frozen=True)
class EventRates:
    administrations: int
    overall: RateRow
    by_grade: list[RateRow]
    by_term: list[RateRow]
    by_term_and_grade: list[RateRow]
    lots_given: int
    lots_with_events: Proportion
    lots: list[LotRow]

    @property
    def lots_text(self) -> str:
        label = "Lots followed by an adverse event"
        return describe(label, self.lots_with_events, unit="lots given")


def describe(label: str, rate: Proportion, *, unit: str) -> str:
    """Write "Fever: 3 of 150 administrations, 2.0% (95% CI 0.7-5.7%)"."""
    text = f"{label}: {rate.events} of {rate.n} {unit}"
    if rate.rate is None:
        return text
    low, high = percent(rate.low).rstrip("%"), percent(rate.high)
    return f"{text}, {percent(rate.rate)} (95% CI {low}-{high})"


def _row(label: str, events: Iterable[EventRecord], administrations: int) -> RateRow:
    followed = {e.administration_id for e in events}
    return RateRow(label, wilson_interval(len(followed), administrations))


def event_rates(
    events: Sequence[EventRecord], *, administrations: int, lots_given: int
) -> EventRates:
    """Rates per administration overall, per grade, per term and per term and grade."""
    terms = sorted({e.term for e in events})
    grades = sorted({e.grade for e in events})
    by_lot: dict[str, list[EventRecord]] = {}
    for event in events:
        by_lot.setdefault(event.lot_code, []).append(event)
    lots = [
        LotRow(
            code,
            len(rows),
            tuple(sorted({r.term for r in rows})),
            max(r.grade for r in rows),
        )
        for code, rows in sorted(by_lot.items())
    ]
    return EventRates(
        administrations=administrations,
        overall=_row("Any adverse event", events, administrations),
        by_grade=[
            _row(f"CTCAE grade {g}", [e for e in events if e.grade == g], administrations)
            for g in grades
        ],
        by_term=[
            _row(term, [e for e in events if e.term == term], administrations) for term in terms
        ],
        by_term_and_grade=[
            _row(f"{term}, grade {g}", rows, administrations)
            for term in terms
            for g in grades
            if (rows := [e for e in events if e.term == term and e.grade == g])
        ],
        lots_given=lots_given,
        lots_with_events=wilson_interval(len(lots), lots_given),
        lots=lots,
    )
