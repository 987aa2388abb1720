import datetime as dt

from celltrace.cryostore.models import Container, Placement, TemperatureAlarm
from celltrace.cryostore.store import silent_units, storage_units
from celltrace.lab.models import ProductLot


def test_the_demo_store_has_a_tank_racks_and_boxes_with_stored_and_thawed_lots(demo):
    tank = Container.objects.get(code="LIS-T1", kind="ln2_tank")
    assert tank.children.filter(kind="rack").count() == 2
    assert Container.objects.filter(kind="position", parent__parent__parent=tank).count() == 162
    assert Placement.objects.filter(removed_at__isnull=True).count() == 2
    thawed = ProductLot.objects.get(thawed_at__isnull=False)
    assert not thawed.placements.filter(removed_at__isnull=True).exists()
    assert thawed.expires_at <= thawed.thawed_at + dt.timedelta(hours=24)


def test_the_demo_tank_has_one_acknowledged_excursion_and_the_freezer_went_silent(demo):
    alarm = TemperatureAlarm.objects.get()
    assert alarm.acknowledged_at is not None and alarm.comment
    assert alarm.reading.celsius > -150
    silent = silent_units(storage_units(Container.objects.all()))
    assert [s.unit.code for s in silent] == ["LIS-F1"]
