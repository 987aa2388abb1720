import re

import pytest

from celltrace.clinical.registry.patient_summary import (
    PLAIN_EVENTS,
    PLAIN_MEASURES,
    PatientSummary,
    patient_summary,
    quoted_numbers,
)
from celltrace.clinical.registry.safety import safety_section
from celltrace.clinical.registry.time_to_event import time_to_event_section

from .registry_cases import (
    adverse_event,
    edss,
    latest_plan,
    plan_content,
    pseudonyms_of,
    report_inputs,
    treated,
)

PLAN = latest_plan()


def outcome(instrument, timepoint, n, improved=None, same=None, worse=None, *, kind="absolute"):
    label = PLAN.instruments[instrument].label
    return {
        "instrument": instrument, "label": label, "unit": "", "timepoint": timepoint,
        "due": n + 2, "assessed": n, "no_baseline": 0, "n": n,
        "mean_change": None, "ci95": None, "median_change": None, "iqr": None, "range": None,
        "improved": improved, "no_clear_change": same, "worsened": worse,
        "mcid": {"kind": kind, "improvement": None, "worsening": None, "text": "", "source": ""},
        "responders": None if improved is None else {
            "completers": {"k": improved, "n": n, "ci95": None},
            "worst_case": {"k": improved, "n": n + 2, "ci95": None},
            "best_case": {"k": improved + 2, "n": n + 2, "ci95": None},
        },
    }  # fmt: skip


def timepoint(name, due, assessed, *, withdrawn=0, died=0, not_yet_due=0):
    return {
        "name": name, "due": due, "assessed": assessed, "missed": due - assessed - withdrawn,
        "withdrawn": withdrawn, "died": died, "not_yet_due": not_yet_due,
    }  # fmt: skip


def ms_report(*, treated_n=12, synthetic=False, events=(), outcomes=None):
    """A report for MS: the safety and time-to-event sections computed, the rest written."""
    patients = [treated(i) for i in range(1, treated_n + 1)]
    readings = [r for i in range(1, treated_n + 1) for r in edss(i, (-5, 2.0), (200, 2.0))]
    readings += edss(1, (90, 3.0), (180, 3.0))
    inputs = report_inputs(patients, adverse_events=events, readings=readings)
    return {
        "title": "Cumulative statistical report: Multiple sclerosis",
        "synthetic": synthetic,
        "condition": {"code": "ms", "name": "multiple sclerosis"},
        "cutoff": "2026-11-26",
        "rules": {"small_cell": 10, "completeness_flag": 0.9},
        "flow": {"treated": treated_n},
        "timepoints": [
            timepoint("3 months", 12, 10, withdrawn=1),
            timepoint("6 months", 10, 8, died=1, not_yet_due=1),
            timepoint("12 months", 0, 0, not_yet_due=12),
        ],
        "outcomes": outcomes
        if outcomes is not None
        else [
            outcome("edss", "3 months", 10, 2, 7, 1, kind="disability_course"),
            outcome("edss", "6 months", 8, 1, 6, 1, kind="disability_course"),
            outcome("edss", "12 months", 0, kind="disability_course"),
            outcome("msis29_psychological", "3 months", 10, kind="none"),
        ],
        "time_to_event": time_to_event_section(inputs, PLAN),
        "benchmarks": [],
        "safety": safety_section(inputs, PLAN, pseudonyms_of(inputs)),
    }


EVENTS = (
    adverse_event(1, 2, term="Fever", term_code="fever"),
    adverse_event(2, 3, term="Headache", grade=2),
    adverse_event(3, 40, term="Sepsis", grade=3, serious=True),
)


def text_of(summary: PatientSummary) -> str:
    return "\n".join((summary.title, *summary.paragraphs))


def test_benefits_and_side_effects_are_given_as_x_out_of_y_people_in_one_summary():
    text = text_of(patient_summary(ms_report(events=EVENTS)))
    benefit = "At 3 months, 2 out of the 12 people due improved by at least the smallest change"
    assert benefit in text and "2 of them had no result" in text
    assert "at least 2 out of 12 improved" in text and "at most 4 out of 12" in text
    assert "Of the 10 with a result, 7 had no clear change and 1 got worse" in text
    assert "3 out of 12 people treated had at least one" in text
    assert "1 out of 12 people had a serious one" in text
    assert "No one died during follow-up." in text
    assert "mild: 1; moderate: 1; severe: 1; life-threatening: 0" in text


