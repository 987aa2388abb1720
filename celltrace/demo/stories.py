"""Plan the demo clinic: who comes, how far each person has got by now, when each step happened.

Pure Python, no database and no clock: a seed, the moment "now" and a snapshot of the catalog
in, a list of stories out. A story is one person's journey as dated steps in order (request,
intake, screening, plan, lot, stay, follow-up); only the steps up to "now" are kept, so the
stage a person is at is where "now" falls in their journey. celltrace/demo/clinic.py then
replays every step through the actions, with the clock moved to its moment.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field, replace
from pathlib import Path

from celltrace.clinical.follow_up import CHECKUP, follow_up_schedule
from celltrace.clinical.home_care import dose_offsets
from celltrace.clinical.registry.plan import load_plan
from celltrace.demo.people import synthetic_person
from celltrace.demo.spinal_exams import exam_course
from celltrace.demo.trajectories import TRAJECTORIES, baseline, edss_course, walk

# Stories per site, and how conditions and stages are shared out among them: a clinic's
# funnel, from many enquiries to fewer treatments. A treated story costs some 170 queries
# through the actions (an unscreened patient 10), so the treated share sets how fast the demo
# starts: benchmarks/demo_start.py.
SITES = {"lisbon": 210, "nicosia": 24}
CONDITIONS = {"ms": 60, "sci": 50, "parkinsons": 35, "t2d": 30, "ckd": 25, "lyme": 8}
STAGES = {
    "open": 6,  # a consultation request not yet turned into a patient
    "closed": 7,  # the advisor closed the request: not a candidate
    "unscreened": 34,  # a patient record, waiting for the screening visit
    "not_eligible": 22,
    "incomplete": 3,  # screened, a blood test missing
    "eligible": 7,  # eligible, with cautions, or donor products only; no plan yet
    "planned": 3,  # a plan, admission ahead
    "in_lab": 3,  # the lot is being made for tomorrow's admission
    "on_ward": 3,
    "discharged": 12,  # home care and check-ups, some lost to follow-up
}
TREATED = ("planned", "in_lab", "on_ward", "discharged")
# The intake and screening steps in order; each ending stops at one of them.
INTAKE = ["submit", "claim", "note", "convert", "facts", "screen", "sign", "sign_2", "plan"]
LAST_INTAKE_STEP = {"closed": "close", "unscreened": "convert", "not_eligible": "sign_2"}
# An incomplete decision cannot be signed: it waits for the missing facts, unsigned.
LAST_INTAKE_STEP |= {"incomplete": "screen", "eligible": "sign_2"}
# Hours from the step before: the advisor's and doctors' pace.
GAP_HOURS = {
    "claim": (1, 48),
    "note": (1, 24),
    "convert": (24, 168),
    "close": (24, 168),
    "facts": (48, 336),
    "screen": (20, 48),
    "sign": (1, 6),
    "sign_2": (2, 30),
    "plan": (20, 120),
}
ADVERSE_EVENTS = [  # (CTCAE term code, chance per treated patient, CTCAE grade)
    ("headache", 0.10, 1),
    ("fever", 0.015, 1),
    ("localized-edema", 0.05, 1),
    ("nausea", 0.03, 1),
    ("back-pain", 0.04, 2),
]
# Of those discharged, some stop answering: after home care, or after a check-up (items
# done before they stop).
FOLLOW_UP_LIMITS = [None] * 6 + [0, 1, 2]  # check-ups attended before stopping
# The outcome registry's cohort: patients treated over the past 30 months and discharged, on
# top of the funnel's, so that each condition's cumulative report has numbers at each time
# point (a cell under 10 patients shows counts only) and some have reached 24 months. Each
# story draws from a generator of its own: the funnel's draws do not depend on it.
REGISTRY = {"ms": 30, "sci": 8, "parkinsons": 6, "t2d": 2, "ckd": 2, "lyme": 1}
# Admitted 100-940 days before now, spread evenly over each condition's patients.
REGISTRY_ADMISSION_DAYS = (100, 940)
# Fewer of them stop answering: after the 3- or the 6-month check-up.
REGISTRY_FOLLOW_UP_LIMITS = [None] * 18 + [1, 2]
# Two MS patients of the cohort (by place among them, 0 the latest treated) treated long
# enough ago withdraw from follow-up some weeks after their 6-month check-up, and say so.
WITHDRAWING = {"ms": (17, 26)}
WITHDRAWS_AFTER = 1  # the check-up (0: 3 months)
# Besides the missed check-ups drawn by chance (CHECKUP_TIMING), two of these MS patients miss
# their 6-month and 12-month check-up for sure: every seed's report shows some incompleteness.
MISSES = {"ms": {20: 1, 23: 2}}
WITHDRAWAL_DAYS = (10, 60)
WITHDRAWAL_REASONS = [
    "Synthetic: moved abroad and no longer wishes to travel for check-ups.",
    "Synthetic: chose to stop follow-up, citing the travel and the cost.",
]
# The time points and windows of the outcome report (days after the first administration).
ANALYSIS_PLAN = (
    Path(__file__).resolve().parent.parent / "outcomes" / "analysis_plans" / "v2.json"
)  # the latest shipped plan
TIMEPOINTS = load_plan(json.loads(ANALYSIS_PLAN.read_text())).timepoints
# When a check-up is done (shares out of 100): near its target day, late but inside its
# window, a few days past the window (so it counts for no time point), or missed (the item
# stays open). Days are from the target day, or past the window's last day.
CHECKUP_TIMING = {"on_time": 80, "late_in_window": 11, "past_window": 3, "missed": 6}
ON_TIME_DAYS = (-7, 10)
PAST_WINDOW_DAYS = (3, 20)
# The screening looks at the treatment this many days after the doctor runs it: the
# 7-day answers (pregnancy, acute infection) are still fresh then.
SCREENING_LOOKAHEAD_DAYS = 3
# Admission one to two and a half weeks after the plan, so the screening visit's answers
# and history review are still within the rules' 30 days on day one.
PLAN_TO_ADMISSION_DAYS = (7, 18)
# Plans still ahead are made further out, so the lab board shows orders on track as well as
# orders whose start-by date (admission minus the product's process days) has passed; still
# within the 30 days the screening visit's answers hold.
PLANNED_ADMISSION_DAYS = (14, 24)
OPENS, CLOSES = 8, 18  # working hours of the clinic's staff
DISCHARGE_HOUR = 17

# Home care after the stay (DOMAIN.md sections 3 and 6): nasal exosomes for the neurological
# conditions, at the catalog's home product; the patient confirms each dose in the portal
# and forgets every MISSED_DOSE_EVERY-th.
HOME_CARE = {
    condition: (
        {
            "product": "exo-home",
            "route": "nasal",
            "dose_per_kg": 1.0e9,
            "every_days": 3,
            "weeks": 5,
            "instructions": "Synthetic: one puff in each nostril after breakfast.",
        },
    )
    for condition in ("ms", "sci")
}
MISSED_DOSE_EVERY = 4
JOURNEY_LOGIN = "demo-patient-de"
JOURNEY_DISCHARGED_DAYS = 63  # the 9th of ten weekly doses falls on today
JOURNEY_HOME_CARE = {
    "product": "exo-home",
    "route": "nasal",
    "dose_per_kg": 1.0e9,
    "every_days": 7,
    "weeks": 10,
    "longer_reason": "Synthetic: slow response after five weeks; continue to the 3-month visit.",
    "instructions": "Synthetic: one puff in each nostril on Sunday morning.",
}

# Care around the stay (the coordinator's bookings, the ward's rounds and therapy sessions,
# side effects followed to their end) is drawn from a generator of its own per story, so
# adding it left every earlier draw, and so each seed's people and stages, as they were.
SITE_LANGUAGES = {"lisbon": "Portuguese", "nicosia": "Greek"}
# The person's clock for the consultation e-mail (people.COUNTRIES); others get the site's.
TIME_ZONES = {
    "United Kingdom": "Europe/London",
    "Germany": "Europe/Berlin",
    "Poland": "Europe/Warsaw",
    "Greece": "Europe/Athens",
    "Ukraine": "Europe/Kyiv",
    "United States": "America/New_York",
}
AIRPORTS = {"lisbon": "Lisbon Airport (LIS), arrivals hall", "nicosia": "Larnaca Airport (LCA)"}
AIRLINES = {  # the flag carrier of each patient's country, for the flight numbers
    "United Kingdom": "BA",
    "Germany": "LH",
    "Poland": "LO",
    "Italy": "AZ",
    "Greece": "A3",
    "Sweden": "SK",
    "Ukraine": "PS",
    "United States": "UA",
    "Netherlands": "KL",
    "Czechia": "OK",
}
DIETS = {"standard": 60, "vegetarian": 12, "gluten_free": 8, "vegan": 5, "halal": 4, "kosher": 3}
DIETS |= {"other": 3}  # described in the notes
OTHER_DIET = "Synthetic: no shellfish, no nuts."
# Hours after admission the coordinator or a doctor schedules the therapy sessions: after the
# day-one re-check and its signatures, before noon (a patient admitted today is on the ward
# by 12:30: stories._anchors).
SCHEDULE_AFTER = dt.timedelta(hours=2, minutes=50)
# The nurse charts the sessions after the morning's and after the afternoon's.
CHARTING = ((12, 30), (17, 30))
MISSED_SHARE = 0.08
MISSED_REASONS = [
    "Synthetic: patient tired after infusion.",
    "Synthetic: patient declined, headache.",
    "Synthetic: therapist off sick, no cover in time.",
    "Synthetic: patient at a diagnostic appointment.",
    "Synthetic: patient asleep after a poor night.",
]
# Of the side effects, this share is still going when reported and resolved hours later.
RESOLVED_LATER_SHARE = 0.5


@dataclass(frozen=True)
class Offer:
    """A product the planner may choose: code, source, shelf life, maximum dose per route."""

    product: str
    source: str
    shelf_life_days: int
    limits: dict[str, float]
    # The catalog's required steps after harvest or donor tissue, cultivation once a passage.
    steps: tuple[str, ...] = ("separation", "cultivation", "formulation", "fill")


@dataclass(frozen=True)
class Event:
    when: dt.datetime
    story: int
    order: int
    step: str
    data: dict = field(default_factory=dict)

    @property
    def key(self) -> tuple:
        return (self.when, self.story, self.order)


@dataclass
class Story:
    number: int
    site: str
    condition: str
    stage: str
    finding: str
    person: dict
    events: list[Event] = field(default_factory=list)
    registry: bool = False  # one of the outcome registry's cohort (REGISTRY)
    withdraws: bool = False  # leaves follow-up after the 6-month check-up (WITHDRAWING)
    misses: int | None = None  # a check-up surely missed (MISSES; 0: 3 months)
    exams: list[dict] = field(default_factory=list)  # SCI: ISNCSCI at baseline, check-ups
    admitted_days_ago: tuple[int, int] = (12, 420)  # when discharged by now: a range
    stay_days: int | None = None  # None: drawn (5-9)
    home_care: tuple[dict, ...] | None = None  # None: the condition's (HOME_CARE)
    portal_login: str | None = None  # the demo's printed login for this patient, if any

    def add(self, when: dt.datetime, step: str, /, **data) -> None:
        self.events.append(
            Event(when.replace(microsecond=0), self.number, len(self.events), step, data)
        )


def plan_clinic(*, seed: int, now: dt.datetime, offers: list[Offer], therapies: list[str]):
    """Return every story of the demo clinic, each cut at `now` (an aware local time)."""
    rng = random.Random(seed)
    stories = []
    for site, count in SITES.items():
        conditions = _share(CONDITIONS, count, rng)
        stages = _share(STAGES, count, rng)
        for condition, stage in zip(conditions, stages, strict=True):
            number = len(stories) + 1
            person = synthetic_person(rng, number, now.date())
            story = Story(number, site, condition, stage, _finding(stage, number), person)
            _plan_story(rng, story, now, offers, therapies)
            if stage in TREATED:
                _plan_care(random.Random(f"{seed}/care/{number}"), story)
            stories.append(story)
    stories += _registry_cohort(seed, now, offers, therapies, first_number=len(stories) + 1)
    stories.append(_journey_story(seed, now, offers, therapies, number=len(stories) + 1))
    _change_plans(stories)
    _trouble_two_lots(stories)
    _follow_one_event(stories)
    _leave_one_unseen(stories, now)
    for story in stories:
        story.events = [event for event in _in_time_order(story.events) if event.when <= now]
    return stories


def _registry_cohort(seed: int, now: dt.datetime, offers, therapies, *, first_number: int):
    """The registry's cohort: treated 100-940 days ago, discharged, followed up since."""
    low, high = REGISTRY_ADMISSION_DAYS
    places = [(c, k, n) for c, n in REGISTRY.items() for k in range(n)]
    sites = _share(SITES, len(places), random.Random(f"{seed}/registry"))
    stories = []
    for number, (condition, k, n), site in zip(
        range(first_number, first_number + len(places)), places, sites, strict=True
    ):
        rng = random.Random(f"{seed}/registry/{number}")
        person = synthetic_person(rng, number, now.date())
        finding = _finding("discharged", number)
        story = Story(number, site, condition, "discharged", finding, person, registry=True)
        story.withdraws = k in WITHDRAWING.get(condition, ())
        story.misses = MISSES.get(condition, {}).get(k)
        span = (high - low) / n
        story.admitted_days_ago = (low + round(k * span), low + round((k + 1) * span) - 1)
        _plan_story(rng, story, now, offers, therapies)
        _plan_care(random.Random(f"{seed}/care/{number}"), story)
        stories.append(story)
    return stories


