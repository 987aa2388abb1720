"""Carry one synthetic patient to a stage of the journey, keeping every safety rule."""

import datetime as dt

from django.utils import timezone

from celltrace.accounts.models import Role
from celltrace.catalog.models import QCSpecification
from celltrace.demo.facts import NORMAL_LABS
from celltrace.demo.trajectories import TRAJECTORIES, baseline, next_value
from celltrace.followup.models import FollowUpItem
from celltrace.lab.models import ProcessStep, ProductLot, QCResult
from celltrace.outcomes.models import Measurement
from celltrace.plans.actions import build_plan_quote
from celltrace.plans.models import PlannedProduct, PlannedTherapy, QuoteLine, TreatmentPlan
from celltrace.plans.requests import RequestedDose, RequestedTherapy
from celltrace.screening.actions import day_one_screening
from celltrace.screening.evaluation import current_ruleset, run_rules, screening_fields
from celltrace.screening.models import PatientFact, Screening, ScreeningSignature
from celltrace.stays.models import Administration, AdverseEvent, Stay

ADVERSE_EVENTS = [  # (term, chance per treated patient, grade)
    ("Headache", 0.10, 1),
    ("Fever", 0.015, 1),
    ("Local swelling", 0.05, 1),
    ("Nausea", 0.03, 1),
    ("Back pain after intrathecal injection", 0.04, 2),
]


def build_stage(context, patient, stage: str) -> None:
    if stage == "unscreened":
        return
    finding = _demo_finding(patient, stage)
    if stage in ("not_eligible", "needs_review", "eligible"):
        _screen(context, patient, finding, context.today + dt.timedelta(days=14))
        return
    rng, today = context.rng, context.today
    if stage == "in_lab":
        admission = today + dt.timedelta(days=rng.randint(5, 30))
    elif stage == "on_ward":
        admission = today - dt.timedelta(days=rng.randint(0, 3))
    else:
        admission = today - dt.timedelta(days=rng.randint(20, 400))
    screening = _screen(context, patient, finding, admission)
    plan = _plan(context, patient, screening, admission)
    _lots(context, plan, released=stage != "in_lab")
    _baseline_measurements(context, patient, admission)
    if stage == "in_lab":
        return
    stay = _stay(context, plan)
    if stage == "discharged":
        _discharge(context, stay)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


# What the synthetic facts show, so the demo has every kind of decision (DOMAIN section 2).
FINDINGS = {
    "not_eligible": {"yes": {"active_cancer"}},  # an exclusion
    "needs_review": {"skip": {"haemoglobin"}},  # incomplete: a blood test is missing
    "cautions": {"yes": {"clotting_disorder"}},  # eligible with cautions
    "donor_only": {"yes": {"high_bleeding_risk"}},  # excludes harvesting own cells only
    "eligible": {},
}


def _demo_finding(patient, stage: str) -> str:
    if stage in ("not_eligible", "needs_review"):
        return stage
    if stage == "eligible":  # screened, no plan yet: eligible, with cautions, or donor only
        return ("eligible", "cautions", "donor_only")[patient.pk % 3]
    return "cautions" if patient.pk % 5 == 0 else "eligible"


def _screen(context, patient, finding: str, admission: dt.date) -> Screening:
    """Record synthetic facts, run the starting rules, and have two doctors sign the decision."""
    doctor = context.staff[Role.DOCTOR]
    treatment = min(admission, context.today + dt.timedelta(days=4))
    on = min(context.today, treatment) - dt.timedelta(days=2)
    record_normal_facts(
        patient, doctor, on=on, provenance="Synthetic screening visit", **FINDINGS[finding]
    )
    ruleset = current_ruleset()
    result = run_rules(patient, ruleset, treatment_date=treatment, source="autologous")
    screening = Screening.objects.create(
        patient=patient, doctor=doctor, ruleset=ruleset, **screening_fields(result)
    )
    _sign(context, screening)
    return screening


def record_normal_facts(patient, user, *, on, provenance, skip=(), yes=()) -> None:
    """Write normal facts straight to the table (the other site has no demo doctor yet)."""
    from celltrace.clinical.eligibility import QUESTIONS

    common = {"patient": patient, "on": on, "recorded_by": user, "provenance": provenance}
    for analyte, (value, unit) in NORMAL_LABS.items():
        if analyte not in skip:
            PatientFact.objects.create(
                kind="lab", analyte=analyte, value=value, unit=unit, **common
            )
    for question in QUESTIONS:
        if question not in skip:
            PatientFact.objects.create(
                kind="answer", question=question, yes=question in yes, **common
            )
    PatientFact.objects.create(kind="history_review", **common)


