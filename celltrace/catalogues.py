"""The interface's translation catalogues (celltrace/locale): complete, compiled and current.

Every language ships its gettext catalogue twice: the .po the translators edit and the
compiled .mo Django reads, both committed, so a deployment needs no gettext tools. Three
things can go wrong and are checked here (`celltrace i18n check`, and the test suite):

- a .po holds an entry without a translation, or one marked fuzzy (Django would show the
  English, or a guess, to a patient);
- a .mo is older than its .po (the fix was made but never reaches the screen);
- a string marked for translation in the code is missing from the catalogues (it was
  marked after the last `celltrace i18n update`), or a catalogue holds one no longer used.

Reading the .po files needs no library: the format is simple (GNU gettext manual, "The
Format of PO Files"), and the .mo is read back with Python's own gettext module.
"""

from __future__ import annotations

import ast
import gettext
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
LOCALE_DIR = PACKAGE_DIR / "locale"
# One way to extract, for `update` and for `check` alike: the tests' strings are no
# interface, and only the file (not the line) is written, so a change elsewhere in a file
# does not rewrite every catalogue.
MAKEMESSAGES_OPTIONS = {"no_obsolete": True, "add_location": "file", "ignore_patterns": ["tests"]}
_SKIPPED_IN_COPY = shutil.ignore_patterns("locale", "__pycache__", "tests", "static", "*.pyc")


@dataclass
class Entry:
    """One message of a .po file."""

    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # msgstr, or msgstr[n] of a plural
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())

    def describe(self) -> str:
        text = self.msgid if len(self.msgid) <= 60 else self.msgid[:57] + "..."
        return f"{self.msgctxt}|{text}" if self.msgctxt else text


def read_po(path: Path) -> list[Entry]:
    """Return the entries of a .po (or .pot) file, the header (msgid "") first."""
    entries: list[Entry] = []
    entry, target, has_msgstr = Entry(), None, False

    def finish():
        nonlocal entry, target, has_msgstr
        if has_msgstr:
            entries.append(entry)
        entry, target, has_msgstr = Entry(), None, False

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            finish()
        elif line.startswith("#"):
            if has_msgstr:
                finish()
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
        elif line.startswith('"'):
            _append(entry, target, ast.literal_eval(line))
        else:
            keyword, _space, rest = line.partition(" ")
            if keyword in ("msgctxt", "msgid") and has_msgstr:
                finish()
            entry.obsolete = entry.obsolete or obsolete
            target = int(keyword[7:-1]) if keyword.startswith("msgstr[") else keyword
            has_msgstr = has_msgstr or keyword.startswith("msgstr")
            _append(entry, target, ast.literal_eval(rest), start=True)
    finish()
    return entries


def _append(entry: Entry, target, text: str, *, start: bool = False) -> None:
    if target in ("msgid", "msgctxt", "msgid_plural"):
        setattr(entry, target, text if start else (getattr(entry, target) or "") + text)
    elif target == "msgstr":
        entry.msgstr[0] = text if start else entry.msgstr.get(0, "") + text
    elif isinstance(target, int):
        entry.msgstr[target] = text if start else entry.msgstr.get(target, "") + text


def shipped_catalogues() -> list[Path]:
    """Every language's .po file under celltrace/locale."""
    return sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po"))


def messages_of(po: Path) -> list[Entry]:
    """The catalogue's live messages, without its header and obsolete entries."""
    return [e for e in read_po(po) if not e.is_header and not e.obsolete]


def incomplete(po: Path) -> list[str]:
    """Name each message of the catalogue without a translation, or marked fuzzy."""
    problems = []
    for entry in read_po(po):
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.describe() or '(the header)'}")
        elif not entry.is_header and not entry.translated:
            problems.append(f"untranslated: {entry.describe()}")
    return problems


