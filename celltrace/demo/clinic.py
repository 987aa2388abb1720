"""Build the demo clinic: some 200 synthetic patients at two sites, at every stage of the journey.

The clinic is made by the product. celltrace/demo/stories.py plans each person's story as
dated steps up to now; here every step of every story is replayed in time order, with the
clock moved to its moment (time-machine), through the action a user's click calls
(celltrace/demo/steps.py). So each record is one the live system accepted at its time: a
request before its patient, a final decision before the plan, a released lot before the
admission, nothing after now, and an audit history that tells the same story.
celltrace/demo/tests/ check that over every record.

Deterministic for a seed: the same people, stages, decisions and products on any day (dates
move with today; patient codes are drawn by convert_to_patient, at random).
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from operator import attrgetter

import time_machine
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.signals import pre_save
from django.utils import timezone

from celltrace.audit import save_by
from celltrace.catalog.models import CellProduct, Condition, DoseLimit, QCSpecification, Therapy
from celltrace.clinical.eligibility.rules import AnswerTest
from celltrace.demo import cryostore, portal, setup
from celltrace.demo.bulk import in_bulk
from celltrace.demo.donors import lab_at_the_end
from celltrace.demo.questionnaires import patients_answer_questionnaires
from celltrace.demo.steps import STEPS, Case, open_ward
from celltrace.demo.stories import Event, Offer, plan_clinic
from celltrace.deployment.starting import load_starting_catalog
from celltrace.intake.models import ConsultationRequest
from celltrace.outcomes.locked_plan import lock_shipped_plans
from celltrace.patients.models import Patient
from celltrace.refusal import Refused
from celltrace.screening.evaluation import current_ruleset
from celltrace.screening.loading import starting_ruleset
from celltrace.sweeps import run_sweeps

# Cell products of the demo's plans: MSCs and neural stem cells, dosed in cells per kg.
PLANNED_KINDS = ("msc", "neural")


class DemoStepRefused(Exception):
    """An action refused a step of a demo story: the story, not the action, is wrong."""


class Clinic:
    """The sites, staff and catalog the steps work with, and the public form's routing."""

    def __init__(self):
        self.sites = setup.open_sites()
        self.admin, self.staff = setup.hire_staff(self.sites)
        for site in self.sites.values():
            open_ward(site, self.admin)
        self.admissions: dict[int, int] = {}  # per site: the doctors take admissions in turn
        self.password = setup.DEMO_PASSWORD
        self.conditions = {c.code: c for c in Condition.objects.all()}
        self.products = {p.code: p for p in CellProduct.objects.all()}
        self.therapies = {t.code: t for t in Therapy.objects.all()}
        self.qc_specs = {}
        for spec in QCSpecification.objects.order_by("pk"):
            self.qc_specs.setdefault(spec.product_id, []).append(spec)
        rules = current_ruleset().to_domain().rules
        self.answer_tests = [r.test for r in rules if isinstance(r.test, AnswerTest)]

    def questions_for(self, sex: str, *, stale_after_days: int | None = None) -> list[str]:
        """The questions the rules ask of a patient of `sex`; with `stale_after_days`, only
        those whose answers the rules keep for fewer days."""
        tests = [test for test in self.answer_tests if test.only_for_sex in (None, sex)]
        if stale_after_days is not None:
            tests = [test for test in tests if test.max_age_days < stale_after_days]
        return list(dict.fromkeys(test.question for test in tests))

    def route_public_form(self, site_code: str) -> None:
        """Point the public form at one site, as an administrator does in the admin.

        submit_request files every request at the first site that receives public requests;
        the other site's patients can only come in while it is that site.
        """
        for site in self.sites.values():
            receives = site.code == site_code
            if site.receives_public_requests != receives:
                site.receives_public_requests = receives
                save_by(site, self.admin)


