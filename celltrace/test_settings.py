"""Settings for the test suite: the real settings, with test-only values."""

import os
import tempfile

os.environ.setdefault("CELLTRACE_TESTING", "true")
os.environ.setdefault("CELLTRACE_DATA_DIR", tempfile.mkdtemp(prefix="celltrace-test-"))

from celltrace.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests, never deployed
# Threads of the live server must not keep connections open past a test, or PostgreSQL
# refuses to drop the test database at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Tasks run at once, inside the call that enqueues them: a test sees their effect directly
# (test_report_snapshots.py runs one on the database queue and its worker).
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
