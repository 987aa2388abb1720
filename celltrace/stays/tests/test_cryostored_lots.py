"""The bedside gate refuses a lot still in the cryostore, or out of it but still frozen."""

import datetime as dt

import pytest
from django.utils import timezone

from celltrace.cryostore.actions import add_container, deposit_lot, retrieve_lot, thaw_lot
from celltrace.cryostore.models import Container
from celltrace.refusal import Refused
from celltrace.stays.actions import record_administration
from celltrace.stays.models import Administration


@pytest.fixture
def position(site, lab_technician):
    tank = add_container(site, lab_technician, kind="ln2_tank", label="Tank", code="T9")
    add_container(
        site, lab_technician, kind="box", label="Box", code="T9-B", parent=tank, rows=1, columns=1
    )
    return Container.objects.get(code="T9-B-A01")


def _refused(nurse, bedside) -> str:
    with pytest.raises(Refused) as refusal:
        record_administration(nurse, **bedside)
    assert not Administration.objects.exists()
    return refusal.value.message


def test_a_stored_lot_is_given_only_after_retrieval_and_thaw(
    ward, nurse, bedside, position, lab_technician
):
    deposit_lot(ward.lot, position, lab_technician)
    assert f"Lot {ward.lot.code} is still in cryostorage (T9-B-A01)" in _refused(nurse, bedside)

    retrieve_lot(ward.lot, lab_technician)
    assert f"Lot {ward.lot.code} is frozen: the lab records its thaw first." in _refused(
        nurse, bedside
    )

    thaw_lot(ward.lot, lab_technician, thawed_at=timezone.now())
    assert f"The time given is before lot {ward.lot.code} was thawed" in _refused(
        nurse, {**bedside, "given_at": timezone.now() - dt.timedelta(minutes=5)}
    )
    given = record_administration(nurse, **{**bedside, "given_at": timezone.now()})
    assert given.lot == ward.lot
