"""The top navigation: each role sees the screens it may open, nothing else.

The labels are in the reader's language (docs/languages.md); the screens behind most of them
are still English.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from celltrace.accounts.models import Role
from celltrace.web.links import may_open

LINKS = [
    (_("Dashboard"), "dashboard"),
    # The patient's portal (docs/portal.md): these admit the patient role only.
    (_("My page"), "portal:home"),
    (_("My treatment"), "portal:treatment"),
    (_("My stay"), "portal:stay"),
    (_("My home care"), "homecare:mine"),
    (_("My appointments"), "my_appointments:list"),
    (_("My questionnaires"), "questionnaires:mine"),
    (_("My documents"), "portal:documents"),
    (_("Messages"), "portal:messages"),
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
    (_("Missed doses"), "homecare:missed"),
    (_("Outcomes"), "outcomes:conditions"),
    (_("Patients' messages"), "portal:inbox"),
    (_("Outbox"), "outbox:outbox"),
    (_("Administration"), "admin:index"),
]


def links_for(user) -> list[tuple[str, str]]:
    """Return (label, url) of the screens the user's view decorators admit."""
    if not user.is_authenticated:
        return []
    return [
        (label, reverse(name))
        for label, name in LINKS
        if may_open(user, name) and not (name in _PORTAL_REPLACES and user.role == Role.PATIENT)
    ]


# The dashboard sends a patient to the portal's home, which the patient's links already name.
_PORTAL_REPLACES = frozenset({"dashboard"})
