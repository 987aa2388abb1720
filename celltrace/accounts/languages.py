"""The clinic's languages: which one a person reads, named in their words or chosen by code.

People name their language in their own words ("German", "Deutsch"); that free text stays
on the patient, because it is what the interpreter is booked for. The coded language
(`Language`, one of the clinic's catalogues in celltrace/locale) is what the screens and
e-mails are written in. A signed-in person reads the interface in their chosen language,
whatever their browser asks for: staff in `User.language`, a patient in the coded language
of their record (docs/languages.md).
"""

from django.utils import translation

from celltrace.accounts.models import Language, Role

# Names people give their language; any other language gets English, the clinic's common
# language.
_NAMES = {
    Language.ENGLISH: ("en", "english", "englisch", "английский"),
    Language.GERMAN: ("de", "german", "deutsch", "немецкий"),
    Language.RUSSIAN: ("ru", "russian", "russisch", "русский", "русский язык"),
}
_BY_NAME = {name: language for language, names in _NAMES.items() for name in names}


def named(spoken: str) -> Language | None:
    """Return the clinic's language `spoken` names ("Deutsch", "russian"), or None."""
    return _BY_NAME.get((spoken or "").strip().casefold())


def language_of(spoken: str) -> Language:
    """Return the language to write to someone who named theirs as `spoken`."""
    return named(spoken) or Language.ENGLISH


def coded(code: str | None) -> Language:
    """Return the clinic's language for a language code ("de", "de-at"), English if none."""
    base = (code or "").split("-")[0].lower()
    return Language(base) if base in Language.values else Language.ENGLISH


def chosen_language(user) -> str | None:
    """Return the language a signed-in user reads the interface in (None for a visitor).

    A patient's is the coded language of their record, the one their e-mails are written
    in too; a patient account not linked to a record yet keeps its own.
    """
    if not user.is_authenticated:
        return None
    if user.role == Role.PATIENT:
        record = getattr(user, "patient_record", None)
        if record is not None:
            return record.preferred_language
    return user.language


class ChosenLanguageMiddleware:
    """After sign-in the person's chosen language wins over the browser's Accept-Language.

    Django's LocaleMiddleware (before this one) picked the visitor's language from the
    language cookie or the browser; this one replaces it for a signed-in user, so a doctor
    whose browser is English still reads German if they chose German on their account page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request.user)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
