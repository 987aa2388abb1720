"""Writing treatment plans: every rule is checked before anything is saved."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from celltrace.accounts.access import check_actor
from celltrace.audit import save_by
from celltrace.catalog.models import CellProduct, DoseLimit, Route, ServiceFee, Therapy
from celltrace.clinical import dosing, eligibility, quote
from celltrace.plans import access
from celltrace.plans.models import PlannedProduct, PlannedTherapy, QuoteLine, TreatmentPlan
from celltrace.plans.requests import PlanRequest, RequestedDose, RequestedTherapy
from celltrace.refusal import Refused
from celltrace.screening.models import Screening
from celltrace.screening.verdicts import latest_planning_screening, recorded_decision


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
    request = dosing.DoseRequest(product.code, route, _number(dose.dose_cells_per_kg), 0.0)
    problems = dosing.check_dose(request, _dose_limit(product, route))
    if problems:
        errors[f"{key}.dose_cells_per_kg"] = problems[0]
    problems = dosing.check_day_of_stay(dose.day_of_stay, days)
    if problems:
        errors[f"{key}.day_of_stay"] = problems[0]
    return errors


def _cumulative_problems(doses: Sequence[RequestedDose]) -> dict[int, str]:
    """Return, per dose index, why the doses of a product and route add up to too much."""
    valid = [d for d in doses if isinstance(d.product, CellProduct) and d.route in Route.values]
    limits = {
        (row.product.code, row.route): row.to_domain()
        for row in DoseLimit.objects.select_related("product").filter(
            product__in=[d.product for d in valid]
        )
    }
    day_doses = [
        dosing.DayDose(
            d.product.code if isinstance(d.product, CellProduct) else "",
            d.route,
            d.day_of_stay if isinstance(d.day_of_stay, int) else 0,
            _number(d.dose_cells_per_kg),
        )
        for d in doses
    ]
    return dosing.plan_cumulative_problems(day_doses, limits)


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
    if problems := dosing.check_admission(plan.admission_date, today=timezone.localdate()):
        errors["admission_date"] = problems[0]
    if problems := dosing.check_stay_length(plan.admission_date, plan.discharge_date):
        errors["discharge_date"] = problems[0]
    days = dosing.stay_days(plan.admission_date, plan.discharge_date)
    if not plan.doses:
        errors["products"] = "Plan at least one cell product."
    for index, dose in enumerate(plan.doses):
        errors.update(_check_dose(index, dose, days=days, donor_only=donor_only))
    for index, problem in _cumulative_problems(plan.doses).items():
        errors.setdefault(f"products.{index}.dose_cells_per_kg", problem)
    for index, therapy in enumerate(plan.therapies):
        errors.update(_check_therapy(index, therapy))
    if errors:
        raise Refused(
            "The plan was not saved: " + " ".join(dict.fromkeys(errors.values())),
            code="invalid",
            field_errors=errors,
        )
    return latest


def build_plan_quote(
    doses: Sequence[RequestedDose], therapies: Sequence[RequestedTherapy], *, stay_days: int
) -> quote.Quote:
    """Price the plan from today's catalog: administrations, therapy sessions, services."""
    return quote.build_quote(
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


@transaction.atomic
def create_plan(patient, doctor, plan: PlanRequest) -> TreatmentPlan:
    """Make a treatment plan with its products, therapies and frozen quote."""
    check_actor(doctor, access.PLAN_MAKERS, "make a treatment plan", site_id=patient.site_id)
    screening = _check_plan(patient, plan)
    row = save_by(
        TreatmentPlan(
            patient=patient,
            screening=screening,
            weight_kg=float(plan.weight_kg),
            admission_date=plan.admission_date,
            discharge_date=plan.discharge_date,
            notes=plan.notes,
            created_by=doctor,
        ),
        doctor,
    )
    for dose in plan.doses:
        save_by(
            PlannedProduct(
                plan=row,
                product=dose.product,
                route=dose.route,
                dose_cells_per_kg=float(dose.dose_cells_per_kg),
                day_of_stay=dose.day_of_stay,
            ),
            doctor,
        )
    for therapy in plan.therapies:
        save_by(
            PlannedTherapy(plan=row, therapy=therapy.therapy, sessions=therapy.sessions), doctor
        )
    days = dosing.stay_days(plan.admission_date, plan.discharge_date)
    for line in build_plan_quote(plan.doses, plan.therapies, stay_days=days).lines:
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
    return row
