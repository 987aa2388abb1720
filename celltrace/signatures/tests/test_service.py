"""The signing service: the password typed again, the binding hash, the lockout."""

import ast
import datetime as dt
import pathlib

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from celltrace.refusal import Refused
from celltrace.signatures.models import Signature, WrongPassword
from celltrace.signatures.service import (
    CHANGED,
    UNCHANGED,
    records_wrong_passwords,
    shown,
    sign,
    signatures_of,
    verify,
)
from testkit import PASSWORD

CONTENT = {"code": "L-1", "results": [{"test": "viability", "value": 91.5, "passed": True}]}


@records_wrong_passwords
@transaction.atomic
def sign_a_site(site, user, password, meaning="approval"):
    """A stand-in for an action that signs its record inside its transaction."""
    site.name = "Signed clinic"
    site.save()
    return sign(site, user, password=password, meaning=meaning, content=CONTENT)


def test_a_signature_keeps_the_signers_printed_name_the_meaning_the_time_and_the_hash(site, doctor):
    signature = sign_a_site(site, doctor, PASSWORD)
    assert (signature.signer, signature.printed_name) == (doctor, "Dan Doctor")
    assert signature.get_meaning_display() == "Approval"
    assert abs(signature.signed_at - timezone.now()) < dt.timedelta(seconds=5)
    assert len(signature.record_hash) == 64
    assert signature.record == site
    assert list(signatures_of(site)) == [signature]
    assert signature.history.count() == 1


def test_the_printed_name_stays_as_signed_when_the_account_is_renamed(site, doctor):
    signature = sign_a_site(site, doctor, PASSWORD)
    doctor.last_name = "Renamed"
    doctor.save()
    signature.refresh_from_db()
    assert signature.printed_name == "Dan Doctor"


def test_a_wrong_password_signs_nothing_saves_nothing_and_is_recorded(site, doctor):
    with pytest.raises(Refused) as refusal:
        sign_a_site(site, doctor, "not my password")
    assert refusal.value.code == "wrong_password"
    assert refusal.value.field_errors == {"password": "Wrong password."}
    site.refresh_from_db()
    assert site.name == "Lisbon clinic"  # the action's own write was rolled back
    assert Signature.objects.count() == 0
    assert WrongPassword.objects.filter(user=doctor, meaning="approval").count() == 1


def test_a_missing_password_is_a_wrong_password(site, doctor):
    with pytest.raises(Refused, match="password was not right"):
        sign_a_site(site, doctor, None)
    assert Signature.objects.count() == 0


def test_five_wrong_passwords_in_fifteen_minutes_lock_signing_even_with_the_right_one(site, doctor):
    for _ in range(5):
        with pytest.raises(Refused):
            sign_a_site(site, doctor, "guess")
    with pytest.raises(Refused) as refusal:
        sign_a_site(site, doctor, PASSWORD)
    assert refusal.value.code == "signing_locked"
    assert "locked for 15 minutes" in refusal.value.message
    assert "password" in refusal.value.field_errors
    assert Signature.objects.count() == 0
    # A refusal while locked is not one more wrong password.
    assert WrongPassword.objects.count() == 5


def test_signing_opens_again_once_the_window_has_passed(site, doctor):
    for _ in range(5):
        with pytest.raises(Refused):
            sign_a_site(site, doctor, "guess")
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        assert sign_a_site(site, doctor, PASSWORD).signer == doctor


def test_another_users_wrong_passwords_do_not_lock_this_user(site, doctor, second_doctor):
    for _ in range(5):
        with pytest.raises(Refused):
            sign_a_site(site, second_doctor, "guess")
    assert sign_a_site(site, doctor, PASSWORD).signer == doctor


def test_four_wrong_passwords_then_a_signature_start_the_count_again(site, doctor):
    for _ in range(4):
        with pytest.raises(Refused):
            sign_a_site(site, doctor, "guess")
    sign_a_site(site, doctor, PASSWORD)
    with pytest.raises(Refused) as refusal:
        sign_a_site(site, doctor, "guess")
    assert refusal.value.code == "wrong_password"
    assert sign_a_site(site, doctor, PASSWORD)


def test_an_inactive_account_cannot_sign(site, doctor):
    doctor.is_active = False
    with pytest.raises(Refused, match="inactive"):
        sign_a_site(site, doctor, PASSWORD)


def test_an_unknown_meaning_is_a_programming_error(site, doctor):
    with pytest.raises(ValueError, match="meaning"):
        sign_a_site(site, doctor, PASSWORD, meaning="liked")


def test_verify_tells_whether_the_content_changed_after_signing(site, doctor):
    signature = sign_a_site(site, doctor, PASSWORD)
    assert verify(signature, dict(CONTENT))
    edited = {**CONTENT, "results": [{"test": "viability", "value": 71.5, "passed": True}]}
    assert not verify(signature, edited)


def test_shown_gives_the_time_at_the_site_and_in_utc_and_the_state(site, doctor):
    with time_machine.travel(dt.datetime(2026, 7, 1, 9, 30, tzinfo=dt.UTC), tick=False):
        signature = sign_a_site(site, doctor, PASSWORD)
    seen = shown(signature, CONTENT, time_zone="Europe/Lisbon")
    assert (seen.printed_name, seen.meaning_label) == ("Dan Doctor", "Approval")
    assert seen.signed_at_utc.isoformat() == "2026-07-01T09:30:00+00:00"
    assert seen.signed_at_local.isoformat() == "2026-07-01T10:30:00+01:00"
    assert (seen.matches, seen.state) == (True, UNCHANGED)
    assert shown(signature, {"code": "L-2"}).state == CHANGED


PACKAGE = pathlib.Path(__file__).resolve().parents[2]


def test_every_action_that_signs_records_wrong_passwords_outside_its_transaction():
    """Without the wrapper a wrong password rolls back with the action and is never counted.

    A private helper that signs (plans._approve) is checked through its callers: each must
    be wrapped.
    """
    unwrapped = []
    for path in sorted(PACKAGE.glob("*/actions.py")):
        functions = [
            node
            for node in ast.parse(path.read_text(encoding="utf-8")).body
            if isinstance(node, ast.FunctionDef)
        ]

        def calls(node, name):
            return any(
                isinstance(call, ast.Call) and ast.unparse(call.func).split(".")[-1] == name
                for call in ast.walk(node)
            )

        def wrapped(node):
            decorators = [ast.unparse(d) for d in node.decorator_list]
            return bool(decorators) and decorators[0].endswith("records_wrong_passwords")

        signing = [node for node in functions if calls(node, "sign")]
        helpers = {node.name for node in signing if node.name.startswith("_")}
        signing += [node for node in functions if any(calls(node, h) for h in helpers)]
        for node in signing:
            if node.name not in helpers and not wrapped(node):
                unwrapped.append(f"{path.parent.name}.{node.name}")
    assert unwrapped == []
