"""Electronic signatures bound to their record (21 CFR 11.70): a hash of its canonical content.

The signed record is given as plain data (a dict of strings, numbers, booleans, None, lists,
dicts, dates and aware datetimes). It is written as canonical JSON, so the same content
gives the same bytes on every machine and every day, and hashed with SHA-256. Comparing
the hash kept with the signature to a hash of the record as it is now tells whether the
record changed after signing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

# The name of the method below, kept with every signature: a later method gets a new name
# and old signatures are still checked with the method they were made with.
METHOD = "sha256-canonical-json-v1"

# 21 CFR 11.300(d): attempts at unauthorised use are stopped and reported.
MAX_WRONG_PASSWORDS = 5
LOCKOUT_WINDOW = dt.timedelta(minutes=15)


def _plain(value):
    """Turn the values JSON has no type for into text that sorts and compares the same."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"A signed record holds aware times only, not {value!r}.")
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"A signed record cannot hold {type(value).__name__}: {value!r}.")


def canonical_json(content: dict) -> str:
    """Return the content as JSON with sorted keys, no spaces and times in UTC."""
    return json.dumps(
        content,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        default=_plain,
    )


def content_hash(content: dict) -> str:
    """Return the SHA-256 hex digest of the content's canonical JSON."""
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def matches(recorded_hash: str, content: dict) -> bool:
    """Tell whether the content is still what was signed."""
    return hmac.compare_digest(recorded_hash, content_hash(content))


def as_signed(content: dict) -> dict:
    """Return the content as kept with the signature: its canonical JSON read back."""
    return json.loads(canonical_json(content))


def differences(signed, now, path: str = "") -> list[str]:
    """Return where the content now differs from the content as signed, e.g. qc_results[2].value.

    Both sides are compared in their signed form (see as_signed); a key or list item that is
    on one side only is named itself.
    """
    if isinstance(signed, dict) and isinstance(now, dict):
        keys = sorted(set(signed) | set(now))
        pairs = [
            (f"{path}.{key}" if path else key, signed.get(key, _NONE), now.get(key, _NONE))
            for key in keys
        ]
    elif isinstance(signed, list) and isinstance(now, list):
        pairs = [
            (f"{path}[{index}]", _item(signed, index), _item(now, index))
            for index in range(max(len(signed), len(now)))
        ]
    else:
        return [] if signed == now else [path or "the whole record"]
    found = []
    for where, before, after in pairs:
        if before is _NONE or after is _NONE:
            found.append(where)
        else:
            found += differences(before, after, where)
    return found


_NONE = object()


def _item(items: list, index: int):
    return items[index] if index < len(items) else _NONE


@dataclass(frozen=True, slots=True)
class Lockout:
    until: dt.datetime
    wrong_passwords: int


def lockout(
    wrong_password_times: Iterable[dt.datetime],
    *,
    now: dt.datetime,
    last_signed_at: dt.datetime | None = None,
) -> Lockout | None:
    """Return the lockout in force after too many wrong passwords, or None.

    Counts the wrong passwords of the last LOCKOUT_WINDOW since the user's last signature:
    the fifth locks signing until the window has passed since the oldest one counted.
    """
    since = now - LOCKOUT_WINDOW
    if last_signed_at is not None:
        since = max(since, last_signed_at)
    recent = sorted(moment for moment in wrong_password_times if moment > since)
    if len(recent) < MAX_WRONG_PASSWORDS:
        return None
    return Lockout(until=recent[-MAX_WRONG_PASSWORDS] + LOCKOUT_WINDOW, wrong_passwords=len(recent))
