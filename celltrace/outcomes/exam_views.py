"""The doctors' exam screens: ISNCSCI worksheet, Neurostatus-EDSS sheet, relapses, MRI, course."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from celltrace.accounts.access import role_required
from celltrace.outcomes import access, actions
from celltrace.outcomes.actions import first_treatment_date
from celltrace.outcomes.chart import course_chart
from celltrace.outcomes.course import patient_edss_course
from celltrace.outcomes.exam_forms import MriScanForm, RelapseForm, field_name
from celltrace.outcomes.instruments.edss.engine import score_sheet
from celltrace.outcomes.instruments.edss.forms import EdssForm
from celltrace.outcomes.instruments.isncsci.engine import classify_isncsci, motor_score
from celltrace.outcomes.instruments.isncsci.forms import IsncsciForm
from celltrace.outcomes.models import Timepoint
from celltrace.patients.access import get_patient_for_user
from celltrace.refusal import Refused, show_refusal


def _initial(patient) -> dict:
    treated = first_treatment_date(patient) is not None
    return {
        "measured_on": timezone.localdate(),
        "timepoint": Timepoint.FOLLOW_UP if treated else Timepoint.BASELINE,
    }


def show_exam_refusal(form, refused: Refused) -> None:
    """Put each reason next to the field it names (exam paths map to form fields)."""
    show_refusal(form, refused, field_for=field_name)


def _isncsci_result(form) -> dict:
    """Classify the worksheet as entered, for showing before (or without) saving."""
    if not form.is_valid():
        return {}
    try:
        _, result = classify_isncsci(form.exam())
    except Refused as refused:
        show_exam_refusal(form, refused)
        return {}
    return {"classification": result, "motor_score": motor_score(result)}


@role_required(*access.RECORD)
def isncsci_new(request, patient_pk):
    patient = get_patient_for_user(request.user, patient_pk)
    form = IsncsciForm(request.POST or None, initial=_initial(patient))
    context = {"form": form, "patient": patient, "refusal": None}
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            context |= _isncsci_result(form)
            return render(request, "outcomes/isncsci_form.html", context)
        try:
            measurement = actions.record_isncsci_exam(
                patient,
                request.user,
                exam=form.exam(),
                timepoint=form.cleaned_data["timepoint"],
                measured_on=form.cleaned_data["measured_on"],
            )
        except Refused as refused:
            context["refusal"] = refused
            show_exam_refusal(form, refused)
            context |= _isncsci_result(IsncsciForm(request.POST))
        else:
            found = measurement.details["classification"]
            messages.success(
                request,
                f"Recorded the ISNCSCI exam of {measurement.measured_on}: "
                f"NLI {found['neurologicalLevelOfInjury']}, AIS {found['ASIAImpairmentScale']}, "
                f"motor score {measurement.value:g}.",
            )
            return redirect(patient)
    return render(request, "outcomes/isncsci_form.html", context)


@role_required(*access.RECORD)
@require_POST
def isncsci_preview(request, patient_pk):
    patient = get_patient_for_user(request.user, patient_pk)
    form = IsncsciForm(request.POST)
    context = {"form": form, "patient": patient} | _isncsci_result(form)
    return render(request, "outcomes/_isncsci_result.html", context)


@role_required(*access.RECORD)
def edss_new(request, patient_pk):
    patient = get_patient_for_user(request.user, patient_pk)
    form = EdssForm(request.POST or None, initial=_initial(patient))
    context = {"form": form, "patient": patient, "refusal": None}
    if request.method == "POST" and form.is_valid():
        try:
            if "preview" in request.POST:
                context["score"] = score_sheet(form.grades())[1]
                return render(request, "outcomes/edss_form.html", context)
            measurement = actions.record_edss_exam(
                patient,
                request.user,
                grades=form.grades(),
                timepoint=form.cleaned_data["timepoint"],
                measured_on=form.cleaned_data["measured_on"],
            )
        except Refused as refused:
            context["refusal"] = refused
            show_exam_refusal(form, refused)
        else:
            messages.success(request, f"Recorded EDSS {measurement.value:.1f}.")
            return redirect("outcomes:edss_course", patient.pk)
    return render(request, "outcomes/edss_form.html", context)


@role_required(*access.RECORD)
def relapse_new(request, patient_pk):
    return _record_page(
        request, patient_pk, RelapseForm, actions.record_relapse, "outcomes/relapse_form.html"
    )


@role_required(*access.RECORD)
def mri_scan_new(request, patient_pk):
    return _record_page(
        request, patient_pk, MriScanForm, actions.record_mri_scan, "outcomes/mri_scan_form.html"
    )


def _record_page(request, patient_pk, form_class, action, template):
    """A one-form screen that records through `action` and returns to the EDSS course."""
    patient = get_patient_for_user(request.user, patient_pk)
    form = form_class(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            record = action(patient, request.user, **form.cleaned_data)
        except Refused as exc:
            refusal = exc
            show_exam_refusal(form, exc)
        else:
            messages.success(request, f"Recorded: {record}.")
            return redirect("outcomes:edss_course", patient.pk)
    context = {"form": form, "patient": patient, "refusal": refusal}
    return render(request, template, context)


def _course_context(request, patient_pk) -> dict:
    patient = get_patient_for_user(request.user, patient_pk)
    course = patient_edss_course(patient)
    return {"patient": patient, "course": course, "chart": course_chart(course)}


@role_required(*access.VIEW_COURSE)
def edss_course(request, patient_pk):
    return render(request, "outcomes/edss_course.html", _course_context(request, patient_pk))


@role_required(*access.VIEW_COURSE)
def edss_course_card(request, patient_pk):
    """The compact course for the patient page (fetched by HTMX, or opened on its own)."""
    return render(request, "outcomes/_edss_course_card.html", _course_context(request, patient_pk))
