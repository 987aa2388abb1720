"""`celltrace backup` and `celltrace restore`: a clinic comes back with identical hashes.

The backup runs in this process, on the test's database; the restore runs as an operator
runs it, a real process on a fresh database (a new SQLite file, or a scratch PostgreSQL
database made and dropped here) and a fresh uploads folder.
"""

import argparse
import io
import json
import os
import tarfile
import urllib.parse

import pytest
from django.db import connection

from celltrace import backups
from celltrace.batch import backup as backup_command
from celltrace.batch import restore as restore_command
from celltrace.intake.actions import submit_request
from celltrace.intake.models import Attachment
from celltrace.intake.tests.conftest import pdf, png
from celltrace.patients.models import Patient
from celltrace.tests import live
from testkit.journey import make_patient

# The backup reads committed rows, and the restore runs in another process.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def uploads(settings, tmp_path):
    root = tmp_path / "uploads"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


@pytest.fixture
def clinic(site, catalog, uploads):
    """Three patients and a public request with two medical reports."""
    for _ in range(3):
        make_patient(site)
    submit_request(
        fields={
            "full_name": "Maria Santos",
            "email": "maria@example.org",
            "phone": "+351 912 345 678",
            "country": "Portugal",
            "language": "Portuguese",
            "condition": "ms",
            "description": "Relapsing-remitting MS since 2015; walking is getting harder.",
            "consent_health_data": True,
        },
        files=[pdf(), png()],
        client_address="198.51.100.7",
    )
    assert Attachment.objects.count() == 2


def back_up(path, *, verify=False):
    out = io.StringIO()
    code = backup_command.run(argparse.Namespace(file=str(path), verify=verify), None, out)
    return code, out.getvalue()


def restore_in_process(path, *, check=False, force=False):
    args = argparse.Namespace(file=str(path), check=check, force=force)
    return restore_command.run(args, None, io.StringIO())


@pytest.fixture
def fresh_database(tmp_path):
    """The URL of an empty database for the restore: a new file, or a scratch PG database."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    s = connection.settings_dict
    name = f"{s['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    user, password = (urllib.parse.quote(s[k] or "", safe="") for k in ("USER", "PASSWORD"))
    yield f"postgresql://{user}:{password}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restore_elsewhere(archive, database_url, data_dir, *args):
    env = live.environment(
        CELLTRACE_SECRET_KEY=live.SECRET_KEY,
        CELLTRACE_DATA_DIR=str(data_dir),
        CELLTRACE_DATABASE_URL=database_url,
    )
    return live.celltrace("restore", str(archive), *args, env=env)


def test_backup_then_restore_gives_identical_hashes(clinic, uploads, tmp_path, fresh_database):
    archive = tmp_path / "celltrace.tar.gz"
    code, said = back_up(archive)
    assert code == 0, said
    assert os.stat(archive).st_mode & 0o777 == 0o600

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile(backups.MANIFEST))
        names = set(tar.getnames())
    # The manifest describes this database and these files, by the one hash function.
    assert manifest["tables"] == backups.table_hashes()
    assert manifest["tables"]["patients_patient"]["rows"] == Patient.objects.count() == 3
    assert manifest["files"] == backups.file_hashes(uploads)
    assert len(manifest["files"]) == 2
    assert {f"uploads/{name}" for name in manifest["files"]} <= names
    assert manifest["database_vendor"] == connection.vendor
    assert "patients" in manifest["migrations"]

    restored = restore_elsewhere(archive, fresh_database, tmp_path / "restored")
    assert restored.returncode == 0, restored.stderr
    assert "every table and file hash matches" in restored.stdout
    assert backups.file_hashes(tmp_path / "restored" / "uploads") == manifest["files"]

    # The restored deployment now holds data: a second restore needs --force, and proves it too.
    again = restore_elsewhere(archive, fresh_database, tmp_path / "restored")
    assert again.returncode == 1
    assert "the target database holds data" in again.stderr
    forced = restore_elsewhere(archive, fresh_database, tmp_path / "restored", "--force")
    assert forced.returncode == 0, forced.stderr
    assert "every table and file hash matches" in forced.stdout


def tampered(archive, path, member, content):
    """A copy of the archive with one member's content replaced."""
    with tarfile.open(archive) as source, tarfile.open(path, "w:gz") as target:
        for info in source.getmembers():
            data = source.extractfile(info).read() if info.isfile() else None
            if info.name == member:
                data = content
                info.size = len(data)
            target.addfile(info, io.BytesIO(data) if data is not None else None)


def test_a_changed_upload_or_database_is_named_and_nothing_is_restored(
    clinic, uploads, tmp_path, fresh_database, capsys
):
    archive = tmp_path / "celltrace.tar.gz"
    assert back_up(archive)[0] == 0
    assert back_up(archive, verify=True)[0] == 0
    capsys.readouterr()
    name = Attachment.objects.order_by("pk").first().file.name

    changed = tmp_path / "changed-upload.tar.gz"
    tampered(archive, changed, f"uploads/{name}", b"%PDF-1.7 not the report that was sent")
    assert back_up(changed, verify=True)[0] == 1
    assert f"file {name}: differs" in capsys.readouterr().err
    assert restore_in_process(changed, check=True) == 1
    assert f"file {name}: differs" in capsys.readouterr().err

    database = backups.DATABASE_FILES[connection.vendor]
    changed_db = tmp_path / "changed-db.tar.gz"
    tampered(archive, changed_db, database, b"not a database")
    assert restore_in_process(changed_db, check=True) == 1
    assert f"database file {database}: its sha256 differs" in capsys.readouterr().err

    refused = restore_elsewhere(changed, fresh_database, tmp_path / "restored")
    assert refused.returncode == 1
    assert f"file {name}: differs" in refused.stderr
    assert "nothing was restored" in refused.stderr
    assert not any((tmp_path / "restored" / "uploads").rglob("*"))


def test_restore_refuses_a_database_that_holds_data(clinic, site, uploads, tmp_path, capsys):
    archive = tmp_path / "celltrace.tar.gz"
    assert back_up(archive)[0] == 0
    make_patient(site)  # written after the backup: a restore would lose it
    before = backups.table_hashes()
    capsys.readouterr()

    assert restore_in_process(archive) == 1
    said = capsys.readouterr().err
    assert "the target database holds data" in said and "--force" in said
    assert backups.table_hashes() == before  # nothing changed


def test_backup_never_overwrites_a_file(clinic, tmp_path, capsys):
    archive = tmp_path / "celltrace.tar.gz"
    archive.write_bytes(b"yesterday's backup")
    assert back_up(archive)[0] == 1
    assert "exists: a backup never overwrites a file" in capsys.readouterr().err
    assert archive.read_bytes() == b"yesterday's backup"
