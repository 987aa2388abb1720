"""A message's subject and body, from its kind's plain-text templates in the recipient's language.

The templates are in celltrace/outbox/mail/<kind>/<language>/subject.txt and body.txt: one
folder per kind, one per language, so adding a language means copying a folder. They are
plain text, rendered without HTML escaping, with the language active for dates.
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template import Context, Engine
from django.utils import translation

MAIL_DIR = Path(__file__).resolve().parent / "mail"
_engine = Engine(dirs=[str(MAIL_DIR)], autoescape=False)


@dataclass(frozen=True)
class Written:
    subject: str
    body: str


def write(kind: str, language: str, context: dict) -> Written:
    """Render the message of this kind in this language."""
    context = {"clinic_url": settings.PUBLIC_URL, **context}
    with translation.override(language):
        subject = _engine.get_template(f"{kind}/{language}/subject.txt").render(Context(context))
        body = _engine.get_template(f"{kind}/{language}/body.txt").render(Context(context))
    # A header holds one line: a newline in a subject would be refused by the mail library.
    return Written(subject=" ".join(subject.split())[:200], body=body.strip() + "\n")


def link(path: str) -> str:
    """Return the page's address for an e-mail, or "" when the clinic's address is not set."""
    return f"{settings.PUBLIC_URL}{path}" if settings.PUBLIC_URL else ""
