"""The per-patient rows and their CSV: what a reader downloads to recompute the report."""

import csv
import datetime as dt
import io

from celltrace.clinical.registry.inputs import DIED
from celltrace.clinical.registry.rows import patient_rows, pseudonyms, write_rows_csv
from testkit.registry_cohort import DAY0, cohort_of, latest_plan, reading, treated

PLAN = latest_plan()


def test_pseudonyms_follow_the_first_administration_then_the_patient_id():
    later = DAY0 + dt.timedelta(days=5)
    cohort = cohort_of([treated(7, first=later), treated(9), treated(3, first=later)])
    assert pseudonyms(cohort) == {9: "P001", 3: "P002", 7: "P003"}


def test_pseudonyms_keep_counting_past_three_digits():
    cohort = cohort_of([treated(n) for n in range(1, 1001)])
    names = pseudonyms(cohort)
    assert (names[1], names[999], names[1000]) == ("P001", "P999", "P1000")


def test_every_treated_patient_has_a_row_per_outcome_and_time_point_even_without_values():
    cohort = cohort_of([treated(1), treated(2)], condition="lyme")  # outcomes: pain, eq5d5l
    rows = patient_rows(cohort, PLAN)
    assert len(rows) == 2 * 2 * 4
    assert {row["status"] for row in rows} == {"missed"}
    assert [(r["patient"], r["instrument"], r["timepoint"]) for r in rows[:5]] == [
        ("P001", "pain", "3 months"),
        ("P001", "pain", "6 months"),
        ("P001", "pain", "12 months"),
        ("P001", "pain", "24 months"),
        ("P001", "eq5d5l", "3 months"),
    ]


def test_an_instrument_not_measured_at_an_assessed_visit_is_missed_at_that_visit():
    readings = [reading(1, "pain", -5, 6.0), reading(1, "pain", 95, 4.0)]
    rows = patient_rows(
        cohort_of([treated(1, ended=(200, DIED))], readings, condition="lyme"), PLAN
    )
    at_3_months = {r["instrument"]: r for r in rows if r["timepoint"] == "3 months"}
    assert at_3_months["pain"] == {
        "patient": "P001",
        "patient_id": 1,
        "instrument": "pain",
        "timepoint": "3 months",
        "baseline": 6.0,
        "value": 4.0,
        "status": "assessed",
        "day": 95,
        "category": None,
        "baseline_category": None,
        "lower_is_better": True,
        "verdict": "improved",  # 2 points less pain: at least the plan's 1.8
        "verdict_reason": None,
        "improvement_needed": 1.8,
        "worsening_needed": 1.8,
    }
    assert (at_3_months["eq5d5l"]["status"], at_3_months["eq5d5l"]["value"]) == ("missed", None)
    assert [r["status"] for r in rows if r["instrument"] == "pain"][1:] == ["died"] * 3


def test_an_ais_row_carries_the_grade_letters():
    readings = [reading(1, "ais", 0, 0.0), reading(1, "ais", 380, 1.0)]
    rows = patient_rows(cohort_of([treated(1)], readings, condition="sci"), PLAN)
    (year,) = [r for r in rows if r["instrument"] == "ais" and r["timepoint"] == "12 months"]
    assert (year["baseline_category"], year["category"]) == ("A", "B")


def test_the_csv_holds_the_columns_with_empty_cells_for_missing_values():
    readings = [reading(1, "eq5d5l", 0, 0.712), reading(1, "eq5d5l", 100, 0.1 + 0.2)]
    rows = patient_rows(cohort_of([treated(1)], readings, condition="lyme"), PLAN)
    out = io.StringIO()
    write_rows_csv(rows, out)
    table = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(table[0]) == [
        "patient",
        "instrument",
        "timepoint",
        "baseline",
        "value",
        "status",
        "day",
        "lower_is_better",
        "verdict",
        "verdict_reason",
        "improvement_needed",
        "worsening_needed",
    ]
    assert len(table) == len(rows)
    assert table[0] == {
        "patient": "P001", "instrument": "pain", "timepoint": "3 months", "baseline": "",
        "value": "", "status": "missed", "day": "", "lower_is_better": "true", "verdict": "",
        "verdict_reason": "", "improvement_needed": "", "worsening_needed": "",
    }  # fmt: skip
    (eq5d,) = [r for r in table if r["instrument"] == "eq5d5l" and r["timepoint"] == "3 months"]
    assert float(eq5d["value"]) == 0.1 + 0.2  # full precision: the CSV recomputes the report
    assert (eq5d["baseline"], eq5d["day"], eq5d["status"]) == ("0.712", "100", "assessed")