def _journey_story(seed: int, now: dt.datetime, offers, therapies, *, number: int) -> Story:
    """The German-speaking MS patient who can walk the whole portal journey today.

    Discharged JOURNEY_DISCHARGED_DAYS ago after a week's stay, with weekly nasal exosomes
    for ten weeks (the doctor's written reason): today is a dose day, and the 3-month
    questionnaire window (day 60-120 after the first administration) is open. The patient
    has confirmed every earlier dose; today's is due. They sign in as JOURNEY_LOGIN.
    """
    rng = random.Random(f"{seed}/journey")
    person = synthetic_person(rng, number, now.date()) | {"country": "Germany"}
    person["language"] = "German"
    story = Story(number, "lisbon", "ms", "discharged", "eligible", person)
    story.stay_days = 7
    story.admitted_days_ago = (JOURNEY_DISCHARGED_DAYS + 6,) * 2
    story.home_care = (JOURNEY_HOME_CARE,)
    story.portal_login = JOURNEY_LOGIN
    _plan_story(rng, story, now, offers, therapies)
    _plan_care(random.Random(f"{seed}/care/{number}"), story)
    # Today's dose stays due, however late in the day the demo starts.
    story.events = [
        event
        for event in story.events
        if not (event.step == "confirm_dose" and event.data["day"] >= now.date())
    ]
    return story


