"""`celltrace privacy purge`: delete expired closed requests and clear old client addresses.

It runs as the deployment (its settings and database). Run it daily (cron, a systemd timer):
closed requests that never became patients go `CELLTRACE_REQUEST_RETENTION_DAYS` after they
were closed, with their files; the public form's sender addresses are cleared
`CELLTRACE_ADDRESS_RETENTION_DAYS` after the request came (docs/privacy.md).
"""

from __future__ import annotations

import argparse
from typing import TextIO


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("purge",), help="purge: apply the retention periods")


def run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    # Imported here: the command line sets Django up only once the arguments parse.
    from django.conf import settings
    from django.utils import timezone

    from celltrace.privacy.purge import purge_expired

    purged = purge_expired(timezone.now())
    print(
        f"Purged {purged.requests} closed requests older than "
        f"{settings.PRIVACY_REQUEST_RETENTION_DAYS} days ({purged.attachments} attachments); "
        f"cleared {purged.addresses} client addresses older than "
        f"{settings.PRIVACY_ADDRESS_RETENTION_DAYS} days.",
        file=stdout,
    )
    return 0
