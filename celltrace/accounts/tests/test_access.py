"""A user without a role is told what is missing, not shown a bare refusal."""

import pytest
from django.core.exceptions import PermissionDenied

from celltrace.accounts.access import STAFF, require_role
from celltrace.accounts.models import Role, User


def test_a_user_without_a_role_is_told_to_ask_an_administrator(db):
    user = User.objects.create_user("newcomer", password="x")
    with pytest.raises(PermissionDenied, match="no role yet.*ask an administrator"):
        require_role(user, STAFF)


def test_a_user_with_another_role_is_told_the_role_does_not_give_access(site):
    user = User.objects.create_user("nurse", password="x", role=Role.NURSE, site=site)
    with pytest.raises(PermissionDenied, match="Your role does not give access"):
        require_role(user, {Role.DOCTOR})
