"""Rule sets as versioned data: edited in the admin, loaded from files, never changed once used."""

import json

import pytest
from django.core.management import CommandError, call_command

from celltrace.screening.loading import STARTING, starting_ruleset
from celltrace.screening.models import RuleSet

ADD = "/admin/screening/ruleset/add/"


def test_the_admin_shows_why_a_rule_set_is_invalid_and_saves_nothing(client_for, admin_user):
    rules = [{"id": "bad", "label": "Bad", "kind": "excludes", "test": {"type": "guess"}}]
    data = {"version": 7, "rules": json.dumps(rules), "notes": ""}
    response = client_for(admin_user).post(ADD, data)
    assert response.status_code == 200
    assert "unknown test type" in response.content.decode()
    assert not RuleSet.objects.filter(version=7).exists()


def test_the_admin_saves_a_valid_draft(client_for, admin_user):
    data = {"version": 8, "rules": json.dumps(starting_ruleset().rules), "notes": "Copy"}
    response = client_for(admin_user).post(ADD, data)
    assert response.status_code == 302
    assert RuleSet.objects.get(version=8).status == "draft"


def test_a_published_rule_set_is_read_only_in_the_admin(client_for, admin_user):
    ruleset = starting_ruleset()
    page = client_for(admin_user).get(f"/admin/screening/ruleset/{ruleset.pk}/change/")
    assert page.status_code == 200
    assert 'name="rules"' not in page.content.decode()


def test_the_command_loads_a_new_version_from_a_file(db, tmp_path):
    data = json.loads(STARTING.read_text())
    data["version"] = 5
    path = tmp_path / "v5.json"
    path.write_text(json.dumps(data))
    call_command("load_ruleset", str(path), "--publish", verbosity=0)
    assert RuleSet.objects.get(version=5).status == "published"


def test_the_command_refuses_a_version_already_loaded(db):
    starting_ruleset()
    with pytest.raises(CommandError, match="already loaded"):
        call_command("load_ruleset", str(STARTING), verbosity=0)