def _home_care(story: Story) -> list[dict]:
    """The plan's home-care items: the story's own, else those its condition calls for."""
    if story.home_care is not None:
        return list(story.home_care)
    return [] if story.registry else list(HOME_CARE.get(story.condition, ()))


def _home_doses(story: Story, discharge: dt.date, tz) -> None:
    """The patient's portal login at discharge, then each home-care dose confirmed on its
    evening, except those the patient forgets (MISSED_DOSE_EVERY): the coordinator's list of
    missed doses. Cut at now, today's dose and the later ones are still due."""
    items = _home_care(story)
    if not items:
        return
    leaves = _at(discharge, DISCHARGE_HOUR, 59, tz) + dt.timedelta(minutes=5)
    story.add(leaves, "portal_login", username=story.portal_login)
    for item in items:
        for number, offset in enumerate(dose_offsets(item["every_days"], item["weeks"]), 1):
            if story.portal_login is None and (story.number + number) % MISSED_DOSE_EVERY == 0:
                continue
            day = discharge + dt.timedelta(days=offset)
            at = _at(day, 20, (story.number * 7 + number) % 50, tz)
            story.add(at, "confirm_dose", product=item["product"], day=day)


def _in_time_order(events: list[Event]) -> list[Event]:
    """The story's steps by time, renumbered; two steps planned for one moment a second apart."""
    ordered, last = [], None
    for event in sorted(events, key=lambda e: (e.when, e.order)):
        when = event.when if last is None or event.when > last else last + dt.timedelta(seconds=1)
        ordered.append(replace(event, when=when, order=len(ordered)))
        last = when
    return ordered


def _share(weights: dict[str, int], count: int, rng) -> list[str]:
    """Share `count` places out in proportion to the weights (largest remainder), shuffled."""
    total = sum(weights.values())
    exact = {name: count * weight / total for name, weight in weights.items()}
    places = {name: int(value) for name, value in exact.items()}
    by_remainder = sorted(exact, key=lambda name: exact[name] - places[name], reverse=True)
    for name in by_remainder[: count - sum(places.values())]:
        places[name] += 1
    shared = [name for name, n in places.items() for _ in range(n)]
    rng.shuffle(shared)
    return shared


