"""The first site and administrator: checked field by field, never created twice."""

import pytest
from django.core.exceptions import ValidationError

from celltrace.accounts.models import Role, Site, User
from celltrace.deployment import first_run
from celltrace.deployment.first_run import FirstAdmin, FirstSite
from celltrace.refusal import Refused

LISBON = FirstSite("lisbon", "Lisbon clinic", "Portugal", "Europe/Lisbon", "EUR", True)
ADA = FirstAdmin("ada", "ada@example.org", "a-long-admin-passphrase-42")


def test_it_creates_the_site_and_an_administrator_who_can_sign_in(db, client):
    first_run.create_first_site_and_admin(LISBON, ADA)

    site = Site.objects.get()
    assert (site.code, site.time_zone, site.currency) == ("lisbon", "Europe/Lisbon", "EUR")
    assert site.receives_public_requests
    admin = User.objects.get()
    assert (admin.role, admin.site, admin.is_staff, admin.is_superuser) == (
        Role.ADMIN, None, True, True,
    )  # fmt: skip
    signed_in = client.post("/login/", {"username": "ada", "password": ADA.password})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/dashboard/"
    assert first_run.installed() == first_run.Installed(("lisbon",), ("ada",), ("lisbon",))


def test_it_refuses_a_site_code_that_exists_and_changes_nothing(db):
    first_run.create_first_site_and_admin(LISBON, None)
    again = FirstSite("lisbon", "Other", "Portugal", "UTC", "EUR", False)

    with pytest.raises(Refused, match="'lisbon' exists already; nothing was changed"):
        first_run.create_first_site_and_admin(again, ADA)

    assert Site.objects.get().name == "Lisbon clinic"
    assert not User.objects.exists()


def test_it_refuses_a_user_name_that_exists_and_changes_nothing(db):
    User.objects.create_user("ada", password="x", role=Role.ADVISOR)

    with pytest.raises(Refused, match="user named 'ada' exists already"):
        first_run.create_first_site_and_admin(LISBON, ADA)

    assert not Site.objects.exists()


def test_site_answers_are_checked_as_the_model_checks_them():
    assert first_run.clean_site_field("currency", " eur ") == "EUR"
    assert first_run.clean_site_field("time_zone", "Asia/Nicosia") == "Asia/Nicosia"
    for field, value in [("time_zone", "Asia/Nicosa"), ("code", "two words"), ("name", "")]:
        with pytest.raises(ValidationError):
            first_run.clean_site_field(field, value)


def test_administrator_answers_are_checked():
    assert first_run.clean_email(" ada@example.org ") == "ada@example.org"
    with pytest.raises(ValidationError, match="needs an e-mail"):
        first_run.clean_email("")
    with pytest.raises(ValidationError):
        first_run.clean_username("ada lovelace")
    with pytest.raises(ValidationError, match="too similar"):
        first_run.check_password("adalovelace", username="adalovelace", email="x@example.org")
