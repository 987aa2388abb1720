"""Change from baseline and responders, per outcome instrument and time point.

Never pooled into a "latest" value: each time point stands alone. Computed from the
report's rows (rows.py), the same rows the CSV is written from. Below the small-cell
threshold a cell shows counts only. Responders reached the instrument's MCID improvement,
under three denominators (docs/clinical/outcome-report.md, "Responders"):
completers (paired patients), worst case and best case (every patient due at the time
point; a patient without a pair counts as a non-responder, then as a responder).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from celltrace.clinical.registry import stats
from celltrace.clinical.registry.mcid import (
    CLASSES,
    IMPROVED,
    classifies,
    classify_changes,
)
from celltrace.clinical.registry.plan import AnalysisPlan, ConditionPlan, InstrumentPlan
from celltrace.clinical.registry.windows import DUE


def outcome_section(
    rows: Iterable[dict], plan: AnalysisPlan, condition: ConditionPlan
) -> list[dict]:
    """Return one cell per outcome instrument of the condition and time point, in plan order."""
    cells: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in rows:
        cells[row["instrument"], row["timepoint"]].append(row)
    return [
        outcome_cell(plan.instruments[code], tp.name, cells.get((code, tp.name), []), plan)
        for code in condition.outcomes
        for tp in plan.timepoints
    ]


def outcome_cell(
    instrument: InstrumentPlan, timepoint: str, rows: list[dict], plan: AnalysisPlan
) -> dict:
    """Summarize one instrument at one time point; estimates only from small_cell pairs up."""
    due, assessed, baselines, values = 0, 0, [], []
    for row in rows:
        if row["status"] in DUE:
            due += 1
        if row["value"] is not None:
            assessed += 1
            if row["baseline"] is not None:
                baselines.append(row["baseline"])
                values.append(row["value"])
    changes = [value - baseline for baseline, value in zip(baselines, values, strict=True)]
    shown = len(changes) >= plan.small_cell
    mean, ci95 = stats.mean_with_ci95(changes) if shown else (None, None)
    median, iqr, spread = stats.median_iqr_range(changes) if shown else (None, None, None)
    verdicts = classified(instrument, baselines, values)
    mcid = instrument.mcid
    return {
        "instrument": instrument.code,
        "label": instrument.label,
        "unit": instrument.unit,
        "timepoint": timepoint,
        "due": due,
        "assessed": assessed,
        "no_baseline": assessed - len(changes),
        "n": len(changes),
        "mean_change": mean,
        "ci95": ci95,
        "median_change": median,
        "iqr": iqr,
        "range": spread,
        **change_classes(verdicts),
        "mcid": {
            "kind": mcid.kind,
            "improvement": mcid.improvement,
            "worsening": mcid.worsening,
            "text": mcid.text,
            "source": mcid.source,
        },
        "responders": responders(verdicts, due, plan),
    }


def classified(instrument: InstrumentPlan, baselines: list, values: list) -> list[str] | None:
    """Classify each paired change by the instrument's MCID; None when it has no MCID."""
    if not classifies(instrument):
        return None
    return classify_changes(instrument, baselines, values)


def change_classes(verdicts: list[str] | None) -> dict:
    """Count improved / no clear change / worsened; all null when there is no MCID."""
    if verdicts is None:
        return dict.fromkeys(CLASSES)
    return {verdict: verdicts.count(verdict) for verdict in CLASSES}


def responders(verdicts: list[str] | None, due: int, plan: AnalysisPlan) -> dict | None:
    """Return responders among completers, and the worst and best case over those due.

    Worst and best case share one denominator, every patient due at the time point (the
    dead are not due; they are counted beside, in the time-point table): a due patient
    without a paired value counts as a non-responder, then as a responder.
    """
    if verdicts is None:
        return None
    k = verdicts.count(IMPROVED)
    unpaired = due - len(verdicts)
    return {
        "completers": proportion(k, len(verdicts), plan),
        "worst_case": proportion(k, due, plan),
        "best_case": proportion(k + unpaired, due, plan),
    }


def proportion(k: int, n: int, plan: AnalysisPlan) -> dict:
    """A proportion as k and n, with its Wilson 95 % interval from small_cell up."""
    return {"k": k, "n": n, "ci95": stats.wilson_ci95(k, n) if n >= plan.small_cell else None}
