"""`celltrace fhir export DIR [--site CODE] [--since DATE]`: FHIR Bulk Data NDJSON files.

It runs as the deployment (its settings and database), like `celltrace report`: the export
covers every site unless `--site` names one. It writes one `<Type>.ndjson` file per FHIR R4
resource type into DIR, every reference resolvable inside the files (docs/fhir.md), and
prints one line per file. `--since` (a date, or an ISO date and time) keeps what changed
from then on, with whatever that refers to. A bad argument is exit code 2 with one line
saying what is wrong.
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


def run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
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


def _usage(message: str) -> int:
    print(f"celltrace fhir: {message}", file=sys.stderr)
    return USAGE_ERROR