def test_it_never_shows_a_bare_percentage_or_the_word_significant():
    for report in (
        ms_report(events=EVENTS),
        ms_report(treated_n=4, synthetic=True),
        ms_report(treated_n=200),
        ms_report(outcomes=[]),
    ):
        text = text_of(patient_summary(report)).lower()
        assert "significant" not in text
        assert "%" not in text
        assert not re.search(r"\d+\.\d+ out of", text)


def test_text_that_would_say_significant_is_refused():
    report = ms_report()
    report["condition"]["name"] = "a clinically significant illness"
    with pytest.raises(ValueError, match="significant"):
        patient_summary(report)


def test_it_says_what_it_cannot_tell_and_that_it_predicts_no_one_patients_result():
    text = text_of(patient_summary(ms_report()))
    assert "no comparison group" in text
    assert "cannot show whether the treatment caused any change" in text
    assert "do not predict any one patient's result" in text


def test_it_says_how_many_were_followed_up_at_each_time_point():
    text = text_of(patient_summary(ms_report()))
    assert "whose records the clinic holds up to 26 November 2026: 12 in all." in text
    assert "at 3 months, 10 out of 12 people due for a check-up had one (1 had left" in text
    assert "at 6 months, 8 out of 10 people due for a check-up had one (1 had died" in text
    assert (
        "at 12 months, nobody was due for a check-up yet (12 had not reached this time yet)" in text
    )
    assert "0 out of 0" not in text


def test_the_edss_is_explained_as_a_disability_scale_and_every_plan_measure_has_plain_words():
    text = text_of(patient_summary(ms_report()))
    assert "the EDSS, a disability scale for MS from 0 (no disability) to 10" in text
    assert set(PLAN.instruments) <= set(PLAIN_MEASURES)
    assert set(plan_content()["time_to_event"]) <= set(PLAIN_EVENTS)


def test_a_measure_without_an_agreed_threshold_is_not_sorted_into_better_or_worse():
    text = text_of(patient_summary(ms_report()))
    assert "results are not sorted into better or worse here" in text
    assert "At 12 months, nobody had a result before and after treatment yet." in text
    assert text.count("not sorted into better or worse") == 1  # the MSIS-29 psychological only


def test_confirmed_worsening_is_told_in_counts_from_the_time_to_event_section():
    text = text_of(patient_summary(ms_report()))
    assert "staying worse at a check-up at least 12 weeks later happened to 1 out of 12" in text


def test_a_small_group_gets_counts_only_and_says_so():
    report = ms_report(treated_n=4, outcomes=[outcome("pain", "3 months", 4, 1, 2, 1)])
    text = text_of(patient_summary(report))
    assert "This is a small group, so only counts are given" in text
    assert "1 out of the 6 people due improved" in text and "at most 3 out of 6" in text
    assert "Where fewer than 10 people had results, only counts are given." in text


def test_synthetic_data_is_marked_in_the_title_and_first_paragraph():
    summary = patient_summary(ms_report(synthetic=True))
    assert "made-up demonstration data" in summary.title
    assert summary.paragraphs[0].startswith("These figures come from made-up demonstration")
    real = patient_summary(ms_report())
    assert "made-up" not in text_of(real)


def test_the_clinics_claims_are_told_as_x_out_of_every_100():
    text = text_of(patient_summary(ms_report(treated_n=200, events=EVENTS)))
    assert "fever happens to no more than 2 out of every 100 people treated" in text
    assert "1 out of 200 people had it" in text
    assert "There are not yet enough records to confirm or rule this out." in text


def test_benchmarks_are_told_with_the_published_range_in_counts():
    report = ms_report()
    report["benchmarks"] = [
        {
            "name": "sci_ais_a_conversion", "label": "AIS A converting", "text": "", "source": "",
            "observed": {"timepoint": "12 months", "with_baseline": 12, "k": 3, "n": 10,
                         "proportion": 0.3, "ci95": [0.067, 0.652]},
            "expected": {"low": 0.11, "high": 0.30},
            "comparison": "overlaps the expected range",
        }
    ]  # fmt: skip
    text = text_of(patient_summary(report))
    assert "3 out of 10 people assessed at 12 months reached a better grade" in text
    assert "between 11 and 30 out of every 100 people" in text
    assert "could be the same as the published one" in text


def test_a_measure_whose_first_time_point_has_no_results_is_still_sorted_later():
    rows = [
        outcome("edss", "3 months", 0, kind="disability_course"),
        outcome("edss", "6 months", 10, 1, 8, 1, kind="disability_course"),
    ]
    text = text_of(patient_summary(ms_report(outcomes=rows)))
    assert "not sorted into better or worse" not in text
    assert "At 6 months, 1 out of the 12 people due improved" in text


