"""API endpoints of the cryostore: parse input, check access, call actions.

Temperature sensors post their readings to /readings with the container's code.
"""

from datetime import date, datetime

from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from celltrace.accounts.access import RoleSession
from celltrace.cryostore import actions, store
from celltrace.cryostore.access import (
    CONSENT_RECORDERS,
    STORE_KEEPERS,
    STORE_VIEWERS,
    containers_for_user,
    get_alarm_for_user,
    get_consent_for_user,
    get_container_for_user,
    get_patient_for_store,
)
from celltrace.cryostore.models import (
    Container,
    Movement,
    Placement,
    StorageConsent,
    TemperatureReading,
)
from celltrace.cryostore.scanning import scanned_container, scanned_lot

router = Router(tags=["cryostore"])


class ContainerOut(Schema):
    id: int
    kind: str
    label: str
    code: str
    site: str
    parent_id: int | None
    rows: int | None
    columns: int | None
    min_c: float | None
    max_c: float | None
    reading_interval_minutes: int | None
    lot_code: str | None = Field(None, description="Positions: the lot lying there")


class ContainerIn(Schema):
    kind: str
    label: str
    code: str
    parent_id: int | None = None
    rows: int | None = None
    columns: int | None = None
    min_c: float | None = Field(None, allow_inf_nan=False)
    max_c: float | None = Field(None, allow_inf_nan=False)
    reading_interval_minutes: int | None = None


class LimitsIn(Schema):
    min_c: float = Field(allow_inf_nan=False)
    max_c: float = Field(allow_inf_nan=False)
    reading_interval_minutes: int


class ScanIn(Schema):
    lot: str = Field(description="The lot's code or its label's scanned data")
    position: str = Field("", description="The position's storage-location code")


class ThawIn(Schema):
    lot: str
    thawed_at: datetime


class MovementOut(Schema):
    id: int
    lot: str
    kind: str
    from_position: str | None
    to_position: str | None
    moved_by: str
    moved_at: datetime


class ThawedLotOut(Schema):
    code: str
    thawed_at: datetime | None
    expires_at: datetime


class ReadingIn(Schema):
    container: str = Field(description="The freezer's or tank's code")
    celsius: float = Field(allow_inf_nan=False)
    read_at: datetime | None = Field(None, description="Default: now")


class ReadingOut(Schema):
    id: int
    container: str
    celsius: float
    read_at: datetime
    alarm: str | None


class AlarmOut(Schema):
    id: int
    container: str
    message: str
    raised_at: datetime
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    comment: str


class AlarmAcknowledgeIn(Schema):
    comment: str


class ConsentIn(Schema):
    given_on: date
    storage_until: date


class ConsentOut(Schema):
    id: int
    patient_code: str
    given_on: date
    storage_until: date
    withdrawn_at: datetime | None


class BoardOut(Schema):
    open_alarms: list[AlarmOut]
    silent_units: list[str] = Field(description="Codes of freezers and tanks gone silent")
    ending_storage: list[str] = Field(description="Lots whose agreed storage period ends")


def container_out(c: Container, lot_code: str | None = None) -> ContainerOut:
    return ContainerOut(
        id=c.pk, kind=c.kind, label=c.label, code=c.code, site=c.site.code,
        parent_id=c.parent_id, rows=c.rows, columns=c.columns, min_c=c.min_c, max_c=c.max_c,
        reading_interval_minutes=c.reading_interval_minutes, lot_code=lot_code,
    )  # fmt: skip


def movement_out(m: Movement) -> MovementOut:
    return MovementOut(
        id=m.pk, lot=m.lot.code, kind=m.kind, moved_by=str(m.moved_by), moved_at=m.moved_at,
        from_position=m.from_position.code if m.from_position else None,
        to_position=m.to_position.code if m.to_position else None,
    )  # fmt: skip


def alarm_out(a) -> AlarmOut:
    return AlarmOut(
        id=a.pk, container=a.container.code, message=a.message, raised_at=a.raised_at,
        acknowledged_by=str(a.acknowledged_by) if a.acknowledged_by else None,
        acknowledged_at=a.acknowledged_at, comment=a.comment,
    )  # fmt: skip


def reading_out(r: TemperatureReading) -> ReadingOut:
    alarm = getattr(r, "alarm", None)
    return ReadingOut(
        id=r.pk, container=r.container.code, celsius=r.celsius, read_at=r.read_at,
        alarm=alarm.message if alarm else None,
    )  # fmt: skip


def consent_out(c: StorageConsent) -> ConsentOut:
    return ConsentOut(
        id=c.pk, patient_code=c.patient.code, given_on=c.given_on,
        storage_until=c.storage_until, withdrawn_at=c.withdrawn_at,
    )  # fmt: skip


@router.get("/containers", response=list[ContainerOut], auth=RoleSession(STORE_VIEWERS))
def list_containers(request):
    """Every container of the caller's site, positions with the lot lying there."""
    containers = containers_for_user(request.user)
    lots = dict(
        Placement.objects.filter(removed_at__isnull=True, position__in=containers).values_list(
            "position_id", "lot__code"
        )
    )
    return [container_out(c, lots.get(c.pk)) for c in containers]


