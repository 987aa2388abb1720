"""`celltrace backup FILE`: the database and the uploads in one archive, with a manifest.

`celltrace backup --verify FILE` checks an archive's integrity (the database file and every
upload against the manifest's sha256) without restoring it. See docs/backups.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the archive's path and the check-only switch."""
    parser.add_argument("file", help="the archive to write (never overwritten), e.g. a .tar.gz")
    parser.add_argument(
        "--verify", action="store_true", help="check an existing archive, do not write one"
    )


def run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    """Write (or check) the archive; return 0, or 1 with the reason on standard error."""
    from celltrace import backups
    from celltrace.refusal import Refused

    try:
        if args.verify:
            manifest = backups.verify(Path(args.file))
            print(f"{args.file}: intact, {_summary(manifest)}", file=stdout)
        else:
            manifest = backups.make_backup(Path(args.file))
            print(f"Wrote {args.file}: {_summary(manifest)}", file=stdout)
    except Refused as refusal:
        print(f"celltrace backup: {refusal.message}", file=sys.stderr)
        return 1
    return 0


def _summary(manifest: dict) -> str:
    rows = sum(table["rows"] for table in manifest["tables"].values())
    return (
        f"{manifest['database_vendor']} database of {len(manifest['tables'])} tables "
        f"({rows} rows), {len(manifest['files'])} uploaded files, made {manifest['created_at']}"
    )
