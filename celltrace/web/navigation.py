"""The top navigation: each role sees the screens it may open, nothing else."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from celltrace.accounts.models import Role
from celltrace.web.links import may_open

LINKS = [
    ("Dashboard", "dashboard"),
    # The patient's portal (docs/portal.md): these admit the patient role only.
    (_("My page"), "portal:home"),
    (_("My treatment"), "portal:treatment"),
    (_("My stay"), "portal:stay"),
    (_("My documents"), "portal:documents"),
    (_("Messages"), "portal:messages"),
    ("Patients", "patient_list"),
    ("Requests", "intake:queue"),
    ("Lab board", "lab:worklist"),
    ("Lots", "lab:lots"),
    ("Cryostore", "cryostore:overview"),
    ("Ward", "stays:ward"),
    ("Bedside administration", "stays:administer"),
    ("Adverse events", "stays:event_rates"),
    ("Therapy today", "care:therapy_today"),
    ("Services", "care:services"),
    ("Follow-up", "followup:overdue"),
    ("Outcomes", "outcomes:conditions"),
    ("Patients' messages", "portal:inbox"),
    ("Outbox", "outbox:outbox"),
    ("Administration", "admin:index"),
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
