"""The demo clinic's cryostore: an LN2 tank and a freezer at the first site, made by its actions.

Its steps are dated like the stories' (celltrace/demo/stories.py) and replayed among them in
time order: containers first, then donor stock made, frozen and deposited, one lot retrieved
and thawed, a temperature log with one acknowledged excursion, and a freezer whose sensor
went silent. The build's other stories never touch these lots.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.utils import timezone

from celltrace.catalog.models import CellProduct, Source
from celltrace.cryostore.actions import (
    acknowledge_alarm,
    add_container,
    deposit_lot,
    record_reading,
    record_storage_consent,
    retrieve_lot,
    thaw_lot,
)
from celltrace.cryostore.models import Container, TemperatureAlarm
from celltrace.demo.steps import eligible_donor
from celltrace.demo.stories import Event
from celltrace.lab import process as lab_process
from celltrace.lab.actions import create_donor_lot, record_process_step
from celltrace.lab.models import ProductLot
from celltrace.patients.models import Patient

STORE_STORY = 0  # the stories are numbered from 1
SITE = "lisbon"
# Manual readings of the tank, four-hourly; the excursion: a lid left open during a refill.
TANK_INTERVAL_MINUTES = 240
TANK_READINGS_DAYS = 4
EXCURSION_C = -128.0
# Donor stock that keeps for months: exosomes and secretome, frozen in batches.
STOCK = [("exo-uc", "UC-EXO-0101"), ("sec-uc", "UC-SEC-0102"), ("exo-uc", "UC-EXO-0103")]


@dataclass
class StoreCase:
    """What the store's steps have made so far (the role of a story's Case)."""

    staff: dict
    story: SimpleNamespace = field(default_factory=lambda: SimpleNamespace(stage="cryostore"))
    lots: list[ProductLot] = field(default_factory=list)


def plan_store(now: dt.datetime) -> list[Event]:
    """The store's steps, dated back from now (an aware local time)."""
    steps = []

    def add(when: dt.datetime, step: str, **data) -> None:
        steps.append(Event(when.replace(microsecond=0), STORE_STORY, len(steps), step, data))

    start = now - dt.timedelta(days=TANK_READINGS_DAYS + 3)
    add(start, "cryo_containers")
    for index, (product, donor) in enumerate(STOCK):
        made = start + dt.timedelta(hours=2 + index)
        add(made, "cryo_stock", product=product, donor=donor)
        add(made + dt.timedelta(hours=20), "cryo_freeze", index=index)
        add(made + dt.timedelta(hours=21), "cryo_deposit", index=index, place=f"A{index + 1:02d}")
    # The last manual reading two hours ago: the tank is not overdue when the demo opens.
    readings = now - dt.timedelta(days=TANK_READINGS_DAYS, hours=-2)
    moment = readings
    while moment <= now - dt.timedelta(hours=2):
        add(moment, "cryo_reading", unit="LIS-T1", celsius=-182.0 + (moment.hour % 3))
        moment += dt.timedelta(minutes=TANK_INTERVAL_MINUTES)
    excursion = readings + dt.timedelta(days=1, hours=2, minutes=10)
    add(excursion, "cryo_reading", unit="LIS-T1", celsius=EXCURSION_C)
    add(excursion + dt.timedelta(minutes=25), "cryo_acknowledge")
    # The freezer's sensor reported hourly, then went silent half a day ago.
    for hours in range(30, 12, -1):
        add(now - dt.timedelta(hours=hours), "cryo_reading", unit="LIS-F1", celsius=-79.0)
    add(now - dt.timedelta(hours=3, minutes=20), "cryo_retrieve", index=2)
    add(now - dt.timedelta(hours=3), "cryo_thaw", index=2)
    add(now - dt.timedelta(days=2), "cryo_consent")
    return steps


