"""Two app servers, one database: what one server was told, the other knows.

As a clinic runs celltrace behind a load balancer (docs/deployment.md): two `celltrace
serve`, each with its own data folder, against one database and one uploads folder (the
network mount, or the bucket, every machine shares). A visitor signs in on one and carries
on on the other; a report uploaded through one is downloaded through the other. Each
server's access log shows it answered its share.
"""

import base64
import io
import re
import sqlite3
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest
from django_otp.oath import totp
from PIL import Image

from celltrace.tests import live

# A database of its own (so again on PostgreSQL in CI); servers of their own, on the real
# clock, which the second factor's code made here must match.
pytestmark = [pytest.mark.database, pytest.mark.real_clock]


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    with live.fresh_database(tmp_path_factory.mktemp("shared-db")) as database_url:
        shared = live.environment(
            CELLTRACE_SECRET_KEY=live.SECRET_KEY,
            CELLTRACE_DATABASE_URL=database_url,
            CELLTRACE_UPLOADS_DIR=str(tmp_path_factory.mktemp("shared-uploads")),
            CELLTRACE_TRUSTED_PROXIES="127.0.0.1",
        )
        setup = live.set_up_clinic(
            {**shared, "CELLTRACE_DATA_DIR": str(tmp_path_factory.mktemp("setup"))}, admin="ada"
        )
        assert setup.returncode == 0, setup.stderr
        options = ("--workers", "2", "--threads", "2", "--access-log", "-")
        machines = [
            {**shared, "CELLTRACE_DATA_DIR": str(tmp_path_factory.mktemp(f"machine-{n}"))}
            for n in (1, 2)
        ]
        with live.Server(machines[0], *options) as one, live.Server(machines[1], *options) as two:
            yield one, two, database_url


class Visitor:
    """A browser's cookie jar, sent to whichever server the load balancer picks."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def send(self, server, method, path, *, form=None, body=None, headers=None):
        headers = dict(headers or {})
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        answer = live.request(server.port, method, path, body=body, headers=headers)
        for cookie in answer.headers.get("set-cookie", "").split("\n"):
            if match := re.match(r"\s*(\w+)=([^;]*)", cookie):
                self.cookies[match.group(1)] = match.group(2)
        return answer


def csrf_token(page) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)


def served(server, method: str, path: str) -> list[str]:
    """The process ids of the workers whose access log line shows this request.

    A worker writes the line after the response has gone out, so the client can read the
    response before the line is in the log: wait a little for it.
    """
    line = re.compile(rf'"{method} {re.escape(path)}" \d+ .* pid=<(\d+)>$', re.MULTILINE)
    deadline = time.monotonic() + 10
    while not (found := line.findall(server.output())) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def stored_attachments(database_url: str) -> dict[int, int]:
    """{id: size in bytes} of the attachments in the servers' database."""
    query = "SELECT id, size FROM intake_attachment"
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(Path(database_url.removeprefix("sqlite:///"))) as connection:
            return dict(connection.execute(query).fetchall())
    import psycopg

    with psycopg.connect(database_url) as connection:
        return dict(connection.execute(query).fetchall())


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, (filename, content, content_type) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


@pytest.fixture(scope="module")
def ada(servers):
    """The first administrator, signed in on one server and enrolling her second factor on
    both, as a load balancer would share out her requests."""
    one, two, _ = servers
    ada = Visitor()
    login = ada.send(one, "GET", "/login/")
    form = {"username": "ada", "password": live.ADMIN_PASSWORD}
    signed_in = ada.send(
        one, "POST", "/login/", form={**form, "csrfmiddlewaretoken": csrf_token(login)}
    )
    assert signed_in.status == 302 and signed_in.headers["location"] == "/dashboard/"
    # The other server knows her: it sends her to her second factor, not back to sign in.
    ada.gate = ada.send(two, "GET", "/dashboard/")
    enrol = ada.send(two, "GET", "/account/second-factor/enrol/")
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', enrol.body).group(1).replace(" ", "")
    code = f"{totp(base64.b32decode(secret)):06d}"
    ada.confirmed = ada.send(
        one, "POST", "/account/second-factor/enrol/",
        form={"code": code, "csrfmiddlewaretoken": csrf_token(enrol)},
    )  # fmt: skip
    return ada


def test_a_session_begun_on_one_server_goes_on_on_the_other(servers, ada):
    one, two, _ = servers

    dashboard = ada.send(two, "GET", "/dashboard/")

    # Signed in on one: the other asked for her second factor, not for her password again;
    # the factor she enrolled on the other counts on both.
    assert ada.gate.status == 302
    assert ada.gate.headers["location"].startswith("/account/second-factor/")
    assert ada.confirmed.status == 200 and "Your recovery codes" in ada.confirmed.body
    assert dashboard.status == 200 and "ada · Administrator" in dashboard.body
    assert ada.send(one, "GET", "/admin/").status == 200
    # Each request was answered by the server it was sent to, by one of its workers.
    assert served(one, "POST", "/login/") and not served(two, "POST", "/login/")
    assert served(two, "GET", "/dashboard/") and not served(one, "GET", "/dashboard/")


def test_a_report_uploaded_through_one_server_is_downloaded_through_the_other(servers, ada):
    one, two, database_url = servers
    scan = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(scan, format="PNG")
    body, headers = multipart(
        {**live.request_fields("Shared Upload"), "consent_health_data": "true"},
        {"attachments": ("mri.png", scan.getvalue(), "image/png")},
    )
    before = stored_attachments(database_url)

    submitted = live.request(one.port, "POST", "/api/intake/requests", body=body, headers=headers)
    ((attachment, size),) = stored_attachments(database_url).items() - before.items()
    download = ada.send(two, "GET", f"/intake/attachments/{attachment}/")

    assert submitted.status == 201, submitted.body
    assert download.status == 200 and download.headers["content-type"] == "image/png"
    assert int(download.headers["content-length"]) == size
    assert served(one, "POST", "/api/intake/requests")
    assert served(two, "GET", f"/intake/attachments/{attachment}/")
