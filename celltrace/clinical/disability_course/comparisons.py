"""Compare one visit's score with a reference visit's, in the measure's direction."""

from __future__ import annotations

from .measures import minimum_change
from .settings import Settings


class Comparisons:
    """Score comparisons over one patient's visits (pymsprog's is_event())."""

    __slots__ = ("v", "deltas", "thr", "n", "sign", "settings")

    def __init__(self, settings: Settings, values, deltas, thresholds) -> None:
        self.settings = settings
        self.v = values
        self.deltas = deltas
        self.thr = thresholds
        self.n = len(values)
        # Scores are compared as gains in the worsening direction: sign * (x - reference).
        self.sign = settings.sign

    def is_worse(self, x: int, b: int) -> bool:
        """Tell whether visit x is a meaningful worsening from visit b."""
        return self.sign * (self.v[x] - self.v[b]) >= self.thr[b]

    def is_event(self, x: int, b: int, kind: str, *, sub_threshold: bool = False) -> bool:
        """Tell whether visit x is a worsening ('wors') or improvement ('impr') from b."""
        gain = self.sign * (self.v[x] - self.v[b])
        if sub_threshold:
            return gain > 0 if kind == "wors" else gain < 0
        return gain >= self.thr[b] if kind == "wors" else gain <= -self.thr[b]

    def changed(self, x: int, b: int, *, sub_threshold: bool) -> bool:
        """Tell whether visit x differs from b (meaningfully, unless sub_threshold)."""
        if sub_threshold:
            return self.v[x] != self.v[b]
        return abs(self.v[x] - self.v[b]) >= self.thr[b]

    def confirmed(self, change: int, first: int, b: int, kind: str, *, sub_threshold=False):
        """Tell whether the change holds at the confirmation visit (and all before it)."""
        if not self.is_event(change, b, kind, sub_threshold=sub_threshold):
            return False
        if not self.settings.check_intermediate:
            return self.is_event(first, b, kind, sub_threshold=sub_threshold)
        return self._first_failing(change + 1, first + 1, b, kind, sub_threshold) is None

    def first_not(self, start: int, b: int, kind: str) -> int | None:
        """Return the first visit from `start` on at which the change no longer holds."""
        return self._first_failing(start, self.n, b, kind, False)

    def _first_failing(self, start: int, stop: int, b: int, kind: str, sub: bool) -> int | None:
        """Return the first visit in start:stop that is not an event from b (is_event, inlined)."""
        v, sign, ref = self.v, self.sign, self.v[b]
        limit = 0 if sub else self.thr[b]
        for x in range(start, stop):
            gain = sign * (v[x] - ref)
            if kind == "wors":
                holds = gain > 0 if sub else gain >= limit
            else:
                holds = gain < 0 if sub else gain <= -limit
            if not holds:
                return x
        return None

    def is_extremum(self, i: int) -> bool:
        """Tell whether visit i is a local extremum that may not serve as a reference."""
        v, n = self.v, self.n
        before = i if i == 0 else i - 1
        after = i if i == n - 1 else i + 1
        strict = self.settings.skip_local_extrema == "all"
        peak = self.is_event(before, i, "wors", sub_threshold=strict) and self.is_event(
            after, i, "wors", sub_threshold=strict
        )
        dip = self.is_event(before, i, "impr", sub_threshold=strict) and self.is_event(
            after, i, "impr", sub_threshold=strict
        )
        # An undulating course (same score two visits back) is not an extremum.
        two_back = -1 if i <= 1 else v[i - 2]
        return (peak or dip) and v[i] != two_back

    def last_delta(self, change: int, first: int, kind: str) -> int:
        """Return the last visit before the change at a meaningful distance from it."""
        skip = self.settings.skip_local_extrema != "none"
        ref = change
        # pymsprog never looks at the first visit here and falls back to it.
        while ref > 1:
            ref -= 1
            if skip and self.is_extremum(ref):
                continue
            if self.confirmed(change, first, ref, kind):
                return ref
        return 0

    def raise_score(self, i: int, value: float) -> None:
        """Replace visit i's score, as bl_geq does to a baseline below the previous one."""
        self.v[i] = value
        if self.settings.delta_follows_value:
            self.deltas[i] = value
            s = self.settings
            self.thr[i] = minimum_change(s.outcome, value, s.delta_fun)