def compiled(po: Path) -> dict:
    """Return what msgfmt compiles the catalogue to, as Python's gettext reads a .mo."""
    catalog = {}
    for entry in messages_of(po):
        if "fuzzy" in entry.flags or not entry.translated:
            continue  # msgfmt leaves them out: the English shows
        msgid = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural is None:
            catalog[msgid] = entry.msgstr[0]
        else:
            for n, text in entry.msgstr.items():
                catalog[(msgid, n)] = text
    return catalog


def _shown(path: Path) -> str:
    return str(path.relative_to(PACKAGE_DIR) if path.is_relative_to(PACKAGE_DIR) else path)


def stale_mo(po: Path) -> str | None:
    """Say why the .mo beside the .po does not hold what the .po says, or None if it does."""
    mo = po.with_suffix(".mo")
    if not mo.exists():
        return f"{_shown(mo)} is missing: run `celltrace i18n update`"
    with mo.open("rb") as stream:
        shipped = dict(gettext.GNUTranslations(stream)._catalog)
    shipped.pop("", None)  # the header
    expected = compiled(po)
    if shipped != expected:
        changed = sorted(str(k) for k in set(shipped) ^ set(expected))
        changed += sorted(str(k) for k in set(shipped) & set(expected) if shipped[k] != expected[k])
        return (
            f"{_shown(mo)} differs from its .po in {len(changed)} message(s), "
            f"e.g. {changed[0][:60]!r}: run `celltrace i18n update`"
        )
    return None


def extracted() -> set[tuple]:
    """Return the keys of every message marked for translation in celltrace's code now.

    makemessages (GNU xgettext underneath) runs on a copy of the package, so the shipped
    catalogues stay untouched. Needs Django's settings.
    """
    from django.core.management import call_command
    from django.test.utils import override_settings

    with tempfile.TemporaryDirectory(prefix="celltrace-i18n-") as folder:
        copy = Path(folder) / "celltrace"
        shutil.copytree(PACKAGE_DIR, copy, ignore=_SKIPPED_IN_COPY)
        (copy / "locale").mkdir()
        here = os.getcwd()
        try:
            os.chdir(copy)  # makemessages reads the files under the working directory
            with override_settings(LOCALE_PATHS=[str(copy / "locale")]):
                call_command(
                    "makemessages", locale=["de"], keep_pot=True, verbosity=0,
                    **MAKEMESSAGES_OPTIONS,
                )  # fmt: skip
        finally:
            os.chdir(here)
        return {e.key for e in read_po(copy / "locale" / "django.pot") if not e.is_header}


def unlisted(marked: set[tuple], po: Path) -> list[str]:
    """Compare the catalogue with the messages marked in the code: what is missing, what is left."""
    listed = {e.key for e in messages_of(po)}
    missing = [f"not in the catalogue: {_name(k)}" for k in sorted(marked - listed, key=str)]
    unused = [f"no longer used: {_name(k)}" for k in sorted(listed - marked, key=str)]
    return missing + unused


def _name(key: tuple) -> str:
    return Entry(msgctxt=key[0], msgid=key[1]).describe()


def problems() -> list[str]:
    """Every problem of the shipped catalogues, one line each; none means all is well."""
    found = []
    catalogues = shipped_catalogues()
    marked = extracted()
    for po in catalogues:
        where = _shown(po)
        found += [f"{where}: {problem}" for problem in incomplete(po)]
        found += [f"{where}: {problem}" for problem in unlisted(marked, po)]
        if reason := stale_mo(po):
            found.append(reason)
    return found


def update() -> None:
    """Bring every catalogue up to the code, then compile them (needs GNU gettext).

    New messages arrive untranslated; `check` names them until a translator fills them in.
    """
    from django.core.management import call_command

    languages = sorted(p.parent.parent.name for p in shipped_catalogues())
    here = os.getcwd()
    try:
        os.chdir(PACKAGE_DIR)
        call_command("makemessages", locale=languages, verbosity=0, **MAKEMESSAGES_OPTIONS)
        call_command("compilemessages", locale=languages, verbosity=0)
    finally:
        os.chdir(here)
