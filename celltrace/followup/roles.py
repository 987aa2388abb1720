"""Who works with follow-up: one set per screen and its API endpoint."""

from celltrace.accounts.models import Role

VIEW = frozenset({Role.COORDINATOR, Role.DOCTOR, Role.NURSE, Role.MANAGER, Role.ADMIN})
COMPLETE = frozenset({Role.COORDINATOR})
