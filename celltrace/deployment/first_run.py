"""A deployment's first site and first administrator: every answer checked before any write."""

from dataclasses import asdict, dataclass, field

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Q

from celltrace.accounts.models import Role, Site, User
from celltrace.deployment.starting import load_starting_policy
from celltrace.refusal import Refused


@dataclass(frozen=True)
class FirstSite:
    code: str
    name: str
    country: str
    time_zone: str
    currency: str
    receives_public_requests: bool
    isbt_fin: str = ""


@dataclass(frozen=True)
class FirstAdmin:
    username: str
    email: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class Installed:
    """What the database holds already: nothing before the first migration."""

    site_codes: tuple[str, ...] = ()
    admin_usernames: tuple[str, ...] = ()
    public_site_codes: tuple[str, ...] = ()


def clean_site_field(name: str, value: str) -> str:
    """Return the value for a site field, or raise ValidationError saying what is wrong."""
    value = value.strip().upper() if name in ("currency", "isbt_fin") else value.strip()
    return Site._meta.get_field(name).clean(value, None)


def clean_username(value: str) -> str:
    return User._meta.get_field("username").clean(value.strip(), None)


def clean_email(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationError("The administrator needs an e-mail address.")
    validate_email(value)
    return value


def check_password(password: str, *, username: str, email: str) -> None:
    """Apply the deployment's password rules (settings.AUTH_PASSWORD_VALIDATORS)."""
    validate_password(password, User(username=username, email=email))


def installed() -> Installed:
    """Return the sites and administrators there are, reading only what every schema has."""
    if Site._meta.db_table not in connection.introspection.table_names():
        return Installed()
    sites = Site.objects.order_by("pk")
    admins = User.objects.filter(Q(role=Role.ADMIN) | Q(is_superuser=True)).order_by("pk")
    return Installed(
        site_codes=tuple(sites.values_list("code", flat=True)),
        admin_usernames=tuple(admins.values_list("username", flat=True)),
        public_site_codes=tuple(
            sites.filter(receives_public_requests=True).values_list("code", flat=True)
        ),
    )


def check_not_taken(site: FirstSite | None, admin: FirstAdmin | None) -> None:
    """Refuse a site code or user name the deployment has already."""
    if Site._meta.db_table not in connection.introspection.table_names():
        return
    if site and Site.objects.filter(code=site.code).exists():
        raise Refused(
            f"A site with the code {site.code!r} exists already; nothing was changed. "
            "Change a site in Administration > Sites, or give a new one another code.",
            code="site_exists",
            params={"site": site.code},
        )
    if site and site.isbt_fin and Site.objects.filter(isbt_fin=site.isbt_fin).exists():
        raise Refused(
            f"A site with the ISBT 128 FIN {site.isbt_fin} exists already; nothing was "
            "changed. A FIN names one facility: check the number ICCBBA assigned.",
            code="fin_exists",
            params={"fin": site.isbt_fin},
        )
    if admin and User.objects.filter(username=admin.username).exists():
        raise Refused(
            f"A user named {admin.username!r} exists already; nothing was changed. "
            "Choose another name for a new administrator.",
            code="user_exists",
            params={"username": admin.username},
        )


@transaction.atomic
def create_first_site_and_admin(site: FirstSite | None, admin: FirstAdmin | None) -> None:
    """Load the starting policy where it is missing, then add the site and the administrator."""
    check_not_taken(site, admin)
    load_starting_policy()
    if site:
        Site.objects.create(**asdict(site))
    if admin:
        User.objects.create_superuser(admin.username, admin.email, admin.password)
