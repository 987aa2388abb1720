"""Properties of the flow, follow-up, baseline and subgroup sections on any treated group."""

import json
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from celltrace.clinical.registry.baseline import baseline_section
from celltrace.clinical.registry.follow_up_time import follow_up_section, follow_up_times
from celltrace.clinical.registry.inputs import DIED, WITHDRAWN, FollowUpEnd, Reading
from celltrace.clinical.registry.subgroups import subgroup_section

from .registry_builders import CUTOFF, START, day, patient, plan, report_inputs, row

PLAN = plan()
SPAN = (CUTOFF - START).days


@st.composite
def treated_patients(draw, patient_id):
    first = draw(st.integers(0, SPAN))
    last = draw(st.none() | st.integers(first, SPAN))
    end_day = draw(st.integers(first, SPAN))
    end = draw(st.sampled_from([None, FollowUpEnd(day(end_day), DIED)]))
    end = end or draw(st.sampled_from([None, FollowUpEnd(day(end_day), WITHDRAWN)]))
    return patient(
        patient_id,
        first_administration=day(first),
        last_contact=None if last is None else day(last),
        end=end,
        sex=draw(st.sampled_from(["female", "male", ""])),
        product=draw(st.sampled_from(["MSC-UC", "MSC-AD"])),
        birth_date=draw(st.none() | st.dates(date(1900, 1, 1), date(2010, 12, 31))),
        prior_therapy=draw(st.sampled_from(["yes", "no", None])),
    )


@st.composite
def cohorts(draw):
    n = draw(st.integers(1, 25))
    patients = [draw(treated_patients(i)) for i in range(1, n + 1)]
    readings = tuple(
        Reading(p.patient_id, "edss", day(draw(st.integers(0, SPAN + 100))), 2.0)
        for p in patients
        if draw(st.booleans())
    )
    rows = [
        row(p.patient_id, "edss", "6 months", draw(st.none() | st.sampled_from([1.0, 3.0, 6.0])),
            draw(st.none() | st.sampled_from([0.5, 3.0, 6.5])))
        for p in patients
    ]  # fmt: skip
    return report_inputs(patients, readings=readings), rows


@settings(max_examples=30, deadline=None)
@given(cohorts())
def test_sections_count_every_treated_patient_once_and_serialise_as_json(cohort):
    inputs, rows = cohort
    n = len(inputs.patients)

    for subgroup in subgroup_section(inputs, PLAN, rows):
        assert sum(r["n"] for r in subgroup["rows"]) == n
        assert sum(r["paired"] for r in subgroup["rows"]) == sum(
            1 for r in rows if r["baseline"] is not None and r["value"] is not None
        )
    baseline = baseline_section(inputs, PLAN, rows)
    assert sum(baseline["sex"].values()) == sum(baseline["prior_therapy"].values()) == n
    json.dumps([baseline, subgroup_section(inputs, PLAN, rows)], allow_nan=False)


@settings(max_examples=30, deadline=None)
@given(cohorts())
def test_observed_follow_up_never_exceeds_the_potential_and_serialises_as_json(cohort):
    inputs, _ = cohort

    for time in follow_up_times(inputs):
        assert 0 <= time.observed <= time.potential
    section = follow_up_section(inputs, plan(small_cell=1))
    if section["clarks_c"] is not None:
        assert 0 <= section["clarks_c"] <= 1
    json.dumps(section, allow_nan=False)
