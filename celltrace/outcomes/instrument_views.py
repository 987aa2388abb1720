"""The one screen that records any registered instrument for a patient."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from celltrace.accounts.access import role_required
from celltrace.outcomes import access, actions, instruments
from celltrace.outcomes.forms import MeasuredOnForm
from celltrace.patients.access import get_patient_for_user
from celltrace.refusal import Refused


def _show(when, form, refused: Refused) -> None:
    """Put each reason on the form that has its field (date or answers), the rest on top."""
    for key, message in refused.field_errors.items():
        target = when if key in when.fields else form
        if key not in target.fields:
            target.add_error(None, message)
        elif key not in target.errors:
            target.add_error(key, message)


def _recorded(stored) -> str:
    return "; ".join(f"{m.get_instrument_display()} {m.category or f'{m.value:g}'}" for m in stored)


@role_required(*access.RECORD)
def instrument_new(request, patient_pk, code):
    patient = get_patient_for_user(request.user, patient_pk)
    try:
        definition = instruments.instrument(code)
    except KeyError:
        raise Http404("No such instrument.") from None
    if definition.entry_view:  # an instrument with a screen of its own (ISNCSCI, EDSS)
        return redirect(definition.entry_view, patient.pk)
    when = MeasuredOnForm(request.POST or None, initial={"measured_on": timezone.localdate()})
    form = definition.form_class(request.POST or None)
    refusal = None
    if request.method == "POST" and when.is_valid():
        answers = {name: request.POST.get(name) for name in form.fields}
        try:
            stored = actions.record_instrument(
                patient, request.user, code, answers, when.cleaned_data["measured_on"]
            )
        except Refused as refused:
            refusal = refused
            _show(when, form, refused)
        else:
            messages.success(request, f"Recorded {definition.label}: {_recorded(stored)}.")
            return redirect(patient)
    context = {
        "patient": patient,
        "instrument": definition,
        "when": when,
        "form": form,
        "refusal": refusal,
    }
    return render(request, "outcomes/instrument_form.html", context)
