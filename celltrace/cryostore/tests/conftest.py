"""A small store at the test site: an LN2 tank, a rack, a 3 x 3 box; lots to put in it."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from celltrace.cryostore.actions import add_container, record_storage_consent
from celltrace.cryostore.models import Container
from celltrace.lab.actions import create_donor_lot, start_autologous_lot
from celltrace.lab.tests.helpers import make_donor, product
from testkit.journey import make_patient, make_plan


def build_store(site, technician, prefix="T1"):
    tank = add_container(site, technician, kind="ln2_tank", label="Tank 1", code=prefix)
    rack = add_container(
        site, technician, kind="rack", label="Rack A", code=f"{prefix}-RA", parent=tank
    )
    box = add_container(
        site, technician, kind="box", label="Box 1", code=f"{prefix}-B1", parent=rack,
        rows=3, columns=3,
    )  # fmt: skip
    return SimpleNamespace(
        tank=tank, rack=rack, box=box, a1=position(box, "A01"), a2=position(box, "A02")
    )


def position(box, place) -> Container:
    return Container.objects.get(code=f"{box.code}-{place}")


@pytest.fixture
def store(site, lab_technician, catalog):
    return build_store(site, lab_technician)


@pytest.fixture
def donor_lot(site, lab_technician, doctor, catalog):
    return create_donor_lot(
        site,
        lab_technician,
        product=product("msc-uc-allo"),
        donor=make_donor(site, lab_technician, code="UC-0042", determiner=doctor),
        made_at=timezone.now() - dt.timedelta(hours=3),
    )


@pytest.fixture
def second_lot(site, lab_technician, doctor, catalog):
    return create_donor_lot(
        site,
        lab_technician,
        product=product("msc-uc-allo"),
        donor=make_donor(site, lab_technician, code="UC-0043", determiner=doctor),
        made_at=timezone.now() - dt.timedelta(hours=2),
    )


@pytest.fixture
def autologous_lot(site, doctor, lab_technician, catalog):
    plan = make_plan(make_patient(site), doctor, product="msc-bm-auto")
    return start_autologous_lot(
        plan,
        lab_technician,
        product=product("msc-bm-auto"),
        harvested_at=timezone.now() - dt.timedelta(hours=3),
    )


def consent_for(lot, user, *, days=365):
    today = timezone.localdate()
    return record_storage_consent(
        lot.source_patient, user, given_on=today, storage_until=today + dt.timedelta(days=days)
    )
