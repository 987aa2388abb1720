"""Virus scanning through clamd, and no stored file without its row."""

import datetime as dt
import os
import socket
import struct
import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from celltrace import clamav
from celltrace.intake import actions
from celltrace.intake.models import Attachment, ConsultationRequest
from celltrace.intake.tests.conftest import pdf, stored_files
from celltrace.intake.tests.hostile_files import valid_pdf
from celltrace.refusal import Refused
from celltrace.uploads import EICAR_SIGNATURE, check_upload


class FakeClamd:
    """A clamd that speaks INSTREAM on a socket and finds only the EICAR signature."""

    def __init__(self, family=socket.AF_INET, address=("127.0.0.1", 0), reply=None):
        self.server = socket.socket(family, socket.SOCK_STREAM)
        self.server.bind(address)
        self.server.listen()
        self.reply = reply
        self.received: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def address(self) -> str:
        name = self.server.getsockname()
        return name if isinstance(name, str) else f"{name[0]}:{name[1]}"

    def _serve(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                command = b""
                while not command.endswith(b"\0"):
                    command += conn.recv(1)
                assert command == b"zINSTREAM\0"
                data = b""
                while True:
                    (length,) = struct.unpack("!L", _exactly(conn, 4))
                    if length == 0:
                        break
                    data += _exactly(conn, length)
                self.received.append(data)
                verdict = "Eicar-Test-Signature FOUND" if EICAR_SIGNATURE in data else "OK"
                conn.sendall((self.reply or f"stream: {verdict}").encode() + b"\0")

    def close(self):
        self.server.close()


def _exactly(conn, n):
    data = b""
    while len(data) < n:
        part = conn.recv(n - len(data))
        if not part:
            raise ConnectionError("closed")
        data += part
    return data


@pytest.fixture
def fake_clamd(settings):
    server = FakeClamd()
    settings.CLAMD_ADDRESS = server.address
    yield server
    server.close()


def test_a_clean_file_is_scanned_by_clamd_and_accepted(fake_clamd):
    content = valid_pdf() + b"\n" * (3 * clamav.CHUNK_BYTES)  # several chunks
    check_upload(SimpleUploadedFile("report.pdf", content, "application/pdf"))
    assert fake_clamd.received == [content]


def test_a_file_clamd_finds_malware_in_is_refused_with_its_signature(fake_clamd, fields):
    infected = SimpleUploadedFile("report.pdf", valid_pdf() + EICAR_SIGNATURE, "application/pdf")
    with pytest.raises(Refused) as refusal:
        actions.submit_request(fields=fields, files=[infected], client_address=None)
    assert "malware (Eicar-Test-Signature)" in refusal.value.message
    assert ConsultationRequest.objects.count() == 0


def test_clamd_on_a_unix_socket_is_used_too(settings, tmp_path):
    server = FakeClamd(socket.AF_UNIX, str(tmp_path / "clamd.sock"))
    settings.CLAMD_ADDRESS = server.address
    try:
        with pytest.raises(Refused, match="malware"):
            check_upload(SimpleUploadedFile("x.pdf", EICAR_SIGNATURE, "application/pdf"))
    finally:
        server.close()


def test_when_clamd_cannot_be_reached_the_file_is_refused_not_waved_through(settings):
    free = socket.socket()
    free.bind(("127.0.0.1", 0))
    settings.CLAMD_ADDRESS = f"127.0.0.1:{free.getsockname()[1]}"
    free.close()
    with pytest.raises(Refused) as refusal:
        check_upload(pdf())
    assert refusal.value.code == "scanner_unavailable"


def test_an_answer_from_clamd_that_is_no_verdict_refuses_the_file(settings):
    server = FakeClamd(reply="INSTREAM size limit exceeded. ERROR")
    settings.CLAMD_ADDRESS = server.address
    try:
        with pytest.raises(Refused) as refusal:
            check_upload(pdf())
        assert refusal.value.code == "scanner_unavailable"
    finally:
        server.close()


def test_a_failing_save_leaves_no_file(fields, uploads_dir, monkeypatch):
    def broken_save(obj, user):
        if isinstance(obj, Attachment):
            raise RuntimeError("the database went away")
        return obj.save() or obj

    monkeypatch.setattr(actions, "save_by", broken_save)
    with pytest.raises(RuntimeError):
        actions.submit_request(fields=fields, files=[pdf(), pdf("b.pdf")], client_address=None)
    assert stored_files(uploads_dir) == []
    assert Attachment.objects.count() == 0


@pytest.mark.real_clock  # the sweep compares with the files' modification times
def test_the_sweep_removes_files_left_without_a_row_and_keeps_the_rest(
    make_request, advisor, uploads_dir
):
    kept = actions.add_attachment(make_request(), advisor, pdf())
    with pytest.raises(RuntimeError), transaction.atomic():
        # A crash after the file was written, before the transaction committed.
        actions.add_attachment(make_request(), advisor, pdf("lost.pdf"))
        raise RuntimeError("the process died")
    assert len(stored_files(uploads_dir)) == 2
    assert actions.sweep_orphan_files() == []  # too recent: its transaction may be running

    hour_ago = time.time() - 2 * 3600
    for path in stored_files(uploads_dir):
        os.utime(path, (hour_ago, hour_ago))
    removed = actions.sweep_orphan_files(older_than=dt.timedelta(hours=1))

    assert len(removed) == 1
    assert [p.name for p in stored_files(uploads_dir)] == [kept.file.name.rsplit("/")[-1]]
