"""Every page carries a Content-Security-Policy, every response with patient data is no-store.

The walk uses the role matrix's table of every URL (test_role_matrix.POLICY), so a new
screen or endpoint is walked too. Pages are also read for inline scripts, styles and event
handlers, which the policy would block in the browser.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from celltrace.accounts.models import Role
from celltrace.web.tests.test_role_matrix import POLICY, _url, _user_for, world  # noqa: F401
from testkit.signin import sign_in

INLINE = {
    "inline script": re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I
    ),
    "style element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"<[^>]+\sstyle=", re.I),
    "event handler": re.compile(r"<[^>]+\son[a-z]+=", re.I),
    "javascript: URL": re.compile(r"(?:href|src|action)=\"\s*javascript:", re.I),
}


def _problems(method, route, response) -> list[str]:
    where = f"{method} /{route} ({response.status_code})"
    problems = []
    if "no-store" not in response.get("Cache-Control", ""):
        problems.append(f"{where}: no Cache-Control: no-store")
    if response.get("Content-Type", "").startswith("text/html"):
        policy = response.get("Content-Security-Policy", "")
        if "script-src 'self'" not in policy or "unsafe-inline" in policy:
            problems.append(f"{where}: Content-Security-Policy is {policy!r}")
        body = response.content.decode()
        for what, pattern in INLINE.items():
            if found := pattern.search(body):
                problems.append(f"{where}: {what} {found.group(0)[:80]!r}")
    return problems


def _walk(client, world) -> list[str]:  # noqa: F811
    problems = []
    for (method, route), _allowed in POLICY.items():
        if route == "logout/":
            continue
        response = getattr(client, method.lower())(_url(route, world))
        problems += _problems(method, route, response)
    return problems


@pytest.mark.parametrize("role", [Role.ADMIN, Role.DOCTOR, Role.LAB_TECHNICIAN, Role.PATIENT])
def test_every_page_has_a_policy_and_every_response_is_no_store(role, world, site, client):  # noqa: F811
    sign_in(client, _user_for(role, world, site))
    assert _walk(client, world) == []


def test_public_pages_and_refusals_to_visitors_are_covered_too(world, client):  # noqa: F811
    assert _walk(client, world) == []


def test_the_attachment_download_and_the_pdfs_are_no_store(world, site, client):  # noqa: F811
    sign_in(client, _user_for(Role.ADMIN, world, site))
    for route in ("intake/attachments/<int:pk>/", "screening/<int:pk>/report.pdf"):
        response = client.get(_url(route, world))
        assert response.status_code == 200, route
        assert "no-store" in response["Cache-Control"], route


def test_static_assets_stay_cacheable(client, db):
    response = client.get("/static/celltrace/site.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_no_template_holds_inline_script_style_or_handlers():
    root = Path(django_settings.BASE_DIR)
    found = []
    for template in root.rglob("templates/**/*.html"):
        text = template.read_text()
        for what, pattern in INLINE.items():
            if what == "style attribute" or what == "event handler":
                pattern = re.compile(pattern.pattern.replace("<[^>]+", "<[^>]*?"), re.I)
            if pattern.search(text):
                found.append(f"{template.relative_to(root)}: {what}")
    assert found == []


def test_over_https_browsers_are_told_to_stay_on_https(settings, db):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    client = Client()
    plain = client.get("/login/")
    assert plain.status_code == 301 and plain["Location"] == "https://testserver/login/"
    secure = client.get("/login/", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_a_deployment_is_https_by_default_and_can_say_otherwise(tmp_path):
    from celltrace.tests import live

    checks = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE)"
    )
    env = live.environment(
        CELLTRACE_SECRET_KEY=live.SECRET_KEY, CELLTRACE_DATA_DIR=str(tmp_path), CELLTRACE_HTTPS=""
    )
    deployed = live.celltrace("manage", "shell", "-c", checks, env=env)
    assert deployed.stdout.splitlines()[-1].split() == ["True", "31536000", "True"], deployed.stderr
    plain = live.celltrace("manage", "shell", "-c", checks, env={**env, "CELLTRACE_HTTPS": "false"})
    assert plain.stdout.splitlines()[-1].split()[:2] == ["False", "0"], plain.stderr


def test_the_documented_production_settings_pass_the_deploy_check(tmp_path):
    from celltrace.tests import live

    env = live.environment(
        CELLTRACE_SECRET_KEY=live.SECRET_KEY,
        CELLTRACE_DATA_DIR=str(tmp_path),
        CELLTRACE_HTTPS="",
        CELLTRACE_ALLOWED_HOSTS="clinic.example.org",
        CELLTRACE_CSRF_TRUSTED_ORIGINS="https://clinic.example.org",
        CELLTRACE_TRUSTED_PROXIES="127.0.0.1",
        CELLTRACE_PROXY_HTTPS_HEADER="true",
        CELLTRACE_HSTS_PRELOAD="true",
    )
    checked = live.celltrace("manage", "check", "--deploy", "--fail-level", "WARNING", env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "no issues" in checked.stdout
