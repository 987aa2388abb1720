"""Issue 11's acceptance test: the CSV alone recomputes every number of the change tables.

This module shares no code with celltrace.clinical.registry beyond asking it for the report
and the CSV text: it reads the CSV with the csv module and the locked plan as JSON, and
recomputes the time-point counts, completeness, n, mean change and its paired t interval
(scipy.stats.t quantile), median, quartiles, range, MCID classes and responders with its
own plain Python and numpy. A reader given the download can do the same. The CSV's own
verdict column is not trusted: each row's verdict is recomputed from baseline, value and
the plan's JSON, then required to equal the column. The worst and best case count the rows
whose status is died as non-responders, and a pair whose change is not classifiable like a
missing value (a non-responder, then a responder).
"""

import csv
import dataclasses
import io
import json
import math
from collections import defaultdict

import numpy as np
import pytest
from scipy.stats import t as student_t

from celltrace.clinical.registry.inputs import Reading
from celltrace.clinical.registry.report import build_report
from celltrace.clinical.registry.rows import patient_rows, write_rows_csv
from testkit.registry_cohort import LATEST_PLAN_FILE, latest_plan, registry_cohort

PLAN_JSON = json.loads(LATEST_PLAN_FILE.read_text(encoding="utf-8"))
SMALL = PLAN_JSON["small_cell"]
DUE = ("assessed", "missed", "withdrawn")


