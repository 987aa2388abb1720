"""Sign a record with the password typed again, and tell later whether it still matches.

Any action may sign its record: `sign()` inside the action's transaction, the action
wrapped in `@records_wrong_passwords` outside it. The refusal of a wrong password rolls
the action's transaction back; the wrapper then records the wrong password in its own
write, so the count that locks signing survives the refusal and is shared by every
process of the server.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import check_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from celltrace.audit import save_by
from celltrace.clinical import signing
from celltrace.refusal import Refused
from celltrace.signatures.models import Signature, WrongPassword

logger = logging.getLogger(__name__)

CHANGED = "changed after signing"
UNCHANGED = "matches the signed record"


class WrongPasswordRefused(Refused):
    """The password typed to sign was not the signer's; the wrapper records it."""

    def __init__(self, user, meaning: str):
        super().__init__(
            "Your password was not right: nothing was signed.",
            code="wrong_password",
            field_errors={"password": "Wrong password."},
        )
        self.user = user
        self.meaning = meaning


def records_wrong_passwords(action):
    """Record a wrong password once the action's transaction has rolled back, then refuse."""

    @functools.wraps(action)
    def recording(*args, **kwargs):
        try:
            return action(*args, **kwargs)
        except WrongPasswordRefused as refusal:
            WrongPassword.objects.create(
                user=refusal.user, typed_at=timezone.now(), meaning=refusal.meaning
            )
            raise

    return recording


def _refuse_when_locked(user) -> None:
    now = timezone.now()
    wrong = WrongPassword.objects.filter(user=user, typed_at__gt=now - signing.LOCKOUT_WINDOW)
    last_signed_at = Signature.objects.filter(signer=user).aggregate(last=Max("signed_at"))["last"]
    locked = signing.lockout(
        wrong.values_list("typed_at", flat=True), now=now, last_signed_at=last_signed_at
    )
    if locked is None:
        return
    logger.warning(
        "Signing locked for user %s after %s wrong passwords", user.pk, locked.wrong_passwords
    )
    minutes = max(1, round((locked.until - now).total_seconds() / 60))
    raise Refused(
        f"Signing is locked for {minutes} minutes: the password was wrong "
        f"{signing.MAX_WRONG_PASSWORDS} times within {signing.LOCKOUT_WINDOW.seconds // 60} "
        "minutes. Wait, or ask an administrator if you did not type them.",
        code="signing_locked",
        params={"minutes": minutes, "until": locked.until.isoformat()},
        field_errors={"password": "Signing is locked for now."},
    )


@transaction.atomic
def sign(record, user, *, password: str, meaning: str, content: dict) -> Signature:
    """Sign the record as the user, with the password typed again; bind it to the content.

    The caller gives the record's content (what the signer saw and certifies); the same
    function of the caller must give it again to `verify`.
    """
    if meaning not in Signature.Meaning.values:
        raise ValueError(f"Unknown meaning of a signature: {meaning!r}")
    if not user.is_active:
        raise Refused(
            "An inactive account cannot sign.", code="inactive_signer", params={"user": user}
        )
    _refuse_when_locked(user)
    if not check_password(password or "", user.password):
        raise WrongPasswordRefused(user, meaning)
    signature = Signature(
        signer=user,
        printed_name=user.get_full_name() or user.username,
        meaning=meaning,
        signed_at=timezone.now(),
        record_type=ContentType.objects.get_for_model(record),
        record_id=record.pk,
        record_hash=signing.content_hash(content),
        content=signing.as_signed(content),
    )
    return save_by(signature, user)


def verify(signature: Signature, content: dict) -> bool:
    """Tell whether the record's content is still what the signature was given to.

    The content kept with the signature must hash to the signature's hash too: a copy edited
    to agree with an edited record does not pass.
    """
    if signature.hash_method != signing.METHOD:
        raise ValueError(f"Unknown signing method {signature.hash_method!r}")
    kept = signing.matches(signature.record_hash, signature.content)
    return kept and signing.matches(signature.record_hash, content)


def signatures_of(record, *, meaning: str | None = None):
    """Return the record's signatures, oldest first, optionally of one meaning."""
    found = Signature.objects.filter(
        record_type=ContentType.objects.get_for_model(record), record_id=record.pk
    ).select_related("signer")
    return found.filter(meaning=meaning) if meaning else found


def _where_changed(signature: Signature, now: dict) -> tuple[str, ...]:
    found = signing.differences(signature.content, now)
    return tuple(found) or ("the copy of the record kept with the signature",)


