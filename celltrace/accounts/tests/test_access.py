"""The access rules every screen, endpoint and action builds on, one condition at a time."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from celltrace.accounts.access import (
    STAFF,
    check_actor,
    check_role,
    describe_roles,
    get_for_user,
    has_role,
    require_role,
    role_required,
    scope_to_site,
)
from celltrace.accounts.models import Role, User
from celltrace.patients.access import get_patient_for_user, patients_for_user
from celltrace.refusal import NotAllowed, Refused
from testkit.journey import make_patient

PACKAGE = Path(__file__).resolve().parents[2]


def test_roles_are_named_as_in_a_sentence():
    assert describe_roles({Role.DOCTOR}) == "a doctor"
    assert describe_roles({Role.NURSE, Role.DOCTOR}) == "a doctor or a nurse"
    assert describe_roles({Role.ADMIN, Role.ADVISOR, Role.MANAGER}) == (
        "a medical advisor, a clinic manager or an administrator"
    )


def test_an_inactive_user_holds_no_role(doctor):
    doctor.is_active = False
    assert not has_role(doctor, {Role.DOCTOR})


def test_a_wrong_role_is_refused_with_a_code_and_as_a_permission_error(nurse):
    with pytest.raises(NotAllowed) as caught:
        check_role(nurse, {Role.DOCTOR}, "sign a screening decision")
    assert caught.value.code == "role_not_allowed"
    assert caught.value.message == "Only a doctor may sign a screening decision."
    assert isinstance(caught.value, PermissionDenied)
    assert isinstance(caught.value, Refused)


def test_a_user_of_another_site_is_refused_on_this_sites_records(doctor, other_site):
    with pytest.raises(NotAllowed) as caught:
        check_actor(doctor, {Role.DOCTOR}, "screen a patient", site_id=other_site.pk)
    assert caught.value.code == "other_site"
    assert "another site" in caught.value.message


def test_a_user_of_the_same_site_with_the_role_may_act(doctor):
    check_actor(doctor, {Role.DOCTOR}, "screen a patient", site_id=doctor.site_id)


def test_an_administrator_works_at_every_site(admin_user, other_site):
    check_actor(admin_user, {Role.ADMIN}, "publish rules", site_id=other_site.pk)


def test_a_user_without_a_site_sees_no_sites_records(site, catalog):
    make_patient(site)
    siteless = User.objects.create_user("nosite", role=Role.DOCTOR, site=None)
    assert not scope_to_site(type(site).objects.all(), siteless, site_field="pk").exists()
    assert not patients_for_user(siteless).exists()


def test_another_sites_record_answers_404_not_403(doctor, other_site, catalog):
    theirs = make_patient(other_site)
    with pytest.raises(Http404):
        get_patient_for_user(doctor, theirs.pk)
    with pytest.raises(Http404):
        get_for_user(type(theirs).objects.all(), doctor, theirs.pk, site_field="site")
    with pytest.raises(Http404):
        get_patient_for_user(doctor, "not-a-number")


def test_a_patient_sees_only_their_own_record(site, catalog):
    portal = User.objects.create_user("pat", role=Role.PATIENT, site=site)
    mine = make_patient(site, portal_user=portal)
    make_patient(site)
    assert list(patients_for_user(portal)) == [mine]


def test_a_screen_sends_the_anonymous_to_sign_in_and_refuses_a_wrong_role(nurse, doctor):
    @role_required(Role.DOCTOR)
    def screen(request):
        return "shown"

    request = RequestFactory().get("/somewhere/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert screen(request).status_code == 302
    request.user = nurse
    with pytest.raises(PermissionDenied):
        screen(request)
    request.user = doctor
    assert screen(request) == "shown"
    assert screen.allowed_roles == {Role.DOCTOR}


def _actions() -> list[tuple[str, ast.FunctionDef]]:
    found = []
    for path in sorted(PACKAGE.glob("*/actions.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            atomic = any("atomic" in ast.unparse(d) for d in getattr(node, "decorator_list", []))
            if isinstance(node, ast.FunctionDef) and atomic and not node.name.startswith("_"):
                found.append((f"{path.parent.name}.{node.name}", node))
    return found


# The public consultation form is the one write that nobody signs in for.
PUBLIC_ACTIONS = {"intake.submit_request"}


def test_every_action_checks_the_role_and_site_the_same_way():
    actions = _actions()
    assert len(actions) > 20
    unchecked = [
        name
        for name, node in actions
        if name not in PUBLIC_ACTIONS
        and not any(
            isinstance(call, ast.Call)
            and ast.unparse(call.func).split(".")[-1]
            in {"check_actor", "check_role", "_check_may_act", "_check_recorder"}
            for call in ast.walk(node)
        )
    ]
    assert unchecked == []


def test_every_public_writer_of_an_app_is_one_transaction():
    """A public function of actions.py that saves is an atomic action: its select_for_update
    locks and its all-or-nothing writes need the transaction (SQLite would not complain)."""
    loose = []
    for path in sorted(PACKAGE.glob("*/actions.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            atomic = any("atomic" in ast.unparse(d) for d in node.decorator_list)
            writes = any(
                isinstance(call, ast.Call)
                and ast.unparse(call.func).split(".")[-1] in {"save_by", "select_for_update"}
                for call in ast.walk(node)
            )
            if writes and not atomic:
                loose.append(f"{path.parent.name}.{node.name}")
    assert loose == []


def test_every_refusal_carries_a_code():
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            refusal = ast.unparse(node.func) in {"Refused", "NotAllowed", "TooManyRequests"}
            if refusal and not any(keyword.arg == "code" for keyword in node.keywords):
                missing.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert missing == []


def test_a_user_without_a_role_is_told_to_ask_an_administrator(db):
    user = User.objects.create_user("newcomer", password="x")
    with pytest.raises(PermissionDenied, match="no role yet.*ask an administrator"):
        require_role(user, STAFF)


def test_a_user_with_another_role_is_told_the_role_does_not_give_access(site):
    user = User.objects.create_user("nurse", password="x", role=Role.NURSE, site=site)
    with pytest.raises(PermissionDenied, match="Your role does not give access"):
        require_role(user, {Role.DOCTOR})
