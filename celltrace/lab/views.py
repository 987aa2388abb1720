"""The lab screens: lots and their chain of identity, QC, release and allocation."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from celltrace.accounts import site_time
from celltrace.accounts.access import has_role, role_required, scope_to_site
from celltrace.catalog.models import Source
from celltrace.lab import actions
from celltrace.lab.access import (
    LOT_MAKERS,
    LOT_REVIEWERS,
    LOT_VIEWERS,
    get_lot_for_user,
    get_plan_for_lab,
    lots_for_user,
)
from celltrace.lab.forms import (
    AllocateForm,
    AutologousLotForm,
    DivideForm,
    DonorLotForm,
    QCResultForm,
    RejectForm,
    StepForm,
)
from celltrace.lab.models import ProductLot
from celltrace.lab.scanning import lot_from_scan
from celltrace.lab.worklist import cancelled_orders, open_orders
from celltrace.plans.models import TreatmentPlan
from celltrace.refusal import Refused, show_refusal


@role_required(*LOT_VIEWERS)
def lots(request):
    """The site's lots; a scan (DIN barcode, DIN with K, lot number) opens the lot it names."""
    scan = request.GET.get("scan", "").strip()
    scan_problem = ""
    if scan:
        try:
            found = lot_from_scan(lots_for_user(request.user), scan)
        except Refused as error:
            scan_problem = error.message
        else:
            if found is not None:
                return redirect(found)
            scan_problem = f"No lot of your site has the DIN or lot number {scan!r}."
    status = request.GET.get("status", "")
    rows = lots_for_user(request.user)
    if status in ProductLot.Status.values:
        rows = rows.filter(status=status)
    context = {
        "lots": rows[:200],
        "status": status,
        "statuses": ProductLot.Status.choices,
        "scan": scan,
        "scan_problem": scan_problem,
    }
    return render(request, "lab/lot_list.html", context)


@role_required(*LOT_VIEWERS)
def worklist(request):
    """The orders of the plans in force, and the lots whose order a plan change cancelled."""
    context = {
        "orders": open_orders(request.user),
        "cancelled": cancelled_orders(request.user),
        "can_make": has_role(request.user, LOT_MAKERS),
    }
    return render(request, "lab/worklist.html", context)


def _allocatable_plans(lot):
    return (
        TreatmentPlan.objects.in_force()
        .filter(
            patient__site=lot.site_id,
            products__product=lot.product_id,
            discharge_date__gte=site_time.today(lot.site),
        )
        .select_related("patient")
        .distinct()
    )


def _lot_page(request, lot, *, refusal=None, status=200, **forms):
    user = request.user
    specs = list(lot.product.qc_specs.all())
    results = list(lot.qc_results.select_related("specification", "tested_by"))
    latest = {}
    for result in results:
        latest[result.specification.test] = result
    can_make = has_role(user, LOT_MAKERS)
    can_review = has_role(user, LOT_REVIEWERS)
    can_allocate = (
        can_make
        and lot.status == ProductLot.Status.RELEASED
        and lot.product.source == Source.ALLOGENEIC
        and (lot.plan_id is None or lot.order_cancelled)
    )
    context = {
        "lot": lot,
        "steps": lot.steps.select_related("performed_by"),
        "qc_rows": [(spec, spec.to_domain(), latest.get(spec.test)) for spec in specs],
        "results": results,
        "blockers": actions.release_blockers(lot, user if can_review else None),
        "can_review": can_review,
        "can_record": can_make
        and lot.status == ProductLot.Status.IN_PROCESS
        and not lot.order_cancelled
        and lot.divided_at is None,
        "refusal": refusal,
        "in_process": lot.status == ProductLot.Status.IN_PROCESS,
        "step_form": forms.get("step_form") or StepForm(),
        "qc_form": forms.get("qc_form") or QCResultForm(specs=specs),
        "reject_form": forms.get("reject_form") or RejectForm(),
        "divide_form": forms.get("divide_form") or DivideForm(),
        "allocate_form": (forms.get("allocate_form") or AllocateForm(plans=_allocatable_plans(lot)))
        if can_allocate
        else None,
    }
    return render(request, "lab/lot_detail.html", context, status=status)


