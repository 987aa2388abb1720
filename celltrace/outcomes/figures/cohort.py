"""The per-patient rows (the CSV's rows) grouped the way the figures read them."""

from __future__ import annotations

from collections import defaultdict

# A patient's status at a time point, in the contract's words (sections-contract.md).
ASSESSED, MISSED, WITHDRAWN, DIED, NOT_YET_DUE = (
    "assessed",
    "missed",
    "withdrawn",
    "died",
    "not_yet_due",
)
DUE = (ASSESSED, MISSED, WITHDRAWN)  # died are not due; not yet due are not due
STATUS_WORDS = {
    ASSESSED: "assessed",
    MISSED: "missed",
    WITHDRAWN: "withdrawn",
    DIED: "died",
    NOT_YET_DUE: "not yet due",
}
# A figure draws at most this many patients one by one (a line, a bar, a row of its data
# table). More cannot be told apart by eye, and 100,000 of them would make each figure
# megabytes long and the page unservable. Above it, an evenly spaced sample in the figure's
# own order is drawn and tabled (for a sorted waterfall: its quantiles); the counts,
# medians and text alternative are over every patient, and the CSV has every patient's row.
MOST_DRAWN = 200


def evenly_spaced(items: list, most: int = MOST_DRAWN) -> list:
    """`items` when at most `most`; else `most` of them evenly spaced, first and last kept."""
    if len(items) <= most:
        return list(items)
    step = (len(items) - 1) / (most - 1)
    return [items[round(i * step)] for i in range(most)]


def sample_note(drawn: int, of: int, what: str) -> str:
    """The words that say a figure draws a sample, or "" when it draws everyone."""
    if drawn >= of:
        return ""
    return (
        f" {what} {drawn} of the {of} patients, evenly spaced; every patient is counted "
        "above and listed in the CSV download."
    )


def instruments(report: dict, rows: PatientRows) -> list[str]:
    """The outcome instruments in the report's order, then any only the rows name."""
    codes = list(dict.fromkeys(o["instrument"] for o in report.get("outcomes") or []))
    return codes + sorted(rows.instruments() - set(codes))


def label_of(report: dict, instrument: str) -> tuple[str, str]:
    """The instrument's label and unit, as the report's outcomes give them."""
    for outcome in report.get("outcomes") or []:
        if outcome["instrument"] == instrument:
            return outcome.get("label") or instrument, outcome.get("unit") or ""
    return instrument, ""


def grades_of(report: dict, instrument: str) -> list[str]:
    """The grades of an instrument on an ordinal scale, worst to best, as the report states
    them with its transitions; [] for a score."""
    for outcome in report.get("outcomes") or []:
        if outcome["instrument"] == instrument and outcome.get("transitions"):
            return list(outcome["transitions"]["grades"])
    return []


def mcid_of(report: dict, instrument: str) -> dict:
    for outcome in report.get("outcomes") or []:
        if outcome["instrument"] == instrument and outcome.get("mcid"):
            return outcome["mcid"]
    return {"kind": "none", "improvement": None, "worsening": None, "text": "", "source": ""}


class PatientRows:
    """The per-patient rows (the CSV's), grouped once by instrument, patient and time point.

    Each instrument's two figures read the same rows (millions at 100,000 patients), so the
    report's figures share one grouping, made here and passed to each of them.
    """

    def __init__(self, rows: list[dict]):
        self.rows = rows
        grouping: dict[str, dict[str, dict[str, dict]]] = defaultdict(lambda: defaultdict(dict))
        for row in rows:
            grouping[row["instrument"]][row["patient"]][row["timepoint"]] = row
        self._by_instrument = grouping

    def instruments(self) -> set[str]:
        return set(self._by_instrument)

    def by_patient(self, instrument: str) -> dict[str, dict[str, dict]]:
        """pseudonym -> time point -> row, for one instrument, patients in pseudonym order.

        Copies: callers may change what they are given.
        """
        grouped = self._by_instrument.get(instrument, {})
        return {p: dict(grouped[p]) for p in sorted(grouped, key=_pseudonym_order)}

    def busiest_timepoint(self, instrument: str, order: list[str]) -> str | None:
        """The time point with the most patients assessed with a value (the earlier on a tie)."""
        counts = {name: 0 for name in order}
        for visits in self._by_instrument.get(instrument, {}).values():
            for row in visits.values():
                measured = row.get("value") is not None or row.get("category")
                if row["status"] == ASSESSED and measured:
                    counts[row["timepoint"]] = counts.get(row["timepoint"], 0) + 1
        best = max(counts.values(), default=0)
        return next((name for name in order if counts[name] == best), None) if best else None

    def timepoint_names(self, report: dict) -> list[str]:
        """The plan's time points in order (the report's), then any only the rows name."""
        names = [tp["name"] for tp in report.get("timepoints") or []]
        return names + sorted({r["timepoint"] for r in self.rows} - set(names))


def _pseudonym_order(pseudonym: str) -> tuple[int, str]:
    digits = "".join(ch for ch in pseudonym if ch.isdigit())
    return (int(digits) if digits else 0, pseudonym)


def baseline_of(visits: dict[str, dict]) -> float | None:
    """The patient's baseline: the same on every row of one patient and instrument."""
    return next((r["baseline"] for r in visits.values() if r.get("baseline") is not None), None)


def number(value: float | None) -> str:
    """A value as the tables write it: no float noise, "—" when missing."""
    if value is None:
        return "—"
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value)}"
