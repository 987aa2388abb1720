"""Who reads the outbox: the clinic's manager and coordinators, their own site's messages only."""

from celltrace.accounts.access import get_for_user, scope_to_site
from celltrace.accounts.models import Role
from celltrace.outbox.models import Message

# The outbox holds what was written to patients and staff: the people who run the clinic's
# correspondence read it, to answer "did the patient get our e-mail?".
VIEW = frozenset({Role.COORDINATOR, Role.MANAGER, Role.ADMIN})


def messages_for_user(user):
    """Return the messages of the user's site, newest first."""
    return scope_to_site(Message.objects.select_related("patient", "user"), user)


def get_message_for_user(user, pk) -> Message:
    """Return one message of the user's site, or 404."""
    return get_for_user(
        Message.objects.select_related("patient", "user"), user, pk, site_field="site"
    )