# What the synthetic facts show, so the demo has every kind of decision (DOMAIN section 2).
FINDINGS = {
    # An exclusion: the doctor records it and stops, more facts could not change the decision.
    "not_eligible": {"yes": ("active_cancer",), "only_yes": True},
    "incomplete": {"skip": ("haemoglobin",)},  # a blood test is missing
    "cautions": {"yes": ("clotting_disorder",)},  # eligible with cautions
    "donor_only": {"yes": ("high_bleeding_risk",)},  # excludes harvesting own cells only
    "eligible": {},
    # Eligible at planning; on admission the nurse records a clotting disorder (on warfarin).
    "day_one_caution": {},
}
# What the nurse's admission answers add to the screening visit's: a caution new on day one
# holds every administration until two doctors sign the re-check with a justification.
ADMISSION_YES = {"day_one_caution": ("clotting_disorder",)}


def _finding(stage: str, number: int) -> str:
    if stage in ("not_eligible", "incomplete"):
        return stage
    if stage == "eligible":  # screened, no plan yet: eligible, with cautions, or donor only
        return ("eligible", "cautions", "donor_only")[number % 3]
    if number % 7 == 0:
        return "donor_only"
    if number % 11 == 0:
        return "day_one_caution"
    return "cautions" if number % 5 == 0 else "eligible"


def _plan_story(rng, story: Story, now: dt.datetime, offers, therapies) -> None:
    if story.stage == "open":
        _open_request(rng, story, now)
    elif story.stage not in TREATED:
        last = LAST_INTAKE_STEP[story.stage]
        days = 400 if story.stage == "closed" else 60
        end = _working(now - dt.timedelta(hours=rng.uniform(2, 24 * days)), backwards=True)
        _intake(rng, story, last, end)
    else:
        admission, plan_at, made_at = _anchors(rng, story.stage, now, story.admitted_days_ago)
        _intake(rng, story, "plan", plan_at)
        _treatment(
            rng, story, offers, therapies, plan_at=plan_at, admission=admission, made_at=made_at
        )


def _open_request(rng, story: Story, now: dt.datetime) -> None:
    submitted = now - dt.timedelta(hours=rng.uniform(1, 6 * 24))
    story.add(submitted, "submit")
    if story.number % 2:  # half are still waiting for an advisor
        claimed = _working(submitted + dt.timedelta(hours=rng.uniform(1, 48)))
        story.add(claimed, "claim")
        noted = _working(claimed + dt.timedelta(hours=rng.uniform(1, 24)))
        # The call just before the note: one whose note is still ahead may be booked, not held.
        _book_call(story, claimed, latest=noted, starts_at=noted - dt.timedelta(minutes=30))
        story.add(noted, "note")
        story.add(noted + dt.timedelta(minutes=2), "consult", answer=_answer(story))


def _book_call(story: Story, claimed: dt.datetime, *, latest=None, starts_at=None) -> None:
    """The advisor books the call soon after claiming: a video call, every fifth by phone.

    Drawn from the story's number, not its generator, so the people and stages of a seed stay
    as they were before consultations were booked.
    """
    story.add(
        claimed + dt.timedelta(minutes=5),
        "book",
        starts_at=(starts_at or claimed + dt.timedelta(minutes=15)).replace(second=0),
        latest=latest,
        mode="phone" if story.number % 5 == 0 else "video",
        time_zone=TIME_ZONES.get(story.person["country"], ""),
    )


def _answer(story: Story) -> str:
    """The advisor's first answer: a request the advisor will close is a no."""
    if story.stage == "closed":
        return "no"
    return "possibly" if story.stage in ("not_eligible", "incomplete") else "yes"


def _anchors(rng, stage: str, now: dt.datetime, days: tuple[int, int]):
    """Return the admission day, the plan's time and the lot's making time (None: the usual);
    a discharged patient was admitted `days` (a range) before now."""
    today, made_at = now.date(), None
    if stage == "planned":
        plan_at = _working(now - dt.timedelta(days=rng.uniform(1, 6)), backwards=True)
        admission = plan_at.date() + dt.timedelta(days=rng.randint(*PLANNED_ADMISSION_DAYS))
        return admission, plan_at, None
    if stage == "in_lab":  # made a few hours ago, QC results due tonight
        made_at = now - dt.timedelta(hours=rng.uniform(1, 3))
        admission = made_at.date() + dt.timedelta(days=1)
    elif stage == "on_ward":
        admission = today - dt.timedelta(days=rng.randint(0, 3))
        # Admitted early enough for the day-one re-check to be done by now.
        while _at(admission, 12, 30, now.tzinfo) > now:
            admission -= dt.timedelta(days=1)
    else:
        admission = today - dt.timedelta(days=rng.randint(*days))
    plan_day = admission - dt.timedelta(days=rng.randint(*PLAN_TO_ADMISSION_DAYS))
    plan_at = _at(plan_day, rng.randint(OPENS + 1, CLOSES - 2), rng.randint(0, 59), now.tzinfo)
    return admission, plan_at, made_at


