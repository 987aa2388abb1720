"""The published patient summary: public pages, the patient's portal, and publishing it.

The public pages need no sign-in, like the consultation form: they show only text already
published (counts over every site, no patient named), so they may be cached for a while.
"""

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_POST, require_safe

from celltrace.accounts.access import role_required
from celltrace.catalog.models import Condition
from celltrace.outcomes import access, actions
from celltrace.outcomes.models import PublishedSummary
from celltrace.outcomes.published import public_summary, published_conditions
from celltrace.patients.access import get_patient_for_user
from celltrace.refusal import Refused

# Long enough to spare the server a busy day's visitors, short enough for a withdrawal.
PUBLIC_MAX_AGE = 300


def _public(request, response):
    """Cache a public page for a short time; a signed-in visitor's copy (their name) privately."""
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


@require_safe
def results_index(request):
    """The conditions whose patient summary the clinic has published."""
    context = {"summaries": published_conditions()}
    return _public(request, render(request, "outcomes/results_index.html", context))


@require_safe
def results(request, condition_code):
    """The published patient summary of one condition; 404 when none is published."""
    condition = get_object_or_404(Condition, code=condition_code)
    summary = public_summary(condition)
    if summary is None:
        raise Http404("No summary of results is published for this condition.")
    return _public(request, render(request, "outcomes/results.html", {"summary": summary}))


@role_required(*access.VIEW_OWN_RESULTS)
def patient_results(request, patient_pk):
    """In the portal: the published summary of the patient's own condition, nobody else's."""
    patient = get_patient_for_user(request.user, patient_pk)
    context = {"patient": patient, "summary": public_summary(patient.condition)}
    response = render(request, "outcomes/patient_results.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(*access.PUBLISH_SUMMARY)
@require_POST
def publish_summary(request, condition_code):
    """Publish the condition's patient summary at the cut-off sent with the button."""
    condition = get_object_or_404(Condition, code=condition_code)
    typed = request.POST.get("cutoff") or timezone.localdate().isoformat()  # the page's default
    try:
        cutoff = dt.date.fromisoformat(typed)
    except ValueError:
        refusal = Refused(f"{typed!r} is not a date: write it as YYYY-MM-DD.", code="invalid")
        return _refused(request, condition, refusal)
    try:
        summary = actions.publish_patient_summary(condition, request.user, cutoff=cutoff)
    except Refused as refusal:
        return _refused(request, condition, refusal)
    messages.success(request, f"Published: {summary}.")
    return redirect(f"{condition.get_absolute_url()}?cutoff={summary.cutoff}")


@role_required(*access.PUBLISH_SUMMARY)
@require_POST
def withdraw_summary(request, summary_pk):
    summary = get_object_or_404(PublishedSummary, pk=summary_pk)
    try:
        actions.withdraw_patient_summary(
            summary, request.user, reason=request.POST.get("reason", "")
        )
    except Refused as refusal:
        return _refused(request, summary.condition, refusal)
    messages.success(request, f"Withdrawn: {summary}.")
    return redirect(summary.condition)


def _refused(request, condition, refusal: Refused):
    context = {"condition": condition, "refusal": refusal}
    return render(request, "outcomes/summary_refused.html", context, status=422)
