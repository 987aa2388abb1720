"""The shared test clinic: two sites, the starting catalog and one named user per role."""

import contextlib
import datetime as dt
import os
import time

import pytest
import time_machine
from django.db.models.signals import post_migrate
from django.dispatch import receiver
from hypothesis import settings
from pytest_django.plugin import blocking_manager_key

from celltrace.accounts.models import Role, Site, User
from testkit import PASSWORD
from testkit.signin import sign_in

# Hypothesis fails an example slower than 200 ms by default: a timed assertion, which a loaded
# machine breaks at random. Speed is measured by benchmarks/, never by tests.
settings.register_profile("celltrace", deadline=None)
settings.load_profile("celltrace")


@pytest.fixture(scope="session", autouse=True)
def _the_clinic_clock_reads_noon():
    """Run the tests at noon of today's date (UTC), the clock ticking on from there.

    A test that makes a lot "three hours ago" and looks for it on today's list is right at
    14:00 and wrong at 00:30: the midnight between is a fact of the calendar, not a fault.
    Midnight itself is tested on purpose (stays/tests/test_site_day.py and its kin); every
    other test, and every fixture however widely shared (the demo clinic), reads the same
    hours of the day wherever and whenever CI runs it. A test may travel further with the
    time_machine fixture.
    """
    today = dt.datetime.now(dt.UTC).date()
    with time_machine.travel(dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture(scope="module", autouse=True)
def _the_real_clock_for_a_module(request):
    """A module marked real_clock compares with a clock outside this process (a server it
    started): its fixtures and tests read the real time."""
    marks = getattr(request.module, "pytestmark", [])
    marks = marks if isinstance(marks, list) else [marks]
    with _real_clock(any(m.name == "real_clock" for m in marks)):
        yield


@pytest.fixture(autouse=True)
def _the_real_clock_for_a_test(request):
    """A test marked real_clock compares with a clock outside this process (files'
    modification times): it reads the real time."""
    with _real_clock(any(m.name == "real_clock" for m in request.node.own_markers)):
        yield


@contextlib.contextmanager
def _real_clock(wanted: bool):
    if not wanted:
        yield
        return
    with time_machine.travel(time_machine.escape_hatch.time.time(), tick=True):
        time.time()  # a travelling clock starts to tick when first read: read it now
        yield


@pytest.fixture
def site(db):
    return Site.objects.create(
        code="lisbon",
        name="Lisbon clinic",
        country="Portugal",
        receives_public_requests=True,
        isbt_fin="X9991",
    )


@pytest.fixture
def other_site(db):
    return Site.objects.create(
        code="nicosia", name="Nicosia clinic", country="Cyprus", isbt_fin="X9992"
    )


def _load_starting_catalog() -> None:
    from celltrace.deployment.starting import load_starting_policy

    load_starting_policy()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the starting catalog and rule set once, into the database every test starts from."""
    global _flushed
    with django_db_blocker.unblock():
        _load_starting_catalog()
    _flushed = False


@pytest.fixture
def catalog(db):
    """The starting catalog and rule set (loaded once per session, see django_db_setup)."""


# A test on a transactional database (the browser journey, the demo) empties every table
# when it ends, the catalog with them; Django's flush then sends post_migrate. Reload the
# catalog after such a test, so the next one starts from the same database as the rest.
_flushed = False


@receiver(post_migrate)
def _note_flush(**kwargs):
    global _flushed
    _flushed = True


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    global _flushed
    if _flushed and nextitem is not None and blocking_manager_key in item.config.stash:
        _flushed = False
        with item.config.stash[blocking_manager_key].unblock():
            _load_starting_catalog()


def _user(username, role, site, **fields):
    return User.objects.create_user(
        username=username, password=PASSWORD, role=role, site=site, **fields
    )


@pytest.fixture
def advisor(site):
    return _user("alice.advisor", Role.ADVISOR, site, first_name="Alice", last_name="Advisor")


@pytest.fixture
def doctor(site):
    return _user("dan.doctor", Role.DOCTOR, site, first_name="Dan", last_name="Doctor")


@pytest.fixture
def second_doctor(site):
    return _user("dora.doctor", Role.DOCTOR, site, first_name="Dora", last_name="Doctor")


@pytest.fixture
def lab_technician(site):
    return _user("lena.lab", Role.LAB_TECHNICIAN, site, first_name="Lena", last_name="Lab")


@pytest.fixture
def quality_reviewer(site):
    return _user("quinn.quality", Role.QUALITY_REVIEWER, site, first_name="Quinn")


@pytest.fixture
def nurse(site):
    return _user("nora.nurse", Role.NURSE, site, first_name="Nora", last_name="Nurse")


@pytest.fixture
def coordinator(site):
    return _user("cole.coordinator", Role.COORDINATOR, site, first_name="Cole")


@pytest.fixture
def manager(site):
    return _user("mia.manager", Role.MANAGER, site, first_name="Mia")


@pytest.fixture
def admin_user(site):
    return _user("ada.admin", Role.ADMIN, None, first_name="Ada", is_staff=True, is_superuser=True)


@pytest.fixture
def other_site_doctor(other_site):
    return _user("omar.doctor", Role.DOCTOR, other_site, first_name="Omar")


@pytest.fixture
def task_queue(settings):
    """Choose the task backend for one test (the suite's runs tasks at once)."""
    from asgiref.local import Local
    from django.tasks import task_backends

    def forget():
        task_backends.__dict__.pop("settings", None)
        task_backends._connections = Local(task_backends.thread_critical)

    def use(backend: str):
        settings.TASKS = {"default": {"BACKEND": backend}}
        forget()
        return task_backends["default"]

    yield use
    forget()


@pytest.fixture
def client_for(client):
    """Return a test client signed in as the given user (staff: second factor confirmed)."""

    def signed_in(user):
        return sign_in(client, user)

    return signed_in


DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


def uses_database(item) -> bool:
    """Tell whether a test touches a database (a fixture, the django_db or database mark)."""
    fixtures = set(getattr(item, "fixturenames", ()))
    marked = any(item.get_closest_marker(name) for name in ("django_db", "database"))
    return bool(fixtures & DATABASE_FIXTURES) or marked


def pytest_collection_modifyitems(config, items):
    """With CELLTRACE_DATABASE_TESTS_ONLY=true, run only the tests that touch the database.

    CI runs the whole suite on SQLite, then again on PostgreSQL: the second run needs only
    the tests a database can change.
    """
    if os.environ.get("CELLTRACE_DATABASE_TESTS_ONLY", "").lower() not in ("1", "true", "yes"):
        return
    kept = [item for item in items if uses_database(item)]
    config.hook.pytest_deselected(items=[item for item in items if not uses_database(item)])
    items[:] = kept
