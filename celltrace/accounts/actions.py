"""What a signed-in person changes about their own account."""

from django.db import transaction

from celltrace.accounts.access import check_actor
from celltrace.accounts.models import Language, Role, User
from celltrace.audit import save_by
from celltrace.refusal import Refused


@transaction.atomic
def choose_language(user: User, language: str) -> User:
    """Read the interface, and receive e-mails, in one of the clinic's languages.

    A patient's choice is their record's coded language, so the portal and the messages
    about their care follow it; the free-text language the interpreter is booked for stays.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    check_actor(user, Role.values, "choose your language", site_id=user.site_id)
    if language not in Language.values:
        raise Refused(
            "Choose one of the clinic's languages.",
            code="invalid",
            field_errors={"language": "Not one of the clinic's languages."},
        )
    user.language = language
    save_by(user, user)
    record = getattr(user, "patient_record", None)
    if user.role == Role.PATIENT and record is not None:
        record.preferred_language = language
        save_by(record, user)
    return user
