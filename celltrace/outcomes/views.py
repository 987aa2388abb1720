"""The registry report per condition (page and downloads) and recording a measurement."""

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from celltrace.accounts import site_time
from celltrace.accounts.access import role_required
from celltrace.catalog.models import CellProduct, Route
from celltrace.outcomes import access, actions, reports
from celltrace.outcomes.forms import MeasurementForm
from celltrace.outcomes.published import publications
from celltrace.outcomes.summary import conditions_with_counts
from celltrace.patients.access import get_patient_for_user
from celltrace.refusal import Refused, show_refusal


@role_required(*access.VIEW_SUMMARY)
def conditions(request):
    return render(
        request, "outcomes/conditions.html", {"conditions": conditions_with_counts(request.user)}
    )


def _question(request, condition_code) -> reports.ReportQuestion:
    today, _site = site_time.user_today(request.user)
    return reports.ask(
        condition_code,
        cutoff=request.GET.get("cutoff"),
        product=request.GET.get("product"),
        route=request.GET.get("route"),
        today=today,
    )


@never_cache
@role_required(*access.VIEW_SUMMARY)
def condition(request, condition_code):
    """The report at a cut-off, with its filters, figures and download links.

    Served from its snapshot (reports.served); while the first one is prepared, a page that
    asks again every few seconds (htmx) and swaps the report in when it is there.
    """
    today, _site = site_time.user_today(request.user)
    context = {
        "asked": request.GET,
        "cutoff": request.GET.get("cutoff") or today.isoformat(),
        "report": None,
        "products": CellProduct.objects.order_by("code").values_list("code", "name"),
        "routes": Route.choices,
        "condition_code": condition_code,
        "publications": publications(condition_code),
    }
    try:
        result = reports.served(_question(request, condition_code), request.user, "page")
    except Refused as refusal:
        context["refusal"] = refusal
        return render(request, "outcomes/condition.html", context, status=422)
    context["served"] = result
    if result.preparing:
        status = 500 if result.failed else 202
        return render(request, "outcomes/condition.html", context, status=status)
    context |= {
        "report": json.loads(result.snapshot.report_json),
        "figures": result.snapshot.figures,
        "query": request.GET.urlencode(),
    }
    return render(request, "outcomes/condition.html", context)


@role_required(*access.VIEW_SUMMARY)
def report_file(request, condition_code, fmt):
    """The report as JSON, CSV or PDF, for the same question as the page."""
    try:
        result = reports.served(_question(request, condition_code), request.user, fmt)
    except Refused as refusal:
        return HttpResponse(refusal.message + "\n" + _field_lines(refusal), status=422,
                            content_type="text/plain; charset=utf-8")  # fmt: skip
    if result.preparing:
        response = render(
            request, "outcomes/report_preparing.html", {"served": result},
            status=500 if result.failed else 202,
        )  # fmt: skip
        response["Retry-After"] = str(reports.RETRY_AFTER)
        return response
    return reports.snapshot_file(result, fmt)


def _field_lines(refusal: Refused) -> str:
    return "".join(f"{field}: {message}\n" for field, message in refusal.field_errors.items())


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
