"""The ward, the stay page, bedside administration, adverse events, admission and discharge."""

import datetime as dt
import math

from django.contrib import messages
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from celltrace.accounts import site_time
from celltrace.accounts.access import get_for_user, role_required, scope_to_site
from celltrace.plans.models import TreatmentPlan
from celltrace.refusal import Refused, show_refusal
from celltrace.screening.actions import rescreen_on_admission
from celltrace.screening.evaluation import day_one_check, day_one_problem
from celltrace.signatures.service import shown_signatures
from celltrace.stays import access, actions
from celltrace.stays.access import (
    get_event_for_user,
    get_hold_for_user,
    get_stay_for_user,
    sites_for_user,
    stays_for_user,
)
from celltrace.stays.board import ward_board
from celltrace.stays.facts import latest_day_changes
from celltrace.stays.forms import (
    DATETIME_FORMAT,
    AdmitForm,
    AdverseEventForm,
    AdverseEventUpdateForm,
    AssignDoctorForm,
    ClearHoldForm,
    DayChangeForm,
    DischargeForm,
    GiveForm,
    MoveBedForm,
    ScanForm,
    now_for_input,
)
from celltrace.stays.models import Administration, DoseDayChange, LotHold
from celltrace.stays.rates import site_event_rates


def expected_admissions(user):
    """Plans at the user's site due in by tomorrow whose patient has no stay yet."""
    tomorrow = site_time.user_today(user)[0] + dt.timedelta(days=1)
    plans = (
        TreatmentPlan.objects.awaiting_admission()
        .select_related("patient")
        .filter(
            admission_date__lte=tomorrow,
            admission_date__gte=tomorrow - dt.timedelta(days=14),
        )
    )
    return scope_to_site(plans, user, site_field="patient__site").order_by("admission_date")


@role_required(*access.VIEW)
def ward(request):
    stays = stays_for_user(request.user).filter(discharged_at__isnull=True)
    stays = stays.annotate(
        given=Exists(Administration.objects.filter(stay=OuterRef("pk")))
    ).order_by("bed__room__number", "bed__label", "admitted_at")
    context = {
        "stays": stays,
        "expected": expected_admissions(request.user),
        "can_admit": request.user.role in access.ADMIT,
        "can_administer": request.user.role in access.ADMINISTER,
    }
    return render(request, "stays/ward.html", context)


@role_required(*access.VIEW)
def detail(request, pk):
    stay = get_stay_for_user(request.user, pk)
    given = Administration.objects.select_related("lot", "nurse")
    products = list(
        stay.plan.products.select_related("product").prefetch_related(
            Prefetch("administration_set", queryset=given, to_attr="given")
        )
    )
    day_one = day_one_check(stay) if stay.is_open else None
    review = day_one.review if day_one else None
    changes = latest_day_changes(stay.plan)
    for planned in products:
        planned.day_change = changes.get(planned.pk)
    context = {
        "stay": stay,
        "day_one": day_one,
        "signed_review": bool(review) and review.signatures.filter(doctor=request.user).exists(),
        "products": products,
        "day_changes": DoseDayChange.objects.filter(planned_product__plan=stay.plan)
        .select_related("planned_product__product", "doctor")
        .order_by("-decided_at", "-pk"),
        "can_change_day": request.user.role in access.CHANGE_DAY and stay.is_open,
        "day_form": DayChangeForm(),
        "administrations": stay.administrations.select_related("lot__product", "nurse"),
        "events": stay.adverse_events.select_related("reported_by", "term", "lot"),
        "holds": LotHold.objects.filter(event__stay=stay).select_related(
            "lot", "event__term", "cleared_by"
        ),
        "discharge_form": DischargeForm(initial={"discharged_at": now_for_input()}),
        "doctor_form": AssignDoctorForm(site_id=stay.site_id),
        "bed_form": MoveBedForm(site_id=stay.site_id),
        "can_assign_doctor": request.user.role in access.ASSIGN_DOCTOR and stay.is_open,
        "can_move_bed": request.user.role in access.MOVE_BED and stay.is_open,
        "can_report": request.user.role in access.REPORT_EVENT,
        "can_clear_hold": request.user.role in access.CLEAR_HOLD,
        "can_discharge": request.user.role in access.DISCHARGE and stay.is_open,
        "e_signatures": shown_signatures(stay, time_zone=stay.site.time_zone),
    }
    return render(request, "stays/detail.html", context)