def _sign(context, screening) -> None:
    justifications = {
        r["rule_id"]: "Synthetic: the team weighed the risk and agrees to treat with monitoring."
        for r in screening.cautions
    }
    for doctor in (context.staff[Role.DOCTOR], context.staff["second_doctor"]):
        ScreeningSignature.objects.create(
            screening=screening, doctor=doctor, justifications=justifications
        )
    screening.finalized_at = timezone.now()
    screening.save(update_fields=["finalized_at"])


def _day_one(context, stay) -> None:
    """Fresh admission bloods, checked again with the rule set of the plan's decision."""
    nurse = context.staff[Role.NURSE]
    admitted_on = timezone.localdate(stay.admitted_at)
    for analyte, (value, unit) in NORMAL_LABS.items():
        PatientFact.objects.create(
            patient=stay.patient, kind="lab", analyte=analyte, value=value, unit=unit,
            on=admitted_on, provenance="Synthetic admission bloods", recorded_by=nurse,
        )  # fmt: skip
    day_one_screening(stay, nurse, on=admitted_on).save()


def _plan(context, patient, screening, admission: dt.date) -> TreatmentPlan:
    rng = context.rng
    days = rng.randint(5, 9)
    plan = TreatmentPlan.objects.create(
        patient=patient,
        screening=screening,
        weight_kg=patient.weight_kg,
        admission_date=admission,
        discharge_date=admission + dt.timedelta(days=days - 1),
        created_by=context.staff[Role.DOCTOR],
        notes="Synthetic plan.",
    )
    source = rng.choice(["autologous", "allogeneic", "allogeneic"])
    product = rng.choice(context.products[source])
    routes = [route for (pid, route) in context.limits if pid == product.pk]
    route = rng.choice(routes)
    limit = context.limits[(product.pk, route)]
    PlannedProduct.objects.create(
        plan=plan,
        product=product,
        route=route,
        dose_cells_per_kg=round(limit * rng.choice([0.5, 0.75, 1.0])),
        day_of_stay=2,
    )
    for therapy in rng.sample(context.therapies, 3):
        PlannedTherapy.objects.create(plan=plan, therapy=therapy, sessions=rng.randint(2, days))
    _quote(plan, days)
    return plan


def _quote(plan, days: int) -> None:
    """Price the plan with the same quote the live plan screen gives."""
    doses = [
        RequestedDose(p.product, p.route, p.dose_cells_per_kg, p.day_of_stay)
        for p in plan.products.select_related("product")
    ]
    therapies = [
        RequestedTherapy(t.therapy, t.sessions) for t in plan.therapies.select_related("therapy")
    ]
    quote = build_plan_quote(doses, therapies, stay_days=days)
    for line in quote.lines:
        QuoteLine.objects.create(
            plan=plan,
            description=line.description,
            quantity=line.quantity,
            unit_price=line.unit_price,
            amount=line.amount,
        )


def _lots(context, plan, *, released: bool) -> None:
    technician = context.staff[Role.LAB_TECHNICIAN]
    reviewer = context.staff[Role.QUALITY_REVIEWER]
    for planned in plan.products.select_related("product"):
        product = planned.product
        autologous = product.source == "autologous"
        made_at = _at(plan.admission_date - dt.timedelta(days=1), 9)
        lot = ProductLot.objects.create(
            site=plan.patient.site,
            code=f"L-{plan.patient.code[2:]}-{planned.pk}",
            product=product,
            plan=plan,
            source_patient=plan.patient if autologous else None,
            donor_code="" if autologous else f"D-{context.rng.randint(1000, 9999)}",
            status="released" if released else "in_process",
            made_by=technician,
            made_at=made_at,
            expires_at=made_at + dt.timedelta(days=max(product.shelf_life_days, 3) + 1),
            released_by=reviewer if released else None,
            released_at=made_at + dt.timedelta(hours=20) if released else None,
        )
        steps = ["harvest", "separation", "cultivation"] if autologous else ["donor_tissue"]
        for hours, step in enumerate(steps):
            ProcessStep.objects.create(
                lot=lot,
                step=step,
                performed_by=technician,
                performed_at=made_at + dt.timedelta(hours=hours),
            )
        if released:
            _passing_qc(lot, technician, made_at + dt.timedelta(hours=12))


