"""Writing treatment plans: every rule is checked before anything is saved.

A plan is made once, signed by its doctor (its approval), and then changes only by versions:
`amend_plan` re-runs every check of `create_plan` and writes a new signed version,
`cancel_plan` stops it, `accept_quote` records the patient's yes to one version's quote.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from celltrace.accounts import site_time
from celltrace.accounts.access import check_actor
from celltrace.audit import save_by
from celltrace.catalog.models import CellProduct, DoseLimit, Route, ServiceFee, Therapy
from celltrace.clinical import dosing, eligibility, home_care, quote
from celltrace.plans import access
from celltrace.plans.models import (
    PlannedHomeCare,
    PlannedProduct,
    PlannedTherapy,
    PlanSignature,
    QuoteAcceptance,
    QuoteLine,
    TreatmentPlan,
)
from celltrace.plans.notices import notify_quote_ready
from celltrace.plans.requests import (
    PlanRequest,
    RequestedDose,
    RequestedHomeCare,
    RequestedTherapy,
)
from celltrace.plans.signed_records import plan_content
from celltrace.plans.standing import require_in_force
from celltrace.refusal import Refused
from celltrace.screening.models import Screening
from celltrace.screening.verdicts import latest_planning_screening, recorded_decision
from celltrace.signatures.models import Signature
from celltrace.signatures.service import records_wrong_passwords, sign


def _dose_limit(product: CellProduct, route: str) -> dosing.DoseLimit | None:
    row = DoseLimit.objects.filter(product=product, route=route).select_related("product").first()
    return row.to_domain() if row else None


def _check_dose(index: int, dose: RequestedDose, *, days, donor_only) -> dict[str, str]:
    """Return the problems of one planned administration, keyed by field."""
    errors = {}
    key = f"products.{index}"
    product, route = dose.product, dose.route
    if not isinstance(product, CellProduct) or not product.active:
        return {f"{key}.product": "Choose an active cell product from the catalog."}
    if route not in Route.values:
        return {f"{key}.route": f"Unknown route {route!r}."}
    problems = dosing.check_source(product.source, donor_products_only=donor_only)
    if problems:
        errors[f"{key}.product"] = problems[0]
    request = dosing.DoseRequest(product.code, route, _number(dose.dose_per_kg), 0.0)
    problems = dosing.check_dose(request, _dose_limit(product, route))
    if problems:
        errors[f"{key}.dose_per_kg"] = problems[0]
    problems = dosing.check_day_of_stay(dose.day_of_stay, days)
    if problems:
        errors[f"{key}.day_of_stay"] = problems[0]
    return errors


def _cumulative_problems(plan: PlanRequest, *, days: int) -> dict[str, str]:
    """Return, per field of an offending row, why the doses of a product and route add up to
    too much: at the clinic, and at home after the stay (the same course)."""
    products = [d.product for d in (*plan.doses, *plan.home_care)]
    limits = {
        (row.product.code, row.route): row.to_domain()
        for row in DoseLimit.objects.select_related("product").filter(
            product__in=[p for p in products if isinstance(p, CellProduct)]
        )
    }
    day_doses = [
        dosing.DayDose(
            d.product.code if isinstance(d.product, CellProduct) else "",
            d.route,
            d.day_of_stay if isinstance(d.day_of_stay, int) else 0,
            _number(d.dose_per_kg),
        )
        for d in plan.doses
    ]
    fields = [f"products.{index}.dose_per_kg" for index in range(len(plan.doses))]
    for index, item in enumerate(plan.home_care):
        if isinstance(item.product, CellProduct) and isinstance(item.every_days, int):
            at_home = home_care.course_doses(_home_item(item), stay_days=days)
            day_doses += at_home
            fields += [f"home_care.{index}.dose_per_kg"] * len(at_home)
    problems = {}
    for index, problem in dosing.plan_cumulative_problems(day_doses, limits).items():
        problems.setdefault(fields[index], problem)
    return problems


def _home_item(item: RequestedHomeCare) -> home_care.HomeCareItem:
    product = item.product if isinstance(item.product, CellProduct) else None
    return home_care.HomeCareItem(
        what=product.name if product else (item.medication or "").strip(),
        route=item.route,
        every_days=item.every_days,
        weeks=item.weeks,
        instructions=item.instructions or "",
        product_code=product.code if product else None,
        dose_per_kg=None if item.dose_per_kg is None else _number(item.dose_per_kg),
    )


def _check_home_care(index: int, item: RequestedHomeCare, *, donor_only) -> dict[str, str]:
    """Return the problems of one home-care item: the item's own rules, then its product's
    source and maximum dose by the route, as for a dose at the clinic."""
    key = f"home_care.{index}"
    product = item.product
    if product is not None and (not isinstance(product, CellProduct) or not product.active):
        return {f"{key}.product": "Choose an active cell product from the catalog."}
    found = home_care.check_item(_home_item(item), longer_reason=item.longer_reason or "")
    errors = {f"{key}.{field}": problem for field, problem in found.items()}
    if product is None or f"{key}.route" in errors or f"{key}.dose_per_kg" in errors:
        return errors
    if problems := dosing.check_source(product.source, donor_products_only=donor_only):
        errors[f"{key}.product"] = problems[0]
    request = dosing.DoseRequest(product.code, item.route, _number(item.dose_per_kg), 0.0)
    if problems := dosing.check_dose(request, _dose_limit(product, item.route)):
        errors[f"{key}.dose_per_kg"] = problems[0]
    return errors


def _check_therapy(index: int, therapy: RequestedTherapy) -> dict[str, str]:
    if not isinstance(therapy.therapy, Therapy) or not therapy.therapy.active:
        return {f"therapies.{index}.therapy": "Choose an active therapy from the catalog."}
    if therapy.sessions < 1:
        return {f"therapies.{index}.sessions": "Plan at least one session."}
    return {}


def _number(value) -> float:
    """Return the value as a float; anything that is not a number becomes NaN and is refused."""
    return float(value) if isinstance(value, int | float) else float("nan")


def _check_plan(patient, plan: PlanRequest) -> Screening:
    """Return the latest screening the plan rests on, or raise Refused with every problem."""
    latest = latest_planning_screening(patient)
    decision = recorded_decision(latest)
    verdict = eligibility.may_plan(decision)
    if not verdict:
        raise Refused(verdict.reason, code=verdict.code, params=dict(verdict.params))
    # Only the sources the final decision allows: "donor products only" refuses own cells.
    donor_only = not eligibility.may_harvest(decision)
    errors = {}
    if problems := dosing.check_weight(_number(plan.weight_kg)):
        errors["weight_kg"] = problems[0]
    if problems := dosing.check_admission(plan.admission_date, today=site_time.today(patient.site)):
        errors["admission_date"] = problems[0]
    if problems := dosing.check_stay_length(plan.admission_date, plan.discharge_date):
        errors["discharge_date"] = problems[0]
    days = dosing.stay_days(plan.admission_date, plan.discharge_date)
    if not plan.doses:
        errors["products"] = "Plan at least one cell product."
    for index, dose in enumerate(plan.doses):
        errors.update(_check_dose(index, dose, days=days, donor_only=donor_only))
        if problems := dosing.check_planned_time(dose.planned_time):
            errors[f"products.{index}.planned_time"] = problems[0]
    for index, therapy in enumerate(plan.therapies):
        errors.update(_check_therapy(index, therapy))
    for index, item in enumerate(plan.home_care):
        errors.update(_check_home_care(index, item, donor_only=donor_only))
    for field, problem in _cumulative_problems(plan, days=days).items():
        errors.setdefault(field, problem)
    if errors:
        raise Refused(
            "The plan was not saved: " + " ".join(dict.fromkeys(errors.values())),
            code="invalid",
            field_errors=errors,
        )
    return latest


def build_plan_quote(
    doses: Sequence[RequestedDose],
    therapies: Sequence[RequestedTherapy],
    *,
    stay_days: int,
    at_home: Sequence[RequestedHomeCare] = (),
) -> quote.Quote:
    """Price the plan from today's catalog: administrations, therapy sessions, services, and
    the products taken at home (per dose, at the product's price per administration;
    medication guidance is not the clinic's to sell)."""
    return quote.build_quote(
        home_doses=[
            quote.HomeDoses(
                f"{item.product.name}, {Route(item.route).label.lower()}, at home every "
                f"{item.every_days} days for {item.weeks} weeks",
                home_care.dose_count(item.every_days, item.weeks),
                item.product.price,
            )
            for item in at_home
            if item.product is not None
        ],
        administrations=[
            quote.Administration(
                f"{d.product.name}, {Route(d.route).label}, day {d.day_of_stay}", d.product.price
            )
            for d in doses
        ],
        therapies=[
            quote.TherapySessions(t.therapy.name, t.sessions, t.therapy.price_per_session)
            for t in therapies
        ],
        fees=[quote.Fee(f.name, f.unit, f.price) for f in ServiceFee.objects.all()],
        stay_days=stay_days,
    )


@records_wrong_passwords
@transaction.atomic
def create_plan(patient, doctor, plan: PlanRequest, *, password: str) -> TreatmentPlan:
    """Make a treatment plan with its products, therapies and frozen quote; the doctor signs it.

    The first version is approved with the same signature as every amendment, so no version
    of a plan is ever in force unsigned.
    """
    check_actor(doctor, access.PLAN_MAKERS, "make a treatment plan", site_id=patient.site_id)
    screening = _check_plan(patient, plan)
    row = _write_plan(patient, doctor, plan, screening=screening)
    _approve(row, doctor, password=password)
    return row


def _approve(plan: TreatmentPlan, doctor, *, password: str) -> None:
    """Sign the plan version as approved: the one e-signature service (password again,
    throttled; meaning, printed name, time and a hash of the version's content)."""
    sign(
        plan,
        doctor,
        password=password,
        meaning=Signature.Meaning.APPROVAL,
        content=plan_content(plan),
    )
    save_by(PlanSignature(plan=plan, doctor=doctor), doctor)


def _write_plan(patient, doctor, plan: PlanRequest, **fields) -> TreatmentPlan:
    """Save one plan version: its products, therapies, quote priced now in the site's currency."""
    row = save_by(
        TreatmentPlan(
            patient=patient,
            weight_kg=float(plan.weight_kg),
            admission_date=plan.admission_date,
            discharge_date=plan.discharge_date,
            notes=plan.notes,
            created_by=doctor,
            currency=patient.site.currency,
            **fields,
        ),
        doctor,
    )
    for dose in plan.doses:
        save_by(
            PlannedProduct(
                plan=row,
                product=dose.product,
                route=dose.route,
                dose_per_kg=float(dose.dose_per_kg),
                day_of_stay=dose.day_of_stay,
                planned_time=dose.planned_time,
            ),
            doctor,
        )
    for therapy in plan.therapies:
        save_by(
            PlannedTherapy(plan=row, therapy=therapy.therapy, sessions=therapy.sessions), doctor
        )
    days = dosing.stay_days(plan.admission_date, plan.discharge_date)
    for item in plan.home_care:
        save_by(
            PlannedHomeCare(
                plan=row,
                product=item.product,
                medication="" if item.product else item.medication.strip(),
                route=item.route,
                dose_per_kg=None if item.dose_per_kg is None else float(item.dose_per_kg),
                every_days=item.every_days,
                weeks=item.weeks,
                longer_reason=item.longer_reason.strip(),
                instructions=item.instructions.strip(),
            ),
            doctor,
        )
    priced = build_plan_quote(plan.doses, plan.therapies, stay_days=days, at_home=plan.home_care)
    for line in priced.lines:
        save_by(
            QuoteLine(
                plan=row,
                description=line.description,
                quantity=line.quantity,
                unit_price=line.unit_price,
                amount=line.amount,
            ),
            doctor,
        )
    patient.weight_kg = float(plan.weight_kg)
    save_by(patient, doctor)
    notify_quote_ready(row)
    return row


def _locked(plan: TreatmentPlan) -> TreatmentPlan:
    """Read the plan again under a row lock: two changes at once must not both pass."""
    return TreatmentPlan.objects.select_for_update().get(pk=plan.pk)


def _reason(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise Refused(
            f"Say why the plan is {what}.", code="invalid", field_errors={"reason": "Required."}
        )
    return text


def _refuse_once_started(plan: TreatmentPlan, doing: str) -> None:
    """Refuse to change a plan the patient was admitted on or given a product of.

    The checks go by related names (administration, stay): the stays stage sits above plans
    and is never imported here.
    """
    if plan.products.filter(administration__isnull=False).exists():
        raise Refused(
            f"A product of plan #{plan.label} was already given: you cannot {doing} it.",
            code="already_given",
            params={"plan": plan.label},
        )
    if TreatmentPlan.objects.filter(pk=plan.pk, stay__isnull=False).exists():
        raise Refused(
            f"The patient was admitted on plan #{plan.label}: you cannot {doing} it now; "
            "record changes of treatment on the ward.",
            code="plan_has_stay",
            params={"plan": plan.label},
        )


@records_wrong_passwords
@transaction.atomic
def amend_plan(
    plan: TreatmentPlan, doctor, request: PlanRequest, *, reason: str, password: str
) -> TreatmentPlan:
    """Replace the plan by a new signed version that passes every check a new plan passes.

    The old version is kept, superseded. The lab's lots follow the new version when it still
    plans their product; the others stay on the old one, where the lab sees "order cancelled".
    """
    check_actor(doctor, access.PLAN_MAKERS, "amend a treatment plan", site_id=plan.patient.site_id)
    plan = _locked(plan)
    require_in_force(plan, "amend the plan")
    _refuse_once_started(plan, "amend")
    reason = _reason(reason, "amended")
    screening = _check_plan(plan.patient, request)
    plan.status = TreatmentPlan.Status.SUPERSEDED
    save_by(plan, doctor)
    new = _write_plan(
        plan.patient,
        doctor,
        request,
        screening=screening,
        version=plan.version + 1,
        first_version_id=plan.number,
        supersedes=plan,
        amendment_reason=reason,
    )
    _approve(new, doctor, password=password)
    still_planned = new.products.values("product")
    for lot in plan.lots.filter(product__in=still_planned):
        lot.plan = new
        save_by(lot, doctor)
    return new


@transaction.atomic
def cancel_plan(plan: TreatmentPlan, user, *, reason: str) -> TreatmentPlan:
    """Stop a plan before admission; the lab's orders for it stop with it."""
    check_actor(
        user, access.PLAN_CANCELLERS, "cancel a treatment plan", site_id=plan.patient.site_id
    )
    plan = _locked(plan)
    require_in_force(plan, "cancel the plan")
    _refuse_once_started(plan, "cancel")
    plan.cancellation_reason = _reason(reason, "cancelled")
    plan.status = TreatmentPlan.Status.CANCELLED
    plan.cancelled_by = user
    plan.cancelled_at = timezone.now()
    return save_by(plan, user)


@transaction.atomic
def accept_quote(
    plan: TreatmentPlan, user, *, accepted_by_name: str, accepted_at: dt.datetime, channel: str
) -> QuoteAcceptance:
    """Record the patient's acceptance of this version's quote, bound to its lines and total."""
    check_actor(
        user, access.QUOTE_RECORDERS, "record a quote acceptance", site_id=plan.patient.site_id
    )
    plan = _locked(plan)
    require_in_force(plan, "accept the quote")
    if plan.quote_acceptance is not None:
        raise Refused(
            f"The quote of plan #{plan.label} is already accepted.",
            code="already_accepted",
            params={"plan": plan.label},
        )
    errors = {}
    accepted_by_name = (accepted_by_name or "").strip()
    if not accepted_by_name:
        errors["accepted_by_name"] = "Give the name of the person who accepted."
    elif len(accepted_by_name) > QuoteAcceptance._meta.get_field("accepted_by_name").max_length:
        errors["accepted_by_name"] = "At most 200 characters."
    if channel not in QuoteAcceptance.Channel.values:
        errors["channel"] = "Choose signed form, e-mail or patient portal."
    if not isinstance(accepted_at, dt.datetime):
        errors["accepted_at"] = "Give the date and time of the acceptance."
    elif timezone.is_naive(accepted_at):
        errors["accepted_at"] = "Give the time with its time zone."
    elif accepted_at > timezone.now():
        errors["accepted_at"] = "In the future."
    elif accepted_at < plan.created_at.replace(second=0, microsecond=0):  # forms give minutes
        errors["accepted_at"] = "Before this version of the quote was made."
    if errors:
        raise Refused(
            "The acceptance was not recorded: " + " ".join(errors.values()),
            code="invalid",
            field_errors=errors,
        )
    return save_by(
        QuoteAcceptance(
            plan=plan,
            accepted_by_name=accepted_by_name,
            accepted_at=accepted_at,
            channel=channel,
            quote_total=plan.quote_total,
            currency=plan.currency,
            quote_hash=plan.quote_fingerprint,
            recorded_by=user,
        ),
        user,
    )
