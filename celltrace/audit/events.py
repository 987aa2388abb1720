"""Security events: sign-in, sign-out, failed sign-in, refused access and exports.

Sign-ins come from Django's auth signals. Refusals and exports are read off the response
(`SecurityEventMiddleware`): every 403, whichever door gave it (a role check, a site check,
an action's NotAllowed, the API), and every response that hands over a file
(Content-Disposition). Each event is a `SecurityEvent` row, sealed into the audit chain.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.utils import timezone

from celltrace.addresses import client_address
from celltrace.audit.chain import seal
from celltrace.audit.models import SecurityEvent

Kind = SecurityEvent.Kind


def record_event(kind: str, request=None, *, user=None, username: str = "", detail: str = ""):
    """Write one security event (sealed into the chain as it is saved)."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return SecurityEvent.objects.create(
        at=timezone.now(),
        kind=kind,
        username=(user.get_username() if signed_in else username)[:150],
        user_id=user.pk if signed_in else None,
        address=(client_address(request) or "") if request is not None else "",
        method=(request.method or "") if request is not None else "",
        path=request.get_full_path()[:500] if request is not None and request.path else "",
        detail=detail[:500],
    )


class SecurityEventMiddleware:
    """Log every refused request (403) and every file handed over."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            record_event(Kind.REFUSED, request)
        elif response.status_code == 200 and response.has_header("Content-Disposition"):
            record_event(Kind.EXPORTED, request, detail=response["Content-Disposition"])
        return response


def _signed_in(sender, request, user, **kwargs):
    record_event(Kind.SIGNED_IN, request, user=user)


def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        record_event(Kind.SIGNED_OUT, request, user=user)


def _sign_in_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))
    record_event(Kind.SIGN_IN_FAILED, request, username=username)


def _seal_event(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        seal([instance])


def connect() -> None:
    """Listen to sign-ins and seal each event into the chain."""
    user_logged_in.connect(_signed_in, dispatch_uid="celltrace.audit.signed_in")
    user_logged_out.connect(_signed_out, dispatch_uid="celltrace.audit.signed_out")
    user_login_failed.connect(_sign_in_failed, dispatch_uid="celltrace.audit.sign_in_failed")
    post_save.connect(_seal_event, sender=SecurityEvent, dispatch_uid="celltrace.audit.event")