@router.get("/containers/{container_id}", response=ContainerOut, auth=RoleSession(STORE_VIEWERS))
def get_container(request, container_id: int):
    container = get_container_for_user(request.user, container_id)
    here = Placement.objects.filter(position=container, removed_at__isnull=True).first()
    return container_out(container, here.lot.code if here else None)


@router.post("/containers", response={201: ContainerOut}, auth=RoleSession(STORE_KEEPERS))
def add_container(request, payload: ContainerIn):
    """Add a freezer, tank, rack or box (with its positions) at the caller's site."""
    data = payload.model_dump()
    parent_id = data.pop("parent_id")
    parent = get_container_for_user(request.user, parent_id) if parent_id else None
    container = actions.add_container(request.user.site, request.user, parent=parent, **data)
    return Status(201, container_out(container))


@router.post(
    "/containers/{container_id}/limits", response=ContainerOut, auth=RoleSession(STORE_KEEPERS)
)
def set_limits(request, container_id: int, payload: LimitsIn):
    container = get_container_for_user(request.user, container_id)
    return container_out(actions.set_limits(container, request.user, **payload.model_dump()))


@router.post("/deposits", response={201: MovementOut}, auth=RoleSession(STORE_KEEPERS))
def deposit(request, payload: ScanIn):
    """Deposit the scanned lot into the scanned position."""
    lot, position = (
        scanned_lot(request.user, payload.lot),
        scanned_container(request.user, payload.position),
    )
    return Status(201, movement_out(actions.deposit_lot(lot, position, request.user)))


@router.post("/retrievals", response={201: MovementOut}, auth=RoleSession(STORE_KEEPERS))
def retrieve(request, payload: ScanIn):
    lot = scanned_lot(request.user, payload.lot)
    return Status(201, movement_out(actions.retrieve_lot(lot, request.user)))


@router.post("/transfers", response={201: MovementOut}, auth=RoleSession(STORE_KEEPERS))
def transfer(request, payload: ScanIn):
    lot, position = (
        scanned_lot(request.user, payload.lot),
        scanned_container(request.user, payload.position),
    )
    return Status(201, movement_out(actions.transfer_lot(lot, position, request.user)))


@router.post("/thaws", response={201: ThawedLotOut}, auth=RoleSession(STORE_KEEPERS))
def thaw(request, payload: ThawIn):
    """Record the thaw of a retrieved lot; its expiry becomes the post-thaw window's end."""
    lot = actions.thaw_lot(
        scanned_lot(request.user, payload.lot), request.user, thawed_at=payload.thawed_at
    )
    return Status(
        201, ThawedLotOut(code=lot.code, thawed_at=lot.thawed_at, expires_at=lot.expires_at)
    )


@router.post("/readings", response={201: ReadingOut}, auth=RoleSession(STORE_KEEPERS))
def add_reading(request, payload: ReadingIn):
    """Log a temperature (sensors post here); outside the limits it raises an alarm."""
    container = scanned_container(request.user, payload.container, field="container")
    reading = actions.record_reading(
        container,
        request.user,
        celsius=payload.celsius,
        read_at=payload.read_at or timezone.now(),
        source=TemperatureReading.Source.API,
    )
    return Status(201, reading_out(reading))


@router.post("/alarms/{alarm_id}/acknowledge", response=AlarmOut, auth=RoleSession(STORE_KEEPERS))
def acknowledge(request, alarm_id: int, payload: AlarmAcknowledgeIn):
    alarm = get_alarm_for_user(request.user, alarm_id)
    return alarm_out(actions.acknowledge_alarm(alarm, request.user, comment=payload.comment))


@router.get("/board", response=BoardOut, auth=RoleSession(STORE_VIEWERS))
def board(request):
    """What needs attention: open alarms, silent sensors, storage periods ending."""
    containers = containers_for_user(request.user)
    return BoardOut(
        open_alarms=[alarm_out(a) for a in store.open_alarms(containers)],
        silent_units=[s.unit.code for s in store.silent_units(store.storage_units(containers))],
        ending_storage=[e.placement.lot.code for e in store.ending_periods(containers)],
    )


@router.post(
    "/patients/{patient_id}/consents",
    response={201: ConsentOut},
    auth=RoleSession(CONSENT_RECORDERS),
)
def add_consent(request, patient_id: int, payload: ConsentIn):
    patient = get_patient_for_store(request.user, patient_id)
    consent = actions.record_storage_consent(patient, request.user, **payload.model_dump())
    return Status(201, consent_out(consent))


@router.post(
    "/consents/{consent_id}/withdraw", response=ConsentOut, auth=RoleSession(CONSENT_RECORDERS)
)
def withdraw_consent(request, consent_id: int):
    consent = get_consent_for_user(request.user, consent_id)
    return consent_out(actions.withdraw_storage_consent(consent, request.user))
