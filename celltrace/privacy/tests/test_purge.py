"""Purge: only closed, never-converted requests past retention go; old addresses are cleared."""

import argparse
import datetime as dt
import io

import pytest
from django.utils import timezone

from celltrace.audit.chain import verify
from celltrace.intake.actions import add_contact_note, close_request, submit_request
from celltrace.intake.models import Attachment, ConsultationRequest, ContactNote
from celltrace.intake.tests.conftest import pdf, stored_files
from celltrace.privacy.purge import purge_expired

FIELDS = {
    "full_name": "Maria Santos", "email": "maria@example.org", "phone": "+351 912 345 678",
    "country": "Portugal", "language": "Portuguese", "condition": "ms",
    "description": "Relapsing-remitting MS since 2015.", "consent_health_data": True,
}  # fmt: skip


@pytest.fixture
def asked(time_machine, catalog, site, advisor):
    """Make a request some days ago, closed (by the advisor) some days after it came."""

    def make(*, days_ago: int, closed_after: int | None = None, address="198.51.100.7"):
        now = timezone.now()
        time_machine.move_to(now - dt.timedelta(days=days_ago), tick=True)
        request = submit_request(fields=FIELDS, files=[pdf()], client_address=address)
        add_contact_note(request, advisor, text="Called; not a candidate.")
        if closed_after is not None:
            time_machine.move_to(now - dt.timedelta(days=days_ago - closed_after), tick=True)
            close_request(request, advisor, reason="Active cancer.")
        time_machine.move_to(now, tick=True)
        return request

    return make


def test_only_closed_never_converted_requests_past_retention_are_purged(
    asked, settings, uploads_dir, patient, django_capture_on_commit_callbacks
):
    settings.PRIVACY_REQUEST_RETENTION_DAYS = 365
    expired = asked(days_ago=500, closed_after=100)  # closed 400 days ago
    closed_lately = asked(days_ago=500, closed_after=200)  # closed 300 days ago
    still_open = asked(days_ago=500)
    converted = patient.request  # a patient's request is their record, never purged
    files_before = len(stored_files(uploads_dir))
    with django_capture_on_commit_callbacks(execute=True):  # files go once the purge commits
        purged = purge_expired(timezone.now())
    assert (purged.requests, purged.attachments) == (1, 1)
    remaining = set(ConsultationRequest.objects.values_list("pk", flat=True))
    assert remaining == {closed_lately.pk, still_open.pk, converted.pk}
    assert not Attachment.objects.filter(request_id=expired.pk).exists()
    assert not ContactNote.objects.filter(request_id=expired.pk).exists()
    assert len(stored_files(uploads_dir)) == files_before - 1
    assert verify().intact
    # The deletion is on the record, with why.
    gone = ConsultationRequest.history.filter(id=expired.pk).latest("history_date")
    assert (gone.history_type, gone.history_change_reason) == ("-", "purged: retention period over")


def test_client_addresses_are_cleared_after_their_retention(asked, settings):
    settings.PRIVACY_ADDRESS_RETENTION_DAYS = 30
    old = asked(days_ago=31)
    recent = asked(days_ago=29, address="203.0.113.9")
    assert purge_expired(timezone.now()).addresses == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.client_address, recent.client_address) == (None, "203.0.113.9")
    assert verify().intact


def test_the_command_purges_and_says_what(asked, settings):
    from celltrace.batch import privacy as command

    asked(days_ago=800, closed_after=10)
    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    out = io.StringIO()
    assert command.run(parser.parse_args(["purge"]), io.StringIO(), out) == 0
    assert out.getvalue().startswith("Purged 1 closed requests older than 365 days (1 attachments)")
    assert not ConsultationRequest.objects.exists()
