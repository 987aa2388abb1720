"""A product's manufacturing process as data: which step may come next, and why not.

Each product defines its steps in order (harvest or donor tissue, separation, cultivation
with its passages, activation, formulation, fill, cryopreservation). A lot follows them in
that order: an optional step may be left out, a required one may not, cultivation repeats
once per passage up to the number of passages allowed, and nothing follows the last step.
See docs/clinical/lab-process.md (EU GMP Part IV 6.7; FACT-JACIE D5: written procedures
followed in order, each step recorded with operator, time, equipment and reagent lots).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

CULTIVATION = "cultivation"

DONE, NEXT, PENDING, SKIPPED = "done", "next", "pending", "skipped"


@dataclass(frozen=True, slots=True)
class StepDefinition:
    step: str
    label: str
    required: bool = True
    # Cultivation only: passages normally made, and the most the product allows.
    passages_expected: int = 0
    passages_allowed: int = 0
    # For cultivation: per passage.
    typical_hours: float = 0.0

    @property
    def repeats(self) -> bool:
        return self.step == CULTIVATION


@dataclass(frozen=True, slots=True)
class NextStep:
    step: str
    label: str
    passage: int | None = None

    @property
    def title(self) -> str:
        return f"{self.label}, passage {self.passage}" if self.passage else self.label


@dataclass(frozen=True, slots=True)
class StepRefusal:
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class StepState:
    definition: StepDefinition
    state: str
    passages_done: int = 0


def _last_index(defined: Sequence[StepDefinition], recorded: Sequence[str]) -> int:
    """The position of the furthest defined step recorded so far (-1: none)."""
    positions = {d.step: i for i, d in enumerate(defined)}
    return max((positions[s] for s in recorded if s in positions), default=-1)


def passages_done(recorded: Sequence[str]) -> int:
    return sum(1 for s in recorded if s == CULTIVATION)


def next_steps(defined: Sequence[StepDefinition], recorded: Sequence[str]) -> list[NextStep]:
    """The steps that may be recorded now, given the steps recorded so far in order."""
    last = _last_index(defined, recorded)
    allowed = []
    if last >= 0 and defined[last].repeats:
        done = passages_done(recorded)
        if done < defined[last].passages_allowed:
            allowed.append(NextStep(CULTIVATION, defined[last].label, done + 1))
    for definition in defined[last + 1 :]:
        passage = 1 if definition.repeats else None
        allowed.append(NextStep(definition.step, definition.label, passage))
        if definition.required:
            break
    return allowed


def refusal(
    defined: Sequence[StepDefinition],
    recorded: Sequence[str],
    step: str,
    *,
    passage: int | None = None,
    product: str = "the product",
) -> StepRefusal | None:
    """Why `step` may not be recorded next (None: it may).

    A cultivation's `passage`, when given, must be the next one; None takes the next one.
    """
    by_step = {d.step: (i, d) for i, d in enumerate(defined)}
    if step not in by_step:
        return StepRefusal("not_a_step", f"{step!r} is not a step of {product}.")
    allowed = {n.step: n for n in next_steps(defined, recorded)}
    if step in allowed:
        expected = allowed[step].passage
        if expected is not None and passage is not None and passage != expected:
            return StepRefusal(
                "wrong_passage", f"This cultivation is passage {expected}, not {passage}."
            )
        return None
    index, definition = by_step[step]
    last = _last_index(defined, recorded)
    if definition.repeats and index == last:
        return StepRefusal(
            "beyond_passages",
            f"{product} allows {definition.passages_allowed} passages; "
            f"{passages_done(recorded)} are recorded.",
        )
    if last == len(defined) - 1 and not defined[last].repeats:
        return StepRefusal(
            "process_ended", f"The process ended with {defined[last].label.lower()}."
        )
    if index == last:
        return StepRefusal("already_done", f"{definition.label} is recorded already.")
    if index <= last:
        return StepRefusal(
            "out_of_order",
            f"{definition.label} comes before {defined[last].label.lower()}, "
            "which is recorded already.",
        )
    missing = next(d for d in defined[last + 1 : index] if d.required)
    return StepRefusal(
        "skipped_required",
        f"{missing.label} is required before {definition.label.lower()}.",
    )


def progress(defined: Sequence[StepDefinition], recorded: Sequence[str]) -> list[StepState]:
    """Each defined step as done, next (may be recorded now), skipped or pending."""
    last = _last_index(defined, recorded)
    done_steps = set(recorded)
    following = {n.step for n in next_steps(defined, recorded)}
    rows = []
    for index, definition in enumerate(defined):
        passages = passages_done(recorded) if definition.repeats else 0
        if definition.step in following:
            state = NEXT
        elif definition.step in done_steps:
            state = DONE
        elif index < last:
            state = SKIPPED
        else:
            state = PENDING
        rows.append(StepState(definition, state, passages))
    return rows


def ended(defined: Sequence[StepDefinition], recorded: Sequence[str]) -> bool:
    return bool(defined) and not next_steps(defined, recorded)


def hours_left(defined: Sequence[StepDefinition], recorded: Sequence[str]) -> float:
    """Typical hours the required steps still ahead take (cultivation: the passages left)."""
    last = _last_index(defined, recorded)
    total = 0.0
    for index, definition in enumerate(defined):
        if definition.repeats and index <= last:
            left = max(definition.passages_expected - passages_done(recorded), 0)
            total += left * definition.typical_hours
        elif index > last and definition.required:
            count = max(definition.passages_expected, 1) if definition.repeats else 1
            total += count * definition.typical_hours
    return total


# Reagent lots


@dataclass(frozen=True, slots=True)
class ReagentLot:
    name: str
    lot_number: str
    expires_on: dt.date


def reagent_problems(reagents: Sequence[ReagentLot], *, used_on: dt.date) -> list[str]:
    """Why these reagent lots may not be used on that day (empty: they may)."""
    problems = []
    for reagent in reagents:
        if not reagent.name.strip() or not reagent.lot_number.strip():
            problems.append("Each reagent needs its name and lot number.")
        elif reagent.expires_on < used_on:
            problems.append(
                f"{reagent.name} lot {reagent.lot_number} expired on {reagent.expires_on}."
            )
    return problems


def parse_reagents(text: str) -> list[ReagentLot]:
    """Read reagent lots written one a line as `name; lot number; YYYY-MM-DD`."""
    reagents = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(";")]
        if len(parts) != 3:
            raise ValueError(f"Line {number}: write name; lot number; expiry (YYYY-MM-DD).")
        try:
            expires = dt.date.fromisoformat(parts[2])
        except ValueError:
            raise ValueError(f"Line {number}: {parts[2]!r} is not a date (YYYY-MM-DD).") from None
        reagents.append(ReagentLot(parts[0], parts[1], expires))
    return reagents
