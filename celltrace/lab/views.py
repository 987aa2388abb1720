"""The lab screens: lots and their chain of identity, QC, release and allocation."""

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from celltrace.accounts import site_time
from celltrace.accounts.access import has_role, role_required, scope_to_site
from celltrace.catalog.models import Source
from celltrace.clinical import qc
from celltrace.lab import actions, labels, process
from celltrace.lab.access import (
    ALERT_READERS,
    EXCEPTIONAL_RELEASERS,
    INVESTIGATORS,
    LABEL_PRINTERS,
    LABEL_REPRINTERS,
    LOT_MAKERS,
    LOT_REVIEWERS,
    LOT_VIEWERS,
    donors_for_user,
    get_alert_for_user,
    get_investigation_for_user,
    get_lot_for_user,
    get_lot_to_show,
    get_plan_for_lab,
    lots_for_user,
)
from celltrace.lab.certificate import certificate_pdf
from celltrace.lab.forms import (
    AcceptanceForm,
    AcknowledgeAlertForm,
    AllocateForm,
    AutologousLotForm,
    BulkLabelForm,
    CloseInvestigationForm,
    DivideForm,
    DonorLotForm,
    ExceptionalReleaseForm,
    InvestigationForm,
    LabelForm,
    QCResultForm,
    RejectForm,
    ReleaseForm,
    StepForm,
)
from celltrace.lab.models import Donor, ProductLot
from celltrace.lab.qc_page import qc_release_context, uninvestigated_failures
from celltrace.lab.release_record import release_signature
from celltrace.lab.scanning import lot_from_scan
from celltrace.lab.worklist import cancelled_orders, open_orders
from celltrace.pages import page_of
from celltrace.plans.models import TreatmentPlan
from celltrace.refusal import Refused, show_refusal
from celltrace.signatures.service import shown_signatures


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
        "lots": page_of(request, rows),
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
    results = list(
        lot.qc_results.select_related("specification", "tested_by").prefetch_related(
            "investigations"
        )
    )
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
        and not lot.donor_state
    )
    context = {
        "lot": lot,
        "steps": lot.steps.select_related("performed_by").prefetch_related("reagents"),
        "process": process.progress(lot),
        "qc_rows": [
            (spec, state.spec, latest.get(spec.test), state.state)
            for spec, state in zip(
                specs,
                qc.qc_states([s.to_domain() for s in specs], [r.to_domain() for r in results]),
                strict=True,
            )
        ],
        "results": results,
        "blockers": actions.release_blockers(lot, user if can_review else None),
        # Release, acceptance of the risk, exceptional release: one include shows them all.
        "e_signatures": shown_signatures(lot, time_zone=lot.site.time_zone),
        "can_review": can_review,
        "can_record": can_make
        and lot.status == ProductLot.Status.IN_PROCESS
        and not lot.order_cancelled
        and lot.divided_at is None,
        "refusal": refusal,
        "in_process": lot.status == ProductLot.Status.IN_PROCESS,
        "step_form": forms.get("step_form") or StepForm(allowed=process.next_steps(lot)),
        "qc_form": forms.get("qc_form") or QCResultForm(specs=specs),
        "release_form": forms.get("release_form") or ReleaseForm(),
        "reject_form": forms.get("reject_form") or RejectForm(),
        "divide_form": forms.get("divide_form") or DivideForm(),
        "allocate_form": (forms.get("allocate_form") or AllocateForm(plans=_allocatable_plans(lot)))
        if can_allocate
        else None,
        **qc_release_context(request, lot, results, forms),
        **_label_section(lot, user, forms.get("label_form")),
    }
    return render(request, "lab/lot_detail.html", context, status=status)


def _label_section(lot, user, form) -> dict:
    """What the lot page's labels section shows: the print history and the print form."""
    prints = list(lot.label_prints.select_related("printed_by"))
    can_print = (
        has_role(user, LABEL_PRINTERS | LABEL_REPRINTERS)
        and bool(lot.din)
        and lot.status != ProductLot.Status.REJECTED
    )
    return {
        "label_prints": prints,
        "label_summaries": labels.print_summaries(prints),
        "label_form": (form or LabelForm()) if can_print else None,
    }


@role_required(*LOT_VIEWERS)
def lot_detail(request, pk):
    return _lot_page(request, get_lot_to_show(request.user, pk))


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
            for warning in process.expiry_warnings(lot):
                messages.warning(request, warning)
            return redirect(lot)
    context = {"form": form, "plan": plan, "refusal": refusal}
    return render(request, "lab/new_autologous.html", context)


@role_required(*LOT_MAKERS)
def new_donor(request):
    donors = donors_for_user(request.user).exclude(determination=Donor.Determination.INELIGIBLE)
    form = DonorLotForm(request.POST or None, donors=donors)
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
    form = StepForm(request.POST, allowed=process.next_steps(lot))
    return _post_on_lot(request, lot, "step_form", form, call, "Step recorded.")


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
    def call(lot, form):
        actions.release_lot(lot, request.user, password=form.cleaned_data["password"])

    lot = get_lot_for_user(request.user, pk)
    done = f"Lot {lot.code} released and signed."
    return _post_on_lot(request, lot, "release_form", ReleaseForm(request.POST), call, done)


