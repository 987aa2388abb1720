"""A deployment refuses to start with a guessable secret key or with debug pages on."""

import os
import subprocess
import sys

import pytest

GOOD_KEY = "k" * 40


def _start(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CELLTRACE_")}
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "celltrace.settings"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=clean, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "Set CELLTRACE_SECRET_KEY"),
        ({"CELLTRACE_SECRET_KEY": "short"}, "at least 32 characters"),
        ({"CELLTRACE_SECRET_KEY": "celltrace-demo-only-not-secret"}, "Set CELLTRACE_SECRET_KEY"),
        ({"CELLTRACE_SECRET_KEY": GOOD_KEY, "CELLTRACE_DEBUG": "true"}, "must be off"),
        ({"CELLTRACE_SECRET_KEY": GOOD_KEY, "CELLTRACE_DEBUG": "maybe"}, "not a yes/no value"),
    ],
)
def test_a_deployment_refuses_to_start(env, message, tmp_path):
    result = _start(CELLTRACE_DATA_DIR=str(tmp_path), **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_deployment_starts_with_its_own_key_and_debug_off(tmp_path):
    result = _start(CELLTRACE_DATA_DIR=str(tmp_path), CELLTRACE_SECRET_KEY=GOOD_KEY)
    assert result.returncode == 0, result.stderr


def test_the_demo_may_use_its_built_in_key(tmp_path):
    result = _start(CELLTRACE_DATA_DIR=str(tmp_path), CELLTRACE_DEMO="true")
    assert result.returncode == 0, result.stderr


def test_connections_are_health_checked_so_a_database_restart_costs_no_request():
    from django.conf import settings

    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