def _intake(rng, story: Story, last: str, end: dt.datetime) -> None:
    """Add the request-to-decision steps up to `last`, which happens at `end`."""
    steps = INTAKE[: INTAKE.index("convert")] + ["close"] if last == "close" else INTAKE
    steps = steps[: steps.index(last) + 1]
    times = {last: end}
    for later, earlier in zip(steps[:0:-1], steps[-2::-1], strict=True):
        moment = times[later] - dt.timedelta(hours=rng.uniform(*GAP_HOURS[later]))
        # The public writes at any hour; staff work office hours.
        times[earlier] = moment if earlier == "submit" else _working(moment, backwards=True)
    finding = FINDINGS[story.finding]
    for step in steps:
        when = times[step]
        if step == "facts":
            story.add(when, "facts", **finding)
            if story.condition == "ms":
                therapies = prior_therapies(random.Random(f"prior/{story.number}"))
                story.add(when + dt.timedelta(minutes=20), "prior_therapies", codes=therapies)
        elif step == "screen":
            lookahead = dt.timedelta(days=SCREENING_LOOKAHEAD_DAYS)
            story.add(when, "screen", treatment_date=when.date() + lookahead)
        elif step != "plan":  # the plan is added by _treatment, which knows its content
            story.add(when, step)
        if step == "claim" and "note" in times:
            _book_call(story, when, latest=times["note"])
        elif step == "note":  # the note is written after the call: the answers are recorded
            story.add(when + dt.timedelta(minutes=2), "consult", answer=_answer(story))


def _treatment(rng, story: Story, offers, therapies, *, plan_at, admission, made_at) -> None:
    """Add the plan, the lot, the stay and the follow-up, from the plan's time on."""
    tz = plan_at.tzinfo
    offer, route, dose = _choose_product(rng, offers, story.finding)
    stay_days = story.stay_days or rng.randint(5, 9)
    discharge = admission + dt.timedelta(days=stay_days - 1)
    # The lot is made the day before admission: one that keeps two days is given on day one.
    day = 1 if offer.shelf_life_days <= 2 else 2
    story.add(
        plan_at,
        "plan",
        admission=admission,
        discharge=discharge,
        product=offer.product,
        route=route,
        dose=dose,
        day=day,
        planned_time=_dose_time(day),
        therapies=[(code, rng.randint(2, stay_days)) for code in rng.sample(therapies, 3)],
        home_care=_home_care(story),
    )
    made_at = made_at or _at(admission - dt.timedelta(days=1), OPENS, rng.randint(0, 60), tz)
    _lot(rng, story, offer, made_at)
    baselines = _stay(rng, story, admission=admission, day=day, discharge=discharge, tz=tz)
    given_on = admission + dt.timedelta(days=day - 1)
    _home_doses(story, discharge, tz)
    _follow_up(rng, story, discharge, given_on, baselines, tz)


def _dose_time(day: int) -> dt.time:
    """The time the dose is planned for, and given within the hour after: on day one after
    the day-one re-check (14:00), on a later day in the morning (11:00)."""
    return dt.time(14 if day == 1 else 11)


def _stay(rng, story: Story, *, admission, day: int, discharge, tz) -> dict[str, float]:
    """Add admission, day-one re-check, baseline, administration, side effects, discharge."""
    admitted = _at(admission, OPENS, rng.randint(0, 90), tz)
    # The draw that once chose a room number keeps every seed's clinic as it was; the bed
    # is chosen at admission now, among the free ones (steps.admit).
    rng.randint(1, 40)
    story.add(admitted, "admit")
    yes = FINDINGS[story.finding].get("yes", ()) + ADMISSION_YES.get(story.finding, ())
    story.add(admitted + dt.timedelta(minutes=30), "admission_facts", yes=yes)
    story.add(admitted + dt.timedelta(hours=2), "day_one")
    # The doctors sign the re-check when it holds administration (a new caution; also a 70th
    # birthday between the screening visit and admission), before anything is given.
    story.add(admitted + dt.timedelta(hours=2, minutes=20), "review_day_one", doctor="doctor")
    story.add(admitted + dt.timedelta(hours=2, minutes=40), "review_day_one", doctor="doctor_2")
    baselines = _baselines(rng, story)
    if story.condition == "sci":
        story.exams = exam_course(random.Random(rng.random()), len(TIMEPOINTS))
    exam = story.exams[0] if story.exams else None
    story.add(admitted + dt.timedelta(hours=3), "measure", values=baselines, exam=exam)
    planned = _dose_time(day)
    given = _at(admission + dt.timedelta(days=day - 1), planned.hour, rng.randint(0, 59), tz)
    story.add(given, "administer", vitals=_vitals(rng))
    for term, chance, grade in ADVERSE_EVENTS:
        if rng.random() < chance:
            onset = given + dt.timedelta(hours=rng.uniform(2, 8))
            story.add(onset, "adverse_event", term=term, grade=grade)
    # The patient leaves after the discharge day's last therapy session (16:00, care.actions).
    discharged = _at(discharge, DISCHARGE_HOUR, rng.randint(0, 59), tz)
    story.add(discharged, "discharge", doctor=rng.choice(["doctor", "doctor_2"]))
    return baselines


def _choose_product(rng, offers: list[Offer], finding: str):
    sources = (
        ["allogeneic"] if finding == "donor_only" else ["autologous", "allogeneic", "allogeneic"]
    )
    source = rng.choice(sources)
    offer = rng.choice([o for o in offers if o.source == source])
    route = rng.choice(sorted(offer.limits))
    return offer, route, round(offer.limits[route] * rng.choice([0.5, 0.75, 1.0]))


def _lot(rng, story: Story, offer: Offer, made_at: dt.datetime) -> None:
    """Harvest or donor tissue, processing, QC and release, all before the admission."""
    story.add(made_at, "make_lot", donor_code=f"D-{rng.randint(1000, 9999)}")
    # The product's own steps in the catalog's order, half an hour apart: the demo's lab is
    # quicker than a real culture, so that a lot made the day before admission keeps.
    for number, step in enumerate(offer.steps, start=1):
        story.add(made_at + dt.timedelta(minutes=30 * number), "process", step=step)
    story.add(made_at + dt.timedelta(hours=6), "qc", quality=rng.uniform(0.3, 0.9))
    story.add(made_at + dt.timedelta(hours=7), "release")
    if offer.source == "allogeneic":
        story.add(made_at + dt.timedelta(hours=7, minutes=15), "allocate")


