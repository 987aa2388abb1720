"""Who works on consultation requests: one source for the screens and the API."""

from celltrace.accounts.models import Role

# See the queue and a request's page.
QUEUE_ROLES = frozenset({Role.ADVISOR, Role.MANAGER, Role.ADMIN})
# Take a new request into one's own work.
CLAIM_ROLES = frozenset({Role.ADVISOR})
# Note, attach a report, convert, close: the claiming advisor, or a manager or administrator.
ACT_ROLES = frozenset({Role.ADVISOR, Role.MANAGER, Role.ADMIN})
# Download the medical reports a request came with.
ATTACHMENT_ROLES = frozenset({Role.ADVISOR, Role.DOCTOR, Role.MANAGER, Role.ADMIN})
# Managers and administrators may act on a request another advisor has claimed.
OVERSEER_ROLES = frozenset({Role.MANAGER, Role.ADMIN})
