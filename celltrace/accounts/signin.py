"""Signing in: the second factor every staff account needs, and the session's two clocks.

One middleware guards every screen and API endpoint, whichever app serves it:

- a session ends after a while without a request (15 minutes for staff) and some hours after
  signing in (12 for staff), both from settings (docs/sign-in.md);
- a staff session that has not confirmed its second factor (a code from the authenticator
  app, or a one-use recovery code) reaches nothing but the sign-in pages themselves.

Throttling of wrong passwords is django-axes' (settings, "Sign-in"); the TOTP and recovery
devices are django-otp's.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from celltrace.accounts.models import Role

SIGNED_IN_AT = "signin_at"
LAST_SEEN_AT = "signin_seen"
# The last-seen time is written at most this often (seconds): one session write per request
# would be wasted work for a clock counted in minutes.
SEEN_RESOLUTION = 10
# The pages a signed-in person reaches before confirming the second factor.
OPEN_URL_NAMES = frozenset({"login", "logout", "second_factor", "second_factor_enrol"})


def needs_second_factor(user) -> bool:
    """Tell whether the account must confirm a second factor: every account but a patient's."""
    return bool(user.is_authenticated and user.role != Role.PATIENT)


def is_api(request) -> bool:
    return request.path_info.startswith("/api/") and request.path_info != "/api/docs"


def session_limits(user):
    """The (idle, absolute) limits of the user's sessions."""
    if user.role == Role.PATIENT:
        return settings.SIGNIN_PATIENT_IDLE, settings.SIGNIN_PATIENT_MAX_AGE
    return settings.SIGNIN_STAFF_IDLE, settings.SIGNIN_STAFF_MAX_AGE


def _minutes(limit) -> str:
    minutes = int(limit.total_seconds() // 60)
    if minutes % 60 == 0 and minutes >= 60:
        hours = minutes // 60
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def ended_because(request) -> str | None:
    """Say why the request's session has ended (too long idle, too old), or None; note the visit."""
    session, now = request.session, time.time()
    idle, max_age = session_limits(request.user)
    started = session.get(SIGNED_IN_AT)
    seen = session.get(LAST_SEEN_AT)
    if started is None or seen is None:
        session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = now
        return None
    if now - seen > idle.total_seconds():
        return _("You were signed out after %(time)s without activity.") % {"time": _minutes(idle)}
    if now - started > max_age.total_seconds():
        return _("You were signed out %(time)s after signing in.") % {"time": _minutes(max_age)}
    if now - seen >= SEEN_RESOLUTION:
        session[LAST_SEEN_AT] = now
    return None


def locked_out(request, original_response=None, credentials=None):
    """Axes' answer to a sign-in while paused: why, for how long, and who can lift it (429)."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "pause": _minutes(settings.AXES_COOLOFF_TIME),
        "username": (credentials or {}).get("username", ""),
    }
    return render(request, "registration/locked_out.html", context, status=429)


def start_session_clocks(sender, request, user, **kwargs):
    """On signing in (user_logged_in): both clocks start now."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = request.session[LAST_SEEN_AT] = time.time()


class SignInMiddleware:
    """End idle or too-old sessions, and keep staff out until their second factor is confirmed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        reason = ended_because(request)
        if reason is not None:
            logout(request)
            if is_api(request):
                return JsonResponse({"detail": f"{reason} Sign in again."}, status=401)
            messages.info(request, _("%(reason)s Sign in again.") % {"reason": reason})
            return redirect_to_login(request.get_full_path())
        if not needs_second_factor(user) or user.is_verified():
            return None
        if request.resolver_match.url_name in OPEN_URL_NAMES:
            return None
        if is_api(request):
            return JsonResponse(
                {
                    "detail": "Confirm your second factor first: sign in on the web page and "
                    "enter the code from your authenticator app.",
                    "code": "second_factor_required",
                },
                status=403,
            )
        target = reverse("second_factor")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