def _follow_up(rng, story: Story, discharge, given_on, baselines: dict[str, float], tz) -> None:
    """Each check-up near its target day, late, past its window or
    missed (CHECKUP_TIMING), with the condition's measures; until the patient stops answering.

    The schedule is the one discharge_patient makes: check-ups count from the first
    administration (`given_on`), the outcome report's day 0.
    """
    limits = REGISTRY_FOLLOW_UP_LIMITS if story.registry else FOLLOW_UP_LIMITS
    limit = None if story.withdraws else rng.choice(limits)
    schedule = follow_up_schedule(discharge, given_on)
    visits = _courses(rng, story.condition, baselines, len(TIMEPOINTS))
    relapse_visit = visits.pop("relapse", None)
    checkup = -1
    for index, item in enumerate(schedule[:limit]):
        if item.kind != CHECKUP:
            day = item.due_date + dt.timedelta(days=rng.randint(0, 2))
            done = _at(day, rng.randint(OPENS + 1, CLOSES - 2), rng.randint(0, 59), tz)
            story.add(done, "complete_follow_up", index=index)
            continue
        checkup += 1
        day = _checkup_day(rng, given_on, item.due_date)
        if checkup == story.misses:
            day = None
        if day is not None:  # None: missed, the item stays open, the time point has no value
            done = _at(day, rng.randint(OPENS + 1, CLOSES - 2), rng.randint(0, 59), tz)
            if _books(story, checkup, (day - given_on).days):
                _book_and_attend(story, index, done, after=discharge)
            else:
                story.add(done, "complete_follow_up", index=index)
            values = {instrument: course[checkup] for instrument, course in visits.items()}
            exam = story.exams[checkup + 1] if story.exams else None
            story.add(
                done + dt.timedelta(hours=1), "measure", values=values, exam=exam, follow_up=True
            )
            if relapse_visit == checkup:
                onset = day - dt.timedelta(days=rng.randint(14, 45))
                story.add(done + dt.timedelta(hours=1, minutes=30), "relapse", onset=onset)
            scan = mri_scan(
                story, checkup, relapsed=relapse_visit is not None and relapse_visit <= checkup
            )
            if scan is not None:
                story.add(done + dt.timedelta(hours=1, minutes=45), "mri_scan", **scan)
        if story.withdraws and checkup == WITHDRAWS_AFTER:
            _withdraw(story, day or item.due_date, tz)
            return


# A share of the clinic's current patients (not the registry cohort, whose report stays as
# it was) have their check-up booked as an appointment some weeks ahead, on a day in its
# window; cut at now, the ones still to come show as booked, the past ones as attended.
BOOKED_SHARE = 0.8
BOOKED_AHEAD_DAYS = (30, 90)
PLACES = (("clinic", 60), ("video", 25), ("phone", 15))


def _books(story: Story, checkup: int, day: int) -> bool:
    """Whether this check-up is booked ahead: drawn from its own seed, so adding bookings
    changes no other part of the story; only days inside the window are booked."""
    if story.registry or not TIMEPOINTS[checkup].holds(day):
        return False
    return random.Random(f"appointment/{story.number}/{checkup}").random() < BOOKED_SHARE


def _book_and_attend(story: Story, index: int, starts: dt.datetime, *, after: dt.date) -> None:
    """The coordinator books the agreed day weeks ahead (from the day after the discharge,
    which scheduled the check-up); the patient comes at that time."""
    rng = random.Random(f"appointment/{story.number}/{index}/booking")
    booked = starts - dt.timedelta(days=rng.randint(*BOOKED_AHEAD_DAYS))
    booked = max(booked, _at(after + dt.timedelta(days=1), 0, 0, starts.tzinfo))
    booked = _at(
        booked.date(), rng.randint(OPENS + 1, CLOSES - 2), rng.randint(0, 59), starts.tzinfo
    )
    place = rng.choices([p for p, _w in PLACES], weights=[w for _p, w in PLACES])[0]
    story.add(
        booked, "book_checkup", index=index, day=starts.date(), time=starts.time(), place=place
    )
    story.add(starts + dt.timedelta(minutes=30), "attend_checkup", index=index)


# MS check-ups with a brain MRI (12 and 24 months: indices into TIMEPOINTS); a share of the
# patients have none at the clinic, so NEDA-3 shows patients "not evaluable" too.
MRI_CHECKUPS = (2, 3)
NO_MRI_SHARE = 0.2
# Without a relapse, the chance of a new T2 lesion at a scan; without contrast, Gd is unknown.
SILENT_ACTIVITY = 0.12
NO_CONTRAST = 0.3
MS_PRIOR = (("none",), ("interferon_beta",), ("glatiramer",), ("dimethyl_fumarate",),
            ("interferon_beta", "natalizumab"), ("s1p_modulator", "anti_cd20"))  # fmt: skip
MS_PRIOR_WEIGHTS = (35, 20, 10, 15, 10, 10)


def prior_therapies(rng) -> tuple[str, ...]:
    """An MS patient's prior therapy codes (prior_therapies.json), as told at screening."""
    return rng.choices(MS_PRIOR, weights=MS_PRIOR_WEIGHTS)[0]


def mri_scan(story: Story, checkup: int, *, relapsed: bool) -> dict | None:
    """The lesion counts of an MS patient's MRI at this check-up, or None: no scan.

    Drawn from its own seed, so adding scans changes no other part of the demo's story.
    """
    rng = random.Random(f"mri/{story.number}/{checkup}")
    if story.condition != "ms" or checkup not in MRI_CHECKUPS:
        return None
    if random.Random(f"mri/{story.number}").random() < NO_MRI_SHARE:
        return None
    active = relapsed or rng.random() < SILENT_ACTIVITY
    new_t2 = rng.randint(1, 3) if active else 0
    gd = None if rng.random() < NO_CONTRAST else (rng.randint(0, 2) if active else 0)
    return {"new_t2_lesions": new_t2, "gd_lesions": gd}


