"""`celltrace serve` serves only settings that Django's deployment checks find nothing in."""

import gc

import pytest

from celltrace.config import ConfigurationError
from celltrace.deployment.serving import (
    YOUNG_COLLECTION_THRESHOLD,
    check_deployment,
    settle_memory,
)
from celltrace.tests import live

# The settings of README, "The settings" (SMTP and clamd left out: no warning is about them).
DOCUMENTED = {
    "CELLTRACE_SECRET_KEY": live.SECRET_KEY,
    "CELLTRACE_HTTPS": "",
    "CELLTRACE_ALLOWED_HOSTS": "clinic.example.org",
    "CELLTRACE_CSRF_TRUSTED_ORIGINS": "https://clinic.example.org",
    "CELLTRACE_TRUSTED_PROXIES": "127.0.0.1",
    "CELLTRACE_PROXY_HTTPS_HEADER": "true",
    "CELLTRACE_HSTS_PRELOAD": "true",
    "CELLTRACE_TIME_ZONE": "Europe/Lisbon",
}
CHECK_STEP = (
    "from celltrace.deployment.serving import check_deployment; check_deployment(); print('ok')"
)


@pytest.fixture
def production(settings, db):  # some apps' checks read the database
    """These test settings, made those of the documented deployment."""
    settings.SECRET_KEY = live.SECRET_KEY
    settings.ALLOWED_HOSTS = ["clinic.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 3600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    return settings


def test_it_lets_the_documented_production_settings_serve(production):
    check_deployment()


@pytest.mark.parametrize(
    ("setting", "value", "warning"),
    [
        ("SECURE_SSL_REDIRECT", False, "security.W008"),
        ("SECURE_HSTS_SECONDS", 0, "security.W004"),
        ("SESSION_COOKIE_SECURE", False, "security.W012"),
        ("DEBUG", True, "security.W018"),
        ("SECRET_KEY", "short-key", "security.W009"),
    ],
)
def test_it_refuses_a_single_insecure_setting_and_names_it(production, setting, value, warning):
    setattr(production, setting, value)

    with pytest.raises(ConfigurationError, match="refusing to serve") as refusal:
        check_deployment()

    assert warning in str(refusal.value)


def test_serve_refuses_plain_http_before_it_listens(tmp_path):
    env = live.environment(**DOCUMENTED, CELLTRACE_DATA_DIR=str(tmp_path))

    served = live.celltrace(
        "serve", "--port", str(live.free_port()), env={**env, "CELLTRACE_HTTPS": "false"}
    )

    assert served.returncode == 1
    assert served.stderr.startswith("celltrace: refusing to serve")
    assert "security.W004" in served.stderr and "security.W008" in served.stderr
    assert "Serving on" not in served.stdout


@pytest.mark.parametrize(("preload", "serves"), [("true", True), ("false", True), ("", False)])
def test_the_documented_settings_pass_and_preloading_must_be_decided(tmp_path, preload, serves):
    env = live.environment(**DOCUMENTED, CELLTRACE_DATA_DIR=str(tmp_path))

    checked = live.celltrace(
        "manage", "shell", "-c", CHECK_STEP, env={**env, "CELLTRACE_HSTS_PRELOAD": preload}
    )

    assert (checked.stdout.splitlines()[-1:] == ["ok"]) is serves, checked.stdout + checked.stderr
    assert ("security.W021" in checked.stderr) is not serves


@pytest.mark.parametrize("option", ["--workers", "--threads"])
def test_serve_refuses_no_workers_or_threads_before_anything_else(tmp_path, option):
    env = live.environment(**DOCUMENTED, CELLTRACE_DATA_DIR=str(tmp_path))

    served = live.celltrace("serve", option, "0", env=env)

    assert served.returncode == 2
    assert f"argument {option}: 0: at least 1" in served.stderr


@pytest.fixture
def collector():
    """Python's garbage collector as this test found it, given back after."""
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_what_was_imported_before_serving_is_never_walked_by_a_collection(collector):
    imported = ["a template"]  # as Django's and celltrace's objects are when serving starts

    settle_memory()

    assert gc.get_freeze_count() > 0
    assert not any(found is imported for found in gc.get_objects())
    assert gc.get_threshold()[0] == YOUNG_COLLECTION_THRESHOLD
