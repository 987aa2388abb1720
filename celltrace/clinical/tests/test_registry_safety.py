from datetime import timedelta

import pytest

from celltrace.clinical.registry.inputs import DIED, WITHDRAWN, FollowUpEnd
from celltrace.clinical.registry.safety import claim_verdict, safety_section

from .registry_cases import (
    DAY_0,
    adverse_event,
    latest_plan,
    pseudonyms_of,
    report_inputs,
    treated,
)

PLAN = latest_plan()
# 25 patients followed for 1461 days (4 years of 365.25 days) each: 100 patient-years, so
# the rate per 100 patient-years is the event count and its CI the Poisson mean's.
FOUR_YEARS = 1461


def section(patients, events=(), *, cutoff_day=1000, plan=PLAN):
    inputs = report_inputs(patients, cutoff_day=cutoff_day, adverse_events=events)
    return safety_section(inputs, plan, pseudonyms_of(inputs))


def hundred_patient_years(events):
    return section([treated(i) for i in range(1, 26)], events, cutoff_day=FOUR_YEARS)


def close(values, expected, tolerance=5e-4):
    return all(abs(v - e) <= tolerance for v, e in zip(values, expected, strict=True))


@pytest.mark.parametrize(
    ("events", "published"),
    [
        # Garwood 1936 exact limits, as tabulated (e.g. Ulm 1990; Sahai and Khurshid 1993).
        (0, (0.0, 3.689)),
        (1, (0.0253, 5.572)),
        (10, (4.795, 18.390)),
    ],
)
def test_the_rate_per_100_patient_years_has_the_exact_poisson_interval(events, published):
    result = hundred_patient_years([adverse_event(1 + i % 25, 30) for i in range(events)])
    assert result["patient_years"] == pytest.approx(100)
    assert result["rate_per_100_patient_years"] == pytest.approx(events)
    assert close(result["rate_ci95"], published)


def test_with_no_events_the_one_sided_upper_bounds_are_shown_and_agree_with_the_rule_of_three():
    result = hundred_patient_years([])
    bounds = result["zero_events_upper95"]
    # One-sided 95 %: -ln(0.05) = 2.996 events per 100 patient-years; 1 - 0.05^(1/25) patients.
    assert bounds["rate_per_100_patient_years"] == pytest.approx(2.996, abs=5e-4)
    assert bounds["patients_with_event"] == pytest.approx(1 - 0.05 ** (1 / 25))
    assert bounds["patients_with_event"] == pytest.approx(3 / 25, rel=0.07)
    assert result["patients_with_event_ci95"] == pytest.approx([0.0, 1 - 0.025 ** (1 / 25)])


def test_the_zero_event_bound_nears_three_over_n_as_n_grows():
    for n in (30, 100, 300):
        bounds = section([treated(i) for i in range(1, n + 1)])["zero_events_upper95"]
        assert bounds["patients_with_event"] * n == pytest.approx(3, rel=0.05)


def test_there_is_no_zero_event_bound_once_an_event_is_recorded():
    assert hundred_patient_years([adverse_event(1, 5)])["zero_events_upper95"] is None


@pytest.mark.parametrize(
    ("k", "published"),
    # Clopper-Pearson 95 % limits for k of 10 (exact binomial tables).
    [(0, (0.0, 0.3085)), (1, (0.0025, 0.4450)), (5, (0.1871, 0.8129))],
)
def test_patients_with_an_event_carry_the_exact_clopper_pearson_interval(k, published):
    events = [adverse_event(i, 3) for i in range(1, k + 1)] + [adverse_event(1, 9)] * (k > 0)
    result = section([treated(i) for i in range(1, 11)], events)
    assert (result["patients_with_event"], result["treated"]) == (k, 10)
    assert result["patients_with_event_proportion"] == pytest.approx(k / 10)
    assert close(result["patients_with_event_ci95"], published)


def test_fewer_treated_than_the_small_cell_threshold_show_counts_only():
    nine = section([treated(i) for i in range(1, 10)], [adverse_event(1, 3)])
    assert (nine["treated"], nine["patients_with_event"], nine["events"]) == (9, 1, 1)
    withheld = ("patients_with_event_proportion", "patients_with_event_ci95", "rate_ci95",
                "rate_per_100_patient_years", "events_per_administration")  # fmt: skip
    assert all(nine[key] is None for key in withheld)
    ten = section([treated(i) for i in range(1, 11)], [adverse_event(1, 3)])
    assert all(ten[key] is not None for key in withheld)


def test_the_zero_event_bound_is_withheld_below_the_small_cell_threshold_too():
    assert section([treated(i) for i in range(1, 10)])["zero_events_upper95"] is None
    assert section([treated(i) for i in range(1, 11)])["zero_events_upper95"] is not None


def test_events_per_administration_count_every_administration_with_an_exact_interval():
    patients = [treated(i, administrations=2) for i in range(1, 11)]
    result = section(patients, [adverse_event(1 + i % 3, 10 + i) for i in range(10)])
    assert (result["administrations"], result["events"]) == (20, 10)
    assert result["events_per_administration"] == pytest.approx(0.5)
    # Garwood limits for 10 events (4.795, 18.390) over 20 administrations.
    assert close(result["events_per_administration_ci95"], (0.2398, 0.9195))


def test_patient_years_end_at_death_or_withdrawal_when_it_comes_before_the_cut_off():
    ended = [
        treated(1, end=FollowUpEnd(DAY_0 + timedelta(days=100), WITHDRAWN)),
        treated(2, end=FollowUpEnd(DAY_0 + timedelta(days=250), DIED, "pneumonia")),
    ]
    result = section(ended + [treated(i) for i in range(3, 11)], cutoff_day=1000)
    assert result["patient_years"] == pytest.approx((100 + 250 + 8 * 1000) / 365.25)


