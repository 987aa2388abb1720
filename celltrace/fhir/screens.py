"""The staff screen that takes a lab's file of results or a referring doctor's documents.

A FHIR Bundle (JSON) or a CSV file of lab results, imported by the same action as the API
(`imports.import_bundle`, `csv_results.import_csv`), so the screen and the API cannot disagree.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from celltrace.accounts.access import role_required
from celltrace.fhir import access
from celltrace.fhir.csv_results import import_csv
from celltrace.fhir.imports import import_bundle
from celltrace.fhir.models import Import
from celltrace.refusal import Refused

# A Bundle of a few documents is larger than one document (base64 adds a third).
MAX_FILE_BYTES = 20 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label="File",
        help_text="A FHIR Bundle (.json) of lab Observations and DocumentReferences, or a CSV "
        "file of lab results with the columns patient_code, code, value, unit, date.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.csv"}),
    )
    sender = forms.CharField(
        label="Sent by",
        max_length=200,
        required=False,
        help_text="The laboratory or doctor the results come from (a Bundle may name it in "
        "meta.source).",
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_FILE_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_FILE_BYTES >> 20} MB.")
        return file


@role_required(*access.IMPORT)
def import_file(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        importer = import_csv if upload.name.lower().endswith(".csv") else import_bundle
        try:
            result = importer(
                request.user, upload.read(), sender=form.cleaned_data["sender"],
                file_name=upload.name,
            )  # fmt: skip
        except Refused as exc:
            refusal = exc.message
        else:
            messages.success(
                request,
                f"{len(result.created)} imported, {len(result.unchanged)} imported before.",
            )
            return redirect("fhir_import:form")
    recent = Import.objects.filter(imported_by=request.user).prefetch_related(
        "resources__patient", "resources__fact", "resources__attachment"
    )[:10]
    context = {"form": form, "refusal": refusal, "recent": recent}
    return render(request, "fhir/import.html", context)
