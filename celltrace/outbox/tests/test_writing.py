"""Every kind of message is written in every language, from its own templates."""

import datetime as dt

import pytest

from celltrace.accounts.models import Language
from celltrace.outbox.kinds import Kind, language_of
from celltrace.outbox.writing import MAIL_DIR, write

CONTEXT = {
    "name": "Anna Berg",
    "site_name": "Lisbon clinic",
    "reference": "CR-000042",
    "starts": "2026-12-01 15:00",
    "time_zone": "Europe/Lisbon",
    "advisor": "Alice Advisor",
    "join_url": "https://meet.example/abc",
    "version": 2,
    "total": "EUR 12,400.00",
    "admission_date": dt.date(2026, 12, 7),
    "discharge_date": dt.date(2026, 12, 12),
    "due_date": dt.date(2026, 12, 9),
    "questionnaire": "MSIS-29",
    "patient_code": "P-123456",
    "bed": "Room 1, bed A",
    "on": "2026-12-07",
    "exclusions": ["Platelets outside the reference range"],
    "cautions": [],
    "blocked": True,
    "lot_code": "X9991 26 000001",
    "reason": "Sterility (bacterial) failed.",
    "given": True,
    "term": "Anaphylaxis",
    "grade": 3,
    "onset": "2026-12-08 10:00 (Europe/Lisbon)",
    "relatedness": "Probable",
    "reported_by": "Nora Nurse",
    "lot_held": True,
    "url": "https://clinic.example/stays/1/",
}


@pytest.mark.parametrize("language", Language.values)
@pytest.mark.parametrize("kind", Kind.values)
def test_each_kind_is_written_in_each_language(kind, language):
    written = write(kind, language, CONTEXT)
    assert written.subject and "\n" not in written.subject
    assert "{{" not in written.body and "{%" not in written.body
    assert "Anna Berg" in written.body or "P-123456" in written.subject


def test_there_are_templates_for_the_kinds_and_nothing_else():
    assert {folder.name for folder in MAIL_DIR.iterdir()} == set(Kind.values)


def test_dates_read_in_the_messages_language():
    german = write(Kind.ADMISSION_REMINDER, "de", CONTEXT)
    assert german.subject == "Erinnerung: Ihre Aufnahme am 7. Dezember 2026"
    assert write(Kind.ADMISSION_REMINDER, "en", CONTEXT).subject.endswith("2026-12-07")


@pytest.mark.parametrize(
    ("spoken", "language"),
    [("German", "de"), (" deutsch ", "de"), ("Русский", "ru"), ("ru", "ru"), ("Polish", "en")],
)
def test_the_patients_own_words_choose_the_language(spoken, language):
    assert language_of(spoken) == language
