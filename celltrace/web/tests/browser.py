"""Playwright on Debian's chromium, headless; screenshots go to test-artifacts/."""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "journey"
# The machines have no network beyond package registries: keep chromium from phoning home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser_page():
    with _page() as page:
        yield page


@pytest.fixture
def german_browser_page():
    """A browser set to German, as a patient's at home in Germany: it asks for German pages."""
    with _page(locale="de-DE", extra_http_headers={"Accept-Language": "de-DE,de;q=0.9"}) as page:
        yield page


@contextmanager
def _page(**context_args):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # between browser steps are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900}, **context_args)
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        # ORM calls made while Playwright ran may hold their own connection; left open, it
        # keeps PostgreSQL from dropping the test database at the end of the run.
        from django.db import connections

        connections.close_all()
        context.close()
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
