"""`celltrace signatures verify`: every signed record checked against its signature's hash.

It runs as the deployment (its settings and database, like `celltrace manage`). Exit code 0
when every signed record is still what was signed; 1 with one line per signature whose
record changed (or was deleted) after signing, naming the record and the signature.
"""

from __future__ import annotations

import argparse
from typing import TextIO

CHANGED = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("verify",), help="verify: check every signature")


def run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    # Imported here: the command line sets Django up only once the arguments parse.
    from celltrace.signatures.models import Signature
    from celltrace.signatures.service import verify_signatures

    findings = verify_signatures()
    for finding in findings:
        print(f"CHANGED AFTER SIGNING: {finding}", file=stdout)
    total = Signature.objects.count()
    print(f"{total} signatures checked, {len(findings)} changed after signing.", file=stdout)
    return CHANGED if findings else 0
