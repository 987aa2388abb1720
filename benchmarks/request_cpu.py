"""CPU milliseconds and queries of each request of the load test's mix, in one process.

Run: .venv/bin/python benchmarks/request_cpu.py --data-dir DIR/sqlite [--database-url URL]
     [--repeat 30] [--profile ENDPOINT]

Reads the demo clinic that benchmarks/load_test.py prepared in DIR (SQLite: its
demo.sqlite3; PostgreSQL: --database-url) under the deployment's settings, signs the mix's
logins in through Django's test Client (as testkit.signin does), and sends every endpoint
of load_test.MIX --repeat times. It prints, per endpoint, the CPU milliseconds (p50 and
p95: steadier than wall time on a shared machine), the wall milliseconds, the queries, the
writes among them and the size of the answer. At 60 requests a second on two cores, the mix
may cost at most 33 ms of CPU a request on average, the database's included, before
requests queue.

--profile ENDPOINT prints where that endpoint spends its time (cProfile, top 30 by
cumulative time, over --repeat requests).
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from load_test import MIX, PATIENT_LINK, REPORT_LINK, percentile  # noqa: E402

from celltrace.tests import live  # noqa: E402

WRITES = {"INSERT", "UPDATE", "DELETE", "REPLACE"}


def configure(data_dir: Path, database_url: str | None) -> None:
    """The deployment's settings behind its TLS proxy, on the demo clinic in data_dir."""
    url = database_url or f"sqlite:///{data_dir / 'demo.sqlite3'}"
    env = live.behind_proxy(
        live.environment(
            CELLTRACE_DATA_DIR=str(data_dir),
            CELLTRACE_DATABASE_URL=url,
            CELLTRACE_SECRET_KEY=live.SECRET_KEY,
        )
    )
    os.environ.clear()
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "celltrace.settings"
    import django

    django.setup()


def clients() -> dict[str | None, object]:
    from django.test import Client

    from celltrace.accounts.models import User
    from testkit.signin import sign_in

    proxied = {"HTTP_HOST": "127.0.0.1", "HTTP_X_FORWARDED_PROTO": "https"}
    signed = {None: Client(**proxied)}
    for login in {e.login for e in MIX if e.login}:
        signed[login] = sign_in(Client(**proxied), User.objects.get(username=login))
    return signed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--database-url")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--profile", metavar="ENDPOINT")
    parser.add_argument("--sort", default="cumulative", help="cProfile order: tottime, ...")
    parser.add_argument("--only", default="", help="profile lines of paths matching this")
    args = parser.parse_args()
    configure(args.data_dir, args.database_url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    signed = clients()
    patients = sorted(set(PATIENT_LINK.findall(signed["demo-doctor"].get("/patients/").text)))
    reports = sorted(set(REPORT_LINK.findall(signed["demo-manager"].get("/outcomes/").text)))
    visitors = itertools.count(random.SystemRandom().randrange(2**24))  # new visitors
    rng = random.Random(15)

    def send(endpoint):
        client = signed[endpoint.login]
        path = endpoint.path.format(patient=rng.choice(patients), report=rng.choice(reports))
        if endpoint.method == "GET":
            return client.get(path)
        visitor = next(visitors)
        address = f"10.{visitor >> 16 & 255}.{visitor >> 8 & 255}.{visitor & 255}"
        fields = live.request_fields(f"Profiled visitor {visitor}")
        fields["consent_health_data"] = "true" if path.startswith("/api/") else "on"
        return client.post(path, fields, HTTP_X_FORWARDED_FOR=address)

    print(f"{connection.vendor}: {len(patients)} patients, reports {', '.join(reports)}")
    headings = ("cpu p50", "cpu p95", "wall p50", "queries")
    print(f"{'endpoint':<24}" + "".join(f"{h:>9}" for h in headings) + f"{'writes':>8}{'kB':>7}")
    weighted = 0.0
    for endpoint in MIX:
        if args.profile and endpoint.name != args.profile:
            continue
        send(endpoint)  # first use: templates compiled, modules imported
        cpu, wall, queries, writes = [], [], [], []
        profiler = cProfile.Profile() if args.profile else None
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as captured:
                started, started_cpu = time.perf_counter(), time.process_time()
                answer = profiler.runcall(send, endpoint) if profiler else send(endpoint)
                cpu.append((time.process_time() - started_cpu) * 1000)
                wall.append((time.perf_counter() - started) * 1000)
            queries.append(len(captured))
            writes.append(sum(q["sql"].lstrip().split()[0].upper() in WRITES for q in captured))
            assert answer.status_code == endpoint.expect, (endpoint.name, answer.status_code)
        weighted += endpoint.weight * statistics.median(cpu)
        print(
            f"{endpoint.name:<24}{statistics.median(cpu):>9.1f}{percentile(cpu, 0.95):>9.1f}"
            f"{statistics.median(wall):>9.1f}{max(queries):>9}{max(writes):>8}"
            f"{len(answer.content) / 1000:>7.0f}"
        )
        if profiler:
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.only, 30)
    if not args.profile:
        mean = weighted / sum(e.weight for e in MIX)
        print(f"the mix: {mean:.1f} ms CPU a request on average (p50 of each, weighted)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
