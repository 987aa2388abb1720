"""The asynchronous `$export` (FHIR Bulk Data): kick-off, the task that writes, the manifest.

A registry asks `GET /fhir/R4/$export` (with `Prefer: respond-async`); the request is a
`BulkExport` row and a task on the queue (Django's tasks, run by `celltrace worker`), which
writes the same files as `celltrace fhir export` into the database. The requester polls the
status URL until it gives the manifest, then reads each file.
"""

from __future__ import annotations

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from celltrace.fhir.export import export_resources, ndjson_files
from celltrace.fhir.models import BulkExport, BulkExportFile


def start_export(user, *, since, request_url: str) -> BulkExport:
    """Record the request (the user's site; every site for an administrator) and queue it."""
    export = BulkExport.objects.create(
        requested_by=user,
        site=None if user.sees_every_site else user.site,
        since=since,
        request_url=request_url,
        requested_at=timezone.now(),
    )
    run_export.enqueue(export.pk)
    return export


@task()
def run_export(export_id: int) -> str:
    """Write the export's files (on the worker)."""
    export = BulkExport.objects.select_related("site").get(pk=export_id)
    BulkExport.objects.filter(pk=export_id).update(status=BulkExport.Status.RUNNING)
    try:
        files = ndjson_files(export_resources(site=export.site, since=export.since))
    except Exception as error:  # the requester reads why in the status, the worker logs it
        BulkExport.objects.filter(pk=export_id).update(
            status=BulkExport.Status.FAILED, error=str(error), finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        BulkExportFile.objects.bulk_create(
            BulkExportFile(export=export, resource_type=t, count=count, content=text)
            for t, (count, text) in files.items()
        )
        BulkExport.objects.filter(pk=export_id).update(
            status=BulkExport.Status.DONE, finished_at=timezone.now()
        )
    return f"{sum(count for count, _ in files.values())} resources"


def manifest(export: BulkExport, file_url) -> dict:
    """The Bulk Data manifest of a finished export; `file_url(resource_type)` names a file."""
    return {
        "transactionTime": export.requested_at.isoformat(),
        "request": export.request_url,
        "requiresAccessToken": True,
        "output": [
            {"type": f.resource_type, "url": file_url(f.resource_type), "count": f.count}
            for f in export.files.only("resource_type", "count")
        ],
        "error": [],
    }
