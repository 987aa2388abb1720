"""Sites say where and how they work; an administrator always has the administrator role."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command

from celltrace.accounts.models import Role, Site, User
from testkit.signin import confirm_second_factor

PASSWORD = "a-long-admin-passphrase-42"


def test_a_site_knows_its_time_zone_and_currency(db):
    site = Site(code="lisbon", name="Lisbon clinic", country="Portugal",
                time_zone="Europe/Lisbon", currency="EUR")  # fmt: skip
    site.full_clean()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("time_zone", "Europe/Lisbn", "Not a time zone"),
        ("time_zone", "../../etc/passwd", "Not a time zone"),
        ("currency", "eur", "ISO 4217"),
        ("currency", "EU1", "ISO 4217"),
    ],
)
def test_a_site_refuses_an_unknown_time_zone_or_currency(db, field, value, message):
    site = Site(code="lisbon", name="Lisbon clinic", country="Portugal", **{field: value})
    with pytest.raises(ValidationError) as refused:
        site.full_clean()
    assert message in refused.value.message_dict[field][0]


def test_a_superuser_is_an_administrator_of_every_site(db):
    user = User.objects.create_superuser("ada", "ada@example.org", PASSWORD)
    assert (user.role, user.site, user.is_staff) == (Role.ADMIN, None, True)


def test_a_superuser_cannot_have_another_role_or_a_site(site):
    with pytest.raises(ValueError, match="administrator role"):
        User.objects.create_superuser("dan", "dan@example.org", PASSWORD, role=Role.DOCTOR)
    with pytest.raises(ValueError, match="no site"):
        User.objects.create_superuser("ada", "ada@example.org", PASSWORD, site=site)


def test_createsuperuser_makes_an_administrator_who_reaches_the_dashboard(db, client, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", interactive=False, username="ada", email="a@example.org")

    signed_in = client.post("/login/", {"username": "ada", "password": PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/dashboard/"
    # An administrator is staff: the dashboard opens once the second factor is confirmed.
    assert client.get("/dashboard/")["Location"].startswith("/account/second-factor/")
    confirm_second_factor(client, User.objects.get(username="ada"))
    assert client.get("/dashboard/").status_code == 200


def test_the_migration_gives_roleless_superusers_the_administrator_role(db):
    migration = importlib.import_module(
        "celltrace.accounts.migrations.0002_site_time_zone_currency_and_admin_role"
    )
    User.objects.create_user("old-admin", password=PASSWORD, is_superuser=True, is_staff=True)
    User.objects.create_user("someone", password=PASSWORD)

    migration.give_superusers_the_admin_role(apps, None)

    roles = dict(User.objects.values_list("username", "role"))
    assert roles == {"old-admin": Role.ADMIN, "someone": ""}
