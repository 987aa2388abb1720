"""The top navigation: each role sees the screens it may open, nothing else.

The labels are in the reader's language (docs/languages.md); the screens behind most of them
are still English.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from celltrace.web.links import may_open

LINKS = [
    (_("Dashboard"), "dashboard"),
    (_("Patients"), "patient_list"),
    (_("Requests"), "intake:queue"),
    (_("Lab board"), "lab:worklist"),
    (_("Lots"), "lab:lots"),
    (_("Cryostore"), "cryostore:overview"),
    (_("Ward"), "stays:ward"),
    (_("Bedside administration"), "stays:administer"),
    (_("Adverse events"), "stays:event_rates"),
    (_("Therapy today"), "care:therapy_today"),
    (_("Services"), "care:services"),
    (_("Follow-up"), "followup:overdue"),
    (_("My appointments"), "my_appointments:list"),
    (_("Outcomes"), "outcomes:conditions"),
    (_("Outbox"), "outbox:outbox"),
    (_("My questionnaires"), "questionnaires:mine"),
    (_("Administration"), "admin:index"),
]


def links_for(user) -> list[tuple[str, str]]:
    """Return (label, url) of the screens the user's view decorators admit."""
    if not user.is_authenticated:
        return []
    return [(label, reverse(name)) for label, name in LINKS if may_open(user, name)]
