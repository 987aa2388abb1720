"""Acknowledged writes against stored rows when the server is killed and PostgreSQL restarts.

Run: .venv/bin/python benchmarks/faults.py [--database sqlite|postgresql|both]
     [--writers N] [--seconds S]

For each database it makes a deployment as the README does (`celltrace setup`, then
`celltrace serve` behind a TLS proxy on this machine) on a scratch database: a temporary
SQLite file, or a PostgreSQL cluster of its own (initdb in a temporary folder, on a free
port; the shared server is never touched). The first administrator signs in (password and
a TOTP second factor). Then N writers write for S seconds through HTTP, each in turn:

- a public consultation request (the API, no sign-in): acknowledged by 201 with its id;
- a contact note on a request, by the signed-in administrator: 201 with its id.

After a part of the S seconds, the server's process group is killed (SIGKILL) and started
again; on PostgreSQL, after another part, the database is restarted as a crash would
(`pg_ctl restart -m immediate`); the last part follows the last fault. Writers carry on
throughout, the time the server takes to start again included. At the end it counts the
acknowledged writes missing from the database (lost: must be 0), the stored rows nobody
was told about (in flight when the server died: allowed), the writes unanswered while
the server or the database was down, and the server errors (5xx) in each phase; after
the database is back there must be none. It exits 1 on any loss or such error.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from django_otp.oath import totp  # noqa: E402

from celltrace.tests import live  # noqa: E402

PG_BIN = Path("/usr/lib/postgresql/15/bin")
ADMIN_PASSWORD = live.ADMIN_PASSWORD
TABLES = {"request": "intake_consultationrequest", "note": "intake_contactnote"}
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class ScratchPostgres:
    """A PostgreSQL cluster of this run's own: its folder, its port, its crashes."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="celltrace-faults-pg-"))
        self.data = self.folder / "data"
        self.port = live.free_port()
        self.as_postgres = os.getuid() == 0  # initdb refuses to run as root
        if self.as_postgres:
            shutil.chown(self.folder, "postgres", "postgres")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/celltrace"

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust")
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-w",
                  "-o", options, "start")  # fmt: skip
        import psycopg

        maintenance = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute("CREATE DATABASE celltrace")

    def crash_restart(self) -> None:
        """Stop without a clean shutdown (recovery from the WAL on start), then start."""
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-m",
                  "immediate", "-w", "restart")  # fmt: skip

    def remove(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder)

    def _run(self, program: str, *args: str) -> None:
        command = [str(PG_BIN / program), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        # Into a file: the server pg_ctl starts keeps its output open, so a pipe never ends.
        with (self.folder / "commands.log").open("a") as log:
            subprocess.run(command, check=True, stdout=log, stderr=log, cwd=self.folder)  # noqa: S603


class KillableServer(live.Server):
    """`celltrace serve`, killed as a power cut or the OOM killer would, then started again."""

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def start(self) -> None:
        self.__enter__()


@dataclass
class Tally:
    """What the writers saw, by phase: acknowledged ids, statuses, unanswered requests."""

    phase: str = "before"
    acknowledged: dict[str, set[int]] = field(default_factory=lambda: {k: set() for k in TABLES})
    statuses: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, phase: str, kind: str, answer) -> None:
        with self.lock:
            if isinstance(answer, Exception):
                self.statuses[phase, "no answer"] += 1
                return
            self.statuses[phase, f"{answer.status // 100}xx"] += 1
            if 200 <= answer.status < 300:
                self.acknowledged[kind].add(json.loads(answer.body)["id"])


def sign_in_admin(port: int) -> dict[str, str]:
    """Sign the first administrator in, enrolling a TOTP app; return the API's headers."""
    page = live.request(port, "GET", "/login/")
    csrf = re.search(r"csrftoken=([^;]+)", page.headers["set-cookie"]).group(1)
    form = {"username": "admin", "password": ADMIN_PASSWORD}
    form["csrfmiddlewaretoken"] = CSRF_INPUT.search(page.body).group(1)
    posted = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf}"}
    signed = live.request(
        port, "POST", "/login/", body=urllib.parse.urlencode(form), headers=posted
    )
    session = re.search(r"sessionid=([^;]+)", signed.headers["set-cookie"]).group(1)
    cookies = f"sessionid={session}; csrftoken={csrf}"
    enrol = live.request(port, "GET", "/account/second-factor/enrol/", headers={"Cookie": cookies})
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', enrol.body).group(1).replace(" ", "")
    form = {"code": f"{totp(base64.b32decode(secret)):06d}"}
    form["csrfmiddlewaretoken"] = CSRF_INPUT.search(enrol.body).group(1)
    body = urllib.parse.urlencode(form)
    enrolled = {**posted, "Cookie": cookies}
    confirmed = live.request(
        port, "POST", "/account/second-factor/enrol/", body=body, headers=enrolled
    )
    assert confirmed.status == 200, confirmed.status
    session = re.search(r"sessionid=([^;]+)", confirmed.headers["set-cookie"]).group(1)
    return {
        "Cookie": f"sessionid={session}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
        "Content-Type": "application/json",
    }


def write(server: KillableServer, kind: str, n: int, staff: dict[str, str], seed: int):
    """One acknowledged-or-not write: a public request, or the administrator's note."""
    if kind == "request":
        return live.submit_by_api(server.port, f"Faulty writer {n}")
    body = json.dumps({"text": f"Called back, attempt {n}"})
    path = f"/api/intake/requests/{seed}/notes"
    return live.request(server.port, "POST", path, body=body, headers=staff)


