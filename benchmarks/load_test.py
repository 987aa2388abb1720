"""The clinic at rush hour: an open-loop load of staff, patients and the public, per endpoint.

Run: .venv/bin/python benchmarks/load_test.py [--database sqlite|postgresql|both]
     [--rate 60] [--seconds 60] [--find-max] [--data-dir DIR] [--workers N] [--threads T]

For each database it prepares the demo clinic as `celltrace demo --no-serve` does (in
--data-dir when given and already built, reused; else a new temporary folder; on PostgreSQL
in the database of --postgres-url, default `celltrace_load` on 127.0.0.1), then serves it
as a deployment does: `celltrace serve` (gunicorn, a worker process per core unless
--workers) behind the README's TLS proxy, with `celltrace worker` beside it. The demo's
staff sign in with their password and the demo's TOTP code, the patient with a password.

Then requests arrive at a fixed rate for the given seconds, whatever the answers (open
loop: a slow server does not slow the arrivals, so its queue shows in the times), from a
thread pool large enough never to hold one back. Each request is one of a weighted mix
(MIX below): staff pages (dashboard, patient list, intake queue), the patient page, the
outcome report, the lab's lists, API reads, the portal, and public consultation requests
(the form and the API, each from its own visitor address). A request's time runs from the
moment it was due, not from when a thread sent it. It prints, per endpoint and for all,
the number sent, p50/p95/p99/max milliseconds and errors (an unexpected status, or no
answer), and `/proc/loadavg` at the start and the end: on a shared machine the figures
are indicative.

--find-max offers rising rates (x1.25 from --rate, --step-seconds each) until p95 reaches
250 ms or an error occurs, narrows the gap twice, and prints the highest rate that kept
p95 under 250 ms without error. Never a timed test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import base64
import itertools
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from django_otp.oath import totp  # noqa: E402

from celltrace.tests import live  # noqa: E402

DEMO_PASSWORD = "celltrace-demo"  # noqa: S105 - the demo's printed password
DEMO_TOTP_SECRET = "CELLTRACEDEMOSECRETNOTFORREALUSE"  # noqa: S105 - the demo's printed secret
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/celltrace_load"
TARGET_RATE, TARGET_P95_MS, MAX_P95_MS = 60, 100, 250
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
COOKIE = re.compile(r"(sessionid|csrftoken)=([^;]+)")
PATIENT_LINK = re.compile(r'href="/patients/(\d+)/"')
REPORT_LINK = re.compile(r'href="/outcomes/([a-z0-9-]+)/"')
HEADINGS = ("p50 ms", "p95 ms", "p99 ms", "max ms")


@dataclass(frozen=True)
class Endpoint:
    """One kind of request in the mix: who sends it, how often (weight), what it expects."""

    name: str
    weight: int
    login: str | None  # the demo login that sends it; None: a visitor of the public site
    method: str
    path: str  # {patient} and {report} are filled in from the demo's own pages
    expect: int = 200


# A weekday morning: the staff read their lists and patients, the lab its boards, the manager
# the outcome report, scripts and the other screens the API, patients their portal, and the
# public asks for consultations (a quarter of which are written, through the form or the API).
MIX = [
    Endpoint("dashboard (doctor)", 8, "demo-doctor", "GET", "/dashboard/"),
    Endpoint("dashboard (manager)", 4, "demo-manager", "GET", "/dashboard/"),
    Endpoint("patient list", 6, "demo-doctor", "GET", "/patients/"),
    Endpoint("patient page", 14, "demo-doctor", "GET", "/patients/{patient}/"),
    Endpoint("intake queue", 6, "demo-advisor", "GET", "/intake/"),
    Endpoint("outcome report", 6, "demo-manager", "GET", "/outcomes/{report}/"),
    Endpoint("lab lots", 6, "demo-lab-technician", "GET", "/lab/lots/"),
    Endpoint("lab worklist", 6, "demo-lab-technician", "GET", "/lab/worklist/"),
    Endpoint("cryostore board", 3, "demo-lab-technician", "GET", "/cryostore/"),
    Endpoint("API intake requests", 6, "demo-advisor", "GET", "/api/intake/requests"),
    Endpoint("API lab lots", 6, "demo-lab-technician", "GET", "/api/lab/lots"),
    Endpoint("API follow-up overdue", 5, "demo-coordinator", "GET", "/api/followup/overdue"),
    Endpoint("portal home", 6, "demo-patient", "GET", "/portal/"),
    Endpoint("public form", 8, None, "GET", "/intake/request/"),
    Endpoint("public submit (form)", 4, None, "POST", "/intake/request/", expect=302),
    Endpoint("public submit (API)", 4, None, "POST", "/api/intake/requests", expect=201),
]


@dataclass
class Clinic:
    """The demo clinic being served: its port, the signed-in sessions, ids to ask for."""

    port: int
    sessions: dict[str, dict[str, str]]  # login -> headers of its signed-in session
    patients: list[int]
    reports: list[str]
    visitor_csrf: tuple[str, str]  # (cookie, form token) a visitor's browser holds
    # Addresses of 10.0.0.0/8 from a random start: a clinic reused within the hour (its
    # limit on requests per address) meets new visitors.
    visitors: itertools.count = field(
        default_factory=lambda: itertools.count(random.SystemRandom().randrange(2**24))
    )

    def send(self, endpoint: Endpoint, rng: random.Random) -> live.Answer:
        path = endpoint.path.format(
            patient=rng.choice(self.patients) if self.patients else 0,
            report=rng.choice(self.reports) if self.reports else "ms",
        )
        if endpoint.login is not None:
            headers = self.sessions[endpoint.login]
            return live.request(self.port, endpoint.method, path, headers=headers)
        if endpoint.method == "GET":
            return live.request(self.port, "GET", path)
        # Each submission comes from a visitor of its own (the limit is per address an hour).
        visitor = next(self.visitors)
        address = f"10.{visitor >> 16 & 255}.{visitor >> 8 & 255}.{visitor & 255}"  # wraps
        name = f"Load visitor {visitor}"
        if path.startswith("/api/"):
            return live.submit_by_api(self.port, name, forwarded_for=address)
        cookie, token = self.visitor_csrf
        fields = {**live.request_fields(name), "consent_health_data": "on"}
        body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token})
        headers = {
            "X-Forwarded-For": address,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
        }
        return live.request(self.port, "POST", path, body=body, headers=headers)


# --- Preparing and serving the demo clinic ------------------------------------------------


def prepare_demo(data_dir: Path, database_url: str) -> None:
    """`celltrace demo --no-serve`: build the demo clinic, or reuse the one there."""
    started = time.perf_counter()
    env = live.environment(CELLTRACE_DATA_DIR=str(data_dir), CELLTRACE_DATABASE_URL=database_url)
    done = live.celltrace("demo", "--no-serve", env=env)
    if done.returncode != 0:
        raise RuntimeError(f"celltrace demo failed:\n{done.stdout}{done.stderr}")
    print(f"demo clinic ready in {time.perf_counter() - started:.0f} s ({database_url})")


def deployment_env(data_dir: Path, database_url: str) -> dict[str, str]:
    return live.environment(
        CELLTRACE_DATA_DIR=str(data_dir),
        CELLTRACE_DATABASE_URL=database_url,
        CELLTRACE_SECRET_KEY=live.SECRET_KEY,
    )


def sign_in(port: int, username: str) -> dict[str, str]:
    """Sign a demo login in as its person does; return the headers of its session."""
    page = live.request(port, "GET", "/login/")
    cookies = dict(COOKIE.findall(page.headers["set-cookie"]))
    form = {"username": username, "password": DEMO_PASSWORD}
    form["csrfmiddlewaretoken"] = CSRF_INPUT.search(page.body).group(1)
    signed = _post_form(port, "/login/", form, cookies)
    assert signed.status == 302, (username, signed.status)
    cookies |= dict(COOKIE.findall(signed.headers["set-cookie"]))
    ask = live.request(port, "GET", "/account/second-factor/", headers=_cookie(cookies))
    if ask.status == 200:  # staff: the code of the authenticator app (patients: redirected)
        code = f"{totp(base64.b32decode(DEMO_TOTP_SECRET)):06d}"
        form = {"code": code, "csrfmiddlewaretoken": CSRF_INPUT.search(ask.body).group(1)}
        confirmed = _post_form(port, "/account/second-factor/", form, cookies)
        assert confirmed.status == 302, (username, confirmed.status, confirmed.body[:500])
        cookies |= dict(COOKIE.findall(confirmed.headers.get("set-cookie", "")))
    return {**_cookie(cookies), "X-CSRFToken": cookies["csrftoken"]}


def _cookie(cookies: dict[str, str]) -> dict[str, str]:
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}


def _post_form(port: int, path: str, form: dict, cookies: dict[str, str]) -> live.Answer:
    headers = {"Content-Type": "application/x-www-form-urlencoded", **_cookie(cookies)}
    return live.request(port, "POST", path, body=urllib.parse.urlencode(form), headers=headers)


def open_clinic(port: int) -> Clinic:
    """Sign every login of the mix in and read the ids the mix asks for from the pages."""
    logins = sorted({e.login for e in MIX if e.login})
    sessions = {login: sign_in(port, login) for login in logins}
    patients = live.request(port, "GET", "/patients/", headers=sessions["demo-doctor"])
    reports = live.request(port, "GET", "/outcomes/", headers=sessions["demo-manager"])
    form = live.request(port, "GET", "/intake/request/")
    cookie = re.search(r"csrftoken=([^;]+)", form.headers["set-cookie"]).group(1)
    return Clinic(
        port=port,
        sessions=sessions,
        patients=sorted({int(pk) for pk in PATIENT_LINK.findall(patients.body)}),
        reports=sorted(set(REPORT_LINK.findall(reports.body))),
        visitor_csrf=(cookie, CSRF_INPUT.search(form.body).group(1)),
    )


def wait_for_reports(clinic: Clinic, seconds: float = 300) -> None:
    """Ask for each outcome report until the worker has prepared its snapshot (200, not 202)."""
    headers = clinic.sessions["demo-manager"]
    waiting = set(clinic.reports)
    deadline = time.monotonic() + seconds
    while waiting and time.monotonic() < deadline:
        for code in sorted(waiting):
            answer = live.request(clinic.port, "GET", f"/outcomes/{code}/", headers=headers)
            if answer.status == 200:
                waiting.discard(code)
        time.sleep(1)
    if waiting:
        print(f"warning: reports still being prepared: {', '.join(sorted(waiting))}")


class Worker:
    """`celltrace worker` beside the server, as a deployment runs it."""

    def __init__(self, env: dict[str, str]):
        self.log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed in __exit__
        self.process = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
            [sys.executable, "-m", "celltrace.cli", "worker"],
            cwd=ROOT, env=live.behind_proxy(env), stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc_info) -> None:
        live.stop(self.process)
        self.log.close()


# --- The open loop --------------------------------------------------------------------------


@dataclass
class Run:
    """What one rate gave: per endpoint, the milliseconds and the errors."""

    rate: float
    seconds: float
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: dict[str, str] = field(default_factory=dict)
    late: float = 0.0  # the most the sender fell behind its schedule, in ms
    wall: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, endpoint: Endpoint, ms: float, error: str | None) -> None:
        with self.lock:
            self.times[endpoint.name].append(ms)
            if error is not None:
                self.errors[endpoint.name] += 1
                self.examples.setdefault(endpoint.name, error)

    def all_times(self) -> list[float]:
        return [ms for times in self.times.values() for ms in times]

    def p95(self) -> float:
        return percentile(self.all_times(), 0.95)

    def error_count(self) -> int:
        return sum(self.errors.values())


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (0 of nothing)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(-(-fraction * len(ordered) // 1)) - 1))]


def offer(clinic: Clinic, rate: float, seconds: float, *, seed: int = 15) -> Run:
    """Send rate requests a second for the given seconds, on schedule whatever the answers."""
    rng = random.Random(seed)
    weights = [e.weight for e in MIX]
    count = int(rate * seconds)
    plan = rng.choices(MIX, weights=weights, k=count)
    run = Run(rate=rate, seconds=seconds)
    # Enough threads that none is ever waited for at this rate even if answers take seconds.
    pool = ThreadPoolExecutor(max_workers=min(1000, max(64, int(rate * 4))))

    def fire(endpoint: Endpoint, due: float, request_seed: int) -> None:
        try:
            answer = clinic.send(endpoint, random.Random(request_seed))
            error = None
            if answer.status != endpoint.expect:
                error = f"{answer.status}: {answer.body[:200]!r}"
        except Exception as failure:  # noqa: BLE001 - no answer is an error of the run
            error = f"no answer: {failure!r}"
        run.record(endpoint, (time.perf_counter() - due) * 1000, error)

    start = time.perf_counter() + 0.1
    for index, endpoint in enumerate(plan):
        due = start + index / rate
        pause = due - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        else:
            run.late = max(run.late, -pause * 1000)
        pool.submit(fire, endpoint, due, rng.randrange(2**32))
    pool.shutdown(wait=True)
    run.wall = time.perf_counter() - start
    return run


def print_run(label: str, run: Run) -> None:
    sent = len(run.all_times())
    print(
        f"\n{label}: {run.rate:g} requests/s offered for {run.seconds:g} s ({sent} requests, "
        f"all answered in {run.wall:.1f} s; sender at most {run.late:.0f} ms behind schedule)"
    )
    print(f"{'endpoint':<24}{'n':>6}" + "".join(f"{h:>9}" for h in HEADINGS) + f"{'errors':>8}")
    rows = [(e.name, run.times.get(e.name, []), run.errors.get(e.name, 0)) for e in MIX]
    rows.append(("all", run.all_times(), run.error_count()))
    for name, times, errors in rows:
        if name == "all":
            print("-" * 74)
        print(
            f"{name:<24}{len(times):>6}{percentile(times, 0.5):>9.0f}"
            f"{percentile(times, 0.95):>9.0f}{percentile(times, 0.99):>9.0f}"
            f"{max(times, default=0):>9.0f}{errors:>8}"
        )
    for name, example in run.examples.items():
        print(f"  first error of {name}: {example}")


def find_max(clinic: Clinic, start: float, seconds: float) -> float | None:
    """The highest rate whose p95 stays under MAX_P95_MS without an error, printed."""

    def holds(rate: float) -> bool:
        run = offer(clinic, rate, seconds)
        ok = run.p95() < MAX_P95_MS and run.error_count() == 0
        print(
            f"  {rate:6.1f} requests/s: p95 {run.p95():6.0f} ms, {run.error_count()} errors "
            f"({'holds' if ok else 'does not hold'}; load {loadavg()})"
        )
        return ok

    print(f"\nthe highest rate with p95 < {MAX_P95_MS} ms and no error ({seconds:g} s a rate):")
    good, bad, rate = None, None, start
    while bad is None and rate < 2000:
        if holds(rate):
            good, rate = rate, rate * 1.25
        else:
            bad = rate
    if good is None:
        low, high = 0.0, start
    else:
        low, high = good, bad
    for _ in range(2 if bad is not None else 0):
        middle = round((low + high) / 2, 1)
        if holds(middle):
            low = good = middle
        else:
            high = middle
    if good is None:
        print(f"highest rate with p95 < {MAX_P95_MS} ms: below {start:g} requests/s")
    else:
        print(f"highest rate with p95 < {MAX_P95_MS} ms and no error: {good:g} requests/s")
    return good


def cpu_of(pids: set[int]) -> dict[int, float]:
    """CPU seconds (user and system) each living process of pids has used."""
    ticks = os.sysconf("SC_CLK_TCK")
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return used


def processes(server: live.Server, worker: Worker, database_url: str) -> dict[str, set[int]]:
    """The processes that answer: gunicorn's (its process group), the worker, and, on
    PostgreSQL, the server's backends for this database."""
    found = {"app server": set(), "task worker": {worker.process.pid}, "database": set()}
    database = urllib.parse.urlsplit(database_url).path.lstrip("/")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat[2]) == server.process.pid:  # its process group: the arbiter and workers
            found["app server"].add(int(entry.name))
        elif database and command.startswith("postgres: ") and f" {database} " in command:
            found["database"].add(int(entry.name))
    return found


