from dataclasses import replace
from datetime import timedelta

import pytest

from celltrace.clinical.registry.benchmarks import benchmark_section, compare
from celltrace.clinical.registry.plan import PlanError

from .registry_cases import DAY_0, latest_plan, report_inputs, treated

PLAN = latest_plan()
AIS_VALUE = dict(zip("ABCDE", range(5), strict=True))


def row(pid, instrument, timepoint, *, baseline, value, status="assessed", **categories):
    return {
        "patient": f"P{pid:03d}", "patient_id": pid, "instrument": instrument,
        "timepoint": timepoint, "baseline": baseline, "value": value, "status": status,
        "day": None if value is None else 365,
        "category": categories.get("category"),
        "baseline_category": categories.get("baseline_category"),
    }  # fmt: skip


def ais(pid, after, *, before="A", timepoint="12 months", status="assessed"):
    return row(
        pid, "ais", timepoint, baseline=AIS_VALUE[before],
        value=None if after is None else AIS_VALUE[after], status=status,
        category=after, baseline_category=before,
    )  # fmt: skip


def injured(pid, years_before):
    """A treated patient injured `years_before` years before the first administration."""
    onset = None if years_before is None else DAY_0 - timedelta(days=round(years_before * 365.25))
    return replace(treated(pid), disease_onset=onset)


def sci(rows, years_before=0.5):
    """The SCI benchmark over `rows`, every patient injured `years_before` years before."""
    patients = [injured(pid, years_before) for pid in sorted({r["patient_id"] for r in rows})]
    (result,) = benchmark_section(report_inputs(patients, condition="sci"), PLAN, rows)
    return result


def sci_mixed(rows_by_years):
    """The SCI benchmark over patients injured at different times: {years_before: rows}."""
    patients = [
        injured(r["patient_id"], years) for years, rows in rows_by_years.items() for r in rows
    ]
    rows = [r for group in rows_by_years.values() for r in group]
    (result,) = benchmark_section(report_inputs(patients, condition="sci"), PLAN, rows)
    return result


def test_a_conversion_reads_better_on_the_measures_own_scale_and_needs_one():
    rows = [ais(1, "B"), ais(2, "A")]
    inputs = report_inputs([injured(1, 0.5), injured(2, 0.5)], condition="sci")
    (result,) = benchmark_section(inputs, PLAN, rows)
    assert (result["observed_all"]["k"], result["observed_all"]["n"]) == (1, 2)
    with pytest.raises(PlanError, match="not measured on a graded scale"):
        benchmark_section(replace(inputs, ordinal_grades={}), PLAN, rows)


def test_ais_a_conversion_counts_patients_assessed_at_12_months_who_left_grade_a():
    rows = [ais(1, "B"), ais(2, "C"), ais(3, "D")] + [ais(i, "A") for i in range(4, 11)]
    rows += [ais(11, None, status="missed"), ais(12, None, status="withdrawn")]
    rows += [ais(13, "D", before="B"), ais(14, "B", timepoint="6 months")]
    result = sci(rows)
    observed = result["observed"]
    assert (observed["k"], observed["n"], observed["with_baseline"]) == (3, 10, 12)
    assert observed["proportion"] == pytest.approx(0.3)
    # Clopper-Pearson 95 % limits for 3 of 10.
    assert observed["ci95"] == pytest.approx([0.0667, 0.6525], abs=5e-4)
    assert result["expected"] == {"low": 0.11, "high": 0.30}
    assert result["comparison"] == "overlaps the expected range"
    assert (result["name"], result["source"]) == (
        "sci_ais_a_conversion",
        PLAN.benchmarks["sci_ais_a_conversion"]["source"],
    )


def test_nine_assessed_patients_are_too_few_to_compare_and_show_counts_only():
    result = sci([ais(1, "B")] + [ais(i, "A") for i in range(2, 10)])
    observed = result["observed"]
    assert (observed["k"], observed["n"], observed["proportion"], observed["ci95"]) == (
        1, 9, None, None,
    )  # fmt: skip
    assert result["comparison"] == "too few patients to compare"


def test_conversion_above_or_below_the_whole_natural_history_range_is_said_so():
    assert sci([ais(i, "C") for i in range(1, 21)])["comparison"] == "higher than expected"
    assert sci([ais(i, "A") for i in range(1, 41)])["comparison"] == "lower than expected"


