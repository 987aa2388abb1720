"""The patient's home-care calendar (confirm or skip a dose) and the missed doses for staff."""

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from celltrace.accounts import site_time
from celltrace.accounts.access import role_required
from celltrace.clinical.home_care import SKIP_AHEAD_DAYS
from celltrace.homecare import access, actions
from celltrace.homecare.forms import PhonedDoseForm, SkipForm
from celltrace.homecare.queries import calendar, missed_doses
from celltrace.pages import page_of
from celltrace.refusal import Refused


@role_required(*access.ANSWER)
def my_home_care(request):
    """Every dose of the patient's home care by week, what to do with each today."""
    today, _site = site_time.user_today(request.user)
    doses = access.doses_for_user(request.user).select_related("stay", "patient__site")
    context = {
        "weeks": calendar(doses),
        "today": today,
        "skip_until": today + dt.timedelta(days=SKIP_AHEAD_DAYS),
        "skip_form": SkipForm(),
    }
    return render(request, "homecare/my_home_care.html", context)


@require_POST
@role_required(*access.ANSWER)
def confirm(request, pk):
    dose = access.get_dose_for_user(request.user, pk)
    try:
        actions.confirm_dose(dose, request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, _("Thank you: the dose of %(day)s is recorded as taken.") % {"day": dose.day}
        )
    return redirect("homecare:mine")


@require_POST
@role_required(*access.ANSWER)
def skip(request, pk):
    dose = access.get_dose_for_user(request.user, pk)
    form = SkipForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        actions.skip_dose(dose, request.user, reason=reason)
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, _("Recorded: the dose of %(day)s was not taken.") % {"day": dose.day}
        )
    return redirect("homecare:mine")


@role_required(*access.FOLLOW)
def missed(request):
    """The doses patients did not confirm: the coordinator calls them."""
    rows = missed_doses(request.user).select_related("patient")
    context = {
        "rows": page_of(request, rows),
        "may_record": request.user.role in access.RECORD_REPORTED,
    }
    return render(request, "homecare/missed.html", context)


@require_POST
@role_required(*access.RECORD_REPORTED)
def record_phoned(request, pk):
    """Enter what the patient said on the phone about a dose."""
    dose = access.get_dose_for_user(request.user, pk)
    form = PhonedDoseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say whether the patient took the dose.")
        return redirect("homecare:missed")
    try:
        actions.record_phoned_dose(
            dose, request.user, taken=form.cleaned_data["taken"], reason=form.cleaned_data["reason"]
        )
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, f"Recorded as reported by phone: {dose.patient.full_name}, dose of {dose.day}."
        )
    return redirect("homecare:missed")
