"""`celltrace fhir export DIR [--site CODE] [--since DATE]`: FHIR Bulk Data NDJSON files;
`celltrace fhir import FILE --user NAME [--sender TEXT]`: lab results and documents in.

It runs as the deployment (its settings and database), like `celltrace report`: the export
covers every site unless `--site` names one. It writes one `<Type>.ndjson` file per FHIR R4
resource type into DIR, every reference resolvable inside the files (docs/fhir.md), and
prints one line per file. `--since` (a date, or an ISO date and time) keeps what changed
from then on, with whatever that refers to. A bad argument is exit code 2 with one line
saying what is wrong.

`import` takes a FHIR Bundle (.json) or a CSV file of lab results (.csv) as the staff
screen and `POST /fhir/R4/` do, through the same action: `--user` names the doctor, nurse or
lab technician who answers for it (their role and site are checked), `--sender` the
laboratory or doctor it came from unless the Bundle names it in meta.source. A refusal is
exit code 1 with the reason; nothing is saved.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TextIO

USAGE_ERROR = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="action", required=True)
    export = commands.add_parser("export", help="Write FHIR Bulk Data NDJSON files into DIR")
    export.add_argument("directory", metavar="DIR", help="the directory to write the files into")
    export.add_argument("--site", metavar="CODE", help="only this site's patients")
    export.add_argument("--since", metavar="DATE", help="only what changed from then on")
    taken = commands.add_parser("import", help="Import lab results (FHIR Bundle or CSV)")
    taken.add_argument("file", metavar="FILE", help="a FHIR Bundle (.json) or a CSV file (.csv)")
    taken.add_argument("--user", required=True, help="the username who answers for the import")
    taken.add_argument("--sender", default="", help="the laboratory or doctor it came from")


def run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    if args.action == "import":
        return _import(args, stdout)
    from django.utils import timezone

    from celltrace.accounts.models import Site
    from celltrace.fhir.export import export_resources, write_ndjson

    site = None
    if args.site:
        site = Site.objects.filter(code=args.site).first()
        if site is None:
            return _usage(f"no site has the code {args.site!r}")
    since = None
    if args.since:
        try:
            since = dt.datetime.fromisoformat(args.since)
        except ValueError:
            return _usage(f"--since is a date (YYYY-MM-DD) or an ISO date and time: {args.since!r}")
        if timezone.is_naive(since):
            since = timezone.make_aware(since)
    counts = write_ndjson(export_resources(site=site, since=since), Path(args.directory))
    for resource_type, count in sorted(counts.items()):
        stdout.write(f"{resource_type}.ndjson: {count}\n")
    return 0


def _import(args: argparse.Namespace, stdout: TextIO) -> int:
    from celltrace.accounts.models import User
    from celltrace.fhir.csv_results import import_csv
    from celltrace.fhir.imports import import_bundle
    from celltrace.refusal import Refused

    user = User.objects.filter(username=args.user, is_active=True).first()
    if user is None:
        return _usage(f"no active user {args.user!r}")
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as error:
        return _usage(f"cannot read {args.file}: {error.strerror}")
    importer = import_csv if path.suffix.lower() == ".csv" else import_bundle
    try:
        result = importer(user, data, sender=args.sender, file_name=path.name)
    except Refused as refusal:
        print(f"celltrace fhir import: {refusal.message}", file=sys.stderr)
        return 1
    stdout.write(f"imported: {len(result.created)}, imported before: {len(result.unchanged)}\n")
    return 0


def _usage(message: str) -> int:
    print(f"celltrace fhir: {message}", file=sys.stderr)
    return USAGE_ERROR
