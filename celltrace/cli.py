"""The `celltrace` command: demo clinic, deployment server, Django commands, batch engines."""

import argparse
import os
import sys

from celltrace.config import ConfigurationError
from celltrace.deployment import arguments as setup_arguments
from celltrace.refusal import Refused

BATCH_COMMANDS = {
    "isncsci": ("celltrace.batch.isncsci", "Classify ISNCSCI exams (JSON lines in and out)"),
    "edss": ("celltrace.batch.edss", "Compute EDSS from functional systems (JSON lines)"),
    "isbt128": (
        "celltrace.batch.isbt128",
        "ISBT 128 DIN check characters and checks (DINs in, JSON lines out)",
    ),
    "disability-course": (
        "celltrace.batch.disability_course",
        "Confirmed disability worsening/improvement from visits (CSV in and out)",
    ),
    "report": (
        "celltrace.batch.report",
        "The registry report of a condition (JSON, CSV or PDF) from the deployment's database",
    ),
    "audit": (
        "celltrace.batch.audit",
        "audit verify: check the audit history's hash chain (exit 1 names what was changed)",
    ),
    "fhir": (
        "celltrace.batch.fhir",
        "FHIR R4: export (Bulk Data NDJSON) of the deployment; import lab results (Bundle, CSV)",
    ),
    "backup": (
        "celltrace.batch.backup",
        "Back up the database and the uploads to one archive with hashes (or --verify one)",
    ),
    "restore": (
        "celltrace.batch.restore",
        "Restore an archive of `celltrace backup` into an empty deployment, then compare hashes",
    ),
    "signatures": (
        "celltrace.batch.signatures",
        "verify: every signed record still matches its signature (exit 1 listing those changed)",
    ),
    "i18n": (
        "celltrace.batch.i18n",
        "check: the translation catalogues are complete and compiled; update: extract, compile",
    ),
    "privacy": (
        "celltrace.batch.privacy",
        "purge: delete closed requests and client addresses past their retention (run daily)",
    ),
}
# Batch commands that read the deployment's database: Django is set up for them first.
DATABASE_COMMANDS = frozenset(
    {"report", "audit", "fhir", "backup", "restore", "signatures", "privacy"}
)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = _parser()
    if argv[:1] and argv[0] in BATCH_COMMANDS:
        return _batch(argv[0], argv[1:])
    args = parser.parse_args(argv) if argv[:1] != ["manage"] else None
    if args is not None and args.command is None:
        parser.print_help()
        return 2
    try:
        return _manage(argv[1:]) if args is None else args.handler(args)
    except (ConfigurationError, Refused) as error:
        # A bad setting or answer is one line the operator can act on, not a traceback.
        print(f"celltrace: {error}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="celltrace", description=__doc__)
    commands = parser.add_subparsers(dest="command")
    demo = commands.add_parser("demo", help="Run the synthetic demo clinic on SQLite")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--reset", action="store_true", help="Start from a fresh demo database")
    demo.add_argument("--no-serve", action="store_true", help="Prepare the demo, do not serve")
    demo.set_defaults(handler=_demo)
    serve = commands.add_parser(
        "serve", help="Serve a configured deployment (run `celltrace worker` beside it)"
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers",
        type=_at_least_one,
        default=None,
        help="Worker processes (default: the cores this process may use)",
    )
    serve.add_argument(
        "--threads",
        type=_at_least_one,
        default=None,
        help="Threads in each worker process (default: 4)",
    )
    serve.add_argument(
        "--access-log",
        metavar="FILE",
        default=None,
        help="Log one line per request to FILE ('-': standard output); default: none",
    )
    serve.set_defaults(handler=_serve)
    worker = commands.add_parser(
        "worker",
        help="Run the background tasks of a deployment: e-mails, reminders, outcome reports",
    )
    worker.add_argument("--interval", type=float, default=1.0, help="Seconds between polls")
    worker.set_defaults(handler=_worker)
    setup = commands.add_parser(
        "setup", help="First run of a deployment (and every upgrade): migrate, first site, admin"
    )
    setup_arguments.add_arguments(setup)
    setup.set_defaults(handler=_setup)
    commands.add_parser("manage", help="Django's management commands (celltrace manage help)")
    for name, (_module, help_text) in BATCH_COMMANDS.items():
        commands.add_parser(name, help=help_text)
    return parser


def _at_least_one(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value}: at least 1")
    return number


def _batch(name: str, argv: list[str]) -> int:
    """Run a batch command: an engine over a file, or a report from the deployment's database."""
    import importlib

    module_name, help_text = BATCH_COMMANDS[name]
    module = importlib.import_module(module_name)
    parser = argparse.ArgumentParser(prog=f"celltrace {name}", description=help_text)
    module.add_arguments(parser)
    args = parser.parse_args(argv)
    if name in DATABASE_COMMANDS:
        try:
            _setup_django(demo=False)
        except ConfigurationError as error:
            print(f"celltrace: {error}", file=sys.stderr)
            return 1
    return module.run(args, sys.stdin, sys.stdout)


def _setup_django(*, demo: bool) -> None:
    if demo:
        os.environ["CELLTRACE_DEMO"] = "true"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "celltrace.settings")
    import django

    django.setup()


