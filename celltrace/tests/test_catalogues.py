"""Every shipped translation catalogue is complete, compiled and current (docs/languages.md).

A patient reading German must never meet an English sentence because a string was marked
after the last translation, nor an old translation because the .mo was not compiled again.
These run GNU gettext (xgettext, msgmerge): `./dev test` installs it like chromium.
"""

import shutil

import pytest
from django.conf import settings

from celltrace import catalogues
from celltrace.accounts.models import Language

SHIPPED = catalogues.shipped_catalogues()


def _language(po) -> str:
    return po.parent.parent.name


def test_every_language_of_the_clinic_but_english_ships_a_catalogue():
    assert [code for code, _name in settings.LANGUAGES] == Language.values
    assert sorted(_language(po) for po in SHIPPED) == sorted(set(Language.values) - {"en"})


@pytest.mark.parametrize("po", SHIPPED, ids=_language)
def test_every_message_is_translated_and_none_is_fuzzy(po):
    assert catalogues.incomplete(po) == []
    assert len(catalogues.messages_of(po)) > 100


@pytest.mark.parametrize("po", SHIPPED, ids=_language)
def test_the_compiled_catalogue_holds_what_the_po_says(po):
    assert catalogues.stale_mo(po) is None


def test_every_string_marked_in_the_code_is_in_every_catalogue_and_no_other():
    assert shutil.which("xgettext") and shutil.which("msgmerge"), "apt-get install gettext"
    marked = catalogues.extracted()
    assert (None, "Send my request", None) in marked  # the extraction sees templates
    assert (None, "Full name", None) in marked  # and gettext_lazy in Python
    assert [problem for po in SHIPPED for problem in catalogues.unlisted(marked, po)] == []


# The checks themselves: each finds what it is there to find.

PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

#: a.html
msgid "Done"
msgstr "Erledigt"

#, fuzzy
msgid "Due"
msgstr "Fällig"

msgid ""
"A long message "
"on two lines"
msgstr ""

msgctxt "month"
msgid "May"
msgstr "Mai"

msgid "one day"
msgid_plural "%(n)s days"
msgstr[0] "ein Tag"
msgstr[1] "%(n)s Tage"

#~ msgid "Old"
#~ msgstr ""
"""


def test_an_untranslated_or_fuzzy_message_is_named(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(PO, encoding="utf-8")
    assert catalogues.incomplete(po) == [
        "fuzzy: Due",
        "untranslated: A long message on two lines",
    ]
    keys = {entry.key for entry in catalogues.messages_of(po)}
    assert ("month", "May", None) in keys and (None, "one day", "%(n)s days") in keys
    assert catalogues.compiled(po)[("one day", 1)] == "%(n)s Tage"
    assert catalogues.compiled(po)["month\x04May"] == "Mai"


def test_a_compiled_catalogue_older_than_its_po_is_named(tmp_path):
    shipped = SHIPPED[0]
    po = tmp_path / "django.po"
    po.write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    shutil.copy(shipped.with_suffix(".mo"), po.with_suffix(".mo"))
    assert catalogues.stale_mo(po) is None
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr "', 'msgstr "CHANGED ', 3), encoding="utf-8")
    assert "differs from its .po in" in catalogues.stale_mo(po)
    po.with_suffix(".mo").unlink()
    assert "is missing" in catalogues.stale_mo(po)


def test_a_string_marked_after_the_last_update_is_named():
    po = SHIPPED[0]
    listed = {entry.key for entry in catalogues.messages_of(po)}
    new = (None, "A sentence marked today", None)
    assert catalogues.unlisted(listed | {new}, po) == [
        "not in the catalogue: A sentence marked today"
    ]
    gone = sorted(listed, key=str)[0]
    assert catalogues.unlisted(listed - {gone}, po) == [
        f"no longer used: {catalogues.Entry(msgctxt=gone[0], msgid=gone[1]).describe()}"
    ]
