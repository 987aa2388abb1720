"""`celltrace serve`: Django's deployment checks, then a server that uses every core.

gunicorn (the Django ecosystem's standard) forks one worker process per core, each with a
few threads: one Python process is bound to one core by its interpreter lock, so a single
process left the others idle while requests queued. Every worker is stateless (sessions,
the cache and the task queue live in the database, uploads in the configured storage), so
several machines may run `celltrace serve` behind one load balancer (docs/deployment.md).
waitress stays where gunicorn cannot run: Windows has no fork and no fcntl.
"""

import gc
import importlib.util
import os

from django.core.management import call_command
from django.core.management.base import SystemCheckError

from celltrace.config import ConfigurationError

# Threads per worker: a request mostly waits for the database (or clamd, or the object
# store), and a thread waiting frees the core for another; more threads only add
# contention for the interpreter lock.
DEFAULT_THREADS = 4
# One line per request, without the query string (it may hold a patient's search) or the
# referrer: the visitor, the time, method and path, status, size, seconds and the worker's
# process id (which of the processes answered).
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss pid=%(p)s'
# Young objects are collected after this many allocations (Python's default: 700). A request
# makes tens of thousands, nearly all freed with it: collecting them ten times less often
# leaves each request less collecting to do (benchmarks/load_test.py, docs/deployment.md).
YOUNG_COLLECTION_THRESHOLD = 10_000
# `celltrace worker`'s CPU priority below the server's (nice 0): its tasks can wait seconds,
# a page cannot.
WORKER_NICENESS = 10


def check_deployment() -> None:
    """Refuse to serve on any warning of `check --deploy`, not only on its errors.

    A warning there is a hole in a real clinic (plain HTTP, no HSTS, cookies sent in the
    clear, a weak secret key): the documented production settings (README, "Running a
    clinic") raise none, so one means the settings are not those.
    """
    try:
        call_command("check", deploy=True, fail_level="WARNING")
    except SystemCheckError as error:
        raise ConfigurationError(
            f"refusing to serve: the deployment checks warn (README, 'The settings'):\n{error}"
        ) from None


def default_workers() -> int:
    """The cores this process may run on: its CPU affinity (a container's or taskset's
    limit), not every core of the machine."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def settle_memory() -> None:
    """Keep the garbage collector off what was imported before serving, for good.

    Django, celltrace and their templates are some 300,000 objects that live as long as the
    process. Every full collection walked them all: a pause of 0.1 to 1 second, in the middle
    of whichever request set it off (the worst of the load test's times). Frozen, they are
    never walked again; a forked worker also leaves their memory pages shared with the
    arbiter (Python's gc.freeze documentation). What is garbage already is collected first,
    or it would be kept for good.
    """
    gc.collect()
    gc.freeze()
    _young, *older = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *older)


def yield_to_requests() -> None:
    """Lower this process's CPU priority: the worker's (benchmarks/load_test.py).

    On a machine that also serves, a report's computation (seconds of CPU: the figures, the
    PDF) and the e-mails took the cores from the requests: on a 2-core machine under the load
    test's mix the worker used nearly as much CPU as the server, and every page queued
    behind it. At niceness 10 the server's processes get the cores first when both want
    them; the worker still gets what they leave, which on a clinic's day is most of it.
    """
    if hasattr(os, "nice"):  # not on Windows
        os.nice(WORKER_NICENESS)


def gunicorn_runs_here() -> bool:
    """gunicorn needs fork and fcntl, which Windows lacks."""
    return importlib.util.find_spec("fcntl") is not None


def serve(
    host: str, port: int, *, workers: int, threads: int, access_log: str | None = None
) -> int:
    """Serve the deployment until stopped: gunicorn, or waitress where gunicorn cannot run."""
    if not gunicorn_runs_here():
        print(
            f"gunicorn cannot run here (no fcntl); waitress serves in one process, "
            f"{workers * threads} threads",
            flush=True,
        )
        return serve_in_one_process(host, port, threads=workers * threads)
    from django.db import connections

    # The checks and the sweep used the database: a connection must not be shared by the
    # forked workers, each opens its own.
    connections.close_all()
    print(
        f"Serving on http://{_bind(host, port)}/ with {workers} worker processes of "
        f"{threads} threads (Ctrl+C to stop)",
        flush=True,
    )
    _run_gunicorn(
        {
            "bind": _bind(host, port),
            "workers": workers,
            "worker_class": "gthread",
            "threads": threads,
            # The application is imported once, before the workers fork: they start at once
            # and share its memory.
            "preload_app": True,
            # gunicorn would take X-Forwarded-Proto from localhost as HTTPS; the settings
            # decide that (CELLTRACE_PROXY_HTTPS_HEADER), as they did under waitress.
            # X-Forwarded-For is left to celltrace.addresses (CELLTRACE_TRUSTED_PROXIES).
            "forwarded_allow_ips": "",
            # Its control socket sits at one path per user: two servers on one machine
            # (blue-green, or the two of the test) would fight over it.
            "control_socket_disable": True,
            "accesslog": access_log,
            "access_log_format": ACCESS_LOG_FORMAT,
            "errorlog": "-",
            "proc_name": "celltrace",
        }
    )
    return 0


def serve_in_one_process(host: str, port: int, *, threads: int = 8) -> int:
    """waitress, one process: the demo (whose worker is a thread of that process) and
    Windows."""
    from waitress import serve as waitress_serve

    from celltrace.wsgi import application

    settle_memory()
    print(f"Serving on http://{_bind(host, port)}/ (Ctrl+C to stop)", flush=True)
    # waitress would drop X-Forwarded-For; celltrace.addresses reads it, from trusted proxies only.
    waitress_serve(
        application, host=host, port=port, threads=threads, clear_untrusted_proxy_headers=False
    )
    return 0


def _bind(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _run_gunicorn(options: dict) -> None:
    """gunicorn's arbiter with these options, serving celltrace's WSGI application."""
    from gunicorn.app.base import BaseApplication  # imported here: Unix only

    class Celltrace(BaseApplication):
        def load_config(self) -> None:
            for name, value in options.items():
                self.cfg.set(name, value)

        def load(self):  # in the arbiter, before the workers fork (preload_app)
            from celltrace.wsgi import application

            settle_memory()
            return application

    Celltrace().run()
