"""The plan screens: make a plan for an eligible patient, and read it with its quote."""

from django.contrib import messages
from django.shortcuts import redirect, render

from celltrace.accounts.access import role_required
from celltrace.accounts.models import Role
from celltrace.catalog.models import DoseLimit
from celltrace.clinical import eligibility
from celltrace.patients.access import get_patient_for_user
from celltrace.plans.access import PLAN_MAKERS, PLAN_VIEWERS, get_plan_for_user
from celltrace.plans.actions import create_plan
from celltrace.plans.forms import PlanForm, ProductFormSet, TherapyFormSet
from celltrace.plans.requests import PlanRequest, RequestedDose, RequestedTherapy
from celltrace.refusal import Refused
from celltrace.screening.verdicts import latest_planning_screening, recorded_decision


def _filled(formset) -> list:
    """Return the rows the user filled in, in order."""
    return [form for form in formset.forms if form.has_changed()]


def _show_refusal(refusal: Refused, form, product_rows, therapy_rows) -> None:
    rows = {"products": product_rows, "therapies": therapy_rows}
    for key, message in refusal.field_errors.items():
        group, _, rest = key.partition(".")
        index, _, field = rest.partition(".")
        if group in rows and index.isdigit() and field:
            rows[group][int(index)].add_error(field, message)
        elif key in form.fields:
            form.add_error(key, message)


@role_required(*PLAN_MAKERS)
def new_plan(request, patient_pk):
    patient = get_patient_for_user(request.user, patient_pk)
    data = request.POST if request.method == "POST" else None
    form = PlanForm(data, initial={"weight_kg": patient.weight_kg})
    products = ProductFormSet(data, prefix="products")
    therapies = TherapyFormSet(data, prefix="therapies")
    refusal = None
    if data is not None and form.is_valid() and products.is_valid() and therapies.is_valid():
        product_rows, therapy_rows = _filled(products), _filled(therapies)
        try:
            plan = create_plan(
                patient,
                request.user,
                PlanRequest(
                    **form.cleaned_data,
                    doses=tuple(RequestedDose(**row.cleaned_data) for row in product_rows),
                    therapies=tuple(RequestedTherapy(**row.cleaned_data) for row in therapy_rows),
                ),
            )
        except Refused as error:
            refusal = error
            _show_refusal(error, form, product_rows, therapy_rows)
        else:
            messages.success(request, f"Plan saved. Quote total: {plan.quote_total}.")
            return redirect(plan)
    screening = latest_planning_screening(patient)
    context = {
        "patient": patient,
        "blocked": eligibility.may_plan(recorded_decision(screening)).reason,
        "screening": screening,
        "form": form,
        "products": products,
        "therapies": therapies,
        "refusal": refusal,
        "dose_limits": DoseLimit.objects.filter(product__active=True).select_related("product"),
    }
    return render(request, "plans/plan_form.html", context)


@role_required(*PLAN_VIEWERS)
def plan_detail(request, pk):
    plan = get_plan_for_user(request.user, pk)
    shows_lab = request.user.role != Role.PATIENT
    context = {
        "plan": plan,
        "products": plan.products.select_related("product"),
        "therapies": plan.therapies.select_related("therapy"),
        "quote_lines": list(plan.quote_lines.all()),
        "lots": plan.lots.select_related("product") if shows_lab else None,
    }
    context["quote_total"] = sum(line.amount for line in context["quote_lines"])
    return render(request, "plans/plan_detail.html", context)
