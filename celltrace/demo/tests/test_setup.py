"""The demo's logins never keep the cheap hash the build signs with."""

from django.contrib.auth.hashers import check_password, get_hasher
from django.test import override_settings

from celltrace.accounts.models import Role, User
from celltrace.demo.setup import DEMO_PASSWORD, build_hash, full_strength_hash, harden_logins

PBKDF2 = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]


@override_settings(PASSWORD_HASHERS=PBKDF2)
def test_the_build_hash_gives_way_to_the_full_strength_hash_before_anyone_logs_in(db):
    cheap = build_hash(DEMO_PASSWORD)
    assert check_password(DEMO_PASSWORD, cheap)
    assert get_hasher().must_update(cheap)  # fewer iterations than the default
    user = User.objects.create(username="demo-test-nurse", password=cheap, role=Role.NURSE)
    harden_logins(full_strength_hash())
    user.refresh_from_db()
    assert user.password.startswith(f"{get_hasher().algorithm}$")
    assert not get_hasher().must_update(user.password)
