"""Prepare the demo clinic: migrate, build it, and give its sites their staff and logins."""

from django.contrib.auth.hashers import get_hasher, make_password
from django.core.management import call_command

from celltrace.accounts.models import Role, Site, User
from celltrace.audit import save_by

DEMO_PASSWORD = "celltrace-demo"  # noqa: S105 - printed on screen; the demo refuses to run in production
DEMO_SEED = 2026
# Every demo staff login's authenticator secret (TOTP, base32): fixed and printed, so anyone
# can add it to an authenticator app; plainly not a secret anyone would use for real.
DEMO_TOTP_SECRET = "CELLTRACEDEMOSECRETNOTFORREALUSE"  # noqa: S105 - printed on screen
# The FINs are made up for the synthetic clinic; a real lab uses the one ICCBBA assigned it.
SITES = [
    {"code": "lisbon", "name": "Lisbon clinic", "country": "Portugal", "isbt_fin": "X9991"},
    {"code": "nicosia", "name": "Nicosia clinic", "country": "Cyprus", "isbt_fin": "X9992"},
]
STAFF_ROLES = [role for role in Role if role not in (Role.PATIENT, Role.ADMIN)]
# sign_screening checks a doctor's password at every signature. At full strength (1.5 million
# PBKDF2 iterations, over a second each here) the demo's few hundred signatures would take
# minutes, so while the clinic is built its staff carry a one-iteration hash of the same
# password; every login gets the full-strength hash before the transaction commits.
BUILD_ITERATIONS = 1


def prepare_demo(*, reset: bool) -> list[tuple[str, str, str]]:
    """Make the demo database ready and return (role, username, password) for each login."""
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    if reset or not Site.objects.exists():
        # Also on a new database: the migration published rule set version 1 "now", after the
        # clinic's first screenings; the clinic loads it again on its opening day.
        call_command("flush", interactive=False, verbosity=0)
        from celltrace.demo.clinic import build_clinic

        build_clinic(seed=DEMO_SEED)
    return [
        (user.get_role_display(), user.username, DEMO_PASSWORD)
        for user in User.objects.filter(username__startswith="demo-").order_by("pk")
    ]


def open_sites() -> dict[str, Site]:
    """The two sites; the first takes the public consultation requests."""
    sites = {}
    for index, fields in enumerate(SITES):
        sites[fields["code"]] = Site.objects.create(receives_public_requests=index == 0, **fields)
    return sites


def hire_staff(sites: dict[str, Site]) -> tuple[User, dict[str, dict[str, User]]]:
    """Return the administrator and, per site, one user per role and a second doctor."""
    password = build_hash(DEMO_PASSWORD)
    staff, admin = {}, None
    for index, site in enumerate(sites.values()):
        prefix = "demo-" if index == 0 else f"demo-{site.code}-"
        team = {}
        for role in STAFF_ROLES:
            team[role.value] = _user(prefix + role.value, role, site, role.label, password)
            if index == 0 and role == Role.MANAGER:  # the old order of the printed logins
                admin = _user("demo-admin", Role.ADMIN, None, Role.ADMIN.label, password)
        # A second doctor: a screening decision is final with two doctors' signatures.
        team["doctor_2"] = _user(prefix + "doctor-2", Role.DOCTOR, site, "Doctor Two", password)
        # Only the medical director releases a lot that failed QC (set in the admin).
        site.medical_director = team["doctor_2"]
        site.save(update_fields=["medical_director"])
        staff[site.code] = team
    return admin, staff


def _user(username: str, role: Role, site, last_name: str, password: str) -> User:
    return User.objects.create(
        username=username.replace("_", "-"),
        password=password,
        role=role,
        site=site,
        first_name="Demo",
        last_name=last_name,
        # Reserved for examples (RFC 2606): the staff alerts fill the outbox, reaching no one.
        email=f"{username.replace('_', '-')}@demo.invalid",
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )


def create_portal_login(patient, admin, *, username: str | None = "demo-patient") -> User:
    """Give one synthetic patient a portal login: a printed demo login (`username`, the demo
    password), or with None one nobody signs in to (the patient's own, off the demo's list).
    A patient who has a login already keeps it, under the demo's name and password."""
    first, *_, last = patient.full_name.split()
    user = patient.portal_user or User(role=Role.PATIENT, site=patient.site)
    user.username = username or f"portal-{patient.code.lower()}"
    user.password = build_hash(DEMO_PASSWORD) if username else make_password(None)
    user.first_name, user.last_name = first, last
    user.save()
    patient.portal_user = user
    save_by(patient, admin)
    return user


def build_hash(password: str) -> str:
    """Hash the password with the default hasher, cheap to check (see BUILD_ITERATIONS)."""
    hasher = get_hasher()
    if getattr(hasher, "iterations", None) is None:
        return hasher.encode(password, hasher.salt())
    return hasher.encode(password, hasher.salt(), iterations=BUILD_ITERATIONS)


def full_strength_hash() -> str:
    """The demo password under the default hasher at its full strength: every login's hash."""
    return make_password(DEMO_PASSWORD)


def harden_logins(encoded: str) -> None:
    """Give every demo login the full-strength hash of the demo password, staff their TOTP."""
    User.objects.filter(username__startswith="demo-").update(password=encoded)
    from base64 import b32decode

    from django_otp.plugins.otp_totp.models import TOTPDevice

    key = b32decode(DEMO_TOTP_SECRET).hex()
    for user in User.objects.filter(username__startswith="demo-").exclude(role=Role.PATIENT):
        TOTPDevice.objects.create(user=user, name="Demo authenticator", key=key)
