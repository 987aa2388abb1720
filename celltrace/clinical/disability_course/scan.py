"""Scan one patient's visits in date order for confirmed disability events.

The scan follows pymsprog's MSprog(): find the first meaningful change from the
baseline, try to confirm it as an improvement, a sub-threshold improvement, a
worsening or a sub-threshold worsening, then move the search (and, with a roving
baseline, the baseline) past it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from .comparisons import Comparisons
from .settings import Settings

# (change visit, kind, baseline visit, last sustained visit, score at change, baseline score)
Found = tuple[int, str, int, int, float, float]


class PatientScan(Comparisons):
    """The state of the event search over one patient's visits."""

    __slots__ = ("s", "days", "event_ok", "confirms", "next_conf", "raw", "blocked", "rel",
                 "bl", "search", "proceed", "irel", "bl_last", "found", "kinds")  # fmt: skip

    def __init__(self, settings: Settings, days, values, deltas, thresholds, flags, rel) -> None:
        super().__init__(settings, values, deltas, thresholds)
        self.s = settings
        self.days = days
        self.event_ok, self.confirms, self.next_conf, self.raw, blocked = flags
        self.rel = rel
        self.blocked = blocked
        self.bl, self.search, self.proceed, self.bl_last = 0, 1, True, None
        self.irel = 0 if not rel else _first_after(rel, days[0], 0)
        self.found: list[Found] = []
        self.kinds: list[str] = []

    def run(self) -> list[Found]:
        """Return the events found, in pymsprog's detection order."""
        while self.proceed:
            self._place_baseline()
            if self._has_next_relapse() and self.bl < self.n:
                self.irel = _first_after(self.rel, self.days[self.bl], self.irel)
            if self.search <= self.bl:
                self.search = self.bl + 1
            if self.bl > self.n - 1:
                self.bl, self.proceed = self.n - 1, False
            elif self.s.bl_geq and self.bl_last is not None and self.bl_last > self.v[self.bl]:
                # Kappos 2020: a new baseline may not fall below the previous one.
                self.raise_score(self.bl, self.bl_last)
            self.bl_last = self.v[self.bl]
            self._step()
            self._rebaseline_after_relapse()
            if self.proceed and self._wanted_event_found():
                self.proceed = False
        return self.found

    def _has_next_relapse(self) -> bool:
        return self.s.relapse_rebl and self.irel is not None and self.irel < len(self.rel)

    def _place_baseline(self) -> None:
        skip = self.s.skip_local_extrema != "none"
        extremum = skip and self.is_extremum(self.bl)
        while self.proceed and (self.blocked[self.bl] or extremum):
            self.bl += 1
            extremum = skip and self.bl < self.n and self.is_extremum(self.bl)
            if self.bl > self.n - 2:
                self.proceed = False

    def _find_change(self, b: int) -> int | None:
        # self.changed(x, b), inlined: this loop visits most of a patient's visits.
        v, ok, ref = self.v, self.event_ok, self.v[b]
        if self.s.sub_threshold_rebl != "none":
            for x in range(self.search, self.n):
                if ok[x] and v[x] != ref:
                    return x
            return None
        threshold = self.thr[b]
        for x in range(self.search, self.n):
            if ok[x] and (v[x] - ref >= threshold or ref - v[x] >= threshold):  # abs(), inlined
                return x
        return None

    def _step(self) -> None:
        b = self.bl
        change = self._find_change(b)
        if change is None:
            self.proceed = False
            return
        if (
            self._has_next_relapse()
            and self.days[change] > self.rel[self.irel] + self.s.relapse_shift
        ):
            # The change lies past the next relapse: re-baseline after the relapse first.
            self.search = change
            return
        earliest = self._earliest_per_window(change)
        first = None
        for e in earliest:
            if e is not None and (first is None or e < first):
                first = e
        if first is not None and self.confirmed(change, first, b, "impr"):
            self._confirm_improvement(b, change, first, earliest)
        elif first is not None and self._sub_threshold(b, change, first, "impr"):
            self._move_reference(first if self.s.from_conf else change, rebaseline=True)
        elif self.is_worse(change, b) and (
            (first is not None and self.confirmed(change, first, b, "wors")) or self._impute(change)
        ):
            self._confirm_worsening(b, change, first, earliest)
        elif first is not None and self._sub_threshold(b, change, first, "wors"):
            self._move_reference(first if self.s.from_conf else change, rebaseline=True)
        else:
            self.search = change + 1

    def _earliest_per_window(self, change: int) -> list[int | None]:
        """Return, for each confirmation period, its earliest usable confirmation visit."""
        days, n, dc = self.days, self.n, self.days[change]
        earliest: list[int | None] = []
        for lo, hi in self.s.windows:
            # The first visit at least `lo` days after the change: a window opens within a
            # visit or two, so a walk beats a bisection through a key function.
            j = change + 1
            while j < n and days[j] - dc < lo:
                j += 1
            k = self.next_conf[j] if j < n else n
            earliest.append(k if k < n and days[k] - dc <= hi else None)
        return earliest

    def _sub_threshold(self, b: int, change: int, first: int, kind: str) -> bool:
        s = self.s
        roving = ("roving", "roving_impr") if kind == "impr" else ("roving", "roving_wors")
        modes = ("event", "improvement") if kind == "impr" else ("event", "worsening")
        if s.baseline not in roving or s.sub_threshold_rebl not in modes:
            return False
        return self.confirmed(change, first, b, kind, sub_threshold=True)

    def _impute(self, change: int) -> bool:
        s = self.s
        if change != self.n - 1 or self.days[change] - self.days[0] > s.impute_max_fu:
            return False
        return s.draw_imputation()

    def _confirm_improvement(self, b: int, change: int, first: int, earliest) -> None:
        end = self.first_not(first + 1, b, "impr")
        valid = self._sustained(b, change, end, "impr")
        if valid:
            self._record(change, "CDI", b, end)
        reference = _first_confirmation(earliest, end)
        if self.s.baseline in ("roving", "roving_impr"):
            self._move_reference(reference if self.s.from_conf else change, rebaseline=True)
        elif valid:
            self._move_reference(reference if self.s.from_conf else change, rebaseline=False)
        else:
            self.search = change + 1

    def _confirm_worsening(self, b: int, change: int, first, earliest) -> None:
        imputed = first is None
        first = change if imputed else first
        end = None if imputed else self.first_not(first + 1, b, "wors")
        include = self._sustained(b, change, end, "wors")
        if include:
            kind = self._worsening_kind(b, change, first, end, imputed=imputed)
            include = kind is not None
            if include:
                self._record(change, kind, b, end)
        reference = None if imputed else _first_confirmation(earliest, end)
        if reference is None:
            self.search = change + 1
        elif self.s.baseline in ("roving", "roving_wors"):
            self._move_reference(reference if self.s.from_conf else change, rebaseline=True)
        elif not include:
            self.search = change + 1
        else:
            self._move_reference(reference if self.s.from_conf else change, rebaseline=False)

    def _sustained(self, b: int, change: int, end: int | None, kind: str) -> bool:
        """Apply require_sust_days: keep a change sustained long enough (or to the end)."""
        need = self.s.require_sust_days
        if not need:
            return True
        days, dc = self.days, self.days[change]
        if self.s.check_intermediate:
            return end is None or days[end] - dc >= need
        if days[self.n - 1] - dc >= need:
            visit = next(x for x in range(change + 1, self.n) if days[x] - dc >= need)
        else:
            visit = self.n - 1
        return self.is_event(visit, b, kind)

    def _worsening_kind(self, b, change, first, end, *, imputed) -> str | None:
        s = self.s
        if not s.rawpira:
            return "CDW"
        fixed = s.baseline in ("fixed", "roving_impr")
        if self.raw[change]:
            return None if (s.event == "firstPIRA" and fixed) else "RAW"
        if s.event == "firstRAW" and fixed:
            return None
        if self._independent_of_relapses(b, change, first, end, imputed=imputed):
            return "PIRA"
        return None if (s.event == "firstPIRA" and fixed) else "CDW"

    def _independent_of_relapses(self, b, change, first, end, *, imputed) -> bool:
        """Tell whether some confirmation visit has no relapse in the PIRA windows."""
        windows = self.s.pira_windows
        prec = self._preceding_visit(b, change, first)
        stop = self.n if end is None else end
        candidates = [first] if imputed else self._confirmation_candidates(change, first, stop)
        for ic in candidates:
            times = (self.days[prec], self.days[change], self.days[ic])
            if not _relapse_within(self.rel, _intervals(times, windows)):
                return True
        return False

    def _preceding_visit(self, b: int, change: int, first: int) -> int:
        prec_type = self.s.prec_type
        if prec_type == "baseline":
            return b
        if prec_type == "last":
            return change - 1
        return self.last_delta(change, first, "wors")

    def _confirmation_candidates(self, change: int, first: int, stop: int):
        days, dc = self.days, self.days[change]
        for x in range(first, stop):
            if self.confirms[x] and any(lo <= days[x] - dc <= hi for lo, hi in self.s.windows):
                yield x

    def _record(self, change: int, kind: str, b: int, end: int | None) -> None:
        sustained_to = self.n - 1 if end is None else end - 1
        self.found.append((change, kind, b, sustained_to, self.v[change], self.v[b]))
        self.kinds.append(kind)

    def _move_reference(self, reference: int, *, rebaseline: bool) -> None:
        if rebaseline:
            self.bl = reference
        self.search = reference + 1

    def _rebaseline_after_relapse(self) -> None:
        rel, days, n = self.rel, self.days, self.n
        if not (self.s.relapse_rebl and self.proceed and self.search < n):
            return
        j = bisect_right(rel, days[self.bl])
        if j >= len(rel) or not rel[j] + self.s.relapse_shift < days[self.search]:
            return
        onset = rel[self.irel if self.irel is not None else j]
        bl = bisect_left(days, onset, self.bl, n)
        if bl < n:
            self.bl, self.search = bl, bl + 1
        if bl > n - 2:
            self.proceed = False

    def _wanted_event_found(self) -> bool:
        event, kinds = self.s.event, self.kinds
        if event == "first":
            return len(kinds) > 1
        if event == "firstCDW":
            return any(k != "CDI" for k in kinds)
        if event == "firstCDI":
            return "CDI" in kinds
        if event == "firstPIRA":
            return "PIRA" in kinds
        if event == "firstRAW":
            return "RAW" in kinds
        return False


def _first_after(rel: list[float], day: float, lo: int) -> int | None:
    j = bisect_right(rel, day, lo)
    return j if j < len(rel) else None


def _first_confirmation(earliest: list[int | None], end: int | None) -> int | None:
    """Return the earliest confirmation of the first period confirmed before `end`."""
    for e in earliest:
        if e is not None and (end is None or e < end):
            return e
    return None


def _intervals(times, windows) -> list[tuple[float, float]]:
    # A None end merges a checkpoint's interval with its neighbour's, as pymsprog does.
    found, left = [], None
    for t, (before, after) in zip(times, windows, strict=True):
        if before is not None:
            left = t - before
        if after is not None and t + after > left:
            found.append((left, t + after))
    return found


def _relapse_within(rel: list[float], intervals) -> bool:
    for lo, hi in intervals:
        j = bisect_left(rel, lo)
        if j < len(rel) and rel[j] <= hi:
            return True
    return False
