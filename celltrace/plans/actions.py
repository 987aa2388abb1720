"""Writing treatment plans: every rule is checked before anything is saved."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from celltrace.accounts.models import Role
from celltrace.audit import save_by
from celltrace.catalog.models import CellProduct, DoseLimit, Route, ServiceFee, Therapy
from celltrace.clinical import dosing, quote
from celltrace.plans.models import PlannedProduct, PlannedTherapy, QuoteLine, TreatmentPlan
from celltrace.refusal import Refused
from celltrace.screening.verdicts import harvest_verdict, latest_planning_screening, plan_verdict


def _dose_limit(product: CellProduct, route: str) -> dosing.DoseLimit | None:
    row = DoseLimit.objects.filter(product=product, route=route).first()
    if row is None:
        return None
    return dosing.DoseLimit(product.code, route, row.max_cells_per_kg)


def _check_product(index, item, *, days, donor_only) -> dict[str, str]:
    """Return the problems of one planned administration, keyed by field."""
    errors = {}
    key = f"products.{index}"
    product, route = item.get("product"), item.get("route")
    if not isinstance(product, CellProduct) or not product.active:
        return {f"{key}.product": "Choose an active cell product from the catalog."}
    if route not in Route.values:
        return {f"{key}.route": f"Unknown route {route!r}."}
    problems = dosing.check_source(product.source, donor_products_only=donor_only)
    if problems:
        errors[f"{key}.product"] = problems[0]
    request = dosing.DoseRequest(product.code, route, _float(item.get("dose_cells_per_kg")), 0.0)
    problems = dosing.check_dose(request, _dose_limit(product, route))
    if problems:
        errors[f"{key}.dose_cells_per_kg"] = problems[0]
    problems = dosing.check_day_of_stay(_int(item.get("day_of_stay")), days)
    if problems:
        errors[f"{key}.day_of_stay"] = problems[0]
    return errors


def _check_therapy(index, item) -> dict[str, str]:
    therapy = item.get("therapy")
    if not isinstance(therapy, Therapy) or not therapy.active:
        return {f"therapies.{index}.therapy": "Choose an active therapy from the catalog."}
    if _int(item.get("sessions")) < 1:
        return {f"therapies.{index}.sessions": "Plan at least one session."}
    return {}


def _float(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _check_plan(patient, *, weight_kg, admission_date, discharge_date, products, therapies):
    """Raise Refused with every problem of the plan."""
    verdict = plan_verdict(patient)
    if not verdict:
        raise Refused(verdict.reason)
    # Only the sources the final decision allows: "donor products only" refuses own cells.
    donor_only = not harvest_verdict(patient)
    errors = {}
    if problems := dosing.check_weight(_float(weight_kg)):
        errors["weight_kg"] = problems[0]
    if problems := dosing.check_admission(admission_date, today=timezone.localdate()):
        errors["admission_date"] = problems[0]
    if problems := dosing.check_stay_length(admission_date, discharge_date):
        errors["discharge_date"] = problems[0]
    days = dosing.stay_days(admission_date, discharge_date)
    if not products:
        errors["products"] = "Plan at least one cell product."
    for index, item in enumerate(products):
        errors.update(_check_product(index, item, days=days, donor_only=donor_only))
    for index, item in enumerate(therapies):
        errors.update(_check_therapy(index, item))
    if errors:
        raise Refused(
            "The plan was not saved: " + " ".join(dict.fromkeys(errors.values())),
            field_errors=errors,
        )


def build_plan_quote(*, products, therapies, stay_days) -> quote.Quote:
    """Price the plan from today's catalog: administrations, therapy sessions, services."""
    return quote.build_quote(
        administrations=[
            quote.Administration(
                f"{p['product'].name}, {Route(p['route']).label}, day {p['day_of_stay']}",
                p["product"].price,
            )
            for p in products
        ],
        therapies=[
            quote.TherapySessions(
                t["therapy"].name, int(t["sessions"]), t["therapy"].price_per_session
            )
            for t in therapies
        ],
        fees=[quote.Fee(f.name, f.unit, f.price) for f in ServiceFee.objects.all()],
        stay_days=stay_days,
    )


@transaction.atomic
def create_plan(
    patient,
    doctor,
    *,
    weight_kg,
    admission_date,
    discharge_date,
    products: list[dict],
    therapies: list[dict],
    notes: str = "",
) -> TreatmentPlan:
    """Make a treatment plan with its products, therapies and frozen quote."""
    if doctor.role != Role.DOCTOR:
        raise Refused("Only a doctor may make a treatment plan.")
    _check_plan(
        patient,
        weight_kg=weight_kg,
        admission_date=admission_date,
        discharge_date=discharge_date,
        products=products,
        therapies=therapies,
    )
    plan = save_by(
        TreatmentPlan(
            patient=patient,
            screening=latest_planning_screening(patient),
            weight_kg=float(weight_kg),
            admission_date=admission_date,
            discharge_date=discharge_date,
            notes=notes,
            created_by=doctor,
        ),
        doctor,
    )
    for item in products:
        save_by(
            PlannedProduct(
                plan=plan,
                product=item["product"],
                route=item["route"],
                dose_cells_per_kg=float(item["dose_cells_per_kg"]),
                day_of_stay=int(item["day_of_stay"]),
            ),
            doctor,
        )
    for item in therapies:
        save_by(
            PlannedTherapy(plan=plan, therapy=item["therapy"], sessions=item["sessions"]), doctor
        )
    days = dosing.stay_days(admission_date, discharge_date)
    for line in build_plan_quote(products=products, therapies=therapies, stay_days=days).lines:
        save_by(
            QuoteLine(
                plan=plan,
                description=line.description,
                quantity=line.quantity,
                unit_price=line.unit_price,
                amount=line.amount,
            ),
            doctor,
        )
    patient.weight_kg = float(weight_kg)
    save_by(patient, doctor)
    return plan