def _withdraw(story: Story, last_seen: dt.date, tz) -> None:
    """The coordinator records the patient's withdrawal, told some weeks after the check-up."""
    rng = random.Random(f"withdrawal/{story.number}")
    on = last_seen + dt.timedelta(days=rng.randint(*WITHDRAWAL_DAYS))
    when = _at(on, rng.randint(OPENS + 1, CLOSES - 2), rng.randint(0, 59), tz)
    story.add(when, "end_follow_up", reason="withdrawn", detail=rng.choice(WITHDRAWAL_REASONS))


def _checkup_day(rng, given_on: dt.date, due: dt.date) -> dt.date | None:
    """The day a check-up due on `due` is done (None: missed), drawn from CHECKUP_TIMING."""
    timepoint = next(tp for tp in TIMEPOINTS if given_on + dt.timedelta(tp.target_day) == due)
    timing = _draw(rng, CHECKUP_TIMING)
    if timing == "on_time":
        return due + dt.timedelta(days=rng.randint(*ON_TIME_DAYS))
    if timing == "late_in_window":
        late = rng.randint(ON_TIME_DAYS[1] + 1, timepoint.last_day - timepoint.target_day)
        return due + dt.timedelta(days=late)
    if timing == "past_window":
        past = timepoint.last_day + rng.randint(*PAST_WINDOW_DAYS)
        return given_on + dt.timedelta(days=past)
    return None


def _courses(rng, condition: str, baselines: dict[str, float], visits: int) -> dict:
    """Each measure's value at each check-up (done or not), and "relapse": the check-up an MS
    relapse came before, if any (trajectories.py)."""
    courses = {}
    for row in TRAJECTORIES[condition]:
        if row.instrument == "edss":
            courses["edss"], relapse = edss_course(rng, row, baselines["edss"], visits)
            if relapse is not None:
                courses["relapse"] = relapse
        else:
            courses[row.instrument] = walk(rng, row, baselines[row.instrument], visits)
    return courses


def _baselines(rng, story: Story) -> dict[str, float]:
    return {row.instrument: baseline(rng, row) for row in TRAJECTORIES[story.condition]}


def _vitals(rng) -> dict:
    return {
        "temperature_c": round(rng.uniform(36.3, 37.2), 1),
        "heart_rate": rng.randint(58, 88),
        "systolic_bp": rng.randint(110, 138),
        "diastolic_bp": rng.randint(68, 86),
        "spo2": rng.randint(95, 99),
    }


def _at(day: dt.date, hour: int, minutes: int, tz) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=tz) + dt.timedelta(minutes=minutes)


def _working(moment: dt.datetime, *, backwards: bool = False) -> dt.datetime:
    """Move a staff member's step into office hours: earlier when going backwards, else later."""
    if OPENS <= moment.hour < CLOSES:
        return moment
    if backwards:
        day = moment.date() - dt.timedelta(days=moment.hour < OPENS)
        return _at(day, CLOSES - 1, moment.minute, moment.tzinfo)
    day = moment.date() + dt.timedelta(days=moment.hour >= CLOSES)
    return _at(day, OPENS, moment.minute, moment.tzinfo)


# Care around the stay ---------------------------------------------------------------------


def _first(story: Story, step: str) -> Event:
    return next(event for event in story.events if event.step == step)


def _plan_care(rng, story: Story) -> None:
    """Add the bookings, the ward's rounds and therapy sessions, and the side effects followed."""
    plan = _first(story, "plan")
    _bookings(rng, story, plan)
    admitted, given = _first(story, "admit").when, _first(story, "administer").when
    _ward_care(rng, story, plan.data, admitted=admitted, given=given)
    for index, event in enumerate(story.events):
        if event.step == "adverse_event" and rng.random() < RESOLVED_LATER_SHARE:
            _resolve_later(story, index, dt.timedelta(hours=rng.uniform(3, 10)))


def _bookings(rng, story: Story, plan: Event) -> None:
    """The coordinator books the program's services some days after the plan.

    Some patients of a plan made this week wait for their interpreter, so the coordinator's
    list shows what is still missing.
    """
    admission, discharge, tz = plan.data["admission"], plan.data["discharge"], plan.when.tzinfo
    day = plan.when.date() + dt.timedelta(days=rng.randint(2, 5))
    booked = _at(day, rng.randint(OPENS + 1, CLOSES - 2), rng.randint(0, 45), tz)
    language = story.person["language"]
    waiting = story.stage == "planned" and rng.random() < 0.5
    if language != SITE_LANGUAGES[story.site] and not waiting:
        story.add(booked, "interpreter")
    airline = AIRLINES[story.person["country"]]
    if rng.random() < 0.8:  # most fly in the day before
        arrival = (
            admission - dt.timedelta(days=1),
            dt.time(rng.randint(12, 21), 5 * rng.randint(0, 11)),
        )
    else:  # an early flight on the day, at the clinic for admission
        arrival = (admission, dt.time(6, 5 * rng.randint(0, 11)))
    if rng.random() < 0.75:  # home on the discharge day's evening
        departure = (
            discharge,
            dt.time(rng.randint(DISCHARGE_HOUR + 1, 21), 5 * rng.randint(0, 11)),
        )
    else:  # a morning flight the day after
        departure = (discharge + dt.timedelta(days=1), dt.time(rng.randint(7, 11), 0))
    for minutes, direction, (on, time), pickup in (
        (4, "arrival", arrival, AIRPORTS[story.site]),
        (8, "departure", departure, "Clinic reception"),
    ):
        flight = f"{airline}{rng.randint(100, 2999)}"
        story.add(
            booked + dt.timedelta(minutes=minutes),
            "transfer",
            direction=direction,
            flight=flight,
            day=on,
            time=time,
            pickup=pickup,
        )
    diet = "diabetic" if story.condition == "t2d" else _draw(rng, DIETS)
    notes = OTHER_DIET if diet == "other" else ""
    story.add(booked + dt.timedelta(minutes=12), "meals", diet=diet, notes=notes)