def containers(clinic, case: StoreCase) -> None:
    site, technician = clinic.sites[SITE], case.staff["lab_technician"]
    tank = add_container(
        site, technician, kind="ln2_tank", label="LN2 tank 1", code="LIS-T1",
        reading_interval_minutes=TANK_INTERVAL_MINUTES,
    )  # fmt: skip
    add_container(site, technician, kind="freezer", label="-80 °C freezer", code="LIS-F1")
    for rack_number in (1, 2):
        rack = add_container(
            site, technician, kind="rack", label=f"Rack {rack_number}",
            code=f"LIS-T1-R{rack_number}", parent=tank,
        )  # fmt: skip
        add_container(
            site, technician, kind="box", label=f"Box {rack_number}.1",
            code=f"LIS-T1-R{rack_number}-B1", parent=rack, rows=9, columns=9,
        )  # fmt: skip


def stock(clinic, case: StoreCase, *, product: str, donor: str) -> None:
    case.lots.append(
        create_donor_lot(
            clinic.sites[SITE],
            case.staff["lab_technician"],
            product=CellProduct.objects.get(code=product, source=Source.ALLOGENEIC),
            donor=eligible_donor(clinic.sites[SITE], case.staff, donor),
            made_at=timezone.now(),
        )
    )


def freeze(clinic, case: StoreCase, *, index: int) -> None:
    lot, technician = case.lots[index], case.staff["lab_technician"]
    # The product's own steps, in its order, up to the freezing.
    while not any(n.step == "cryopreservation" for n in lab_process.next_steps(lot)):
        step = lab_process.next_steps(lot)[0]
        content = {"viable_content": 4.0e11, "volume_ml": 5.0}
        record_process_step(
            lot,
            technician,
            step=step.step,
            performed_at=timezone.now(),
            passage=step.passage,
            **(content if step.step == "formulation" else {}),
        )
        lot = ProductLot.objects.get(pk=lot.pk)
    record_process_step(lot, technician, step="cryopreservation", performed_at=timezone.now())
    case.lots[index] = ProductLot.objects.get(pk=lot.pk)


def deposit(clinic, case: StoreCase, *, index: int, place: str) -> None:
    position = Container.objects.get(code=f"LIS-T1-R1-B1-{place}")
    deposit_lot(case.lots[index], position, case.staff["lab_technician"])


def reading(clinic, case: StoreCase, *, unit: str, celsius: float) -> None:
    container = Container.objects.get(code=unit)
    record_reading(container, case.staff["lab_technician"], celsius=celsius, read_at=timezone.now())


def acknowledge(clinic, case: StoreCase) -> None:
    alarm = TemperatureAlarm.objects.get(container__code="LIS-T1", acknowledged_at__isnull=True)
    acknowledge_alarm(
        alarm,
        case.staff["lab_technician"],
        comment="Synthetic: lid left ajar during the LN2 refill; closed, -181 °C after 20 "
        "minutes. Stored items checked: none above -132 °C at the sample level.",
    )


def retrieve(clinic, case: StoreCase, *, index: int) -> None:
    case.lots[index] = retrieve_lot(case.lots[index], case.staff["lab_technician"]).lot


def thaw(clinic, case: StoreCase, *, index: int) -> None:
    case.lots[index] = thaw_lot(
        case.lots[index], case.staff["lab_technician"], thawed_at=timezone.now()
    )


def consent(clinic, case: StoreCase) -> None:
    """A patient who asked to have their own cells stored after the treatment."""
    patient = Patient.objects.filter(site__code=SITE).order_by("pk").first()
    today = timezone.localdate()
    record_storage_consent(
        patient,
        case.staff["doctor"],
        given_on=today,
        storage_until=today + dt.timedelta(days=5 * 365),
    )


STEPS = {
    "cryo_containers": containers,
    "cryo_stock": stock,
    "cryo_freeze": freeze,
    "cryo_deposit": deposit,
    "cryo_reading": reading,
    "cryo_acknowledge": acknowledge,
    "cryo_retrieve": retrieve,
    "cryo_thaw": thaw,
    "cryo_consent": consent,
}