def test_ais_a_conversion_is_compared_stratum_by_stratum_of_time_since_injury():
    # 3/10 injured under a year before treatment, 4/10 at 1-5 years, 1/10 later or unknown.
    early = [ais(i, "B") for i in range(1, 4)] + [ais(i, "A") for i in range(4, 11)]
    middle = [ais(i, "C") for i in range(11, 15)] + [ais(i, "A") for i in range(15, 21)]
    late = [ais(21, "B")] + [ais(i, "A") for i in range(22, 26)]
    unknown = [ais(i, "A") for i in range(26, 31)]
    result = sci_mixed({0.5: early, 3.0: middle, 8.0: late, None: unknown})

    under_1, one_to_5, other = result["strata"]
    assert under_1["label"] == "under 1 year since injury"
    assert (under_1["observed"]["k"], under_1["observed"]["n"]) == (3, 10)
    assert under_1["expected"] == {"low": 0.11, "high": 0.30}
    assert under_1["comparison"] == "overlaps the expected range"
    assert one_to_5["label"] == "1 to 5 years since injury"
    assert (one_to_5["observed"]["k"], one_to_5["observed"]["n"]) == (4, 10)
    # Clopper-Pearson 95 % for 4 of 10 is 0.122 to 0.738: wholly above at most 5.6 %.
    assert one_to_5["observed"]["ci95"] == pytest.approx([0.1216, 0.7376], abs=5e-4)
    assert one_to_5["expected"] == {"low": 0.0, "high": 0.056}
    assert one_to_5["comparison"] == "higher than expected"
    assert other["label"] == "other or unknown time since injury"
    assert (other["observed"]["k"], other["observed"]["n"]) == (1, 10)
    assert (other["expected"], other["comparison"]) == (
        None,
        "no published expectation for this group",
    )
    # The headline is the first-year stratum, the benchmark's own range; everyone is kept.
    assert (result["observed"]["k"], result["observed"]["n"]) == (3, 10)
    assert result["observed"]["stratum"] == "under 1 year since injury"
    assert (result["observed_all"]["k"], result["observed_all"]["n"]) == (8, 30)


def test_chronic_patients_are_not_held_against_the_first_year_range():
    # 20 patients injured 3 years before: none in the first-year stratum, so no headline
    # comparison, and their 0/20 is compared with "at most 5.6 %".
    result = sci([ais(i, "A") for i in range(1, 21)], years_before=3.0)
    assert (result["observed"]["n"], result["comparison"]) == (0, "too few patients to compare")
    assert result["strata"][1]["observed"]["n"] == 20
    assert result["strata"][1]["comparison"] == "overlaps the expected range"


def updrs(pid, change, *, baseline=30.0, timepoint="6 months", status="assessed"):
    value = None if change is None else baseline + change
    return row(pid, "updrs3", timepoint, baseline=baseline, value=value, status=status)


def parkinsons(rows):
    inputs = report_inputs([treated(1)], condition="parkinsons")
    (result,) = benchmark_section(inputs, PLAN, rows)
    return result


def test_the_sham_surgery_benchmark_compares_the_mean_change_with_its_t_interval():
    rows = [updrs(i, -i) for i in range(1, 11)] + [updrs(11, None, status="missed")]
    rows += [updrs(12, -30, timepoint="12 months")]
    result = parkinsons(rows)
    observed = result["observed"]
    assert (observed["n"], observed["with_baseline"]) == (10, 11)
    # Changes -1..-10: mean -5.5, SD 3.028, t(0.975, 9) = 2.262: half-width 2.166.
    assert observed["mean_change"] == pytest.approx(-5.5)
    assert observed["ci95"] == pytest.approx([-7.666, -3.334], abs=5e-4)
    assert result["expected"] == {"mean_change": -4.3, "ci95": [-5.6, -3.1]}
    assert result["comparison"] == "overlaps the expected range"


def test_a_mean_change_beyond_the_sham_interval_is_lower_or_higher_than_expected():
    assert parkinsons([updrs(i, -12 - i % 2) for i in range(10)])["comparison"] == (
        "lower than expected"
    )
    assert parkinsons([updrs(i, 2 + i % 2) for i in range(10)])["comparison"] == (
        "higher than expected"
    )


def test_fewer_than_10_changes_give_no_mean_and_no_comparison():
    observed = parkinsons([updrs(i, -5) for i in range(9)])
    assert (observed["observed"]["n"], observed["observed"]["mean_change"]) == (9, None)
    assert observed["comparison"] == "too few patients to compare"


def test_a_condition_without_benchmarks_has_none():
    assert benchmark_section(report_inputs([treated(1)], condition="ms"), PLAN, []) == []


def test_compare_needs_the_whole_interval_outside_the_range():
    assert compare([0.31, 0.5], [0.11, 0.30]) == "higher than expected"
    assert compare([0.30, 0.5], [0.11, 0.30]) == "overlaps the expected range"
    assert compare([-9.0, -5.7], [-5.6, -3.1]) == "lower than expected"
    assert compare(None, [0.11, 0.30]) == "too few patients to compare"