def test_events_of_patients_outside_the_report_are_not_counted():
    result = section([treated(i) for i in range(1, 11)], [adverse_event(99, 3)])
    assert (result["events"], result["patients_with_event"]) == (0, 0)


def test_every_grade_relatedness_and_lot_is_tallied_by_patients_and_events():
    events = [
        adverse_event(1, 1, grade=2, relatedness="probable"),
        adverse_event(1, 8, grade=2, relatedness="probable", lot="LOT-2"),
        adverse_event(2, 3, grade=3, serious=True, relatedness="unlikely", lot=""),
    ]
    result = section([treated(i) for i in range(1, 11)], events)
    assert [(g["grade"], g["patients"], g["events"]) for g in result["by_grade"]] == [
        (1, 0, 0), (2, 1, 2), (3, 1, 1), (4, 0, 0), (5, 0, 0),
    ]  # fmt: skip
    assert result["by_seriousness"] == [
        {"serious": True, "patients": 1, "events": 1},
        {"serious": False, "patients": 1, "events": 2},
    ]
    assert [(r["relatedness"], r["events"]) for r in result["by_relatedness"]] == [
        ("unrelated", 0), ("unlikely", 1), ("possible", 0), ("probable", 2), ("definite", 0),
    ]  # fmt: skip
    assert result["by_lot"] == [
        {"lot": "LOT-1", "patients": 1, "events": 1},
        {"lot": "LOT-2", "patients": 1, "events": 1},
        {"lot": None, "patients": 1, "events": 1},
    ]


def test_every_serious_event_is_listed_with_its_pseudonym_day_and_lot():
    events = [
        adverse_event(3, 40, term="Sepsis", grade=4, serious=True, lot="LOT-9"),
        adverse_event(2, 12, term="Fever", grade=1),
        adverse_event(2, 20, term="Seizure", grade=3, serious=True, relatedness="unrelated"),
    ]
    result = section([treated(i) for i in range(1, 11)], events)
    assert result["serious"] == [
        {"patient": "P002", "term": "Seizure", "grade": 3, "day": 20,
         "relatedness": "unrelated", "outcome": "recovered", "lot": "LOT-1"},
        {"patient": "P003", "term": "Sepsis", "grade": 4, "day": 40,
         "relatedness": "possible", "outcome": "recovered", "lot": "LOT-9"},
    ]  # fmt: skip


def test_deaths_come_from_grade_5_events_and_from_follow_up_ending_in_death():
    fatal = adverse_event(4, 60, term="Pulmonary embolism", grade=5, serious=True, outcome="fatal")
    patients = [treated(i) for i in range(1, 11) if i not in (4, 6)] + [
        treated(4, end=FollowUpEnd(DAY_0 + timedelta(days=61), DIED, "pulmonary embolism")),
        treated(6, end=FollowUpEnd(DAY_0 + timedelta(days=300), DIED, "road accident")),
    ]
    result = section(patients, [fatal])
    assert [(d["patient"], d["day"], d["cause"], d["recorded_as"]) for d in result["deaths"]] == [
        ("P009", 61, "Pulmonary embolism", ["adverse_event", "follow_up_end"]),
        ("P010", 300, "road accident", ["follow_up_end"]),
    ]
    assert result["deaths"][1]["relatedness"] is None


def test_the_fever_claim_is_checked_by_patients_with_a_fever():
    fevers = [adverse_event(i, 2, term="Fever", term_code="fever") for i in range(1, 6)]
    (claim,) = section([treated(i) for i in range(1, 11)], fevers + fevers[:1])["claims"]
    assert (claim["name"], claim["k"], claim["n"], claim["max_rate"]) == ("fever", 5, 10, 0.02)
    assert claim["verdict"] == "contradicted"  # the whole CI (0.187-0.813) lies above 2 %


def test_no_fever_in_200_patients_supports_the_claim_but_in_10_does_not_settle_it():
    (many,) = section([treated(i) for i in range(1, 201)])["claims"]
    assert many["ci95"][1] <= 0.02 and many["verdict"] == "supported"
    (few,) = section([treated(i) for i in range(1, 11)])["claims"]
    assert few["verdict"] == "inconclusive"
    (tiny,) = section([treated(i) for i in range(1, 6)])["claims"]
    assert (tiny["k"], tiny["n"], tiny["ci95"], tiny["verdict"]) == (0, 5, None, "inconclusive")
    (none,) = section([])["claims"]
    assert none["verdict"] == "no_data"


def test_a_claim_verdict_needs_the_whole_interval_on_one_side():
    assert claim_verdict([0.0, 0.02], 0.02, 200) == "supported"
    assert claim_verdict([0.021, 0.2], 0.02, 50) == "contradicted"
    assert claim_verdict([0.01, 0.03], 0.02, 300) == "inconclusive"


def test_events_after_a_withdrawal_are_listed_but_not_in_the_rate_whose_exposure_stopped():
    withdrawn = treated(1, end=FollowUpEnd(DAY_0 + timedelta(days=100), WITHDRAWN))
    events = [adverse_event(1, 50), adverse_event(1, 100), adverse_event(1, 300, term="Rash")]
    result = section([withdrawn] + [treated(i) for i in range(2, 11)], events)
    assert (result["events"], result["events_in_follow_up"]) == (3, 2)
    assert result["rate_per_100_patient_years"] == pytest.approx(100 * 2 / result["patient_years"])
    assert [(e["patient"], e["day"], e["term"]) for e in result["after_follow_up_end"]] == [
        ("P001", 300, "Rash")
    ]
    assert "recorded against the treatment stay" in result["capture"]
