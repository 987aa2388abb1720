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


def timepoint_names(report: dict, rows: list[dict]) -> list[str]:
    """The plan's time points in order (the report's), then any only the rows name."""
    names = [tp["name"] for tp in report.get("timepoints") or []]
    return names + sorted({r["timepoint"] for r in rows} - set(names))


def instruments(report: dict, rows: list[dict]) -> list[str]:
    """The outcome instruments in the report's order, then any only the rows name."""
    codes = list(dict.fromkeys(o["instrument"] for o in report.get("outcomes") or []))
    return codes + sorted({r["instrument"] for r in rows} - set(codes))


def label_of(report: dict, instrument: str) -> tuple[str, str]:
    """The instrument's label and unit, as the report's outcomes give them."""
    for outcome in report.get("outcomes") or []:
        if outcome["instrument"] == instrument:
            return outcome.get("label") or instrument, outcome.get("unit") or ""
    return instrument, ""


def mcid_of(report: dict, instrument: str) -> dict:
    for outcome in report.get("outcomes") or []:
        if outcome["instrument"] == instrument and outcome.get("mcid"):
            return outcome["mcid"]
    return {"kind": "none", "improvement": None, "worsening": None, "text": "", "source": ""}


def by_patient(rows: list[dict], instrument: str) -> dict[str, dict[str, dict]]:
    """pseudonym -> time point -> row, for one instrument, patients in pseudonym order."""
    grouped: dict[str, dict[str, dict]] = defaultdict(dict)
    for row in rows:
        if row["instrument"] == instrument:
            grouped[row["patient"]][row["timepoint"]] = row
    return {patient: grouped[patient] for patient in sorted(grouped, key=_pseudonym_order)}


def _pseudonym_order(pseudonym: str) -> tuple[int, str]:
    digits = "".join(ch for ch in pseudonym if ch.isdigit())
    return (int(digits) if digits else 0, pseudonym)


def baseline_of(visits: dict[str, dict]) -> float | None:
    """The patient's baseline: the same on every row of one patient and instrument."""
    return next((r["baseline"] for r in visits.values() if r.get("baseline") is not None), None)


def busiest_timepoint(rows: list[dict], instrument: str, order: list[str]) -> str | None:
    """The time point with the most patients assessed with a value (the earlier on a tie)."""
    counts = {name: 0 for name in order}
    for row in rows:
        measured = row.get("value") is not None or row.get("category")
        if row["instrument"] == instrument and row["status"] == ASSESSED and measured:
            counts[row["timepoint"]] = counts.get(row["timepoint"], 0) + 1
    best = max(counts.values(), default=0)
    return next((name for name in order if counts[name] == best), None) if best else None


def number(value: float | None) -> str:
    """A value as the tables write it: no float noise, "—" when missing."""
    if value is None:
        return "—"
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value)}"