def _draw(rng, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _ward_care(rng, story: Story, plan: dict, *, admitted, given) -> None:
    """The sessions scheduled after admission and charted twice a day (those after the
    discharge as missed: steps.chart_sessions), and the doctor's round each day."""
    tz, admission = admitted.tzinfo, plan["admission"]
    scheduled = admitted + SCHEDULE_AFTER
    planned = sum(sessions for _code, sessions in plan["therapies"])
    missed = {
        index: rng.choice(MISSED_REASONS) for index in range(planned) if rng.random() < MISSED_SHARE
    }
    by = rng.choice(["coordinator", "doctor"])
    story.add(scheduled, "schedule_sessions", by=by, missed=missed)
    days = (plan["discharge"] - admission).days + 1
    pain = (2, 6) if story.condition in ("sci", "lyme") else (0, 3)
    for n in range(days):
        day = admission + dt.timedelta(days=n)
        # The first round when the patient has settled in; then each morning's.
        taken = (
            admitted + dt.timedelta(minutes=75)
            if n == 0
            else _at(day, 8, 30 + rng.randint(0, 90), tz)
        )
        story.add(taken, "ward_round", **_round(rng, n, days, day == given.date(), pain))
        for hour, minute in CHARTING:
            moment = _at(day, hour, minute + rng.randint(0, 20), tz)
            if moment > scheduled:
                story.add(moment, "chart_sessions")


def _round(rng, n: int, days: int, giving: bool, pain: tuple[int, int]) -> dict:
    if n == 0:
        plan_for_day = "Settle in; day-one re-check, baseline scores; meet the therapists."
    elif giving:
        plan_for_day = "Cell administration today; vital signs before, at 1 h and at 4 h."
    elif n == days - 1:
        plan_for_day = "Discharge after the last session: letter, home care, check-up dates."
    else:
        plan_for_day = "Continue the therapy sessions; mobilise; watch for late reactions."
    status = _draw(rng, {"stable": 75, "improved": 20 if n > 1 else 0, "new_symptom": 5})
    notes = "Synthetic: tingling in both feet, power unchanged." if status == "new_symptom" else ""
    return {
        "vitals": _vitals(rng),
        "pain_nrs": rng.randint(*pain),
        "neuro_status": status,
        "neuro_notes": notes,
        "plan_for_day": plan_for_day,
    }


def _resolve_later(story: Story, index: int, after: dt.timedelta) -> None:
    """Report the side effect still going, and resolve it `after` its report."""
    event = story.events[index]
    story.events[index] = replace(event, data={**event.data, "resolved": False})
    story.add(event.when + after, "resolve_event", term=event.data["term"])


def _follow_one_event(stories: list[Story]) -> None:
    """One side effect resolved later is followed with an update on the way."""
    for story in stories:
        events = [e for e in story.events if e.step == "adverse_event"]
        if story.stage != "discharged" or not events:
            continue
        reported = events[0]
        if reported.data.get("resolved", True):
            _resolve_later(story, story.events.index(reported), dt.timedelta(hours=6))
        resolved = next(
            e
            for e in story.events
            if e.step == "resolve_event" and e.data["term"] == reported.data["term"]
        )
        middle = reported.when + (resolved.when - reported.when) / 2
        story.add(middle, "follow_event", term=reported.data["term"])
        return


def _trouble_two_lots(stories: list[Story]) -> None:
    """One lot's viability fails and an investigation finds a laboratory error (the retest
    passes); another autologous lot fails for real and is released exceptionally."""
    treated = [
        story
        for story in stories
        if story.stage == "discharged" and not any(e.step == "amend" for e in story.events)
    ]
    autologous = [
        story for story in treated if "auto" in _first(story, "plan").data["product"].split("-")
    ]
    exceptional = autologous[0] if autologous else None
    retested = next(story for story in treated if story is not exceptional)
    _set_qc_outcome(retested, "retest")
    if exceptional is not None:
        _set_qc_outcome(exceptional, "confirmed")
        index = exceptional.events.index(_first(exceptional, "release"))
        exceptional.events[index] = replace(exceptional.events[index], step="release_exceptionally")


def _set_qc_outcome(story: Story, outcome: str) -> None:
    index = story.events.index(_first(story, "qc"))
    event = story.events[index]
    story.events[index] = replace(event, data={**event.data, "outcome": outcome})


def _change_plans(stories: list[Story]) -> None:
    """A discharged patient's plan was amended the day after it was made (the weight
    corrected); a planned patient's plan is cancelled before anything was booked."""
    amended = next(story for story in stories if story.stage == "discharged")
    plan = _first(amended, "plan")
    weight = round(amended.person["weight_kg"] + 2.4, 1)
    amended.add(plan.when + dt.timedelta(days=1), "amend", weight_kg=weight)
    cancelled = next(story for story in stories if story.stage == "planned")
    plan = _first(cancelled, "plan")
    cancelled.events = [event for event in cancelled.events if event.when <= plan.when]
    cancelled.add(_working(plan.when + dt.timedelta(hours=2)), "cancel")


def _leave_one_unseen(stories: list[Story], now: dt.datetime) -> None:
    """One patient on the ward has had no round today yet: the doctor's list flags them."""
    story = next((story for story in stories if story.stage == "on_ward"), None)
    if story is not None:
        story.events = [
            event
            for event in story.events
            if not (event.step == "ward_round" and event.when.date() == now.date())
        ]
