"""`celltrace audit verify`: walk the audit chain and say whether the history is intact.

It runs as the deployment (its settings and database). Exit 0 with a summary (rows checked,
tables, the chain's head, to keep outside the database: docs/audit-trail.md) when every
link, digest and row is as sealed; exit 1 naming the first edited, deleted or inserted row
(table, id, what is wrong), then the others. It also checks every electronic signature
against the record it signed (signatures.service.verify_signatures): a signed record changed
after signing fails it too.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

SHOWN = 20


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the subcommand."""
    parser.add_argument("action", choices=("verify",), help="verify: walk the whole chain")


def run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    """Verify the chain; return 0 when intact, 1 with the problems on standard error."""
    from celltrace.audit.chain import verify
    from celltrace.signatures.service import verify_signatures

    found = verify()
    changed = verify_signatures()
    for finding in changed:
        print(f"celltrace audit: changed after signing: {finding}", file=sys.stderr)
    if found.intact:
        print(
            f"audit chain intact: {found.entries} rows in {found.tables} tables; "
            f"head entry {found.head_seq} {found.head_hash}",
            file=stdout,
        )
        return 1 if changed else 0
    first, *others = found.problems
    print(f"celltrace audit: the history was tampered with: {first}", file=sys.stderr)
    for problem in others[:SHOWN]:
        print(f"  also {problem}", file=sys.stderr)
    if len(others) > SHOWN:
        print(f"  and {len(others) - SHOWN} more", file=sys.stderr)
    print(f"{len(found.problems)} problems in {found.entries} chain entries", file=sys.stderr)
    return 1
