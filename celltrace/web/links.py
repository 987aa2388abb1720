"""May this user open that screen? Answered from the view's own `role_required` decision.

Links are shown only when their view admits the user, so a page never offers a link that
answers 403, and the two can never disagree: the roles are written once, on the view.
"""

from collections.abc import Callable
from functools import cache

from django.urls import NoReverseMatch, Resolver404, URLResolver, get_resolver, get_urlconf, resolve

from celltrace.accounts.access import has_role

_ADMIN_NAMESPACE = "admin"


def may_open(user, target: str) -> bool:
    """Tell whether the user may open a URL name ("lab:lots") or a path on this site ("/lab/")."""
    if target.startswith("/"):
        try:
            match = resolve(target.split("?")[0])
        except Resolver404:
            return False
        view, admin = match.func, _ADMIN_NAMESPACE in match.namespaces
    else:
        view, admin = _view_named(target), target.startswith(f"{_ADMIN_NAMESPACE}:")
    if admin:
        # Django's admin site admits active staff accounts (AdminSite.has_permission).
        return bool(user.is_active and user.is_staff)
    roles = getattr(view, "allowed_roles", None)
    return roles is None or has_role(user, roles)


def _view_named(name: str) -> Callable:
    try:
        return _views_by_name(get_urlconf())[name]
    except KeyError:
        raise NoReverseMatch(f"No view is named {name!r}.") from None


@cache
def _views_by_name(urlconf) -> dict[str, Callable]:
    """Map every URL name, with its namespaces ("intake:queue"), to its view."""
    views = {}

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                walk(pattern.url_patterns, namespace)
            elif pattern.name:
                views.setdefault(f"{prefix}{pattern.name}", pattern.callback)

    walk(get_resolver(urlconf).url_patterns, "")
    return views
