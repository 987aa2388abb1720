"""The top navigation: each role sees the screens it may open, nothing else."""

from django.urls import reverse

from celltrace.accounts.models import Role

A, D, L, Q, N, C, M, AD, P = (
    Role.ADVISOR, Role.DOCTOR, Role.LAB_TECHNICIAN, Role.QUALITY_REVIEWER, Role.NURSE,
    Role.COORDINATOR, Role.MANAGER, Role.ADMIN, Role.PATIENT,
)  # fmt: skip

LINKS = [
    ("Dashboard", "dashboard", set(Role.values)),
    ("Patients", "patient_list", set(Role.values) - {P}),
    ("Requests", "intake:queue", {A, M, AD}),
    ("Lots", "lab:lots", {L, Q, D, N, C, M, AD}),
    ("Ward", "stays:ward", {N, D, C, M, AD}),
    ("Bedside administration", "stays:administer", {N}),
    ("Follow-up", "followup:overdue", {C, N, D, M, AD}),
    ("Outcomes", "outcomes:conditions", {D, C, M, AD}),
    ("Administration", "admin:index", {AD}),
]


def links_for(user) -> list[tuple[str, str]]:
    """Return (label, url) of the screens the user's role opens."""
    if not user.is_authenticated:
        return []
    return [(label, reverse(name)) for label, name, roles in LINKS if user.role in roles]