def run_writers(server, tally: Tally, writers: int, stop: threading.Event, staff, seed: int):
    """Start the writers; return their threads (they stop when `stop` is set)."""

    def writer(number: int) -> None:
        n = 0
        while not stop.is_set():
            kind = "request" if n % 2 == 0 else "note"
            phase = tally.phase
            try:
                answer = write(server, kind, number * 1_000_000 + n, staff, seed)
            except Exception as error:  # noqa: BLE001 - a refused or cut connection
                answer = error
                time.sleep(0.05)  # the server is down: do not spin
            tally.record(phase, kind, answer)
            n += 1

    threads = [threading.Thread(target=writer, args=(w,), daemon=True) for w in range(writers)]
    for thread in threads:
        thread.start()
    return threads


def stored_ids(database_url: str) -> dict[str, set[int]]:
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
            return {k: {r[0] for r in connection.execute(f"SELECT id FROM {t}")}  # noqa: S608
                    for k, t in TABLES.items()}  # fmt: skip
    import psycopg

    with psycopg.connect(database_url) as connection:
        return {k: {r[0] for r in connection.execute(f"SELECT id FROM {t}")}  # noqa: S608
                for k, t in TABLES.items()}  # fmt: skip


def deploy(database_url: str, data_dir: str) -> dict[str, str]:
    env = live.environment(
        CELLTRACE_SECRET_KEY=live.SECRET_KEY,
        CELLTRACE_DATA_DIR=data_dir,
        CELLTRACE_DATABASE_URL=database_url,
        CELLTRACE_REQUESTS_PER_HOUR=str(10**9),  # the writers all come from one address
    )
    setup = live.set_up_clinic(env, admin="admin")
    if setup.returncode:
        raise RuntimeError(setup.stderr)
    return env


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(database: str, writers: int, seconds: float) -> bool:
    """Run the faults on one database; print its figures; return whether nothing was lost."""
    data_dir = tempfile.mkdtemp(prefix="celltrace-faults-")
    postgres = ScratchPostgres() if database == "postgresql" else None
    server = None
    try:
        if postgres:
            progress(f"{database}: a scratch cluster on port {postgres.port}")
            postgres.start()
        url = postgres.url if postgres else f"sqlite:///{data_dir}/celltrace.sqlite3"
        progress(f"{database}: celltrace setup")
        server = KillableServer(deploy(url, data_dir))
        progress(f"{database}: celltrace serve")
        server.start()
        staff = sign_in_admin(server.port)
        progress(f"{database}: {writers} writers")
        seed = json.loads(live.submit_by_api(server.port, "First caller").body)["id"]
        tally, stop = Tally(), threading.Event()
        threads = run_writers(server, tally, writers, stop, staff, seed)
        events = inject_faults(server, postgres, tally, seconds)
        stop.set()
        for thread in threads:
            thread.join()
        progress(f"{database}: counting")
        stored = stored_ids(url)
        return report(database, writers, seconds, tally, stored, events)
    finally:
        if server and server.process and server.process.poll() is None:
            server.kill()
        if postgres:
            postgres.remove()
        shutil.rmtree(data_dir, ignore_errors=True)


def inject_faults(server, postgres, tally: Tally, seconds: float) -> list[str]:
    """Kill the server, then restart PostgreSQL, with `seconds` of writing shared around them.

    The writing is timed while the server is up, so a slow restart never eats the phase
    that shows whether writes succeed again.
    """
    events = []
    faults = 2 if postgres else 1
    time.sleep(seconds / (faults + 1))
    tally.phase = "server down"
    progress("SIGKILL")
    server.kill()
    began = time.monotonic()
    server.start()
    tally.phase = "after server restart"
    events.append(f"server SIGKILLed and started again in {time.monotonic() - began:.1f} s")
    if postgres:
        time.sleep(seconds / (faults + 1))
        tally.phase = "database restarting"
        progress("PostgreSQL restart")
        began = time.monotonic()
        postgres.crash_restart()
        tally.phase = "after database restart"
        events.append(f"PostgreSQL crash-restarted in {time.monotonic() - began:.1f} s")
    time.sleep(seconds / (faults + 1))
    return events


def report(database, writers, seconds, tally: Tally, stored, events) -> bool:
    print(f"\n{database}: {writers} writers for {seconds:.0f} s")
    for event in events:
        print(f"  {event}")
    lost = {k: tally.acknowledged[k] - stored[k] for k in TABLES}
    print(f"  {'write':<22}{'acknowledged':>13}{'stored':>8}{'lost':>6}{'unacknowledged':>16}")
    for kind in TABLES:
        extra = len(stored[kind] - tally.acknowledged[kind]) - (kind == "request")  # the seed
        print(f"  {kind:<22}{len(tally.acknowledged[kind]):>13}{len(stored[kind]):>8}"
              f"{len(lost[kind]):>6}{extra:>16}")  # fmt: skip
    phases = list(dict.fromkeys(phase for phase, _ in tally.statuses))
    print(f"  {'phase':<26}{'2xx':>7}{'4xx':>6}{'5xx':>6}{'no answer':>11}")
    for phase in phases:
        counts = [tally.statuses[phase, c] for c in ("2xx", "4xx", "5xx", "no answer")]
        print(
            f"  {phase:<26}"
            + "".join(f"{n:>{w}}" for n, w in zip(counts, (7, 6, 6, 11), strict=True))
        )
    final = phases[-1]
    errors_after = tally.statuses[final, "5xx"]
    total_lost = sum(len(ids) for ids in lost.values())
    print(f"  lost: {total_lost}; server errors {final}: {errors_after}")
    return total_lost == 0 and errors_after == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    results = [run(database, args.writers, args.seconds) for database in databases]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