@role_required(*access.ADMIT)
def admit(request, plan_pk):
    plans = TreatmentPlan.objects.select_related("patient")
    plan = get_for_user(plans, request.user, plan_pk, site_field="patient__site")
    initial = {"admitted_at": now_for_input()}
    form = AdmitForm(request.POST or None, initial=initial, site_id=plan.patient.site_id)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            stay = actions.admit_patient(plan, request.user, **form.cleaned_data)
        except Refused as exc:
            refusal = exc
            show_refusal(form, exc)
        else:
            messages.success(request, f"{plan.patient} admitted.")
            return redirect(stay)
    return render(request, "stays/admit.html", {"form": form, "plan": plan, "refusal": refusal})


def _change_stay(request, pk, form_class, change, done: str):
    """Apply one change to an open stay from the stay page's small forms."""
    stay = get_stay_for_user(request.user, pk)
    form = form_class(request.POST, site_id=stay.site_id)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(stay)
    try:
        change(stay, request.user, *form.cleaned_data.values())
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(stay)


@require_POST
@role_required(*access.ASSIGN_DOCTOR)
def assign_doctor(request, pk):
    return _change_stay(request, pk, AssignDoctorForm, actions.assign_doctor, "Doctor assigned.")


@require_POST
@role_required(*access.MOVE_BED)
def move_bed(request, pk):
    return _change_stay(request, pk, MoveBedForm, actions.move_bed, "Patient moved.")


@role_required(*access.VIEW)
def board(request):
    """Rooms, beds and who is in them; each doctor's load today and for the next 14 days."""
    boards = [ward_board(site) for site in sites_for_user(request.user)]
    return render(request, "stays/board.html", {"boards": boards})


@role_required(*access.ADMINISTER)
def administer(request):
    """Two steps: scan the wristband and the lot; then confirm the plan's dose with vitals."""
    scan = ScanForm(request.POST or None)
    if request.method != "POST" or not scan.is_valid():
        return render(request, "stays/administer.html", {"form": scan})
    codes = scan.cleaned_data
    preview = actions.preview_administration(request.user, **codes)
    given_now = {"given_at": now_for_input()}
    form = GiveForm(request.POST if "given_at" in request.POST else None, initial=given_now)
    refusal = None
    if form.is_bound and form.is_valid():
        try:
            given = actions.record_administration(
                request.user,
                **codes,
                # The dose and route are the plan's, read again now: nothing is retyped.
                dose_per_kg=preview.dose_per_kg or math.nan,
                route=preview.route,
                **form.cleaned_data,
            )
        except Refused as exc:
            refusal = exc
            show_refusal(form, exc)
        else:
            messages.success(
                request, f"Recorded: lot {given.lot.code} given to {given.stay.patient}."
            )
            return redirect(given.stay)
    context = {
        "preview": preview,
        "codes": codes,
        "form": form,
        "refusal": refusal,
        "reasons": getattr(refusal, "reasons", None) or preview.reasons,
    }
    return render(request, "stays/administer_confirm.html", context)


@require_POST
@role_required(*access.CHANGE_DAY)
def allow_other_day(request, pk, planned_pk):
    stay = get_stay_for_user(request.user, pk)
    planned = get_object_or_404(stay.plan.products, pk=planned_pk)
    form = DayChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the day of the stay and the reason.")
        return redirect(stay)
    try:
        actions.allow_other_day(planned, request.user, **form.cleaned_data)
    except Refused as exc:
        messages.error(request, exc.message + " " + " ".join(exc.field_errors.values()))
    else:
        messages.success(
            request, f"{planned.product} may be given on day {form.cleaned_data['day']}."
        )
    return redirect(stay)


