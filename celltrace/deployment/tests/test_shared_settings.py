"""The settings that let several app servers share one clinic, read from the environment."""

import json
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from celltrace.tests import live

SHOW_SETTINGS = (
    "import json, celltrace.settings as s; "
    "print(json.dumps({'database': s.DATABASES['default'], 'storages': s.STORAGES, "
    "'sessions': s.SESSION_ENGINE, 'caches': s.CACHES}, default=str))"
)


def settings_with(tmp_path, **env: str) -> subprocess.CompletedProcess:
    """Import celltrace.settings in a new process with these variables (nothing connects)."""
    environment = live.environment(
        CELLTRACE_SECRET_KEY=live.SECRET_KEY, CELLTRACE_DATA_DIR=str(tmp_path), **env
    )
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", SHOW_SETTINGS],
        cwd=live.ROOT, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def read(tmp_path, **env: str) -> dict:
    shown = settings_with(tmp_path, **env)
    assert shown.returncode == 0, shown.stderr
    return json.loads(shown.stdout)


def test_postgresql_connections_run_without_jit_keeping_the_urls_own_options(tmp_path):
    url = "postgres://celltrace@db.example/clinic?options=-c%20statement_timeout%3D5000"

    database = read(tmp_path, CELLTRACE_DATABASE_URL=url)["database"]

    assert database["OPTIONS"]["options"] == "-c statement_timeout=5000 -c jit=off"


def test_uploads_go_to_the_s3_bucket_the_environment_names(tmp_path):
    shown = read(
        tmp_path,
        CELLTRACE_STORAGE="s3",
        CELLTRACE_S3_BUCKET="clinic-uploads",
        CELLTRACE_S3_ENDPOINT_URL="https://objects.clinic.example",
        CELLTRACE_S3_ACCESS_KEY="key-id",
        CELLTRACE_S3_SECRET_KEY="key-secret",
    )

    uploads = shown["storages"]["default"]
    assert uploads["BACKEND"] == "storages.backends.s3.S3Storage"
    assert uploads["OPTIONS"]["bucket_name"] == "clinic-uploads"
    assert uploads["OPTIONS"]["endpoint_url"] == "https://objects.clinic.example"
    assert (uploads["OPTIONS"]["access_key"], uploads["OPTIONS"]["secret_key"]) == (
        "key-id",
        "key-secret",
    )
    # Health data: never a public object, never one report written over another.
    assert uploads["OPTIONS"]["default_acl"] is None
    assert uploads["OPTIONS"]["file_overwrite"] is False


@pytest.mark.parametrize(
    ("env", "refusal"),
    [
        ({"CELLTRACE_STORAGE": "s3"}, "needs CELLTRACE_S3_BUCKET"),
        ({"CELLTRACE_STORAGE": "nfs"}, "use filesystem or s3"),
    ],
)
def test_an_incomplete_storage_setting_is_refused(tmp_path, env, refusal):
    shown = settings_with(tmp_path, **env)

    assert shown.returncode != 0
    assert refusal in shown.stderr


def test_sessions_and_the_cache_live_in_the_database_every_server_reads(tmp_path):
    shown = read(tmp_path, CELLTRACE_UPLOADS_DIR=str(tmp_path / "mounted"))

    assert shown["sessions"] == "django.contrib.sessions.backends.db"
    assert shown["caches"]["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert shown["storages"]["default"]["OPTIONS"]["location"] == str(tmp_path / "mounted")


def test_the_cache_is_shared_through_the_database(db):
    from django.core.cache import cache

    cache.set("report:ms:lisbon", "computed once", 60)

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM celltrace_cache")
        assert cursor.fetchone() == (1,)
    assert cache.get("report:ms:lisbon") == "computed once"


if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Collected only when the suite runs on PostgreSQL (CI's second run): SQLite has no JIT.

    def test_the_connection_to_postgresql_has_jit_off(db):
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            assert cursor.fetchone() == ("off",)
