"""Screens of the screening stage: record a decision on a patient, and read it."""

from django.contrib import messages
from django.shortcuts import redirect, render

from celltrace.accounts.access import get_for_user, get_patient_for_user, role_required
from celltrace.refusal import Refused
from celltrace.screening import roles
from celltrace.screening.actions import active_items, record_screening
from celltrace.screening.forms import ScreeningForm
from celltrace.screening.models import Screening


@role_required(*roles.RECORD_ROLES)
def new(request, patient_pk):
    patient = get_patient_for_user(request.user, patient_pk)
    items = active_items()
    posted = request.method == "POST"
    form = ScreeningForm(request.POST if posted else None, items=items)
    refusal = None
    if posted and form.is_valid():
        try:
            screening = record_screening(
                patient,
                request.user,
                answers=form.answers(),
                decision=form.cleaned_data["decision"],
                reasons=form.cleaned_data["reasons"],
            )
        except Refused as exc:
            form.apply_refusal(exc)
            refusal = exc.message
        else:
            messages.success(request, "The screening decision was recorded.")
            return redirect(screening)
    if posted and form.errors and refusal is None:
        refusal = "The screening was not recorded: please correct the marked answers."
    context = {"patient": patient, "form": form, "refusal": refusal}
    return render(request, "screening/new.html", context)


@role_required(*roles.VIEW_ROLES)
def detail(request, pk):
    screening = get_screening_for_user(request.user, pk)
    answers = screening.answers.select_related("contraindication").order_by(
        "contraindication__order", "contraindication__code"
    )
    return render(request, "screening/detail.html", {"screening": screening, "answers": answers})


def get_screening_for_user(user, pk) -> Screening:
    queryset = Screening.objects.select_related("patient__condition", "doctor")
    return get_for_user(queryset, user, pk, site_field="patient__site")
