"""The plan screens: make a plan, amend or cancel it, record the quote's acceptance, read it."""

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from celltrace.accounts.access import has_role, role_required
from celltrace.accounts.models import Role
from celltrace.catalog.models import DoseLimit
from celltrace.clinical import eligibility
from celltrace.patients.access import get_patient_for_user
from celltrace.plans import actions
from celltrace.plans.access import (
    PLAN_CANCELLERS,
    PLAN_MAKERS,
    PLAN_VIEWERS,
    QUOTE_RECORDERS,
    get_plan_for_user,
)
from celltrace.plans.forms import (
    AcceptQuoteForm,
    AmendForm,
    ApproveForm,
    CancelForm,
    HomeCareFormSet,
    PlanForm,
    ProductFormSet,
    TherapyFormSet,
)
from celltrace.plans.requests import (
    PlanRequest,
    RequestedDose,
    RequestedHomeCare,
    RequestedTherapy,
)
from celltrace.refusal import Refused, show_refusal
from celltrace.screening.verdicts import latest_planning_screening, recorded_decision
from celltrace.signatures.service import shown_signatures


def _filled(formset) -> list:
    """Return the rows the user filled in, in order."""
    return [form for form in formset.forms if form.has_changed()]


def _show_refusal(refusal: Refused, forms, rows: dict) -> None:
    for key, message in refusal.field_errors.items():
        group, _, rest = key.partition(".")
        index, _, field = rest.partition(".")
        if group in rows and index.isdigit() and field:
            rows[group][int(index)].add_error(field, message)
        else:
            for form in forms:
                if key in form.fields:
                    form.add_error(key, message)


def _plan_page(request, patient, *, save, sign_form, initial=None, plan=None):
    """Show the plan form (new, or prefilled to amend) and save through `save(request)`.

    `sign_form` holds what signing asks: the password (and, to amend, the reason).

    On a POST the formsets are built without initial rows, so that every row the doctor left
    filled in counts as asked for, changed or not.
    """
    data = request.POST if request.method == "POST" else None
    initial = initial or {}
    form = PlanForm(data, initial=initial.get("plan", {"weight_kg": patient.weight_kg}))
    products = ProductFormSet(data, prefix="products", initial=initial.get("products"))
    therapies = TherapyFormSet(data, prefix="therapies", initial=initial.get("therapies"))
    # A post without the home-care section (an older page or script) asks for none.
    sent_home_care = data is None or "home_care-TOTAL_FORMS" in data
    at_home = HomeCareFormSet(
        data if sent_home_care else None, prefix="home_care", initial=initial.get("home_care")
    )
    forms = [form, sign_form]
    refusal = None
    formsets = [products, therapies, at_home] if sent_home_care else [products, therapies]
    valid = all(f.is_valid() for f in [*forms, *formsets])
    if data is not None and valid:
        rows = {
            "products": _filled(products),
            "therapies": _filled(therapies),
            "home_care": _filled(at_home) if sent_home_care else [],
        }
        request_ = PlanRequest(
            **form.cleaned_data,
            doses=tuple(RequestedDose(**row.cleaned_data) for row in rows["products"]),
            therapies=tuple(RequestedTherapy(**row.cleaned_data) for row in rows["therapies"]),
            home_care=tuple(RequestedHomeCare(**row.cleaned_data) for row in rows["home_care"]),
        )
        try:
            saved = save(request_)
        except Refused as error:
            refusal = error
            _show_refusal(error, forms, rows)
        else:
            total = saved.price(saved.quote_total)
            messages.success(request, f"Plan #{saved.label} saved. Quote total: {total}.")
            return redirect(saved)
    screening = latest_planning_screening(patient)
    context = {
        "patient": patient,
        "plan": plan,
        "blocked": eligibility.may_plan(recorded_decision(screening)).reason,
        "screening": screening,
        "form": form,
        "sign_form": sign_form,
        "products": products,
        "therapies": therapies,
        "home_care": at_home,
        "refusal": refusal,
        "dose_limits": DoseLimit.objects.filter(product__active=True).select_related("product"),
    }
    return render(request, "plans/plan_form.html", context)


