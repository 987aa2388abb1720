"""Signing test clients in the way the clinic's staff do: password, then the second factor."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from celltrace.accounts.signin import needs_second_factor


def authenticator(user) -> TOTPDevice:
    """The user's confirmed authenticator app (made on first use), as enrolment leaves it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app")


def totp_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the authenticator app shows now (or so many 30-second steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time += steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def confirm_second_factor(client, user) -> None:
    """Mark the client's session as having confirmed the user's second factor."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
    session.save()


def sign_in(client, user, *, second_factor: bool = True):
    """Sign the test client in as the user; staff also confirm their second factor (unless not)."""
    client.force_login(user)
    if second_factor and needs_second_factor(user):
        confirm_second_factor(client, user)
    return client