def _passing_qc(lot, technician, tested_at) -> None:
    for spec in QCSpecification.objects.filter(product=lot.product):
        value = None
        if not spec.is_pass_fail:
            value = spec.minimum * 1.2 if spec.minimum is not None else spec.maximum * 0.5
        QCResult.objects.create(
            lot=lot,
            specification=spec,
            value=value,
            passed=True,
            tested_by=technician,
            tested_at=tested_at,
        )


def _baseline_measurements(context, patient, admission: dt.date) -> None:
    for instrument, (low, high), step, _changes in TRAJECTORIES[patient.condition.code]:
        Measurement.objects.create(
            patient=patient,
            instrument=instrument,
            value=baseline(context.rng, low, high, step),
            timepoint="baseline",
            measured_on=admission - dt.timedelta(days=1),
            recorded_by=context.staff[Role.DOCTOR],
        )


def _stay(context, plan) -> Stay:
    nurse = context.staff[Role.NURSE]
    stay = Stay.objects.create(
        site=plan.patient.site,
        patient=plan.patient,
        plan=plan,
        room=f"{context.rng.randint(1, 40)}",
        admitted_at=_at(plan.admission_date, 10),
        admitted_by=context.staff[Role.COORDINATOR],
    )
    _day_one(context, stay)
    for planned in plan.products.all():
        given_on = plan.admission_date + dt.timedelta(days=planned.day_of_stay - 1)
        if given_on > context.today:
            continue
        Administration.objects.create(
            stay=stay,
            lot=plan.lots.get(product=planned.product),
            planned_product=planned,
            route=planned.route,
            dose_cells_per_kg=planned.dose_cells_per_kg,
            given_at=_at(given_on, 11),
            nurse=nurse,
            temperature_c=36.7,
            heart_rate=72,
            systolic_bp=122,
            diastolic_bp=78,
            spo2=98,
        )
        _adverse_events(context, stay, given_on)
    return stay


def _adverse_events(context, stay, given_on: dt.date) -> None:
    for term, chance, grade in ADVERSE_EVENTS:
        if context.rng.random() < chance:
            AdverseEvent.objects.create(
                stay=stay,
                term=term,
                onset_at=_at(given_on, 15),
                ctcae_grade=grade,
                serious=False,
                relatedness="possible",
                outcome="recovered",
                description="Synthetic: resolved within hours.",
                reported_by=context.staff[Role.NURSE],
            )


def _discharge(context, stay) -> None:
    from celltrace.clinical.follow_up import follow_up_schedule

    discharge_day = stay.plan.discharge_date
    stay.discharged_at = _at(discharge_day, 12)
    stay.discharged_by = context.staff[Role.DOCTOR]
    stay.save()
    lost_after = context.rng.choice([None] * 6 + [1, 3])  # some patients stop answering
    value_by_instrument = {
        m.instrument: m.value for m in stay.patient.measurements.filter(timepoint="baseline")
    }
    for index, item in enumerate(follow_up_schedule(discharge_day)):
        row = FollowUpItem.objects.create(
            patient=stay.patient,
            stay=stay,
            kind=item.kind,
            title=item.title,
            due_date=item.due_date,
        )
        reached = lost_after is None or index < lost_after + 5
        if item.due_date <= context.today and reached:
            row.completed_at = _at(item.due_date, 14)
            row.completed_by = context.staff[Role.COORDINATOR]
            row.save()
            if item.kind == "checkup":
                _follow_up_measurements(context, stay.patient, item.due_date, value_by_instrument)


def _follow_up_measurements(context, patient, day: dt.date, values: dict) -> None:
    for instrument, _range, _step, changes in TRAJECTORIES[patient.condition.code]:
        values[instrument] = next_value(context.rng, instrument, values[instrument], changes)
        Measurement.objects.create(
            patient=patient,
            instrument=instrument,
            value=values[instrument],
            timepoint="follow_up",
            measured_on=day,
            recorded_by=context.staff[Role.DOCTOR],
        )