@role_required(*LOT_VIEWERS)
def certificate(request, pk):
    """The certificate of analysis of a released lot, with its release signature."""
    lot = get_lot_for_user(request.user, pk)
    why_not = None
    if lot.status != ProductLot.Status.RELEASED:
        why_not = f"Lot {lot.code} is {lot.get_status_display().lower()}, not released"
    elif release_signature(lot) is None:
        why_not = f"Lot {lot.code} was released before electronic signatures: no signature"
    if why_not:
        message = f"{why_not}: there is no certificate of analysis for it."
        return HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")
    response = HttpResponse(certificate_pdf(lot), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{lot.code}.pdf"'
    return response


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
@role_required(*INVESTIGATORS)
def open_investigation(request, pk):
    lot = get_lot_for_user(request.user, pk)
    form = InvestigationForm(request.POST, failures=uninvestigated_failures(lot))

    def call(lot, form):
        actions.open_investigation(lot, request.user, **form.cleaned_data)

    return _post_on_lot(request, lot, "investigation_form", form, call, "Investigation opened.")


@require_POST
@role_required(*LOT_REVIEWERS)
def close_investigation(request, pk, investigation_pk):
    lot = get_lot_for_user(request.user, pk)
    investigation = get_investigation_for_user(request.user, lot, investigation_pk)
    form = CloseInvestigationForm(request.POST)

    def call(lot, form):
        actions.close_investigation(investigation, request.user, **form.cleaned_data)

    return _post_on_lot(request, lot, "close_form", form, call, "Investigation closed.")


@require_POST
@role_required(*EXCEPTIONAL_RELEASERS)
def accept_exceptional(request, pk):
    lot = get_lot_for_user(request.user, pk)

    def call(lot, form):
        actions.accept_exceptional_release(lot, request.user, **form.cleaned_data)

    form = AcceptanceForm(request.POST)
    return _post_on_lot(request, lot, "acceptance_form", form, call, "Acceptance recorded.")


@require_POST
@role_required(*EXCEPTIONAL_RELEASERS)
def release_exceptionally(request, pk):
    lot = get_lot_for_user(request.user, pk)

    def call(lot, form):
        actions.release_exceptionally(lot, request.user, **form.cleaned_data)

    form = ExceptionalReleaseForm(request.POST)
    done = f"Lot {lot.code} released exceptionally."
    return _post_on_lot(request, lot, "exceptional_form", form, call, done)


@require_POST
@role_required(*ALERT_READERS)
def acknowledge_alert(request, alert_pk):
    alert = get_alert_for_user(request.user, alert_pk)

    def call(lot, form):
        actions.acknowledge_alert(alert, request.user, **form.cleaned_data)

    form = AcknowledgeAlertForm(request.POST)
    return _post_on_lot(request, alert.lot, "alert_form", form, call, "Alert acknowledged.")


@require_POST
@role_required(*(LABEL_PRINTERS | LABEL_REPRINTERS))
def print_labels(request, pk):
    """Record the printing and send the labels as PDF to the printer's queue."""
    lot = get_lot_for_user(request.user, pk)
    form = LabelForm(request.POST)
    if not form.is_valid():
        return _lot_page(request, lot, label_form=form)
    try:
        label_print = actions.print_labels(lot, request.user, **form.cleaned_data)
    except Refused as error:
        show_refusal(form, error)
        return _lot_page(request, lot, refusal=error, label_form=form)
    return labels.pdf_response([label_print])


def _labellable_lots(user, day):
    """The lots made on a day at the user's site that may be labelled."""
    start, end = site_time.user_day_bounds(user, day)
    return (
        lots_for_user(user)
        .filter(made_at__gte=start, made_at__lt=end, din__isnull=False)
        .exclude(status=ProductLot.Status.REJECTED)
        .prefetch_related("label_prints")
    )


@role_required(*(LABEL_PRINTERS | LABEL_REPRINTERS))
def bulk_labels(request):
    """Print the labels of a day's lots at once (today's by default), in one PDF."""
    try:
        day = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = site_time.user_today(request.user)[0]
    lots = _labellable_lots(request.user, day)
    form = BulkLabelForm(request.POST or None, lots=lots)
    refusal = None
    if request.method == "POST":
        # A lot chosen on the page may have been made on another day than the one shown now.
        form.fields["lots"].queryset = lots_for_user(request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                printed = actions.print_labels_for_lots(
                    list(data.pop("lots")), request.user, **data
                )
            except Refused as error:
                refusal = error
                show_refusal(form, error)
            else:
                return labels.pdf_response(printed)
    rows = [(lot, labels.print_summaries(lot.label_prints.all())) for lot in lots]
    context = {"form": form, "rows": rows, "day": day, "refusal": refusal}
    return render(request, "lab/bulk_labels.html", context)


@require_POST
@role_required(*LOT_MAKERS)
def divide(request, pk):
    def call(lot, form):
        actions.divide_lot(lot, request.user, **form.cleaned_data)

    lot = get_lot_for_user(request.user, pk)
    form = DivideForm(request.POST)
    return _post_on_lot(request, lot, "divide_form", form, call, "Lot split into divisions.")
