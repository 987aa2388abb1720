"""A deployment refuses to start with a guessable secret key, debug pages on, or a bad setting."""

import os
import subprocess
import sys

import pytest

GOOD_KEY = "k7Rq2xW9-pL4vN8sT1yB6cH3jF0mD5gZ_aE9uK2iO7wQ4rY1tX8nV3bS6hJ0lM5p"


def _start(*, show: str = "", **env) -> subprocess.CompletedProcess:
    """Start Django with only the given environment; print the settings expression `show`."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CELLTRACE_")}
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "celltrace.settings"
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "from django.core.checks import run_checks; from django.db import connection"
    )
    return subprocess.run(
        [sys.executable, "-c", f"{code}; print({show or 'None'})"],
        env=clean, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def _setting(expression: str, tmp_path, **env):
    result = _start(show=expression, CELLTRACE_DATA_DIR=str(tmp_path), **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "Set CELLTRACE_SECRET_KEY"),
        ({"CELLTRACE_SECRET_KEY": "short"}, "at least 50 characters"),
        ({"CELLTRACE_SECRET_KEY": GOOD_KEY[:49]}, "at least 50 characters"),
        ({"CELLTRACE_SECRET_KEY": "ab" * 30}, "not one repeated"),
        ({"CELLTRACE_SECRET_KEY": GOOD_KEY, "CELLTRACE_TRUSTED_PROXIES": "10.0.0.1,proxy"},
         "'proxy' is not an IP address or network"),
        ({"CELLTRACE_SECRET_KEY": GOOD_KEY, "CELLTRACE_TIME_ZONE": "Europe/Lisbn"},
         "not a time zone"),
        ({"CELLTRACE_SECRET_KEY": GOOD_KEY, "CELLTRACE_LOG_LEVEL": "LOUD"}, "is not a level"),
        ({"CELLTRACE_SECRET_KEY": GOOD_KEY, "CELLTRACE_EMAIL_HOST": "smtp.example.org"},
         "Set CELLTRACE_EMAIL_FROM"),
        ({"CELLTRACE_SECRET_KEY": GOOD_KEY, "CELLTRACE_EMAIL_FROM": "the clinic"},
         "is not an e-mail address"),
        ({"CELLTRACE_SECRET_KEY": GOOD_KEY, "CELLTRACE_EMAIL_HOST": "smtp.example.org",
          "CELLTRACE_EMAIL_FROM": "clinic@example.org", "CELLTRACE_EMAIL_SSL": "true",
          "CELLTRACE_EMAIL_TLS": "true"}, "only one of CELLTRACE_EMAIL_TLS and"),
        ({"CELLTRACE_SECRET_KEY": "celltrace-demo-only-not-secret"}, "Set CELLTRACE_SECRET_KEY"),
        ({"CELLTRACE_SECRET_KEY": GOOD_KEY, "CELLTRACE_DEBUG": "true"}, "must be off"),
        ({"CELLTRACE_SECRET_KEY": GOOD_KEY, "CELLTRACE_DEBUG": "maybe"}, "not a yes/no value"),
        ({"CELLTRACE_SECRET_KEY": GOOD_KEY, "CELLTRACE_REQUEST_RETENTION_DAYS": "0"},
         "a retention period is at least 1"),
        ({"CELLTRACE_SECRET_KEY": GOOD_KEY, "CELLTRACE_RECORD_RETENTION_YEARS": "ten"},
         "is not a whole number"),
    ],
)  # fmt: skip
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


def test_the_key_is_long_enough_for_djangos_own_deployment_check(tmp_path):
    checks = "[m.id for m in run_checks(include_deployment_checks=True)]"
    assert "security.W009" not in _setting(checks, tmp_path, CELLTRACE_SECRET_KEY=GOOD_KEY)


def test_trusted_proxies_are_addresses_and_networks(tmp_path):
    proxies = _setting(
        "[str(n) for n in settings.TRUSTED_PROXIES]",
        tmp_path,
        CELLTRACE_SECRET_KEY=GOOD_KEY,
        CELLTRACE_TRUSTED_PROXIES="10.0.0.5, 172.16.0.0/12,::1",
    )
    assert proxies == "['10.0.0.5/32', '172.16.0.0/12', '::1/128']"


def test_mail_goes_to_the_named_smtp_server(tmp_path):
    mailer = _setting(
        "settings.MAILERS['default']",
        tmp_path,
        CELLTRACE_SECRET_KEY=GOOD_KEY,
        CELLTRACE_EMAIL_HOST="smtp.example.org",
        CELLTRACE_EMAIL_USER="clinic",
        CELLTRACE_EMAIL_PASSWORD="secret",
        CELLTRACE_EMAIL_FROM="Lisbon clinic <clinic@example.org>",
    )
    assert "'BACKEND': 'django.core.mail.backends.smtp.EmailBackend'" in mailer
    assert "'host': 'smtp.example.org', 'port': 587, 'username': 'clinic'" in mailer
    assert "'use_tls': True, 'use_ssl': False" in mailer


def test_without_an_smtp_server_mail_is_kept_in_files(tmp_path):
    mailer = _setting("settings.MAILERS['default']", tmp_path, CELLTRACE_SECRET_KEY=GOOD_KEY)
    assert "filebased.EmailBackend" in mailer and str(tmp_path / "mail") in mailer


def test_sqlite_writers_take_turns_instead_of_failing(tmp_path):
    mode = "connection.cursor().execute('PRAGMA journal_mode').fetchone()[0]"
    assert _setting(mode, tmp_path, CELLTRACE_DEMO="true") == "wal"
    options = _setting("settings.DATABASES['default']['OPTIONS']", tmp_path, CELLTRACE_DEMO="true")
    assert "'transaction_mode': 'IMMEDIATE', 'timeout': 20" in options


def test_the_worker_does_not_print_a_line_per_task_unless_asked(tmp_path):
    level = "__import__('logging').getLogger('django.tasks').isEnabledFor(20)"
    assert _setting(level, tmp_path, CELLTRACE_SECRET_KEY=GOOD_KEY) == "False"
    assert (
        _setting(level, tmp_path, CELLTRACE_SECRET_KEY=GOOD_KEY, CELLTRACE_LOG_LEVEL="INFO")
        == "True"
    )