def test_a_report_before_anyone_was_treated_says_so_instead_of_counting_out_of_0():
    report = ms_report(treated_n=0, outcomes=[])
    report["timepoints"] = [timepoint("3 months", 0, 0)]
    text = text_of(patient_summary(report))
    assert "out of 0" not in text
    assert "Nobody has been treated yet, so no side effects can be reported." in text
    assert "There are no records to check this against yet." in text


def test_the_numbers_kept_with_a_publication_are_those_quoted_and_name_no_patient():
    report = ms_report(events=EVENTS)
    numbers = quoted_numbers(report)
    assert numbers["treated"] == 12
    assert numbers["safety"]["patients_with_event"] == 3
    assert numbers["safety"]["patients_with_serious_event"] == 1
    assert numbers["safety"]["by_grade"] == {"1": 1, "2": 1, "3": 1, "4": 0, "5": 0}
    assert numbers["safety"]["deaths"] == 0
    assert numbers["outcomes"][0] == {
        "instrument": "edss", "timepoint": "3 months", "n": 10,
        "improved": 2, "no_clear_change": 7, "worsened": 1,
    }  # fmt: skip
    assert not re.search(r"\bP\d{3}\b", repr(numbers))  # pseudonyms of the serious events


def test_improvement_is_counted_out_of_everyone_due_not_only_those_with_a_result():
    row = outcome("pain", "6 months", 23, 5, 12, 6)
    row["due"], row["responders"]["worst_case"]["n"], row["responders"]["best_case"] = (
        54,
        54,
        {"k": 36, "n": 54, "ci95": None},
    )
    text = text_of(patient_summary(ms_report(outcomes=[row])))
    assert "5 out of the 54 people due improved" in text and "31 of them had no result" in text
    assert "at least 5 out of 54 improved" in text and "at most 36 out of 54" in text
    assert "5 out of 23" not in text


def test_a_change_that_cannot_be_judged_is_not_told_as_a_missing_result():
    row = outcome("pain", "6 months", 12, 3, 6, 1)  # 2 of the 12 not classifiable
    row["not_classifiable"] = 2
    row["responders"]["best_case"]["k"] = 3 + 2 + 2  # 2 without a result, 2 not judged
    text = text_of(patient_summary(ms_report(outcomes=[row])))
    assert "3 out of the 14 people due improved" in text and "2 of them had no result" in text
    assert "For 2, the change could not be judged" in text
    assert "at most 7 out of 14" in text


def test_people_who_died_before_the_check_up_are_counted_as_not_improved():
    row = outcome("pain", "6 months", 10, 4, 5, 1)
    row["responders"]["worst_case"] = {
        "k": 4, "n": 15, "ci95": None,
        "non_responders": {"died": 3, "withdrawn": 1, "missed": 1, "no_baseline": 0,
                           "not_improved": 6},
    }  # fmt: skip
    row["responders"]["best_case"] = {"k": 6, "n": 15, "ci95": None}
    text = text_of(patient_summary(ms_report(outcomes=[row])))
    assert "4 out of the 15 people due improved" in text
    assert "2 of them had no result and 3 had died before it (counted as not improved)" in text
    assert "at most 6 out of 15" in text


def test_a_mean_change_in_a_benchmark_comes_with_its_range_or_not_at_all():
    report = ms_report()
    sham = {"mean_change": -4.3, "ci95": [-5.6, -3.1]}
    report["benchmarks"] = [
        {"name": "pd_sham_updrs3", "label": "sham", "text": "", "source": "",
         "observed": {"timepoint": "6 months", "with_baseline": 12, "n": 12,
                      "mean_change": -2.25, "ci95": [-4.0, -0.5]},
         "expected": sham, "comparison": "overlaps the expected range"},
        {"name": "pd_sham_updrs3", "label": "sham", "text": "", "source": "",
         "observed": {"timepoint": "6 months", "with_baseline": 8, "n": 8,
                      "mean_change": -7.75, "ci95": None},
         "expected": sham, "comparison": "too few patients to compare"},
    ]  # fmt: skip
    text = text_of(patient_summary(report))
    assert "the average change was -2.2 points (likely between -4.0 and -0.5)" in text
    assert "-4.3 points (likely between -5.6 and -3.1)" in text
    assert "-7.8" not in text and "8 people had a result at 6 months; in published" in text
