"""Prepare the demo clinic: migrate, load the catalog, create staff logins, generate patients."""

from django.core.management import call_command
from django.db import transaction

from celltrace.accounts.models import Role, Site, User

DEMO_PASSWORD = "celltrace-demo"  # noqa: S105 - printed on screen; the demo refuses to run in production
DEMO_SEED = 2026


def prepare_demo(*, reset: bool) -> list[tuple[str, str, str]]:
    """Make the demo database ready and return (role, username, password) for each login."""
    if reset:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", interactive=False, verbosity=0)
    if not Site.objects.exists():
        _populate()
    return [
        (user.get_role_display(), user.username, DEMO_PASSWORD)
        for user in User.objects.filter(username__startswith="demo-").order_by("pk")
    ]


@transaction.atomic
def _populate() -> None:
    from celltrace.demo.clinic import generate_clinic
    from celltrace.deployment.starting import load_starting_policy

    load_starting_policy()  # after --reset's flush, the migration's rule set is gone too
    lisbon = Site.objects.create(
        code="lisbon", name="Lisbon clinic", country="Portugal", receives_public_requests=True
    )
    nicosia = Site.objects.create(code="nicosia", name="Nicosia clinic", country="Cyprus")
    staff = {}
    for role in Role:
        if role == Role.PATIENT:
            continue
        staff[role] = User.objects.create_user(
            username=f"demo-{role.value.replace('_', '-')}",
            password=DEMO_PASSWORD,
            role=role,
            site=None if role == Role.ADMIN else lisbon,
            first_name="Demo",
            last_name=role.label,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
    # A second reviewer, so a lot made by one technician can be released by another person.
    staff["second_doctor"] = User.objects.create_user(
        username="demo-doctor-2",
        password=DEMO_PASSWORD,
        role=Role.DOCTOR,
        site=lisbon,
        first_name="Demo",
        last_name="Doctor Two",
    )
    generate_clinic(sites=[lisbon, nicosia], staff=staff, seed=DEMO_SEED)
