"""The second factor's screens: enrol an authenticator app, confirm a code, recovery codes."""

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from celltrace.accounts import actions
from celltrace.accounts.languages import chosen_language
from celltrace.accounts.models import Language
from celltrace.accounts.signin import needs_second_factor
from celltrace.refusal import Refused, show_refusal

RECOVERY_CODES = 10
AUTHENTICATOR = "Authenticator app"
RECOVERY = "Recovery codes"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        help_text=gettext_lazy(
            "The 6 digits your authenticator app shows now, or one of your recovery codes."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("dashboard")


def authenticator_of(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def make_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with new ones; return them (shown once, then hashed)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    device.token_set.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@login_required
def second_factor(request):
    """Ask for the authenticator's code (or a recovery code) after the password."""
    user = request.user
    if not needs_second_factor(user) or user.is_verified():
        return redirect(_next(request))
    if authenticator_of(user) is None:
        return redirect(f"{reverse('second_factor_enrol')}?{request.GET.urlencode()}")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        waiting = _waiting(authenticator_of(user))
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            request.session.cycle_key()
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code; %(left)d left. Make new ones "
                        "from your account page if you are running out."
                    )
                    % {"left": left},
                )
            return redirect(_next(request))
        form.add_error("code", waiting or str(WRONG_CODE))
    return render(
        request, "registration/second_factor.html", {"form": form, "next": _next(request)}
    )


@login_required
def second_factor_enrol(request):
    """Set up an authenticator app: its QR code and secret, then one code to confirm it."""
    user = request.user
    if not needs_second_factor(user) or authenticator_of(user) is not None:
        return redirect(f"{reverse('second_factor')}?{request.GET.urlencode()}")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        waiting = _waiting(device)
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            request.session.cycle_key()
            otp_login(request, device)
            return _show_recovery_codes(request, make_recovery_codes(user), first=True)
        form.add_error("code", waiting or str(WRONG_CODE))
    context = {
        "form": form,
        "next": _next(request),
        "qr_svg": mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4)),  # noqa: S308 - segno's own SVG
        "secret": _base32(device),
    }
    return render(request, "registration/second_factor_enrol.html", context)


@require_POST
@login_required
def recovery_codes(request):
    """New recovery codes for a verified staff member (the old ones stop working)."""
    if not needs_second_factor(request.user):
        raise PermissionDenied("Only staff accounts have recovery codes.")
    return _show_recovery_codes(request, make_recovery_codes(request.user), first=False)


def _show_recovery_codes(request, codes, *, first: bool):
    context = {"codes": codes, "first": first, "next": _next(request)}
    return render(request, "registration/recovery_codes.html", context)


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)


@login_required
def account(request, language_form=None):
    """The signed-in person's account: language, password, second factor, recovery codes."""
    context = {
        "language_form": language_form
        or LanguageForm(initial={"language": chosen_language(request.user)}),
        "needs_second_factor": needs_second_factor(request.user),
        "recovery_left": StaticToken.objects.filter(device__user=request.user).count(),
    }
    return render(request, "registration/account.html", context)


@require_POST
@login_required
def choose_language(request):
    """Change the language of the screens and e-mails; the next page is already in it."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return account(request, language_form=form)
    try:
        actions.choose_language(request.user, form.cleaned_data["language"])
    except Refused as refusal:
        show_refusal(form, refusal)
        return account(request, language_form=form)
    with translation.override(form.cleaned_data["language"]):
        messages.success(request, _("From now on you read celltrace in this language."))
    return redirect("account")


WRONG_CODE = gettext_lazy(
    "That code is not right, or was already used: enter the next code your app shows "
    "(and check your phone's clock is right)."
)


def _waiting(device) -> str | None:
    """Say so when wrong codes just before make this try wait (each one doubles the wait)."""
    allowed, why = device.verify_is_allowed()
    if allowed or why.get("reason") != VerifyNotAllowed.N_FAILED_ATTEMPTS:
        return None
    return _(
        "Too many wrong codes in a row (%(count)d): wait a few seconds, then enter the code "
        "your app shows then. Each wrong code doubles the wait."
    ) % {"count": why["failure_count"]}


def _base32(device) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
