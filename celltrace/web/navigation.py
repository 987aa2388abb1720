"""The top navigation: each role sees the screens it may open, nothing else."""

from django.urls import reverse

from celltrace.web.links import may_open

LINKS = [
    ("Dashboard", "dashboard"),
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
    ("Missed doses", "homecare:missed"),
    ("My home care", "homecare:mine"),
    ("Outcomes", "outcomes:conditions"),
    ("Outbox", "outbox:outbox"),
    ("Administration", "admin:index"),
]


def links_for(user) -> list[tuple[str, str]]:
    """Return (label, url) of the screens the user's view decorators admit."""
    if not user.is_authenticated:
        return []
    return [(label, reverse(name)) for label, name in LINKS if may_open(user, name)]
