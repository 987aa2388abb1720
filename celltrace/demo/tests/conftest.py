"""One demo clinic for every test of this package: building it is the expensive part."""

import pytest
from django.core.management import call_command

from celltrace.demo.setup import prepare_demo


@pytest.fixture(scope="package")
def demo_clinic(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        logins = prepare_demo(reset=False)
        yield logins
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(demo_clinic, db):
    return demo_clinic
