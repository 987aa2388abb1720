"""A real celltrace server in a subprocess, and plain HTTP clients that hit it from many threads.

The server runs as a deployment does (`celltrace serve`, gunicorn), not as Django's test
server: its own process, its own database connections, its own settings from the environment.
"""

import contextlib
import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "live-test-key-8c1f0b7e29d54a6c93e1f2a7b4d6c8e0a1b3c5d7e9f2a4b6"
HTTP_TIMEOUT = 120
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def environment(**env: str) -> dict[str, str]:
    """Return this process's environment without celltrace's test settings, plus env."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CELLTRACE_")}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    # These servers answer plain HTTP on localhost; a deployment's default is HTTPS only.
    clean["CELLTRACE_HTTPS"] = "false"
    clean.update(env)
    return clean


def celltrace(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess:
    """Run the `celltrace` command from this repository and wait for it."""
    return subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "celltrace.cli", *args],
        cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


ADMIN_PASSWORD = "a-long-admin-passphrase-42"


def set_up_clinic(env: dict[str, str], *, admin: str) -> subprocess.CompletedProcess:
    """`celltrace setup` as a new clinic runs it: the Lisbon site, public requests on, and
    its first administrator `admin` with ADMIN_PASSWORD."""
    return celltrace(
        "setup", "--no-input", "--site-code", "lisbon", "--site-name", "Lisbon clinic",
        "--country", "Portugal", "--time-zone", "Europe/Lisbon", "--currency", "EUR",
        "--public-requests", "--admin-username", admin, "--admin-email", f"{admin}@example.org",
        env={**env, "CELLTRACE_ADMIN_PASSWORD": ADMIN_PASSWORD},
    )  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def behind_proxy(env: dict[str, str]) -> dict[str, str]:
    """Return env as a deployment behind the README's TLS proxy, on this machine, sets it.

    `celltrace serve` refuses plain HTTP settings (its deployment checks warn); request()
    below speaks as that proxy does, saying each request came by HTTPS.
    """
    return {
        **env,
        "CELLTRACE_HTTPS": "true",
        "CELLTRACE_PROXY_HTTPS_HEADER": "true",
        "CELLTRACE_HSTS_PRELOAD": "true",
        "CELLTRACE_TRUSTED_PROXIES": env.get("CELLTRACE_TRUSTED_PROXIES") or "127.0.0.1",
    }


@contextlib.contextmanager
def fresh_database(directory: Path) -> Iterator[str]:
    """Yield the URL of an empty database for a server: a SQLite file in directory, or, when
    the suite runs on PostgreSQL, a new PostgreSQL database, dropped after."""
    url = os.environ.get("CELLTRACE_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{directory / 'celltrace.sqlite3'}"
        return
    import psycopg

    name = f"celltrace_live_{uuid.uuid4().hex[:12]}"
    maintenance = urllib.parse.urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlsplit(url)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


class Server:
    """`celltrace serve` on a free local port, stopped when the block ends."""

    def __init__(self, env: dict[str, str], *options: str):
        self.port = free_port()
        self.options = options  # more of serve's options: --workers 2, --access-log -
        self.env = behind_proxy(env)
        self.process: subprocess.Popen | None = None
        # A file, not a pipe: a pipe nobody reads fills up, and the server then hangs on
        # its next log line.
        self.log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed in __exit__

    def __enter__(self) -> "Server":
        self.process = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
            [sys.executable, "-m", "celltrace.cli", "serve", "--port", str(self.port),
             *self.options],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,  # its own process group, for benchmarks/faults.py to kill
        )  # fmt: skip
        self._wait_until_listening()
        return self

    def __exit__(self, *exc_info) -> None:
        stop(self.process)
        self.log.close()

    def output(self) -> str:
        """Return what the server has printed so far (its log, with any traceback)."""
        self.log.seek(0)
        return self.log.read()

    def _wait_until_listening(self) -> None:
        for _ in range(600):
            if self.process.poll() is not None:
                raise RuntimeError(f"celltrace serve exited:\n{self.output()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("celltrace serve did not start listening")


def stop(process: subprocess.Popen) -> None:
    """Stop a command as systemd does: SIGTERM, then SIGKILL if it has not ended in 30 s."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str


def request(port: int, method: str, path: str, *, body=None, headers=None) -> Answer:
    """Send one HTTP request on a new connection, as the proxy does for each visitor."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=HTTP_TIMEOUT)
    # As the TLS proxy forwards a browser's request: it came by HTTPS, from this origin.
    proxied = {"X-Forwarded-Proto": "https", "Origin": f"https://127.0.0.1:{port}"}
    try:
        connection.request(method, path, body=body, headers={**proxied, **(headers or {})})
        response = connection.getresponse()
        headers = {}
        for name, value in response.getheaders():
            key = name.lower()
            headers[key] = f"{headers[key]}\n{value}" if key in headers else value
        return Answer(response.status, headers, response.read().decode("utf-8", "replace"))
    finally:
        connection.close()


def request_fields(name: str) -> dict[str, str]:
    return {
        "full_name": name,
        "email": "visitor@example.org",
        "phone": "+351 912 345 678",
        "country": "Portugal",
        "language": "Portuguese",
        "condition": "ms",
        "description": "Relapsing-remitting MS since 2015; walking is getting harder.",
    }


def submit_by_api(port: int, name: str, forwarded_for: str | None = None) -> Answer:
    """Send a public request through the API, from the given visitor address."""
    body = urllib.parse.urlencode({**request_fields(name), "consent_health_data": "true"})
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    return request(port, "POST", "/api/intake/requests", body=body, headers=headers)


def submit_by_form(port: int, name: str, forwarded_for: str | None = None) -> Answer:
    """Fill in the public web form as a browser would: fetch it, then post it with its token."""
    proxy = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    page = request(port, "GET", "/intake/request/", headers=proxy)
    cookie = re.search(r"csrftoken=([^;]+)", page.headers.get("set-cookie", ""))
    token = _CSRF_INPUT.search(page.body)
    if page.status != 200 or not (cookie and token):
        return page
    fields = {**request_fields(name), "consent_health_data": "on"}
    body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token.group(1)})
    headers = {
        **proxy,
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={cookie.group(1)}",
    }
    return request(port, "POST", "/intake/request/", body=body, headers=headers)


def in_parallel[T](work: Callable[..., T], calls: Iterable[tuple]) -> list[T | BaseException]:
    """Run work(*args) for every call at the same moment, one thread each; keep the order."""
    calls = list(calls)
    results: list = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(index: int, args: tuple) -> None:
        start.wait()
        try:
            results[index] = work(*args)
        except BaseException as error:  # noqa: BLE001 - reported to the test, not lost
            results[index] = error

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
