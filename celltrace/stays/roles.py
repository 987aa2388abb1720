"""Who works with stays: one set per screen and its API endpoint."""

from celltrace.accounts.models import Role

ADMIT = frozenset({Role.NURSE, Role.DOCTOR, Role.COORDINATOR})
ADMINISTER = frozenset({Role.NURSE})
REPORT_EVENT = frozenset({Role.NURSE, Role.DOCTOR})
DISCHARGE = frozenset({Role.DOCTOR})
VIEW = frozenset({Role.NURSE, Role.DOCTOR, Role.COORDINATOR, Role.MANAGER, Role.ADMIN})
