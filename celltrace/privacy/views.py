"""The record's download (staff and the patient in the portal) and the erasure page."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from celltrace.accounts.access import role_required
from celltrace.patients.access import get_patient_for_user
from celltrace.privacy import access, actions
from celltrace.privacy import export as record_export
from celltrace.privacy.forms import ErasureForm
from celltrace.refusal import Refused, show_refusal


@role_required(*access.EXPORT_ROLES)
def export(request, pk):
    """The ZIP of the record; the download is logged as a security event (an export)."""
    patient = get_patient_for_user(request.user, pk)  # 404 for another site or patient
    content = record_export.export_record(
        patient, base_url=request.build_absolute_uri("/fhir/R4").rstrip("/")
    )
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{record_export.file_name(patient)}"'
    return response


@role_required(*access.ERASE_ROLES)
def erase(request, pk):
    patient = get_patient_for_user(request.user, pk)
    refusal = actions.erasure_refusal(patient)
    form = ErasureForm(request.POST or None, patient=patient)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.erase_identity(patient, request.user, reason=data["reason"],
                              password=data["password"])  # fmt: skip
            except Refused as error:
                show_refusal(form, error)
                refusal = error
            else:
                messages.success(request, f"The identity of {patient.code} is erased.")
                return redirect("patient_detail", pk=patient.pk)
        status = 422
    context = {"patient": patient, "form": form, "refusal": refusal}
    return render(request, "privacy/erase.html", context, status=status)