@role_required(*LOT_VIEWERS)
def lot_detail(request, pk):
    return _lot_page(request, get_lot_for_user(request.user, pk))


@role_required(*LOT_MAKERS)
def new_autologous(request, plan_pk):
    plan = get_plan_for_lab(request.user, plan_pk)
    form = AutologousLotForm(request.POST or None, plan=plan)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            lot = actions.start_autologous_lot(plan, request.user, **form.cleaned_data)
        except Refused as error:
            refusal = error
            show_refusal(form, error)
        else:
            messages.success(request, f"Lot {lot.code} started with the harvest.")
            return redirect(lot)
    context = {"form": form, "plan": plan, "refusal": refusal}
    return render(request, "lab/new_autologous.html", context)


@role_required(*LOT_MAKERS)
def new_donor(request):
    form = DonorLotForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            lot = actions.create_donor_lot(request.user.site, request.user, **form.cleaned_data)
        except Refused as error:
            refusal = error
            show_refusal(form, error)
        else:
            messages.success(request, f"Donor lot {lot.code} registered.")
            return redirect(lot)
    return render(request, "lab/new_donor.html", {"form": form, "refusal": refusal})


def _post_on_lot(request, lot, form_name, form, call, done):
    """Validate the form, call the action; on refusal show the lot page with the errors."""
    if form.is_valid():
        try:
            call(lot, form)
        except Refused as error:
            show_refusal(form, error)
            return _lot_page(request, lot, refusal=error, **{form_name: form})
        messages.success(request, done)
        return redirect(lot)
    return _lot_page(request, lot, **{form_name: form})


@require_POST
@role_required(*LOT_MAKERS)
def add_step(request, pk):
    def call(lot, form):
        actions.record_process_step(lot, request.user, **form.cleaned_data)

    lot = get_lot_for_user(request.user, pk)
    return _post_on_lot(request, lot, "step_form", StepForm(request.POST), call, "Step recorded.")


@require_POST
@role_required(*LOT_MAKERS)
def add_qc(request, pk):
    lot = get_lot_for_user(request.user, pk)
    form = QCResultForm(request.POST, specs=lot.product.qc_specs.all())

    def call(lot, form):
        actions.record_qc_result(lot, request.user, **form.action_kwargs())

    return _post_on_lot(request, lot, "qc_form", form, call, "QC result recorded.")


@require_POST
@role_required(*LOT_REVIEWERS)
def release(request, pk):
    lot = get_lot_for_user(request.user, pk)
    try:
        actions.release_lot(lot, request.user)
    except Refused as error:
        return _lot_page(request, lot, refusal=error)
    messages.success(request, f"Lot {lot.code} released.")
    return redirect(lot)


@require_POST
@role_required(*LOT_REVIEWERS)
def reject(request, pk):
    def call(lot, form):
        actions.reject_lot(lot, request.user, **form.cleaned_data)

    lot = get_lot_for_user(request.user, pk)
    return _post_on_lot(
        request, lot, "reject_form", RejectForm(request.POST), call, "Lot rejected."
    )


@require_POST
@role_required(*LOT_MAKERS)
def allocate(request, pk):
    lot = get_lot_for_user(request.user, pk)
    plans = scope_to_site(TreatmentPlan.objects.all(), request.user, site_field="patient__site")
    form = AllocateForm(request.POST, plans=plans)

    def call(lot, form):
        actions.allocate_lot(lot, form.cleaned_data["plan"], request.user)

    return _post_on_lot(request, lot, "allocate_form", form, call, "Lot allocated to the plan.")


@require_POST
@role_required(*LOT_MAKERS)
def divide(request, pk):
    def call(lot, form):
        actions.divide_lot(lot, request.user, **form.cleaned_data)

    lot = get_lot_for_user(request.user, pk)
    form = DivideForm(request.POST)
    return _post_on_lot(request, lot, "divide_form", form, call, "Lot split into divisions.")
