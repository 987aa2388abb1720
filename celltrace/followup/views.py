"""The overdue follow-up list, completing an item, and ending a patient's follow-up."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from celltrace.accounts.access import role_required
from celltrace.followup import access, actions
from celltrace.followup.access import get_item_for_user
from celltrace.followup.forms import CompleteForm, FollowUpEndForm
from celltrace.followup.queries import overdue_items
from celltrace.patients.access import get_patient_for_user
from celltrace.refusal import Refused, show_refusal


@role_required(*access.VIEW)
def overdue(request):
    context = {
        "rows": overdue_items(request.user),
        "can_complete": request.user.role in access.COMPLETE,
    }
    return render(request, "followup/overdue.html", context)


@require_POST
@role_required(*access.COMPLETE)
def complete(request, pk):
    item = get_item_for_user(request.user, pk)
    form = CompleteForm(request.POST)
    notes = form.cleaned_data["notes"] if form.is_valid() else ""
    try:
        actions.complete_follow_up_item(item, request.user, notes=notes)
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Done: {item.title} for {item.patient}.")
    return redirect("followup:overdue")


@role_required(*access.END)
def end(request, patient_pk):
    patient = get_patient_for_user(request.user, patient_pk)
    form = FollowUpEndForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            ended = actions.record_follow_up_end(patient, request.user, **form.cleaned_data)
        except Refused as exc:
            refusal = exc
            show_refusal(form, exc)
        else:
            messages.success(request, f"Recorded for {patient}: {ended}.")
            return redirect(patient)
    context = {"form": form, "patient": patient, "refusal": refusal}
    return render(request, "followup/end_form.html", context)
