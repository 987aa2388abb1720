"""The FHIR R4 read API under /fhir/R4/: read, search by patient, $everything, metadata.

FHIR's JSON is not a ninja schema, so these are plain views; they check the role first
(`access.READ`), then fetch through `access.patients_for_user`, like every other door. A
problem is answered with an OperationOutcome: 401 for a visitor, 403 for a role the API is not
for, 404 for a record that is not at the user's site (never telling which).
"""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from celltrace.accounts.access import has_role
from celltrace.fhir import access, bulk, capability, records
from celltrace.fhir.csv_results import import_csv
from celltrace.fhir.imports import ImportResult, import_bundle
from celltrace.fhir.models import BulkExport
from celltrace.refusal import NotAllowed, Refused

CONTENT_TYPE = "application/fhir+json; charset=utf-8"


def _response(body: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(body, status=status, content_type=CONTENT_TYPE)


def outcome(status: int, code: str, text: str) -> JsonResponse:
    return _response(
        {
            "resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": code, "diagnostics": text}],
        },
        status=status,
    )


def fhir_view(view=None, *, roles=access.READ, methods=("GET",)):
    """Admit the roles (the care team and patients); answer others with an OperationOutcome."""
    if view is None:
        return lambda view: fhir_view(view, roles=roles, methods=methods)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            response = outcome(401, "login", "Sign in to read the clinic's records.")
            response["WWW-Authenticate"] = 'Session realm="celltrace"'
            return response
        if not has_role(request.user, roles):
            return outcome(403, "forbidden", "Your role does not give access to this.")
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return outcome(404, "not-found", "Not found among the records you may read.")

    wrapper.allowed_roles = frozenset(roles)
    return require_http_methods(list(methods))(wrapper)


def _base(request) -> str:
    return request.build_absolute_uri("/fhir/R4").rstrip("/")


def _bundle(request, resources: list[dict], matches: int | None = None) -> JsonResponse:
    base = _base(request)
    matches = len(resources) if matches is None else matches
    return _response(
        {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": matches,
            "link": [{"relation": "self", "url": request.build_absolute_uri()}],
            "entry": [
                {
                    "fullUrl": f"{base}/{resource['resourceType']}/{resource['id']}",
                    "resource": resource,
                    "search": {"mode": "match" if n < matches else "include"},
                }
                for n, resource in enumerate(resources)
            ],
        }
    )


@require_GET
def metadata(request):
    """The CapabilityStatement: public, as FHIR clients read it before signing in."""
    return _response(capability.capability_statement(_base(request)))


@require_GET
def code_system(request, code_system_id):
    system = capability.code_system(code_system_id)
    if system is None:
        return outcome(404, "not-found", f"No code system {code_system_id!r}.")
    return _response(system)


def _patient_id(request) -> str | None:
    value = request.GET.get("patient") or request.GET.get("subject") or ""
    return value.removeprefix("Patient/") or None


@fhir_view
def search(request, resource_type):
    if resource_type not in records.PATIENT_TYPES:
        return outcome(404, "not-supported", f"{resource_type} is not searched here.")
    patients = access.patients_for_user(request.user)
    if resource_type == "Patient":
        wanted = request.GET.get("_id")
        if wanted is not None:
            patients = patients.filter(pk=wanted) if wanted.isdigit() else patients.none()
        return _bundle(request, records.patient_resources(patients, ["Patient"]))
    patient_id = _patient_id(request)
    if patient_id is None:
        return outcome(400, "required", f"Search {resource_type} by patient: ?patient=<id>.")
    patient = access.get_patient_for_user(request.user, patient_id)
    return _bundle(
        request, records.patient_resources(patients.filter(pk=patient.pk), [resource_type])
    )


@fhir_view
def read(request, resource_type, resource_id):
    if resource_type in records.SUPPORT_TYPES:
        if not resource_id.isdigit():
            raise Http404
        visible = (
            access.staff_for_user(request.user)
            if resource_type == "Practitioner"
            else access.sites_for_user(request.user)
        )
        if not visible.filter(pk=resource_id).exists():
            raise Http404
        return _response(records.support_resources([f"{resource_type}/{resource_id}"])[0])
    if resource_type not in records.PATIENT_TYPES:
        return outcome(404, "not-supported", f"{resource_type} is not served here.")
    resource = records.read(access.patients_for_user(request.user), resource_type, resource_id)
    if resource is None:
        raise Http404
    return _response(resource)