def _manage(argv: list[str]) -> int:
    _setup_django(demo=False)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["celltrace manage", *argv])
    return 0


def _demo(args) -> int:
    _setup_django(demo=True)
    from celltrace.demo.setup import DEMO_TOTP_SECRET, prepare_demo

    logins = prepare_demo(reset=args.reset)
    print("celltrace demo clinic (synthetic data). Staff and patient logins:")
    for role, username, password in logins:
        print(f"  {role:<18} {username:<24} {password}")
    print(
        "Staff then enter a code from an authenticator app (second factor): add a time-based\n"
        f"account with the demo secret {DEMO_TOTP_SECRET} (the same for every demo\n"
        "staff login; synthetic, never use it for real), or compute the current code with\n"
        '  python3 -c "import base64; from django_otp.oath import totp; '
        f"print('%06d' % totp(base64.b32decode('{DEMO_TOTP_SECRET}')))\"\n"
        "  oathtool --totp -b " + DEMO_TOTP_SECRET + "\n"
        "The patient (demo-patient) signs in with the password alone; so do\n"
        "demo-patient-questionnaire, a patient with questionnaires due today, and\n"
        "demo-patient-de, a German-speaking patient who sees the portal in German: a\n"
        "home-care dose due today, the 3-month questionnaire open, the discharge letter."
    )
    if args.no_serve:
        return 0
    from celltrace.deployment.serving import serve_in_one_process

    _start_worker_thread()
    return serve_in_one_process("127.0.0.1", args.port)


def _setup(args) -> int:
    _setup_django(demo=False)
    from celltrace.deployment.command import run

    return run(args)


def _serve(args) -> int:
    _setup_django(demo=False)
    from celltrace.deployment.serving import (
        DEFAULT_THREADS,
        check_deployment,
        default_workers,
        serve,
    )
    from celltrace.intake.actions import sweep_orphan_files

    check_deployment()
    for name in sweep_orphan_files():  # left by a crash between writing a file and its row
        print(f"Removed {name}: an uploaded file without its record", flush=True)
    return serve(
        args.host,
        args.port,
        workers=default_workers() if args.workers is None else args.workers,
        threads=DEFAULT_THREADS if args.threads is None else args.threads,
        access_log=args.access_log,
    )


def _worker(args) -> int:
    """The queue's worker (django-tasks-db's db_worker): e-mails are sent and reports computed
    here; beside it, the sweeps resend what a crash left and write the reminders due."""
    _setup_django(demo=False)
    from django.core.management import call_command

    from celltrace.deployment.serving import yield_to_requests
    from celltrace.sweeps import start_sweeping

    yield_to_requests()
    start_sweeping()
    call_command("db_worker", "--no-reload", f"--interval={args.interval}")
    return 0


def _start_worker_thread() -> None:
    """The demo's worker: a daemon thread of the demo's own process, so it dies with it."""
    import threading

    from django_tasks_db.management.commands.db_worker import Worker

    from celltrace.sweeps import start_sweeping

    worker = Worker(
        queue_names=["default"],
        interval=1.0,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="celltrace-demo",
        excluded_queue_names=[],
    )  # signals are the main thread's: the server's Ctrl+C ends the process and the thread
    threading.Thread(target=worker.run, name="celltrace-worker", daemon=True).start()
    start_sweeping()


if __name__ == "__main__":
    sys.exit(main())