@dataclass(frozen=True)
class Shown:
    """A signature as every screen and printout shows it (21 CFR 11.50)."""

    printed_name: str
    meaning: str
    meaning_label: str
    signed_at_utc: dt.datetime
    signed_at_local: dt.datetime
    time_zone: str
    record_hash: str
    matches: bool
    changed: tuple[str, ...]

    @property
    def state(self) -> str:
        return UNCHANGED if self.matches else CHANGED

    @property
    def line(self) -> str:
        """The signature as a printout states it: meaning, name, time, hash and state."""
        local = f"{self.signed_at_local:%Y-%m-%d %H:%M} ({self.time_zone})"
        state = UNCHANGED if self.matches else f"CHANGED AFTER SIGNING: {', '.join(self.changed)}"
        return (
            f"Electronic signature: {self.meaning_label} by {self.printed_name}, {local} = "
            f"{self.signed_at_utc:%Y-%m-%d %H:%M} UTC; SHA-256 {self.record_hash}; {state}."
        )


def shown(signature: Signature, content: dict, *, time_zone: str = "UTC") -> Shown:
    """Return the signature as shown: name, meaning, time at the site and in UTC, and state.

    When the record changed, `changed` names where (e.g. qc_results[2].value).
    """
    zone = zoneinfo.ZoneInfo(time_zone)
    matches = verify(signature, content)
    now = signing.as_signed(content)
    return Shown(
        printed_name=signature.printed_name,
        meaning=signature.meaning,
        meaning_label=signature.get_meaning_display(),
        signed_at_utc=signature.signed_at.astimezone(dt.UTC),
        signed_at_local=signature.signed_at.astimezone(zone),
        time_zone=time_zone,
        record_hash=signature.record_hash,
        matches=matches,
        changed=() if matches else _where_changed(signature, now),
    )


# Each signed kind of record names the function that gives its content now, to compare with
# the content as signed. Apps register theirs in `<app>/signed_records.py`, found by
# `verify_signatures` (autodiscovered, as Django's admin finds `admin.py`).
ContentNow = Callable[[object, Signature], dict]
_CONTENT_NOW: dict[tuple[str, str], ContentNow] = {}


def signed_content(model, *meanings: str):
    """Register the function that gives a signed record's content now (record, signature).

    It must give exactly what the action gave `sign()` when nothing changed since.
    """

    def register(function: ContentNow) -> ContentNow:
        for meaning in meanings:
            if meaning not in Signature.Meaning.values:
                raise ValueError(f"Unknown meaning of a signature: {meaning!r}")
            _CONTENT_NOW[(model._meta.label_lower, meaning)] = function
        return function

    return register


def content_now(signature: Signature, record=None) -> dict | None:
    """Return the signed record's content now, or None when the record is gone.

    A screen that already holds the record passes it, so it is not read again.
    """
    autodiscover_modules("signed_records")
    model = signature.record_type.model_class()
    function = _CONTENT_NOW.get((model._meta.label_lower, signature.meaning))
    if function is None:
        raise LookupError(
            f"No content function for {model._meta.label_lower} signed as {signature.meaning!r}"
        )
    if record is None:
        record = model._base_manager.filter(pk=signature.record_id).first()
    return None if record is None else function(record, signature)


@dataclass(frozen=True)
class Finding:
    """A signature whose record is no longer what was signed (21 CFR 11.70)."""

    signature_id: int
    record: str
    record_id: int
    meaning: str
    printed_name: str
    signed_at: dt.datetime
    changed: tuple[str, ...]

    def __str__(self) -> str:
        where = ", ".join(self.changed)
        return (
            f"{self.record} #{self.record_id}: signature #{self.signature_id} "
            f"({self.meaning} by {self.printed_name}, {self.signed_at:%Y-%m-%d %H:%M} UTC) "
            f"no longer matches the record; changed: {where}"
        )


def verify_signatures(signatures=None) -> list[Finding]:
    """Re-compute every signed record's content hash; return the signatures it no longer matches.

    A record deleted since, a record changed since (by the application, the admin or SQL),
    and a copy of the content edited beside its hash are each a finding.
    """
    found = []
    for signature in (
        (signatures if signatures is not None else Signature.objects.all())
        .order_by("pk")
        .select_related("record_type")
    ):
        now = content_now(signature)
        if now is None:
            changed = ("the record was deleted",)
        elif verify(signature, now):
            continue
        else:
            changed = _where_changed(signature, signing.as_signed(now))
        found.append(
            Finding(
                signature_id=signature.pk,
                record=signature.record_type.model_class()._meta.label,
                record_id=signature.record_id,
                meaning=signature.meaning,
                printed_name=signature.printed_name,
                signed_at=signature.signed_at.astimezone(dt.UTC),
                changed=changed,
            )
        )
    return found


def shown_signatures(record, *, time_zone: str = "UTC", meaning: str | None = None) -> list[Shown]:
    """Every signature of the record as screens and printouts show it, each checked against
    the record's content now (the content function registered for its kind and meaning)."""
    return [
        shown(signature, content_now(signature, record) or {}, time_zone=time_zone)
        for signature in signatures_of(record, meaning=meaning)
    ]
