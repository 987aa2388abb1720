"""A refused page explains itself in the site's layout, and the log keeps one line for it."""

import logging
import sys

import pytest

from celltrace.logs import PermissionRefusalWithoutTraceback
from testkit.signin import sign_in


@pytest.fixture
def refused_page(client_for, nurse, caplog):
    caplog.set_level(logging.WARNING, logger="django.request")
    response = client_for(nurse).get("/intake/")
    return response, [r for r in caplog.records if r.name == "django.request"]


def test_a_refused_page_is_the_styled_403_page(refused_page):
    response, _ = refused_page
    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]
    assert "base.html" in [t.name for t in response.templates]
    page = response.content.decode()
    assert "This page is not open to your role" in page
    assert "signed in as Nora Nurse, nurse at Lisbon clinic" in page


def test_the_403_page_keeps_the_roles_navigation_and_a_way_back(refused_page):
    page = refused_page[0].content.decode()
    assert 'href="/stays/administer/"' in page  # the nurse's own navigation
    assert 'href="/intake/"' not in page  # not a link back into the refusal
    assert '<a class="button" href="/dashboard/">Back to your dashboard</a>' in page


def test_a_refusal_is_logged_as_one_line_without_a_traceback(refused_page):
    _, records = refused_page
    assert len(records) == 1
    record = records[0]
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    assert logging.Formatter().format(record) == "Forbidden (Permission denied): /intake/"


def test_a_real_error_keeps_its_traceback():
    try:
        raise ValueError("broken")
    except ValueError:
        record = logging.makeLogRecord({"msg": "Internal Server Error", "exc_info": sys.exc_info()})
    assert PermissionRefusalWithoutTraceback().filter(record) is True
    assert "Traceback" in logging.Formatter().format(record)


def test_the_api_still_answers_a_refusal_in_json(client_for, nurse, caplog):
    caplog.set_level(logging.WARNING, logger="django.request")
    response = client_for(nurse).get("/api/intake/requests")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"detail": "Your role does not give access to this."}
    records = [r for r in caplog.records if r.name == "django.request"]
    assert [r.exc_info for r in records] == [None]


def test_a_user_without_a_role_is_told_to_ask_for_one(client, db):
    from celltrace.accounts.models import User

    sign_in(client, User.objects.create_user("newcomer", password="x"))
    response = client.get("/dashboard/")
    assert response.status_code == 403
    assert b"has no role yet" in response.content
    assert b"Ask an administrator" in response.content
