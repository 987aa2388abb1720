import pytest

from celltrace.catalog.models import Condition
from celltrace.outcomes.summary import condition_summary


@pytest.fixture
def ms(catalog):
    return Condition.objects.get(code="ms")


def test_stages_are_derived_from_the_records(cohort, ms, manager):
    stages = {s.code: s.patients for s in condition_summary(ms, manager).stages}
    assert stages == {
        "request": 2,
        "screened": 1,
        "planned": 1,
        "in_lab": 1,
        "on_ward": 1,
        "follow_up": 3,
    }


def test_the_edss_summary_matches_the_hand_computation(cohort, ms, manager):
    summary = condition_summary(ms, manager)
    assert summary.treated == 4
    (edss,) = summary.instruments
    stats = edss.stats
    assert stats.n == 3 and stats.without_follow_up == 1
    assert stats.baseline.mean == pytest.approx(13 / 3)
    assert stats.latest.mean == pytest.approx(12.5 / 3)
    assert stats.change.mean == pytest.approx(-1 / 6)
    # sd of (-1, 0.5, 0) = 0.76376; se = 0.44096; t(2) = 4.3027
    assert stats.change.low == pytest.approx(-2.0640, abs=1e-3)
    assert stats.change.high == pytest.approx(1.7306, abs=1e-3)
    assert (stats.improved, stats.unchanged, stats.worsened) == (1, 1, 1)


def test_adverse_events_and_the_fever_rate_with_its_wilson_interval(cohort, ms, manager):
    summary = condition_summary(ms, manager)
    assert summary.events_by_grade == {1: 1, 2: 1, 3: 0, 4: 0, 5: 0}
    fever = summary.fever
    assert (fever.events, fever.n, fever.rate) == (1, 4, 0.25)
    assert fever.low == pytest.approx(0.0456, abs=1e-4)
    assert fever.high == pytest.approx(0.6994, abs=1e-4)


def test_an_administrator_sees_every_site(cohort, ms, admin_user):
    summary = condition_summary(ms, admin_user)
    assert summary.treated == 5
    assert summary.instruments[0].stats.n == 4
    assert summary.fever.events == 2  # "fever after infusion" counts as a fever event