def csv_of(cohort) -> list[dict]:
    out = io.StringIO()
    write_rows_csv(patient_rows(cohort, latest_plan()), out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    for row in rows:
        row["baseline"] = float(row["baseline"]) if row["baseline"] else None
        row["value"] = float(row["value"]) if row["value"] else None
    return rows


def with_zero_baselines(cohort, instrument: str):
    """The cohort with every third patient's pre-treatment readings of `instrument` at 0."""
    first = {p.patient_id: p.first_administration for p in cohort.patients}
    readings = [
        dataclasses.replace(r, value=0.0)
        if r.instrument == instrument
        and r.patient_id % 3 == 0
        and r.measured_on <= first[r.patient_id]
        else r
        for r in cohort.readings
    ]
    assert all(isinstance(r, Reading) for r in readings)
    return dataclasses.replace(cohort, readings=tuple(readings))


def expected_timepoints(rows) -> dict[str, dict]:
    """A patient is assessed when any instrument has a value; else every row says why."""
    visits = defaultdict(list)
    for row in rows:
        visits[row["patient"], row["timepoint"]].append(row)
    counts = defaultdict(lambda: dict.fromkeys(("assessed", *DUE[1:], "died", "not_yet_due"), 0))
    for (_, timepoint), visit in visits.items():
        if any(row["value"] is not None for row in visit):
            counts[timepoint]["assessed"] += 1
        else:
            (status,) = {row["status"] for row in visit}
            counts[timepoint][status] += 1
    for c in counts.values():
        c["due"] = sum(c[s] for s in DUE)
        c["completeness"] = c["assessed"] / c["due"] if c["due"] >= SMALL else None
        c["flagged"] = c["completeness"] is not None and c["completeness"] < 0.9
    return counts


def minimum_change(code, mcid, baseline):
    """The plan's MCID, written out afresh: EDSS per Lorscheider 2016, 20 % for the tests."""
    if mcid["kind"] == "absolute":
        return mcid["improvement"], mcid["worsening"]
    if mcid["kind"] == "relative":
        return mcid["improvement"] * abs(baseline), mcid["worsening"] * abs(baseline)
    if code == "edss":
        step = 1.5 if baseline == 0 else 1.0 if baseline <= 5 else 0.5
    elif code == "sdmt":
        step = min(baseline * 0.2, 4)
    else:
        step = baseline * 0.2
    return step, step


def verdict(code, baseline, value):
    """(verdict, reason): a threshold that is a share of a zero baseline classifies nothing."""
    spec = PLAN_JSON["instruments"][code]
    if spec["mcid"]["kind"] == "none":
        return "not_classifiable", "no_mcid"
    better, worse = minimum_change(code, spec["mcid"], baseline)
    if better <= 0 or worse <= 0:
        return "not_classifiable", "relative_mcid_at_zero_baseline"
    gain = baseline - value if spec["lower_is_better"] else value - baseline
    if gain > 0 and gain >= better - 1e-9:
        return "improved", ""
    if gain < 0 and -gain >= worse - 1e-9:
        return "worsened", ""
    return "no_clear_change", ""


def check_the_rows_verdicts(rows):
    """Each row's direction and verdict columns are the plan's, recomputed here."""
    for row in rows:
        spec = PLAN_JSON["instruments"][row["instrument"]]
        assert row["lower_is_better"] == ("true" if spec["lower_is_better"] else "false")
        if row["baseline"] is None or row["value"] is None:
            assert (row["verdict"], row["verdict_reason"]) == ("", ""), row
        else:
            want = verdict(row["instrument"], row["baseline"], row["value"])
            assert (row["verdict"], row["verdict_reason"]) == want, row


def wilson(k, n):
    z = 1.959963984540054
    centre = (k + z * z / 2) / (n + z * z)
    half = z * math.sqrt(k * (n - k) / n + z * z / 4) / (n + z * z)
    return [centre - half, centre + half]


def expected_transitions(rows, grades) -> dict:
    """An ordinal grade's table from the CSV: its values are the grades' positions."""

    def grade(number):
        return None if number is None else grades[int(number)]

    columns = [*grades, "no data", "died"]
    table, better, same, worse = {}, 0, 0, 0
    for row in rows:
        if row["status"] == "not_yet_due":
            continue
        start, end = grade(row["baseline"]) or "no baseline", grade(row["value"])
        column = "died" if row["status"] == "died" else end or "no data"
        table.setdefault(start, [0] * len(columns))[columns.index(column)] += 1
        if start in grades and end in grades:
            step = grades.index(end) - grades.index(start)
            better, same, worse = better + (step > 0), same + (step == 0), worse + (step < 0)
    order = [*grades, "no baseline"]
    return {
        "grades": list(grades),
        "columns": columns,
        "rows": [{"baseline": g, "counts": table[g]} for g in order if g in table],
        "better": better,
        "same": same,
        "worse": worse,
    }


def expected_cell(code, rows, grades=()) -> dict:
    due = sum(row["status"] in DUE for row in rows)
    assessed = [row for row in rows if row["value"] is not None]
    pairs = [(row["baseline"], row["value"]) for row in assessed if row["baseline"] is not None]
    changes = np.array([value - baseline for baseline, value in pairs])
    n = len(pairs)
    cell = {"due": due, "assessed": len(assessed), "no_baseline": len(assessed) - n, "n": n}
    cell |= dict.fromkeys(("mean_change", "ci95", "median_change", "iqr", "range"))
    cell["withheld_reason"] = None
    cell["transitions"] = expected_transitions(rows, grades) if grades else None
    if grades:  # an ordinal grade: transitions, never a mean or median
        cell["withheld_reason"] = "ordinal grade: shown as transitions"
    elif n >= SMALL:
        mean = changes.mean()
        half = student_t.ppf(0.975, n - 1) * changes.std(ddof=1) / math.sqrt(n)
        spread = len(set(changes.tolist())) > 1  # identical changes: no interval, and why
        cell |= {
            "mean_change": mean,
            "ci95": [mean - half, mean + half] if spread else None,
            "withheld_reason": None if spread else f"no spread: all {n} changes equal",
            "median_change": float(np.median(changes)),
            "iqr": [np.percentile(changes, 25), np.percentile(changes, 75)],
            "range": [changes.min(), changes.max()],
        }
    if PLAN_JSON["instruments"][code]["mcid"]["kind"] == "none":
        return cell | {
            "improved": None,
            "no_clear_change": None,
            "worsened": None,
            "not_classifiable": None,
            "responders": None,
        }
    verdicts = [verdict(code, b, v)[0] for b, v in pairs]
    k = verdicts.count("improved")
    unjudged = verdicts.count("not_classifiable")
    classified = n - unjudged

    def proportion(k, n, **counts):
        return {"k": k, "n": n, "ci95": wilson(k, n) if n >= SMALL else None} | counts

    # Worst and best case: everyone whose time point has come, the dead too. The worst case
    # counts every one without a pair, or whose change is not classifiable, as a
    # non-responder; the best case the missing and the not classifiable as responders, the
    # dead never.
    died = sum(row["status"] == "died" for row in rows)
    missing = {
        "withdrawn": sum(row["status"] == "withdrawn" for row in rows),
        "missed": sum(row["status"] == "missed" for row in rows),
        "no_baseline": cell["no_baseline"],
    }
    everyone = due + died
    assert everyone == n + sum(missing.values()) + died
    return cell | {
        "improved": k,
        "no_clear_change": verdicts.count("no_clear_change"),
        "worsened": verdicts.count("worsened"),
        "not_classifiable": verdicts.count("not_classifiable"),
        "responders": {
            "completers": proportion(k, classified),
            "worst_case": proportion(
                k,
                everyone,
                non_responders={
                    "died": died,
                    **missing,
                    "not_classifiable": unjudged,
                    "not_improved": classified - k,
                },
            ),
            "best_case": proportion(
                k + sum(missing.values()) + unjudged,
                everyone,
                imputed_responders=missing | {"not_classifiable": unjudged},
                non_responders={"died": died, "not_improved": classified - k},
            ),
        },
    }


@pytest.mark.parametrize(
    ("condition", "seed", "zero"),
    [("ms", 11, None), ("ckd", 5, None), ("sci", 23, None), ("ckd", 5, "uacr"),
     ("ms", 11, "t25fw")],
)  # fmt: skip
def test_the_csv_recomputes_the_time_points_and_the_change_tables(condition, seed, zero):
    cohort = registry_cohort(seed=seed, patients=60, condition=condition)
    if zero:  # some baselines of a relative MCID at 0: not classifiable
        cohort = with_zero_baselines(cohort, zero)
    report = build_report(cohort, latest_plan())
    rows = csv_of(cohort)
    check_the_rows_verdicts(rows)

    timepoints = expected_timepoints(rows)
    for shown in report["timepoints"]:
        expected = timepoints[shown["name"]]
        assert {key: shown[key] for key in expected} == pytest.approx(expected)

    cells = defaultdict(list)
    for row in rows:
        cells[row["instrument"], row["timepoint"]].append(row)
    for shown in report["outcomes"]:
        expected = expected_cell(
            shown["instrument"],
            cells[shown["instrument"], shown["timepoint"]],
            cohort.ordinal_grades.get(shown["instrument"], ()),  # the inputs say which
        )
        assert {key: shown[key] for key in expected} == _approx(expected), shown["instrument"]

    _assert_the_cohort_tests_something(report)
    if zero:
        assert sum(c["not_classifiable"] for c in report["outcomes"] if c["instrument"] == zero)


def _approx(value):
    """pytest.approx, through nested dicts and lists of floats."""
    if isinstance(value, dict):
        return {key: _approx(item) for key, item in value.items()}
    if isinstance(value, list | np.ndarray):
        if not all(isinstance(v, int | float | np.number) for v in value):
            return [_approx(v) for v in value]  # grades, rows of a table
        return pytest.approx([float(v) for v in value], rel=1e-9, abs=1e-12)
    if isinstance(value, float | np.floating):
        return pytest.approx(float(value), rel=1e-9, abs=1e-12)
    return value


def _assert_the_cohort_tests_something(report):
    """The generated cohort must reach every branch the recomputation checks."""
    tps = report["timepoints"]
    for status in ("assessed", "missed", "withdrawn", "died", "not_yet_due"):
        assert sum(tp[status] for tp in tps) > 0, status
    assert any(tp["completeness"] is not None for tp in tps)
    outcomes = report["outcomes"]
    assert any(cell["mean_change"] is None and cell["n"] > 0 for cell in outcomes)
    assert any(cell["mean_change"] is not None for cell in outcomes)
    assert sum(cell["no_baseline"] for cell in outcomes) > 0
    worst = [cell["responders"]["worst_case"] for cell in outcomes if cell["responders"]]
    assert sum(w["non_responders"]["died"] for w in worst) > 0  # the dead are counted
    classified = [cell for cell in outcomes if cell["improved"] is not None]
    assert sum(cell["improved"] for cell in classified) > 0
    assert sum(cell["worsened"] for cell in classified) > 0