def print_cpu(before: dict[str, dict[int, float]], after: dict[str, dict[int, float]], run: Run):
    """Per request, the CPU each part used: steadier than times on a shared machine."""
    sent = len(run.all_times())
    parts, total = [], 0.0
    for part, used in after.items():
        seconds = sum(cpu - before[part].get(pid, 0.0) for pid, cpu in used.items())
        total += seconds
        parts.append(f"{part} {seconds * 1000 / sent:.1f} ms")
    cores = os.cpu_count() or 1
    print(
        f"CPU a request: {', '.join(parts)}; {total * 1000 / sent:.1f} ms in all, so at most "
        f"{cores * sent / total:.0f} requests/s on {cores} cores with nothing else running"
    )


def loadavg() -> str:
    return Path("/proc/loadavg").read_text().strip()


def measure(vendor: str, database_url: str, data_dir: Path, args) -> None:
    print(f"\n=== {vendor}: load average at the start: {loadavg()}")
    prepare_demo(data_dir, database_url)
    env = deployment_env(data_dir, database_url)
    options = []
    if args.workers:
        options += ["--workers", str(args.workers)]
    if args.threads:
        options += ["--threads", str(args.threads)]
    with live.Server(env, *options) as server, Worker(env) as worker:
        print(server.output().strip().splitlines()[-1] if server.output().strip() else "")
        clinic = open_clinic(server.port)
        print(
            f"signed in {len(clinic.sessions)} logins; {len(clinic.patients)} patients, "
            f"reports: {', '.join(clinic.reports)}"
        )
        wait_for_reports(clinic)
        offer(clinic, max(5.0, args.rate / 2), 5, seed=1)  # warm-up: each worker's first pages
        watched = processes(server, worker, database_url if vendor == "postgresql" else "")
        before = {part: cpu_of(pids) for part, pids in watched.items()}
        run = offer(clinic, args.rate, args.seconds)
        # Connections opened during the run count too, from nothing.
        ended = processes(server, worker, database_url if vendor == "postgresql" else "")
        after = {part: cpu_of(pids | ended[part]) for part, pids in watched.items()}
        print_run(f"{vendor}", run)
        print_cpu(before, after, run)
        met = args.rate >= TARGET_RATE and run.p95() < TARGET_P95_MS and not run.error_count()
        print(
            f"target ({TARGET_RATE} requests/s, p95 < {TARGET_P95_MS} ms, no error): "
            f"{'met' if met else 'NOT met'} (p95 {run.p95():.0f} ms, {run.error_count()} errors)"
        )
        if args.find_max:
            find_max(clinic, args.rate, args.step_seconds)
        errors = [line for line in server.output().splitlines() if "Traceback" in line]
        if errors:
            print(f"server log: {len(errors)} tracebacks; first lines:\n{server.output()[-3000:]}")
    print(f"=== {vendor}: load average at the end: {loadavg()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--rate", type=float, default=TARGET_RATE, help="requests a second")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--find-max", action="store_true")
    parser.add_argument("--step-seconds", type=float, default=20, help="each rate of --find-max")
    parser.add_argument("--data-dir", type=Path, help="the demo's folder, reused if built")
    parser.add_argument("--postgres-url", default=os.environ.get("CELLTRACE_LOAD_PG", POSTGRES_URL))
    parser.add_argument("--workers", type=int, help="serve's --workers (default: the cores)")
    parser.add_argument("--threads", type=int, help="serve's --threads")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    base = args.data_dir or Path(tempfile.mkdtemp(prefix="celltrace-load-"))
    for vendor in ("sqlite", "postgresql") if args.database == "both" else (args.database,):
        data_dir = base / vendor
        data_dir.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{data_dir / 'demo.sqlite3'}" if vendor == "sqlite" else args.postgres_url
        measure(vendor, url, data_dir, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