@transaction.atomic
def build_clinic(*, seed: int) -> None:
    """Build the whole demo clinic in one transaction, from its opening day to now."""
    now = timezone.localtime().replace(microsecond=0)
    load_starting_catalog()  # clinic policy: no dates; the rule set is published below
    stories = plan_clinic(seed=seed, now=now, offers=_offers(), therapies=_therapy_codes())
    events = sorted(
        [*(event for story in stories for event in story.events), *cryostore.plan_store(now)],
        key=attrgetter("key"),
    )
    opening = events[0].when - dt.timedelta(days=1)
    # PBKDF2 releases the GIL: the logins' full-strength hash is computed beside the build.
    with ThreadPoolExecutor(max_workers=1) as pool:
        login_hash = pool.submit(setup.full_strength_hash)
        travel = time_machine.travel(_instant(opening), tick=False)
        with travel as clock, in_bulk(), _requests_marked_synthetic():
            starting_ruleset()  # published on the opening day, before any screening
            lock_shipped_plans()  # the outcome report's analysis plan, locked before any result
            clinic = Clinic()
            cases = {story.number: Case(story, clinic.staff[story.site]) for story in stories}
            cases[cryostore.STORE_STORY] = cryostore.StoreCase(clinic.staff[cryostore.SITE])
            for event in events:
                clock.move_to(_instant(event.when))
                _replay(clinic, cases[event.story], event)
            # The demo patient's portal, between the stories' last step and now.
            shown = Patient.objects.filter(stays__discharged_at__isnull=False).order_by("pk")[0]
            last = max(event.when for event in events)
            move = lambda when: clock.move_to(_instant(when))  # noqa: E731
            portal.open_portal(shown, clinic, move, start=last, now=now)
            clock.move_to(_instant(now))
            lab_at_the_end(clinic, setup.SITES[0]["code"])
            clinic.route_public_form(setup.SITES[0]["code"])
            patients_answer_questionnaires(clinic.admin, now.date())
            run_sweeps(resend=False)  # today's reminders, as the worker writes them
        setup.harden_logins(login_hash.result())


@contextmanager
def _requests_marked_synthetic():
    """Mark each consultation request the build saves as synthetic, from its first save on.

    submit_request, like the public form, has no way to say so; the flag then passes to the
    patient through convert_to_patient, and every page of the demo says its data is synthetic.
    """

    def mark(sender, instance, **kwargs):
        instance.synthetic = True

    uid = "celltrace.demo.synthetic_requests"
    pre_save.connect(mark, sender=ConsultationRequest, weak=False, dispatch_uid=uid)
    try:
        yield
    finally:
        pre_save.disconnect(sender=ConsultationRequest, dispatch_uid=uid)


def _replay(clinic: Clinic, case: Case, event: Event) -> None:
    try:
        (STEPS.get(event.step) or cryostore.STEPS[event.step])(clinic, case, **event.data)
    except (Refused, PermissionDenied) as refusal:
        detail = getattr(refusal, "field_errors", None) or ""
        raise DemoStepRefused(
            f"Story {event.story} ({case.story.stage}), step {event.step!r} at "
            f"{event.when:%Y-%m-%d %H:%M}: {refusal} {detail}"
        ) from refusal


def _instant(moment: dt.datetime) -> int:
    """Whole seconds since the epoch: time-machine keeps the process's time zone for these."""
    return int(moment.timestamp())


def _offers() -> list[Offer]:
    limits = {}
    for limit in DoseLimit.objects.filter(product__kind__in=PLANNED_KINDS, product__active=True):
        limits.setdefault(limit.product_id, {})[limit.route] = limit.max_dose_per_kg
    products = (
        CellProduct.objects.filter(pk__in=limits).order_by("pk").prefetch_related("process_steps")
    )
    return [
        Offer(p.code, p.source, p.shelf_life_days, limits[p.pk], steps=_process_steps(p))
        for p in products
    ]


def _process_steps(product) -> tuple[str, ...]:
    """The product's required steps after the first, cultivation once per expected passage."""
    steps = []
    for definition in list(product.process_steps.all())[1:]:
        if definition.step == "cultivation":
            steps += ["cultivation"] * max(definition.passages_expected, 1)
        elif definition.required:
            steps.append(definition.step)
    return tuple(steps)


def _therapy_codes() -> list[str]:
    return list(Therapy.objects.filter(active=True).order_by("code").values_list("code", flat=True))
