"""`celltrace i18n check|update`: the interface's translation catalogues (docs/languages.md).

`check` fails (exit 1, one line per problem) when a catalogue has an untranslated or fuzzy
message, a compiled .mo differs from its .po, or a string marked for translation in the
code is missing from the catalogues. `update` brings the catalogues up to the code and
compiles them. Both need GNU gettext (xgettext, msgmerge, msgfmt: Debian's `gettext`), run
on a copy of the repository's celltrace package, never on a deployment's database.
"""

from __future__ import annotations

import argparse
import shutil
from typing import TextIO

TOOLS = ("xgettext", "msgmerge", "msgfmt")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "action",
        choices=("check", "update"),
        help="check: every catalogue complete, compiled and current; update: extract, compile",
    )


def run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        print(
            f"celltrace i18n needs GNU gettext ({', '.join(missing)} not found): "
            "apt-get install gettext",
            file=stdout,
        )
        return 1
    _configure()
    from celltrace import catalogues

    if args.action == "update":
        catalogues.update()
        print("Catalogues updated and compiled; now translate what `check` names.", file=stdout)
    problems = catalogues.problems()
    for problem in problems:
        print(problem, file=stdout)
    if not problems:
        print(f"{len(catalogues.shipped_catalogues())} catalogues complete.", file=stdout)
    return 1 if problems else 0


def _configure() -> None:
    """Extraction needs Django's commands and the catalogues' place, not a deployment."""
    import django
    from django.conf import settings

    from celltrace.catalogues import LOCALE_DIR

    if not settings.configured:
        settings.configure(USE_I18N=True, LOCALE_PATHS=[LOCALE_DIR])
        django.setup()
