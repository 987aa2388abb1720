from datetime import date

import numpy as np
import pytest
from scipy import stats

from celltrace.clinical.registry.change import outcome_section
from celltrace.clinical.registry.subgroups import (
    LABEL,
    NOT_RECORDED,
    OUTSIDE_BANDS,
    busiest_timepoint,
    subgroup_section,
)

from .registry_builders import patient, plan, report_inputs, row

PLAN = plan()


def _by_name(section):
    return {s["name"]: s for s in section}


def _rows_of(section, name):
    return {r["value"]: r for r in _by_name(section)[name]["rows"]}


def test_only_the_plans_subgroups_are_shown_each_labelled_exploratory():
    section = subgroup_section(report_inputs([patient(1)]), PLAN, [])

    assert [s["name"] for s in section] == list(PLAN.condition("ms").subgroups)
    for subgroup in section:
        assert subgroup["exploratory"] is True
        assert (
            subgroup["label"]
            == LABEL
            == ("Exploratory, pre-specified subgroups; not powered for comparison")
        )


def test_every_treated_patient_is_in_exactly_one_row_of_each_subgroup():
    patients = [
        patient(1, product="MSC-UC", route="iv", sex="female", birth_date=date(1990, 5, 1)),
        patient(2, product="MSC-AD", route="it", sex="male", birth_date=date(1960, 5, 1)),
        patient(3, product="MSC-UC", route="it", sex="", birth_date=None),
        patient(4, product="MSC-UC", route="iv", sex="male", birth_date=date(1900, 1, 1)),
        patient(5, product="MSC-AD", route="iv", sex="female", birth_date=date(1975, 5, 1)),
    ]

    section = subgroup_section(report_inputs(patients), PLAN, [])

    for subgroup in section:
        assert sum(r["n"] for r in subgroup["rows"]) == len(patients), subgroup["name"]
    assert {v: r["n"] for v, r in _rows_of(section, "product").items()} == {
        "MSC-AD": 2, "MSC-UC": 3,
    }  # fmt: skip
    assert {v: r["n"] for v, r in _rows_of(section, "sex").items()} == {
        "female": 2, "male": 2, NOT_RECORDED: 1,
    }  # fmt: skip
    assert {v: r["n"] for v, r in _rows_of(section, "age_band").items()} == {
        "0-39": 1, "40-59": 1, "60-120": 1, NOT_RECORDED: 1, OUTSIDE_BANDS: 1,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("born", "band"),
    [
        (date(1984, 1, 2), "0-39"),  # 39 until tomorrow
        (date(1984, 1, 1), "40-59"),  # 40 today
        (date(1964, 1, 2), "40-59"),  # 59
        (date(1964, 1, 1), "60-120"),  # 60 today
    ],
)
def test_age_bands_include_both_their_edges_in_completed_years(born, band):
    section = subgroup_section(report_inputs([patient(1, birth_date=born)]), PLAN, [])

    assert _rows_of(section, "age_band")[band]["n"] == 1


def test_overlapping_age_bands_are_refused():
    overlapping = plan(age_bands=[[0, 40], [40, 120]])

    with pytest.raises(ValueError, match="overlap"):
        subgroup_section(report_inputs([patient(1)]), overlapping, [])


def test_the_time_point_with_the_most_assessed_patients_is_summarised_earliest_on_a_tie():
    rows = [
        row(1, "edss", "3 months", 2.0, 2.0),
        row(2, "edss", "3 months", 2.0, None),
        row(1, "edss", "6 months", 2.0, 2.0),
        row(2, "edss", "6 months", 2.0, 2.5),
        row(1, "sdmt", "12 months", 50.0, 55.0),  # not the first outcome: ignored
        row(2, "sdmt", "12 months", 50.0, 55.0),
        row(3, "sdmt", "12 months", 50.0, 55.0),
        row(1, "edss", "12 months", 2.0, 3.0),
        row(2, "edss", "12 months", 2.0, 3.0),
    ]

    assert busiest_timepoint(PLAN, rows, "edss") == "6 months"
    assert busiest_timepoint(PLAN, [], "edss") is None
    [first, *_] = subgroup_section(report_inputs([patient(1), patient(2)]), PLAN, rows)
    assert (first["instrument"], first["timepoint"]) == ("edss", "6 months")


def _changes_in_one_row(n, baselines, values):
    patients = [patient(i) for i in range(1, n + 1)]
    rows = [
        row(i, "edss", "6 months", b, v)
        for i, b, v in zip(range(1, n + 1), baselines, values, strict=True)
    ]
    return _rows_of(subgroup_section(report_inputs(patients), PLAN, rows), "product")["MSC-UC"]


def test_ten_paired_patients_show_the_mean_change_with_its_t_interval():
    baselines = [2.0, 3.0, 3.5, 4.0, 2.5, 6.0, 1.0, 0.0, 5.5, 3.0]
    values = [2.5, 3.0, 4.5, 3.0, 2.5, 6.5, 1.0, 1.5, 5.5, 4.0]

    summary = _changes_in_one_row(10, baselines, values)

    changes = np.subtract(values, baselines)
    expected = stats.ttest_rel(values, baselines).confidence_interval(0.95)
    assert summary["paired"] == 10
    assert summary["mean_change"] == pytest.approx(changes.mean())
    assert summary["ci95"] == pytest.approx([expected.low, expected.high])