@fhir_view
def everything(request, patient_id):
    """The patient's whole record, and the practitioners, sites it names."""
    patient = access.get_patient_for_user(request.user, patient_id)
    own, support = records.everything(patient)
    return _bundle(request, own + support, matches=len(own))


@fhir_view(roles=access.EXPORT)
def export_kickoff(request):
    """Bulk Data kick-off: queue an export of the user's site (every site: an administrator)."""
    since = None
    if raw := request.GET.get("_since"):
        try:
            since = dt.datetime.fromisoformat(raw)
        except ValueError:
            return outcome(400, "invalid", f"_since is a FHIR instant: {raw!r}")
        if timezone.is_naive(since):
            return outcome(400, "invalid", "_since needs its time zone, e.g. +00:00.")
    unsupported = set(request.GET) - {"_since", "_outputFormat"}
    if unsupported:
        return outcome(400, "not-supported", f"Not supported: {', '.join(sorted(unsupported))}.")
    if request.GET.get("_outputFormat", "application/fhir+ndjson") not in OUTPUT_FORMATS:
        return outcome(400, "not-supported", "The export is written as application/fhir+ndjson.")
    export = bulk.start_export(request.user, since=since, request_url=request.build_absolute_uri())
    response = HttpResponse(status=202)
    status_url = reverse("fhir:export_status", args=[export.pk])
    response["Content-Location"] = request.build_absolute_uri(status_url)
    return response


OUTPUT_FORMATS = {"application/fhir+ndjson", "application/ndjson", "ndjson"}


def _own_export(request, export_id) -> BulkExport:
    """An export the user asked for, or 404."""
    if not str(export_id).isdigit():
        raise Http404
    return get_object_or_404(BulkExport, pk=export_id, requested_by=request.user)


@fhir_view(roles=access.EXPORT)
def export_status(request, export_id):
    export = _own_export(request, export_id)
    if export.status == BulkExport.Status.FAILED:
        return outcome(500, "exception", f"The export failed: {export.error}")
    if export.status != BulkExport.Status.DONE:
        response = HttpResponse(status=202)
        response["X-Progress"] = export.get_status_display()
        response["Retry-After"] = "5"
        return response

    def file_url(resource_type):
        url = reverse("fhir:export_file", args=[export.pk, resource_type])
        return request.build_absolute_uri(url)

    return JsonResponse(bulk.manifest(export, file_url))


@fhir_view(roles=access.EXPORT)
def export_file(request, export_id, resource_type):
    export = _own_export(request, export_id)
    file = get_object_or_404(export.files, resource_type=resource_type)
    return HttpResponse(file.content, content_type="application/fhir+ndjson; charset=utf-8")


@fhir_view(roles=access.IMPORT, methods=("POST",))
def import_results(request):
    """POST a Bundle (or a CSV file of lab results) to the base: imported whole or not at all.

    The answer is an OperationOutcome saying what became of each entry; a refusal is a 400
    naming the entry (404 for a patient not at the user's site, 403 for another role).
    """
    content_type = (request.content_type or "").lower()
    sender = request.GET.get("sender", "")
    try:
        if content_type == "text/csv":
            result = import_csv(request.user, request.body, sender=sender)
        else:
            result = import_bundle(request.user, request.body, sender=sender)
    except NotAllowed as refusal:
        return outcome(403, "forbidden", refusal.message)
    except Refused as refusal:
        status = 404 if refusal.code == "unknown_patient" else 400
        return outcome(status, "not-found" if status == 404 else "invalid", refusal.message)
    return _response(import_outcome(result), status=201 if result.created else 200)


def import_outcome(result: ImportResult) -> dict:
    issues = [(label, "was imported") for label in result.created]
    issues += [(label, "was imported before: unchanged") for label in result.unchanged]
    return {
        "resourceType": "OperationOutcome",
        "issue": [
            {"severity": "information", "code": "informational", "diagnostics": f"{label}: {text}"}
            for label, text in issues
        ],
    }
