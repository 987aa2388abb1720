"""Trace screens: a lot's recipients (and its recall), a patient's lots and donors."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from celltrace.accounts.access import has_role, role_required
from celltrace.lab.access import LOT_RECALLERS, get_lot_for_user
from celltrace.lab.actions import recall_lot
from celltrace.lab.models import ProductLot
from celltrace.patients.access import get_patient_for_user
from celltrace.refusal import Refused, show_refusal
from celltrace.signatures.service import shown_signatures
from celltrace.stays.access import TRACE
from celltrace.stays.trace import lot_trace, patient_trace


class RecallForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why is the lot recalled?",
        help_text="e.g. a positive sterility culture, or the donor determined ineligible.",
    )
    password = forms.CharField(
        widget=forms.PasswordInput, label="Your password", help_text="A recall is signed."
    )


def _trace_page(request, lot, *, form=None, refusal=None):
    may_recall = has_role(request.user, LOT_RECALLERS) and lot.status == ProductLot.Status.RELEASED
    context = {
        "trace": lot_trace(lot),
        "lot": lot,
        "recall_form": (form or RecallForm()) if may_recall else None,
        "refusal": refusal,
        "signatures": shown_signatures(lot.recall, time_zone=lot.site.time_zone)
        if hasattr(lot, "recall")
        else [],
    }
    return render(request, "stays/lot_trace.html", context)


@role_required(*TRACE)
def lot_trace_page(request, pk):
    return _trace_page(request, get_lot_for_user(request.user, pk))


@require_POST
@role_required(*LOT_RECALLERS)
def recall(request, pk):
    lot = get_lot_for_user(request.user, pk)
    form = RecallForm(request.POST)
    if not form.is_valid():
        return _trace_page(request, lot, form=form)
    try:
        recall_lot(lot, request.user, **form.cleaned_data)
    except Refused as error:
        show_refusal(form, error)
        return _trace_page(request, lot, form=form, refusal=error)
    messages.success(request, f"Lot {lot.code} recalled: follow up every recipient below.")
    return redirect("stays:lot_trace", pk=lot.pk)


@role_required(*TRACE)
def patient_trace_page(request, patient_pk):
    patient = get_patient_for_user(request.user, patient_pk)
    return render(request, "stays/patient_trace.html", {"trace": patient_trace(patient)})
