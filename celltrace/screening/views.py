"""Screening screens: facts, a screening, its review and signatures, the report, day one."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from celltrace.accounts.access import role_required
from celltrace.patients.access import get_patient_for_user
from celltrace.refusal import Refused
from celltrace.screening import access, evaluation
from celltrace.screening.access import get_screening_for_user
from celltrace.screening.actions import (
    record_fact,
    record_prior_therapy,
    screen_patient,
    sign_screening,
)
from celltrace.screening.forms import PriorTherapyForm, ScreenForm, SignForm, fact_forms
from celltrace.screening.models import PatientFact, PriorTherapy, Screening
from celltrace.screening.report import screening_pdf
from celltrace.signatures.service import shown_signatures


@role_required(*access.FACT_ROLES)
def facts(request, patient_pk):
    patient = get_patient_for_user(request.user, patient_pk)
    kind = request.POST.get("kind") if request.method == "POST" else None
    forms = fact_forms(request.POST if kind else None, kind=kind)
    refusal = None
    form = forms.get(kind)
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            record_fact(
                patient,
                request.user,
                kind=kind,
                on=data["on"],
                provenance=data["provenance"],
                **form.values(),
            )
        except Refused as exc:
            form.apply_refusal(exc)
            refusal = exc.message
        else:
            messages.success(request, "The fact was recorded.")
            return redirect("screening:facts", patient_pk=patient.pk)
    elif form is not None:
        refusal = "The fact was not recorded: please correct the marked fields."
    rows = PatientFact.objects.filter(patient=patient).select_related("recorded_by")
    context = {
        "patient": patient,
        "forms": [(k, PatientFact.Kind(k).label, f) for k, f in forms.items()],
        "facts": rows,
        "refusal": refusal,
        "stay": patient.stays.filter(discharged_at__isnull=True).first(),
    }
    return render(request, "screening/facts.html", context)


@role_required(*access.RECORD_ROLES)
def new(request, patient_pk):
    patient = get_patient_for_user(request.user, patient_pk)
    posted = request.method == "POST"
    form = ScreenForm(request.POST if posted else None)
    refusal = None
    if posted and form.is_valid():
        try:
            screening = screen_patient(patient, request.user, **form.cleaned_data)
        except Refused as exc:
            form.apply_refusal(exc)
            refusal = exc.message
        else:
            if screening.decision == Screening.Decision.INCOMPLETE:
                messages.warning(
                    request, "The rules were run: facts are missing, so nobody can sign yet."
                )
            else:
                messages.success(request, "The rules were run: the decision now needs signatures.")
            return redirect(screening)
    context = {
        "patient": patient,
        "form": form,
        "refusal": refusal,
        "ruleset": evaluation.current_ruleset(),
        "fact_count": PatientFact.objects.filter(patient=patient).count(),
    }
    return render(request, "screening/new.html", context)


def _detail_context(request, screening, form=None, refusal=None) -> dict:
    signatures = screening.signatures.select_related("doctor")
    can_sign = (
        request.user.role in access.SIGN_ROLES
        and screening.ruleset_id is not None
        and not screening.is_final
        and screening.decision != Screening.Decision.INCOMPLETE
        and not any(s.doctor_id == request.user.pk for s in signatures)
    )
    return {
        "screening": screening,
        "signatures": signatures,
        "e_signatures": shown_signatures(screening, time_zone=screening.patient.site.time_zone),
        "required": evaluation.required_signatures(),
        "form": form or SignForm(screening=screening),
        "can_sign": can_sign,
        "refusal": refusal,
    }


@role_required(*access.VIEW_ROLES)
def detail(request, pk):
    screening = get_screening_for_user(request.user, pk)
    return render(request, "screening/detail.html", _detail_context(request, screening))


@role_required(*access.SIGN_ROLES)
@require_POST
def sign(request, pk):
    screening = get_screening_for_user(request.user, pk)
    form = SignForm(request.POST, screening=screening)
    refusal = None
    if form.is_valid():
        try:
            sign_screening(
                screening,
                request.user,
                password=form.cleaned_data["password"],
                justifications=form.justifications(),
            )
        except Refused as exc:
            form.apply_refusal(exc)
            refusal = exc.message
        else:
            messages.success(request, "Your signature was recorded.")
            return redirect(screening)
    else:
        refusal = "The decision was not signed: please correct the marked fields."
    context = _detail_context(request, screening, form, refusal)
    return render(request, "screening/detail.html", context)


@role_required(*access.VIEW_ROLES)
def report_pdf(request, pk):
    screening = get_screening_for_user(request.user, pk)
    pdf = screening_pdf(screening, required_signatures=evaluation.required_signatures())
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"screening-{screening.patient.code}-{screening.pk}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@role_required(*access.PRIOR_THERAPY_ROLES)
def prior_therapies(request, patient_pk):
    """The patient's prior therapies for the condition, and the form to add one."""
    patient = get_patient_for_user(request.user, patient_pk)
    form = PriorTherapyForm(request.POST or None, condition_code=patient.condition.code)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            record = record_prior_therapy(patient, request.user, **form.cleaned_data)
        except Refused as exc:
            form.apply_refusal(exc)
            refusal = exc.message
        else:
            messages.success(request, f"Recorded: {record}.")
            return redirect("screening:prior_therapies", patient_pk=patient.pk)
    rows = PriorTherapy.objects.filter(patient=patient).select_related(
        "recorded_by", "patient__condition"
    )
    context = {"patient": patient, "form": form, "therapies": rows, "refusal": refusal}
    return render(request, "screening/prior_therapies.html", context)
