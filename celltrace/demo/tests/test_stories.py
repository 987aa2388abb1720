"""The demo's stories: the same clinic for a seed, each story in order and cut at now."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from celltrace.clinical.therapy_schedule import TherapyCourse, spread_sessions
from celltrace.demo.stories import STAGES, Offer, plan_clinic

OFFERS = [
    Offer("msc-bm-auto", "autologous", 2, {"intravenous": 2e6, "intrathecal": 1e6}),
    Offer("nsc-allo", "allogeneic", 2, {"intravenous": 1e6}),
    Offer("msc-uc-allo-act", "allogeneic", 3, {"intravenous": 1.5e6, "local": 5e5}),
]
THERAPIES = ["physio", "massage", "acupuncture", "ozone", "xenon"]
LISBON = ZoneInfo("Europe/Lisbon")
# Early morning, noon, just before midnight, and the night the clocks go forward.
NOWS = [
    dt.datetime(2026, 11, 26, 6, 5, tzinfo=LISBON),
    dt.datetime(2026, 11, 26, 12, 0, tzinfo=LISBON),
    dt.datetime(2026, 11, 26, 23, 59, tzinfo=LISBON),
    dt.datetime(2026, 3, 29, 3, 30, tzinfo=LISBON),
    dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC),
]
# The last step each stage's story has reached by now, and a step it has not.
REACHED = {
    "open": ("submit", "convert"),
    "closed": ("close", "convert"),
    "unscreened": ("convert", "facts"),
    "not_eligible": ("sign_2", "plan"),
    "incomplete": ("screen", "sign"),  # waits for the missing facts, unsigned
    "eligible": ("sign_2", "plan"),
    "planned": ("plan", "make_lot"),
    "in_lab": ("make_lot", "release"),
    "on_ward": ("day_one", "discharge"),
    "discharged": ("discharge", None),
}


def _plan(seed=2026, now=NOWS[0]):
    return plan_clinic(seed=seed, now=now, offers=OFFERS, therapies=THERAPIES)


def _people(stories):
    return [(s.site, s.condition, s.stage, s.finding, s.person["full_name"]) for s in stories]


def test_a_seed_gives_the_same_clinic_on_any_day():
    assert _plan() == _plan()
    assert _people(_plan(now=NOWS[0])) == _people(_plan(now=NOWS[4]))
    assert _people(_plan(seed=1)) != _people(_plan(seed=2))


@pytest.mark.parametrize("now", NOWS, ids=str)
def test_each_story_happens_in_order_and_never_after_now(now):
    for story in _plan(now=now):
        moments = [event.when for event in story.events]
        assert moments == sorted(set(moments)), (story.number, story.stage)
        assert moments[-1] <= now, (story.number, story.stage)


@pytest.mark.parametrize("now", NOWS, ids=str)
def test_now_falls_where_each_stage_says(now):
    stories = _plan(now=now)
    assert {story.stage for story in stories} == set(STAGES)
    for story in stories:
        steps = [event.step for event in story.events]
        reached, not_yet = REACHED[story.stage]
        assert reached in steps, (story.number, story.stage, steps)
        assert not_yet not in steps, (story.number, story.stage, steps)


def test_a_plan_asks_no_more_than_the_maximum_dose_of_its_product_and_route():
    limits = {offer.product: offer.limits for offer in OFFERS}
    plans = [e.data for story in _plan() for e in story.events if e.step == "plan"]
    assert plans
    for plan in plans:
        assert 0 < plan["dose"] <= limits[plan["product"]][plan["route"]]


def test_a_lot_that_keeps_two_days_is_given_on_the_first_day_of_the_stay():
    shelf_life = {offer.product: offer.shelf_life_days for offer in OFFERS}
    for story in _plan():
        for event in story.events:
            if event.step == "plan":
                assert (event.data["day"] == 1) == (shelf_life[event.data["product"]] <= 2)


def _with_plan(step: str, now) -> list:
    """Each `step` of the stories cut at `now`, with its story's plan and story number."""
    found = []
    for story in _plan(now=now):
        plan = next((e.data for e in story.events if e.step == "plan"), None)
        found += [(plan, event, story.number) for event in story.events if event.step == step]
    return found


@pytest.mark.parametrize("now", NOWS, ids=str)
def test_a_dose_is_given_on_its_planned_day_within_the_hour_after_its_planned_time(now):
    given = _with_plan("administer", now)
    assert given
    for plan, event, _number in given:
        when = event.when.astimezone(now.tzinfo)
        assert when.date() == plan["admission"] + dt.timedelta(days=plan["day"] - 1)
        assert plan["planned_time"] == dt.time(14 if plan["day"] == 1 else 11)
        assert plan["planned_time"] <= when.time() < dt.time(plan["planned_time"].hour + 1)


@pytest.mark.parametrize("now", NOWS, ids=str)
def test_the_therapy_sessions_fit_the_rest_of_the_stay_when_they_are_scheduled(now):
    scheduled = _with_plan("schedule_sessions", now)
    assert scheduled
    for plan, event, number in scheduled:
        courses = [TherapyCourse(n, code, k) for n, (code, k) in enumerate(plan["therapies"])]
        schedule = spread_sessions(
            courses,
            first_day=event.when.date(),
            last_day=plan["discharge"],
            arrival=event.when.time(),
        )
        assert not schedule.unplaced, number


def test_the_care_around_a_stay_happens_between_admission_and_discharge():
    for story in _plan():
        steps = [event.step for event in story.events]
        if "discharge" not in steps:
            continue
        admitted, discharged = steps.index("admit"), steps.index("discharge")
        for step in ("ward_round", "schedule_sessions"):
            assert all(admitted < i < discharged for i, s in enumerate(steps) if s == step)
        # The coordinator books before the patient arrives.
        for step in ("interpreter", "transfer", "meals"):
            assert all(i < admitted for i, s in enumerate(steps) if s == step), story.number
