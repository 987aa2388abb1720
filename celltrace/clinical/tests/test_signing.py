import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest

from celltrace.clinical.signing import (
    LOCKOUT_WINDOW,
    as_signed,
    canonical_json,
    content_hash,
    differences,
    lockout,
    matches,
)

LISBON = zoneinfo.ZoneInfo("Europe/Lisbon")
NOW = dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC)


def test_the_same_content_in_another_key_order_gives_the_same_hash():
    first = {"code": "L-1", "results": [{"test": "viability", "value": 91.5}], "site": "lisbon"}
    second = {"site": "lisbon", "results": [{"value": 91.5, "test": "viability"}], "code": "L-1"}
    assert content_hash(first) == content_hash(second)


def test_a_changed_value_changes_the_hash():
    signed = {"results": [{"test": "endotoxin", "value": 0.4, "passed": True}]}
    edited = {"results": [{"test": "endotoxin", "value": 0.41, "passed": True}]}
    assert content_hash(signed) != content_hash(edited)


def test_the_order_of_a_list_counts():
    assert content_hash({"steps": ["harvest", "cultivation"]}) != content_hash(
        {"steps": ["cultivation", "harvest"]}
    )


def test_a_moment_is_written_in_utc_whatever_zone_it_was_read_in():
    utc = dt.datetime(2026, 7, 1, 9, 30, tzinfo=dt.UTC)
    assert content_hash({"at": utc}) == content_hash({"at": utc.astimezone(LISBON)})
    assert canonical_json({"at": utc}) == '{"at":"2026-07-01T09:30:00.000000+00:00"}'


def test_a_time_without_a_zone_cannot_be_signed():
    with pytest.raises(ValueError, match="aware"):
        content_hash({"at": dt.datetime(2026, 7, 1, 9, 30)})


def test_dates_and_decimals_are_written_as_text():
    assert canonical_json({"day": dt.date(2026, 7, 1), "price": Decimal("3900.00")}) == (
        '{"day":"2026-07-01","price":"3900.00"}'
    )


def test_an_impossible_number_or_an_unknown_type_cannot_be_signed():
    with pytest.raises(ValueError):
        content_hash({"value": float("nan")})
    with pytest.raises(TypeError):
        content_hash({"value": object()})


def test_non_ascii_text_is_kept_as_written():
    assert canonical_json({"name": "Zoë Müller"}) == '{"name":"Zoë Müller"}'


def test_matches_tells_whether_the_content_is_still_what_was_signed():
    signed = {"code": "L-1", "passed": True}
    recorded = content_hash(signed)
    assert matches(recorded, dict(signed))
    assert not matches(recorded, {**signed, "passed": False})


def test_the_content_as_signed_reads_back_with_the_same_hash():
    content = {"at": dt.datetime(2026, 7, 1, 9, 30, tzinfo=LISBON), "value": 91.5}
    kept = as_signed(content)
    assert kept == {"at": "2026-07-01T08:30:00.000000+00:00", "value": 91.5}
    assert content_hash(kept) == content_hash(content)


def test_differences_name_each_place_that_changed_after_signing():
    signed = as_signed(
        {
            "lot": {"code": "L-1", "expires_at": NOW},
            "qc_results": [{"test": "viability", "value": 91.5}, {"test": "sterility"}],
        }
    )
    now = as_signed(
        {
            "lot": {"code": "L-1", "expires_at": NOW + dt.timedelta(days=1), "extra": 1},
            "qc_results": [{"test": "viability", "value": 71.5}],
        }
    )
    assert differences(signed, now) == [
        "lot.expires_at",
        "lot.extra",
        "qc_results[0].value",
        "qc_results[1]",
    ]
    assert differences(signed, signed) == []


def minutes_ago(*minutes):
    return [NOW - dt.timedelta(minutes=m) for m in minutes]


def test_four_wrong_passwords_do_not_lock_signing():
    assert lockout(minutes_ago(1, 2, 3, 4), now=NOW) is None


def test_the_fifth_wrong_password_in_fifteen_minutes_locks_signing():
    locked = lockout(minutes_ago(1, 2, 3, 4, 10), now=NOW)
    assert locked is not None
    assert locked.wrong_passwords == 5
    # Locked until the oldest of the five leaves the window.
    assert locked.until == NOW - dt.timedelta(minutes=10) + LOCKOUT_WINDOW


def test_wrong_passwords_older_than_the_window_do_not_count():
    assert lockout(minutes_ago(1, 2, 3, 4, 16), now=NOW) is None


def test_a_signature_since_the_wrong_passwords_starts_the_count_again():
    times = minutes_ago(9, 10, 11, 12, 13)
    assert lockout(times, now=NOW, last_signed_at=NOW - dt.timedelta(minutes=8)) is None
    assert lockout(times, now=NOW, last_signed_at=NOW - dt.timedelta(minutes=14)) is not None