@role_required(*access.REPORT_EVENT)
def report_event(request, pk):
    stay = get_stay_for_user(request.user, pk)
    form = AdverseEventForm(request.POST or None, stay=stay, initial={"onset_at": now_for_input()})
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.report_adverse_event(stay, request.user, **form.cleaned_data)
        except Refused as exc:
            refusal = exc
            show_refusal(form, exc)
        else:
            messages.success(request, "Adverse event recorded.")
            return redirect(stay)
    context = {"form": form, "stay": stay, "refusal": refusal}
    return render(request, "stays/report_event.html", context)


def _event_initial(event) -> dict:
    resolved = timezone.localtime(event.resolved_at).strftime(DATETIME_FORMAT)
    return {
        "ctcae_grade": event.ctcae_grade,
        "serious": "yes" if event.serious else "no",
        "relatedness": event.relatedness,
        "outcome": event.outcome,
        "resolved_at": resolved if event.resolved_at else None,
        "description": event.description,
        "administration_id": event.administration_id,
    }


@role_required(*access.REPORT_EVENT)
def update_event(request, pk):
    """Follow an open event to its end: grade, outcome, resolution."""
    event = get_event_for_user(request.user, pk)
    form = AdverseEventUpdateForm(
        request.POST or None, stay=event.stay, initial=_event_initial(event)
    )
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_adverse_event(event, request.user, **form.cleaned_data)
        except Refused as exc:
            refusal = exc
            show_refusal(form, exc)
        else:
            messages.success(request, "Adverse event updated.")
            return redirect(event.stay)
    context = {"form": form, "event": event, "stay": event.stay, "refusal": refusal}
    return render(request, "stays/update_event.html", context)


@role_required(*access.CLEAR_HOLD)
def clear_hold(request, pk):
    """A doctor reviews a lot held after a serious adverse event and clears it in writing."""
    hold = get_hold_for_user(request.user, pk)
    form = ClearHoldForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.clear_lot_hold(hold, request.user, **form.cleaned_data)
        except Refused as exc:
            refusal = exc
            show_refusal(form, exc)
        else:
            messages.success(request, f"Lot {hold.lot.code} is cleared: it may be given again.")
            return redirect(hold.event.stay)
    context = {"form": form, "hold": hold, "refusal": refusal}
    return render(request, "stays/clear_hold.html", context)


@role_required(*access.RATES)
def event_rates(request):
    """The site's adverse event rates per administration and per lot, with 95 % intervals."""
    return render(request, "stays/event_rates.html", {"rates": site_event_rates(request.user)})


@role_required(*access.DISCHARGE)
def discharge(request, pk):
    """Discharge, or show why not yet and ask for the reasons the rules need."""
    stay = get_stay_for_user(request.user, pk)
    form = DischargeForm(request.POST or None, initial={"discharged_at": now_for_input()})
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.discharge_patient(stay, request.user, **form.cleaned_data)
        except Refused as exc:
            refusal = exc
            show_refusal(form, exc)
        else:
            messages.success(request, f"{stay.patient} discharged; follow-up scheduled.")
            return redirect(stay)
    context = {"form": form, "stay": stay, "refusal": refusal}
    return render(request, "stays/discharge.html", context)


@role_required(*access.DAY_ONE)
def day_one(request, pk):
    """Check the stay's fresh facts again before any product is given."""
    stay = get_stay_for_user(request.user, pk)
    refusal = None
    if request.method == "POST":
        try:
            screening = rescreen_on_admission(stay, request.user)
        except Refused as exc:
            refusal = exc.message
        else:
            messages.success(request, "The day-one screening was recorded.")
            return redirect(screening)
    context = {
        "stay": stay,
        "screenings": stay.screenings.select_related("doctor").order_by("-pk"),
        "problem": day_one_problem(stay),
        "refusal": refusal,
    }
    return render(request, "stays/day_one.html", context)