@role_required(*PLAN_MAKERS)
def new_plan(request, patient_pk):
    patient = get_patient_for_user(request.user, patient_pk)
    sign_form = ApproveForm(request.POST if request.method == "POST" else None)

    def save(asked):
        return actions.create_plan(patient, request.user, asked, **sign_form.cleaned_data)

    return _plan_page(request, patient, save=save, sign_form=sign_form)


def _initial(plan) -> dict:
    """The plan's current values, to start an amendment from."""
    fields = ("weight_kg", "admission_date", "discharge_date", "notes")
    return {
        "plan": {name: getattr(plan, name) for name in fields},
        "products": [
            {
                "product": p.product,
                "route": p.route,
                "dose_per_kg": p.dose_per_kg,
                "day_of_stay": p.day_of_stay,
                "planned_time": p.planned_time,
            }
            for p in plan.products.select_related("product")
        ],
        "therapies": [
            {"therapy": t.therapy, "sessions": t.sessions}
            for t in plan.therapies.select_related("therapy")
        ],
        "home_care": [
            {
                "product": h.product,
                "medication": h.medication,
                "route": h.route,
                "dose_per_kg": h.dose_per_kg,
                "every_days": h.every_days,
                "weeks": h.weeks,
                "longer_reason": h.longer_reason,
                "instructions": h.instructions,
            }
            for h in plan.home_care.select_related("product")
        ],
    }


@role_required(*PLAN_MAKERS)
def amend_plan(request, pk):
    plan = get_plan_for_user(request.user, pk)
    amend_form = AmendForm(request.POST if request.method == "POST" else None)

    def save(asked):
        return actions.amend_plan(plan, request.user, asked, **amend_form.cleaned_data)

    initial = _initial(plan) if request.method != "POST" else None
    return _plan_page(
        request, plan.patient, save=save, sign_form=amend_form, initial=initial, plan=plan
    )


def _post_on_plan(request, pk, form_name, form_class, action, done):
    """Validate the form, call the action; on refusal show the plan page with the errors."""
    plan = get_plan_for_user(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(plan, request.user, **form.cleaned_data)
        except Refused as error:
            show_refusal(form, error)
            return _detail_page(request, plan, refusal=error, status=422, **{form_name: form})
        messages.success(request, done.format(plan=plan.label))
        return redirect(plan)
    return _detail_page(request, plan, status=422, **{form_name: form})


@require_POST
@role_required(*PLAN_CANCELLERS)
def cancel_plan(request, pk):
    return _post_on_plan(
        request, pk, "cancel_form", CancelForm, actions.cancel_plan, "Plan #{plan} cancelled."
    )


@require_POST
@role_required(*QUOTE_RECORDERS)
def accept_quote(request, pk):
    done = "The quote of plan #{plan} is recorded as accepted."
    return _post_on_plan(request, pk, "accept_form", AcceptQuoteForm, actions.accept_quote, done)


def _detail_page(request, plan, *, refusal=None, status=200, **forms):
    user = request.user
    in_force = plan.in_force
    prefetch_related_objects([plan], "quote_lines")  # the lines, the total and the hash
    quote_lines = list(plan.quote_lines.all())
    acceptance = plan.quote_acceptance
    context = {
        "plan": plan,
        "versions": plan.versions().select_related("created_by", "signature__doctor"),
        "products": plan.products.select_related("product"),
        "therapies": plan.therapies.select_related("therapy"),
        "home_care": plan.home_care.select_related("product"),
        "quote_lines": quote_lines,
        "quote_total": sum(line.amount for line in quote_lines),
        "acceptance": acceptance,
        "lots": plan.lots.select_related("product", "plan", "donor")
        if user.role != Role.PATIENT
        else None,
        "refusal": refusal,
        "e_signatures": shown_signatures(plan, time_zone=plan.patient.site.time_zone),
        "can_amend": in_force and has_role(user, PLAN_MAKERS),
        "cancel_form": forms.get("cancel_form") or CancelForm()
        if in_force and has_role(user, PLAN_CANCELLERS)
        else None,
        "accept_form": forms.get("accept_form") or AcceptQuoteForm()
        if in_force and acceptance is None and has_role(user, QUOTE_RECORDERS)
        else None,
    }
    return render(request, "plans/plan_detail.html", context, status=status)


@role_required(*PLAN_VIEWERS)
def plan_detail(request, pk):
    return _detail_page(request, get_plan_for_user(request.user, pk))
