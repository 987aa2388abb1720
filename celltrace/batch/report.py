"""`celltrace report CONDITION`: the registry report as JSON, CSV or PDF, over every site.

It runs as the deployment (its settings and database, like `celltrace manage`), not as a
user: the report covers every site, as an administrator's page does. The question is
checked exactly as the page and the API check it (celltrace.outcomes.reports); a bad
argument is exit code 2 with one line saying what is wrong, as argparse does.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

USAGE_ERROR = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the condition, the format, the cut-off and the filters."""
    parser.add_argument("condition", help="the condition's code, e.g. ms or sci")
    parser.add_argument("--format", choices=("json", "csv", "pdf"), default="json")
    parser.add_argument("--cutoff", help="data cut-off date, YYYY-MM-DD (default: today)")
    parser.add_argument("--product", help="only patients first given this product (its code)")
    parser.add_argument("--route", help="only patients first given it by this route")
    parser.add_argument("--output", help="write to this file instead of standard output")


def run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    """Write the report; return 0, or 2 with the reason on standard error."""
    # Imported here: the command line sets Django up only once the arguments parse.
    from django.http import Http404
    from django.utils import timezone

    from celltrace.outcomes import reports
    from celltrace.refusal import Refused

    try:
        question = reports.ask(
            args.condition,
            cutoff=args.cutoff,
            product=args.product,
            route=args.route,
            today=timezone.localdate(),
        )
        content = reports.file_of(reports.make_report(question, None), args.format)
    except Http404:
        return _usage(f"no condition has the code {args.condition!r}")
    except Refused as refusal:
        details = "; ".join(refusal.field_errors.values())
        return _usage(f"{refusal.message} {details}".strip())
    _write(content, args.output, stdout)
    return 0


def _write(content: bytes, output: str | None, stdout: TextIO) -> None:
    if output:
        with open(output, "wb") as file:
            file.write(content)
    elif hasattr(stdout, "buffer"):
        stdout.buffer.write(content)
        stdout.flush()
    else:
        stdout.write(content.decode("utf-8", errors="replace"))


def _usage(message: str) -> int:
    print(f"celltrace report: {message}", file=sys.stderr)
    return USAGE_ERROR
