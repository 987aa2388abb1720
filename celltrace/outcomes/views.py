"""Outcome reports per condition and recording a measurement."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from celltrace.accounts.access import role_required
from celltrace.catalog.models import Condition
from celltrace.outcomes import access, actions
from celltrace.outcomes.forms import MeasurementForm
from celltrace.outcomes.summary import condition_summary, conditions_with_counts
from celltrace.patients.access import get_patient_for_user
from celltrace.refusal import Refused, show_refusal


@role_required(*access.VIEW_SUMMARY)
def conditions(request):
    return render(
        request, "outcomes/conditions.html", {"conditions": conditions_with_counts(request.user)}
    )


@role_required(*access.VIEW_SUMMARY)
def condition(request, condition_code):
    the_condition = get_object_or_404(Condition, code=condition_code)
    summary = condition_summary(the_condition, request.user)
    return render(request, "outcomes/condition.html", {"summary": summary})


@role_required(*access.RECORD)
def record(request, patient_pk):
    patient = get_patient_for_user(request.user, patient_pk)
    form = MeasurementForm(request.POST or None, initial={"measured_on": timezone.localdate()})
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            measurement = actions.record_measurement(patient, request.user, **form.cleaned_data)
        except Refused as exc:
            refusal = exc
            show_refusal(form, exc)
        else:
            messages.success(request, f"Recorded: {measurement}.")
            return redirect(patient)
    context = {
        "form": form,
        "patient": patient,
        "refusal": refusal,
        "measurements": patient.measurements.all(),
    }
    return render(request, "outcomes/record.html", context)
