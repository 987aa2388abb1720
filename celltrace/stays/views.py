"""The ward, the stay page, bedside administration, adverse events, admission and discharge."""

import datetime as dt

from django.contrib import messages
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from celltrace.accounts.access import get_for_user, role_required, scope_to_site
from celltrace.plans.models import TreatmentPlan
from celltrace.refusal import Refused, show_refusal
from celltrace.screening.actions import rescreen_on_admission
from celltrace.screening.evaluation import day_one_problem
from celltrace.stays import access, actions
from celltrace.stays.access import get_stay_for_user, stays_for_user
from celltrace.stays.forms import (
    COMMON_TERMS,
    AdministrationForm,
    AdmitForm,
    AdverseEventForm,
    DischargeForm,
    now_for_input,
)
from celltrace.stays.models import Administration


def expected_admissions(user):
    """Plans at the user's site due in by tomorrow whose patient has no stay yet."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    plans = TreatmentPlan.objects.select_related("patient").filter(
        admission_date__lte=tomorrow,
        admission_date__gte=tomorrow - dt.timedelta(days=14),
        stay__isnull=True,
        status=TreatmentPlan.Status.ACTIVE,  # a superseded or cancelled version is not expected
    )
    return scope_to_site(plans, user, site_field="patient__site").order_by("admission_date")


@role_required(*access.VIEW)
def ward(request):
    stays = stays_for_user(request.user).filter(discharged_at__isnull=True)
    stays = stays.annotate(
        given=Exists(Administration.objects.filter(stay=OuterRef("pk")))
    ).order_by("room", "admitted_at")
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
    products = stay.plan.products.select_related("product").prefetch_related(
        Prefetch("administration_set", queryset=given, to_attr="given")
    )
    context = {
        "stay": stay,
        "products": products,
        "administrations": stay.administrations.select_related("lot__product", "nurse"),
        "events": stay.adverse_events.select_related("reported_by"),
        "discharge_form": DischargeForm(initial={"discharged_at": now_for_input()}),
        "can_report": request.user.role in access.REPORT_EVENT,
        "can_discharge": request.user.role in access.DISCHARGE and stay.is_open,
    }
    return render(request, "stays/detail.html", context)


@role_required(*access.ADMIT)
def admit(request, plan_pk):
    plans = TreatmentPlan.objects.select_related("patient")
    plan = get_for_user(plans, request.user, plan_pk, site_field="patient__site")
    form = AdmitForm(request.POST or None, initial={"admitted_at": now_for_input()})
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


@role_required(*access.ADMINISTER)
def administer(request):
    form = AdministrationForm(request.POST or None, initial={"given_at": now_for_input()})
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            given = actions.record_administration(request.user, **form.cleaned_data)
        except Refused as exc:
            refusal = exc
            show_refusal(form, exc)
        else:
            messages.success(
                request, f"Recorded: lot {given.lot.code} given to {given.stay.patient}."
            )
            return redirect(given.stay)
    context = {"form": form, "refusal": refusal, "reasons": getattr(refusal, "reasons", [])}
    return render(request, "stays/administer.html", context)


@role_required(*access.REPORT_EVENT)
def report_event(request, pk):
    stay = get_stay_for_user(request.user, pk)
    form = AdverseEventForm(request.POST or None, initial={"onset_at": now_for_input()})
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
    context = {"form": form, "stay": stay, "refusal": refusal, "terms": COMMON_TERMS}
    return render(request, "stays/report_event.html", context)


@require_POST
@role_required(*access.DISCHARGE)
def discharge(request, pk):
    stay = get_stay_for_user(request.user, pk)
    form = DischargeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the date and time of discharge.")
        return redirect(stay)
    try:
        actions.discharge_patient(stay, request.user, **form.cleaned_data)
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{stay.patient} discharged; follow-up scheduled.")
    return redirect(stay)


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
