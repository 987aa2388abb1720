"""Who may see and change what: every view and API endpoint asks here.

Two questions, each answered in one place: does the user's role admit this screen
(`role_required`, `require_role`), and is this record at a site the user works at
(`scope_to_site`, `get_for_user`). Each app's own `access.py` builds on these.
"""

from collections.abc import Iterable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja.security import SessionAuth

from celltrace.accounts.models import Role
from celltrace.refusal import NotAllowed

STAFF = frozenset(Role.values) - {Role.PATIENT}
CLINICAL_STAFF = frozenset({Role.DOCTOR, Role.NURSE, Role.COORDINATOR, Role.MANAGER, Role.ADMIN})


def has_role(user, roles: Iterable[str]) -> bool:
    """Tell whether an active, signed-in user holds one of the roles."""
    return bool(user.is_authenticated and user.is_active and user.role in roles)


def require_role(user, roles: Iterable[str]) -> None:
    """Raise PermissionDenied unless the user holds one of the roles."""
    if user.is_authenticated and not user.role:
        raise PermissionDenied(
            "Your account has no role yet, so no screen is open to it: ask an administrator "
            "to give it one (Administration > Users)."
        )
    if not has_role(user, roles):
        raise PermissionDenied("Your role does not give access to this.")


def role_required(*roles: str):
    """Admit only signed-in users with one of the roles; send others to sign in."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require_role(request.user, roles)
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = frozenset(roles)
        return wrapper

    return decorator


def works_at(user, site_id) -> bool:
    """Tell whether the user works at the site (an administrator works at every site)."""
    return user.sees_every_site or user.site_id == site_id


def describe_roles(roles: Iterable[str]) -> str:
    """Name roles for a sentence: "a doctor or a nurse"."""
    roles = set(roles)
    names = [Role(role).label.lower() for role in Role.values if role in roles]
    names = [f"{'an' if name[0] in 'aeiou' else 'a'} {name}" for name in names]
    return " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 2 else names)


def check_role(user, roles: Iterable[str], action: str) -> None:
    """Refuse the action unless the active user holds one of the roles."""
    if not has_role(user, roles):
        raise NotAllowed(
            f"Only {describe_roles(roles)} may {action}.",
            code="role_not_allowed",
            params={"action": action, "roles": ",".join(sorted(roles))},
        )


def check_actor(user, roles: Iterable[str], action: str, *, site_id: int) -> None:
    """Refuse the action unless the user holds one of the roles and works at the record's site.

    Every action on a site's records calls this first, so a wrong role or a wrong site gets
    the same answer whichever door (screen, API, script) the call came through.
    """
    check_role(user, roles, action)
    if not works_at(user, site_id):
        raise NotAllowed(
            f"This record belongs to another site: you may {action} only at your own site.",
            code="other_site",
            params={"action": action},
        )


def scope_to_site(queryset, user, *, site_field: str = "site"):
    """Keep only the rows at the user's site (all rows for an administrator)."""
    if user.sees_every_site:
        return queryset
    if user.site_id is None:
        return queryset.none()
    return queryset.filter(**{f"{site_field}_id": user.site_id})


def get_for_user(queryset, user, pk, *, site_field: str):
    """Return one row of the queryset at the user's site, or 404."""
    try:
        return scope_to_site(queryset, user, site_field=site_field).get(pk=pk)
    except (ValueError, TypeError, queryset.model.DoesNotExist):
        raise Http404("Not found at your site.") from None


class RoleSession(SessionAuth):
    """API authentication that also checks the role, before the request body is even read."""

    def __init__(self, roles: Iterable[str]):
        super().__init__()
        self.roles = frozenset(roles)

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None:
            require_role(user, self.roles)
        return user