def test_nine_paired_patients_show_counts_only():
    summary = _changes_in_one_row(9, [3.0] * 9, [4.0] * 9)

    assert summary["paired"] == 9
    assert summary["worsened"] == 9
    assert (summary["mean_change"], summary["ci95"]) == (None, None)


def test_changes_are_classified_by_the_edss_minimum_change_from_the_baseline():
    # EDSS (disability-course engine): 1.5 from 0, 1.0 up to 5.0, 0.5 above 5.0.
    baselines = [0.0, 0.0, 3.0, 3.0, 3.0, 6.0, 6.0, 6.0]
    values = [1.5, 1.0, 4.0, 2.0, 3.5, 6.5, 5.5, 6.0]

    summary = _changes_in_one_row(8, baselines, values)

    assert (summary["improved"], summary["no_clear_change"], summary["worsened"]) == (2, 3, 3)


def test_patients_without_a_baseline_or_a_value_are_not_paired():
    patients = [patient(1), patient(2), patient(3)]
    rows = [
        row(1, "edss", "6 months", 2.0, 2.5),
        row(2, "edss", "6 months", None, 3.0),
        row(3, "edss", "6 months", 2.0, None),
    ]

    [product, *_] = subgroup_section(report_inputs(patients), PLAN, rows)

    assert product["rows"] == [
        {
            "value": "MSC-UC", "n": 3, "paired": 1, "improved": 0, "no_clear_change": 1,
            "worsened": 0, "not_classifiable": 0, "mean_change": None, "ci95": None,
        }
    ]  # fmt: skip


def test_a_repeated_row_is_refused_rather_than_counted_twice():
    rows = [row(1, "edss", "6 months", 2.0, 2.5), row(1, "edss", "6 months", 2.0, 2.5)]

    with pytest.raises(ValueError, match="two edss rows at 6 months"):
        subgroup_section(report_inputs([patient(1)]), PLAN, rows)


def test_a_repeated_row_without_a_value_is_refused_too():
    rows = [row(1, "edss", "6 months", 2.0, 2.5), row(1, "edss", "6 months", None, None)]

    with pytest.raises(ValueError, match="two edss rows"):
        subgroup_section(report_inputs([patient(1)]), PLAN, rows)


def test_a_row_of_a_patient_who_was_not_treated_is_refused():
    rows = [row(1, "edss", "6 months", 2.0, 2.5), row(7, "edss", "6 months", 2.0, 2.5)]

    with pytest.raises(ValueError, match="P007 has a row but is not a treated patient"):
        subgroup_section(report_inputs([patient(1)]), PLAN, rows)


def test_a_subgroup_the_section_does_not_know_is_refused():
    by_site = plan(conditions={"ms": {"outcomes": ["edss"], "subgroups": ["site"]}})

    with pytest.raises(ValueError, match="unknown subgroups"):
        subgroup_section(report_inputs([patient(1)]), by_site, [])


@pytest.mark.parametrize(
    ("code", "baseline", "value", "verdict"),
    [
        ("updrs3", 30.0, 26.75, "improved"),  # 3.25 better (lower is better)
        ("updrs3", 30.0, 27.0, "no_clear_change"),
        ("updrs3", 30.0, 34.63, "worsened"),  # 4.63 worse
        ("updrs3", 30.0, 34.0, "no_clear_change"),
        ("egfr", 60.0, 78.0, "improved"),  # 30 % of the baseline (higher is better)
        ("egfr", 60.0, 43.0, "no_clear_change"),
        ("egfr", 60.0, 42.0, "worsened"),
        ("uacr", 0.0, 10.0, "not_classifiable"),  # no relative change from nothing
        ("t25fw", 0.0, 0.0, "not_classifiable"),  # 20 % of 0: the same rule
        ("sdmt", 50.0, 54.0, "improved"),  # 20 % of 50 is 10, capped at 4 points
    ],
)
def test_each_row_counts_the_verdict_the_outcome_table_gives(code, baseline, value, verdict):
    first = plan(conditions={"ms": {"outcomes": [code], "subgroups": ["sex"]}})
    rows = [row(1, code, "6 months", baseline, value)]

    [sex] = subgroup_section(report_inputs([patient(1)]), first, rows)

    female = sex["rows"][0]
    counted = {k: female[k] for k in ("improved", "no_clear_change", "worsened")}
    counted["not_classifiable"] = female["not_classifiable"]
    assert counted == {k: int(k == verdict) for k in counted}
    [cell] = [c for c in outcome_section(rows, first, first.condition("ms")) if c["n"]]
    assert {k: cell[k] for k in counted} == counted


def test_an_instrument_without_an_mcid_shows_no_counts_of_improvement():
    sci_motor_first = plan(
        conditions={"sci": {"outcomes": ["isncsci_motor"], "subgroups": ["sex"]}}
    )
    rows = [row(1, "isncsci_motor", "6 months", 20.0, 30.0)]

    [sex] = subgroup_section(report_inputs([patient(1)], condition="sci"), sci_motor_first, rows)

    female = sex["rows"][0]
    assert female["paired"] == 1
    assert (female["improved"], female["no_clear_change"], female["worsened"]) == (None,) * 3
