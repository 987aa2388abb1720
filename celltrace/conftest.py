"""The shared test clinic: two sites, the starting catalog and one named user per role."""

import pytest

from celltrace.accounts.models import Role, Site, User

PASSWORD = "correct horse battery staple"  # noqa: S105 - test accounts only


@pytest.fixture
def site(db):
    return Site.objects.create(
        code="lisbon", name="Lisbon clinic", country="Portugal", receives_public_requests=True
    )


@pytest.fixture
def other_site(db):
    return Site.objects.create(code="nicosia", name="Nicosia clinic", country="Cyprus")


@pytest.fixture
def catalog(db):
    from celltrace.deployment.starting import load_starting_policy

    # Tests on a transactional database (the browser test, the demo) empty every table,
    # the migration's rule set version 1 with them: this brings it back for the next test.
    load_starting_policy()


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
def client_for(client):
    """Return a test client signed in as the given user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
