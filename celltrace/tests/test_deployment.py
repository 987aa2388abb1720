"""A deployment as the README makes one: `celltrace setup`, then `celltrace serve`, under load.

The server is the real one (gunicorn, in processes of its own) on a fresh database: a temporary
SQLite file, or, when the suite runs on PostgreSQL, a new PostgreSQL database dropped after.
"""

import base64
import re
import sqlite3
import urllib.parse
from pathlib import Path

import pytest
from django_otp.oath import totp

from celltrace.tests import live

# It makes a database of its own, so it runs again when CI reruns the tests on PostgreSQL.
# The server runs in a process of its own, on the real clock: the second factor's code made
# here must be read from the same clock.
pytestmark = [pytest.mark.database, pytest.mark.real_clock]

ADMIN_PASSWORD = live.ADMIN_PASSWORD
REQUESTS_PER_HOUR = 5
WRITERS = 24
SAME_ADDRESS_REQUESTS = 20


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    with live.fresh_database(tmp_path_factory.mktemp("live-db")) as url:
        yield url


@pytest.fixture(scope="module")
def server(database_url, tmp_path_factory):
    env = live.environment(
        CELLTRACE_SECRET_KEY=live.SECRET_KEY,
        CELLTRACE_DATA_DIR=str(tmp_path_factory.mktemp("live-data")),
        CELLTRACE_DATABASE_URL=database_url,
        CELLTRACE_TRUSTED_PROXIES="127.0.0.1",
        CELLTRACE_REQUESTS_PER_HOUR=str(REQUESTS_PER_HOUR),
    )
    setup = live.set_up_clinic(env, admin="ada")
    assert setup.returncode == 0, setup.stderr
    with live.Server(env) as running:
        yield running


def stored_requests(database_url: str) -> dict[str, str]:
    """Return {full name: client address} of the requests in the server's database."""
    query = "SELECT full_name, client_address FROM intake_consultationrequest"
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(Path(database_url.removeprefix("sqlite:///"))) as connection:
            return dict(connection.execute(query).fetchall())
    import psycopg

    with psycopg.connect(database_url) as connection:
        return {name: str(address) for name, address in connection.execute(query).fetchall()}


def test_the_first_admin_signs_in_to_a_working_dashboard(server):
    page = live.request(server.port, "GET", "/login/")
    csrf = re.search(r"csrftoken=([^;]+)", page.headers["set-cookie"]).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
    form = {"username": "ada", "password": ADMIN_PASSWORD, "csrfmiddlewaretoken": token}
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf}"}
    body = urllib.parse.urlencode(form)
    signed_in = live.request(server.port, "POST", "/login/", body=body, headers=headers)
    assert signed_in.status == 302 and signed_in.headers["location"] == "/dashboard/"
    session = re.search(r"sessionid=([^;]+)", signed_in.headers["set-cookie"]).group(1)
    cookies = {"Cookie": f"sessionid={session}; csrftoken={csrf}"}
    # Staff confirm a second factor: the first sign-in enrols an authenticator app.
    gate = live.request(server.port, "GET", "/dashboard/", headers=cookies)
    assert gate.status == 302 and gate.headers["location"].startswith("/account/second-factor/")
    enrol = live.request(server.port, "GET", "/account/second-factor/enrol/", headers=cookies)
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', enrol.body).group(1).replace(" ", "")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', enrol.body).group(1)
    code = f"{totp(base64.b32decode(secret)):06d}"
    body = urllib.parse.urlencode({"code": code, "csrfmiddlewaretoken": token})
    form_headers = {**cookies, "Content-Type": "application/x-www-form-urlencoded"}
    confirmed = live.request(
        server.port, "POST", "/account/second-factor/enrol/", body=body, headers=form_headers
    )
    assert confirmed.status == 200 and "Your recovery codes" in confirmed.body
    session = re.search(r"sessionid=([^;]+)", confirmed.headers["set-cookie"]).group(1)
    signed = {"Cookie": f"sessionid={session}"}
    dashboard = live.request(server.port, "GET", "/dashboard/", headers=signed)
    assert dashboard.status == 200
    assert "ada · Administrator" in dashboard.body
    assert live.request(server.port, "GET", "/admin/", headers=signed).status == 200


def test_concurrent_visitors_are_all_answered_and_all_kept(server, database_url):
    calls = [
        (live.submit_by_form if n % 2 else live.submit_by_api, server.port, f"Writer {n}", ip)
        for n, ip in enumerate(f"203.0.113.{n + 1}" for n in range(WRITERS))
    ]

    answers = live.in_parallel(lambda submit, *args: submit(*args), calls)

    statuses = [getattr(answer, "status", repr(answer)) for answer in answers]
    # The form answers a stored request with a redirect to its receipt, the API with 201.
    assert statuses == [302 if n % 2 else 201 for n in range(WRITERS)]
    stored = stored_requests(database_url)
    assert {f"Writer {n}": f"203.0.113.{n + 1}" for n in range(WRITERS)}.items() <= stored.items()


def test_one_address_gets_exactly_its_hourly_limit_however_fast_it_asks(server, database_url):
    address = "198.51.100.99"
    calls = [(server.port, f"Impatient {n}", address) for n in range(SAME_ADDRESS_REQUESTS)]

    answers = live.in_parallel(live.submit_by_api, calls)

    statuses = sorted(getattr(answer, "status", repr(answer)) for answer in answers)
    refused = SAME_ADDRESS_REQUESTS - REQUESTS_PER_HOUR
    assert statuses == [201] * REQUESTS_PER_HOUR + [429] * refused
    assert all("wait an hour" in a.body for a in answers if a.status == 429)
    kept = [name for name, ip in stored_requests(database_url).items() if ip == address]
    assert len(kept) == REQUESTS_PER_HOUR
    assert live.submit_by_form(server.port, "Impatient by form", address).status == 429
