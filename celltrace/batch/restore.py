"""`celltrace restore FILE`: an archive of `celltrace backup` back into an empty deployment.

The database and the uploads folder of the deployment's settings must be empty, unless
`--force`, which replaces what is there. After restoring, every table's hash and every
file's sha256 is recomputed and compared with the archive's manifest: any difference is
named and the exit code is 1. `--check` only checks the archive. See docs/backups.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the archive's path, the check-only switch and --force."""
    parser.add_argument("file", help="an archive written by `celltrace backup`")
    parser.add_argument(
        "--check", action="store_true", help="check the archive's integrity, restore nothing"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace the data of a target database and uploads folder that are not empty",
    )


def run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    """Restore (or check) the archive; return 0, or 1 naming what is wrong."""
    from celltrace import backups
    from celltrace.batch.backup import _summary
    from celltrace.refusal import Refused

    try:
        if args.check:
            manifest = backups.verify(Path(args.file))
            print(f"{args.file}: intact, {_summary(manifest)}", file=stdout)
        else:
            manifest = backups.restore(Path(args.file), force=args.force)
            print(
                f"Restored {args.file}: {_summary(manifest)}; every table and file hash matches",
                file=stdout,
            )
    except Refused as refusal:
        print(f"celltrace restore: {refusal.message}", file=sys.stderr)
        return 1
    return 0
