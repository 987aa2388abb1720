from datetime import date

import pytest

from celltrace.clinical.registry.baseline import age_years, baseline_section

from .registry_builders import START, patient, plan, report_inputs, row

PLAN = plan()


def _section(patients, rows=(), condition="ms"):
    return baseline_section(report_inputs(patients, condition=condition), PLAN, list(rows))


@pytest.mark.parametrize(
    ("born", "age"),
    [
        (date(1984, 1, 1), 40),  # the 40th birthday on the day of the first administration
        (date(1984, 1, 2), 39),  # the day after it
        (date(1983, 12, 31), 40),
        (date(1984, 2, 29), 39),  # a leap-day birthday not yet reached on 1 January
    ],
)
def test_age_is_in_completed_years_at_the_first_administration(born, age):
    assert age_years(born, START) == age


def test_ten_ages_show_median_and_interquartile_range():
    patients = [patient(i, birth_date=date(1994 - i, 1, 1)) for i in range(10)]  # ages 30-39

    age = _section(patients)["age"]

    # Linear interpolation between order statistics: q1 at position 2.25 of 0-9.
    assert age == {"n": 10, "median": 34.5, "iqr": [32.25, 36.75]}


def test_nine_ages_show_only_their_count():
    patients = [patient(i, birth_date=date(1990, 1, 1)) for i in range(9)]
    patients.append(patient(9))  # no birth date: not counted

    assert _section(patients)["age"] == {"n": 9, "median": None, "iqr": None}


def test_disease_duration_is_in_years_at_the_first_administration():
    four_years = [patient(i, disease_onset=date(2020, 1, 1)) for i in range(10)]  # 1461 days

    duration = _section(four_years)["disease_duration_years"]

    assert duration == {"n": 10, "median": 4.0, "iqr": [4.0, 4.0]}


def test_every_patient_is_counted_once_by_sex_and_by_prior_therapy():
    patients = [
        patient(1, sex="female", prior_therapy="yes"),
        patient(2, sex="male", prior_therapy="no"),
        patient(3, sex="", prior_therapy=None),
        patient(4, sex="female", prior_therapy="yes"),
    ]

    section = _section(patients)

    assert section["n"] == 4
    assert section["sex"] == {"female": 2, "male": 1, "not_recorded": 1}
    assert section["prior_therapy"] == {"yes": 2, "no": 1, "not_recorded": 1}


def test_prior_therapies_are_counted_by_category_a_patient_once_in_each():
    oral, high = "oral therapy", "high-efficacy therapy"
    patients = [
        patient(1, prior_therapy="yes", prior_therapies=(oral, high)),
        patient(2, prior_therapy="yes", prior_therapies=(high,)),
        patient(3, prior_therapy="no"),
        patient(4, prior_therapy=None),
    ]

    section = _section(patients)

    assert section["prior_therapy"] == {"yes": 2, "no": 1, "not_recorded": 1}
    assert section["prior_therapy_by_category"] == [
        {"category": high, "n": 2},
        {"category": oral, "n": 1},
    ]


def test_a_value_outside_the_recorded_choices_is_refused():
    with pytest.raises(ValueError, match="prior therapy"):
        _section([patient(1, prior_therapy="interferon")])


def test_baseline_scores_count_each_patient_once_per_instrument():
    patients = [patient(i) for i in range(1, 11)]
    rows = [
        row(i, "edss", timepoint, float(i % 5), None)
        for i in range(1, 11)
        for timepoint in ("3 months", "6 months", "12 months", "24 months")
    ]
    rows.append(row(1, "sdmt", "3 months", 50.0, 52.0))

    scores = {s["instrument"]: s for s in _section(patients, rows)["scores"]}

    assert list(scores) == list(PLAN.condition("ms").outcomes)
    assert scores["edss"]["n"] == 10
    assert scores["edss"]["median"] == 2.0
    assert scores["sdmt"] == {
        "instrument": "sdmt", "n": 1, "median": None, "iqr": None, "categories": [],
    }  # fmt: skip
    assert scores["pain"]["n"] == 0


def test_patients_without_a_baseline_are_not_counted_in_the_scores():
    rows = [row(1, "edss", "3 months", 2.0, 2.5), row(2, "edss", "3 months", None, 3.0)]

    [edss] = [
        s for s in _section([patient(1), patient(2)], rows)["scores"] if s["instrument"] == "edss"
    ]

    assert edss["n"] == 1


def test_two_different_baselines_of_one_patient_are_refused():
    rows = [row(1, "edss", "3 months", 2.0, None), row(1, "edss", "6 months", 2.5, None)]

    with pytest.raises(ValueError, match="two baselines"):
        _section([patient(1)], rows)


def test_baseline_grades_are_counted_for_an_instrument_with_categories():
    rows = [
        row(1, "ais", "3 months", 0.0, None, category="A"),
        row(1, "ais", "6 months", 0.0, None, category="A"),
        row(2, "ais", "3 months", 2.0, None, category="C"),
        row(3, "ais", "3 months", 0.0, None, category="A"),
    ]

    [ais] = [
        s
        for s in _section([patient(i) for i in (1, 2, 3)], rows, condition="sci")["scores"]
        if s["instrument"] == "ais"
    ]

    assert ais["categories"] == [{"category": "A", "n": 2}, {"category": "C", "n": 1}]
