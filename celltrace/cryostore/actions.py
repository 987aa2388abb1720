"""Writing the cryostore: containers, deposits, retrievals, transfers, thaws, temperatures,
storage consents.

Every write checks the rules first and refuses with a reason, leaving the database as it was.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from celltrace.accounts import site_time
from celltrace.accounts.access import check_actor
from celltrace.audit import save_by
from celltrace.catalog.models import Source
from celltrace.clinical import cold_chain
from celltrace.cryostore import access
from celltrace.cryostore.models import (
    ALLOWED_PARENTS,
    STORAGE_UNITS,
    Container,
    Movement,
    Placement,
    StorageConsent,
    TemperatureAlarm,
    TemperatureReading,
    row_letter,
)
from celltrace.cryostore.store import current_consent
from celltrace.lab.models import ProductLot
from celltrace.refusal import Refused

MAX_ROWS, MAX_COLUMNS = 26, 30
DEFAULT_LIMITS = {
    Container.Kind.LN2_TANK: cold_chain.LN2_VAPOUR,
    Container.Kind.FREEZER: cold_chain.ULTRA_LOW_FREEZER,
}


def _invalid(message: str, field: str, code: str = "invalid", **params) -> Refused:
    return Refused(message, code=code, params=params, field_errors={field: message})


def _not_in_future(moment: dt.datetime, field: str) -> None:
    if moment > timezone.now():
        raise _invalid("A time in the future cannot be recorded.", field, code="in_future")


def _check_limits(min_c, max_c, interval_minutes) -> None:
    interval = dt.timedelta(minutes=interval_minutes or 0)
    if problems := cold_chain.limit_problems(min_c, max_c, interval):
        raise Refused(
            "The temperature limits cannot be used.", code="invalid", field_errors=problems
        )


def _check_parent(kind, parent, site) -> None:
    allowed = ALLOWED_PARENTS.get(kind)
    if allowed is None:
        raise _invalid(
            "Choose an LN2 tank, a freezer, a rack or a box (positions come with their box).",
            "kind",
        )
    if not allowed and parent is not None:
        raise _invalid("A freezer or tank stands at the site, in no other container.", "parent")
    if allowed and (parent is None or parent.kind not in allowed):
        where = " or ".join(str(Container.Kind(k).label).lower() for k in allowed)
        raise _invalid(f"A {Container.Kind(kind).label.lower()} goes into a {where}.", "parent")
    if parent is not None and parent.site_id != site.pk:
        raise _invalid("The container above is at another site.", "parent", code="other_site")


def _check_grid(rows, columns) -> None:
    if not isinstance(rows, int) or not 1 <= rows <= MAX_ROWS:
        raise _invalid(f"A box has 1 to {MAX_ROWS} rows.", "rows")
    if not isinstance(columns, int) or not 1 <= columns <= MAX_COLUMNS:
        raise _invalid(f"A box has 1 to {MAX_COLUMNS} columns.", "columns")


def _unit_limits(kind, given) -> dict:
    """The limits given, each one left empty taken from the kind's default."""
    default = DEFAULT_LIMITS[kind]
    defaults = {
        "min_c": default.min_c,
        "max_c": default.max_c,
        "reading_interval_minutes": int(default.interval.total_seconds() // 60),
    }
    fields = {k: v if given.get(k) is None else given[k] for k, v in defaults.items()}
    _check_limits(fields["min_c"], fields["max_c"], fields["reading_interval_minutes"])
    return fields


def _grid(box_code: str, rows: int, columns: int):
    """Yield each position of a box: row, column, place (B07) and storage-location code."""
    for row in range(1, rows + 1):
        for column in range(1, columns + 1):
            place = f"{row_letter(row)}{column:02d}"
            yield row, column, place, f"{box_code}-{place}"


@transaction.atomic
def add_container(
    site, user, *, kind, label, code, parent=None, rows=None, columns=None, **limits
) -> Container:
    """Add a freezer, tank, rack or box; a box comes with its grid of positions."""
    if site is None:
        raise Refused("A container stands at a site; your account has none.", code="no_site")
    check_actor(user, access.STORE_KEEPERS, "add a container", site_id=site.pk)
    label, code = (label or "").strip(), (code or "").strip().upper()
    if not label:
        raise _invalid("Required.", "label")
    if not code:
        raise _invalid("Required.", "code")
    _check_parent(kind, parent, site)
    if kind == Container.Kind.BOX:
        _check_grid(rows, columns)
    else:
        rows = columns = None
    fields = _unit_limits(kind, limits) if kind in STORAGE_UNITS else {}
    grid = list(_grid(code, rows or 0, columns or 0))
    codes = [code] + [position_code for _r, _c, _place, position_code in grid]
    if taken := Container.objects.filter(code__in=codes).values_list("code", flat=True).first():
        raise _invalid(f"The code {taken} is already in use.", "code", code="code_taken")
    now = timezone.now()
    container = save_by(
        Container(
            site=site, parent=parent, kind=kind, label=label, code=code, rows=rows,
            columns=columns, created_by=user, created_at=now, **fields,
        ),
        user,
    )  # fmt: skip
    for row, column, place, position_code in grid:
        save_by(
            Container(
                site=site, parent=container, kind=Container.Kind.POSITION, label=place,
                code=position_code, row=row, column=column, created_by=user, created_at=now,
            ),
            user,
        )  # fmt: skip
    return container


@transaction.atomic
def set_limits(container, user, *, min_c, max_c, reading_interval_minutes) -> Container:
    """Change the accepted temperatures of a freezer or tank and its expected reading interval."""
    check_actor(user, access.STORE_KEEPERS, "set temperature limits", site_id=container.site_id)
    container = Container.objects.select_for_update().get(pk=container.pk)
    if container.kind not in STORAGE_UNITS:
        raise Refused("Only a freezer or tank has temperature limits.", code="not_a_storage_unit")
    _check_limits(min_c, max_c, reading_interval_minutes)
    container.min_c, container.max_c = min_c, max_c
    container.reading_interval_minutes = reading_interval_minutes
    return save_by(container, user)


def _locked_lot(lot) -> ProductLot:
    return (
        ProductLot.objects.select_for_update(of=("self",))
        .select_related("product", "source_patient")
        .get(pk=lot.pk)
    )


def _locked_position(position) -> Container:
    position = Container.objects.select_for_update().get(pk=position.pk)
    if position.kind != Container.Kind.POSITION:
        raise _invalid(
            f"{position.code} is a {position.get_kind_display().lower()}: scan a box position.",
            "position",
            code="not_a_position",
            position=position.code,
        )
    return position


def _require_free(position) -> None:
    taken = Placement.objects.filter(position=position, removed_at__isnull=True).first()
    if taken is not None:
        raise _invalid(
            f"Position {position.code} already holds lot {taken.lot.code}: one item per position.",
            "position",
            code="position_occupied",
            position=position.code,
            lot=taken.lot.code,
        )


def _deposit_problems(lot, position) -> list[str]:
    problems = []
    if lot.status == ProductLot.Status.REJECTED:
        problems.append("it was rejected.")
    if lot.thawed_at is not None:
        problems.append("it was thawed, and a thawed lot is never frozen again.")
    if lot.expires_at <= timezone.now():
        problems.append("it has expired.")
    if lot.site_id != position.site_id:
        problems.append("it belongs to another site.")
    if lot.product.source == Source.AUTOLOGOUS:
        patient = lot.source_patient
        consent = current_consent(patient)
        today = site_time.today(position.site)
        if problem := cold_chain.consent_problem(consent and consent.to_domain(), today):
            problems.append(f"patient {patient.code}: {problem}")
    return problems


def _move(lot, user, kind, *, from_position=None, to_position=None) -> Movement:
    now = timezone.now()
    if from_position is not None:
        placement = Placement.objects.select_for_update().get(lot=lot, removed_at__isnull=True)
        placement.removed_at, placement.removed_by = now, user
        save_by(placement, user)
    if to_position is not None:
        save_by(Placement(lot=lot, position=to_position, placed_at=now, placed_by=user), user)
    return save_by(
        Movement(
            lot=lot, kind=kind, from_position=from_position, to_position=to_position,
            moved_by=user, moved_at=now,
        ),
        user,
    )  # fmt: skip


def _placement_of(lot) -> Placement | None:
    return (
        Placement.objects.select_related("position")
        .filter(lot=lot, removed_at__isnull=True)
        .first()
    )


@transaction.atomic
def deposit_lot(lot, position, user) -> Movement:
    """Put a lot into a free box position, scanned at the store."""
    check_actor(user, access.STORE_KEEPERS, "deposit a lot", site_id=position.site_id)
    lot, position = _locked_lot(lot), _locked_position(position)
    if (here := _placement_of(lot)) is not None:
        raise _invalid(
            f"Lot {lot.code} already lies in {here.position.code}: transfer it instead.",
            "lot",
            code="already_stored",
            lot=lot.code,
        )
    _require_free(position)
    if problems := _deposit_problems(lot, position):
        raise Refused(
            f"Lot {lot.code} cannot be stored: " + " ".join(problems),
            code="deposit_refused",
            params={"lot": lot.code, "problems": " ".join(problems)},
            field_errors={"lot": " ".join(problems)},
        )
    return _move(lot, user, Movement.Kind.DEPOSIT, to_position=position)


def _stored_placement(lot) -> Placement:
    here = _placement_of(lot)
    if here is None:
        raise _invalid(
            f"Lot {lot.code} is not in the cryostore.", "lot", code="not_stored", lot=lot.code
        )
    return here


@transaction.atomic
def retrieve_lot(lot, user) -> Movement:
    """Take a lot out of the store (to thaw it, or to ship it)."""
    check_actor(user, access.STORE_KEEPERS, "retrieve a lot", site_id=lot.site_id)
    lot = _locked_lot(lot)
    here = _stored_placement(lot)
    return _move(lot, user, Movement.Kind.RETRIEVE, from_position=here.position)


@transaction.atomic
def transfer_lot(lot, position, user) -> Movement:
    """Move a stored lot to another free position of the same site."""
    check_actor(user, access.STORE_KEEPERS, "transfer a lot", site_id=position.site_id)
    lot, position = _locked_lot(lot), _locked_position(position)
    here = _stored_placement(lot)
    if here.position_id == position.pk:
        raise _invalid(f"Lot {lot.code} already lies in {position.code}.", "position")
    _require_free(position)
    if lot.site_id != position.site_id:
        raise _invalid("The position is at another site.", "position", code="other_site")
    return _move(
        lot, user, Movement.Kind.TRANSFER, from_position=here.position, to_position=position
    )


def _thaw_problems(lot, thawed_at) -> list[str]:
    problems = []
    if lot.thawed_at is not None:
        problems.append(
            f"it was already thawed on {timezone.localtime(lot.thawed_at):%Y-%m-%d %H:%M}."
        )
    if _placement_of(lot) is not None:
        problems.append("it is still in the store: retrieve it first.")
    retrieved = Movement.objects.filter(lot=lot, kind=Movement.Kind.RETRIEVE).order_by("-moved_at")
    last = retrieved.values_list("moved_at", flat=True).first()
    if last is None and not problems:
        problems.append("it was never stored in the cryostore.")
    # The thaw form records the minute: a lot retrieved at 10:00:40 may be thawed at "10:00".
    elif last is not None and thawed_at < last.replace(second=0, microsecond=0):
        problems.append("the thaw time is before the lot was retrieved.")
    if lot.product.post_thaw_hours is None:
        problems.append(f"the catalog sets no post-thaw window for {lot.product}.")
    return problems


@transaction.atomic
def thaw_lot(lot, user, *, thawed_at) -> ProductLot:
    """Record a thaw: the lot now expires after the product's post-thaw window, and is never
    frozen again."""
    check_actor(user, access.STORE_KEEPERS, "thaw a lot", site_id=lot.site_id)
    lot = _locked_lot(lot)
    _not_in_future(thawed_at, "thawed_at")
    if problems := _thaw_problems(lot, thawed_at):
        raise Refused(
            f"Lot {lot.code} cannot be thawed: " + " ".join(problems),
            code="thaw_refused",
            params={"lot": lot.code, "problems": " ".join(problems)},
            field_errors={"lot": " ".join(problems)},
        )
    window = dt.timedelta(hours=lot.product.post_thaw_hours)
    lot.expires_at = cold_chain.post_thaw_expiry(thawed_at, window, lot.expires_at)
    lot.thawed_at, lot.thawed_by = thawed_at, user
    return save_by(lot, user)


@transaction.atomic
def record_reading(container, user, *, celsius, read_at, source="form") -> TemperatureReading:
    """Log a freezer's or tank's temperature; a reading outside its limits raises an alarm."""
    check_actor(user, access.STORE_KEEPERS, "record a temperature", site_id=container.site_id)
    if container.kind not in STORAGE_UNITS:
        raise _invalid("Temperatures are logged per freezer or tank.", "container")
    if problem := cold_chain.reading_problem(celsius):
        raise _invalid(problem, "celsius")
    _not_in_future(read_at, "read_at")
    reading = save_by(
        TemperatureReading(
            container=container, celsius=celsius, read_at=read_at, recorded_by=user, source=source
        ),
        user,
    )
    if message := cold_chain.excursion(celsius, container.limits()):
        save_by(
            TemperatureAlarm(
                container=container, reading=reading, message=message, raised_at=timezone.now()
            ),
            user,
        )
    return reading


@transaction.atomic
def acknowledge_alarm(alarm, user, *, comment) -> TemperatureAlarm:
    """Acknowledge an excursion with what was found and done; the alarm stays on record."""
    check_actor(user, access.STORE_KEEPERS, "acknowledge an alarm", site_id=alarm.container.site_id)
    alarm = TemperatureAlarm.objects.select_for_update().get(pk=alarm.pk)
    comment = (comment or "").strip()
    if not comment:
        raise _invalid("Say what was found and done.", "comment")
    if alarm.acknowledged_at is not None:
        raise Refused("The alarm is already acknowledged.", code="already_acknowledged")
    alarm.acknowledged_by, alarm.acknowledged_at, alarm.comment = user, timezone.now(), comment
    return save_by(alarm, user)


@transaction.atomic
def record_storage_consent(patient, user, *, given_on, storage_until) -> StorageConsent:
    """Record the patient's consent to store their cells until an agreed day."""
    check_actor(user, access.CONSENT_RECORDERS, "record a storage consent", site_id=patient.site_id)
    if given_on > site_time.today(patient.site):
        raise _invalid("A consent given in the future cannot be recorded.", "given_on")
    if storage_until < given_on:
        raise _invalid("The storage period ends before the consent was given.", "storage_until")
    return save_by(
        StorageConsent(
            patient=patient, given_on=given_on, storage_until=storage_until, recorded_by=user,
            recorded_at=timezone.now(),
        ),
        user,
    )  # fmt: skip


@transaction.atomic
def withdraw_storage_consent(consent, user) -> StorageConsent:
    """Record that the patient withdrew the consent; what is stored shows on the overview."""
    check_actor(
        user,
        access.CONSENT_RECORDERS,
        "withdraw a storage consent",
        site_id=consent.patient.site_id,
    )
    consent = StorageConsent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        raise Refused("The consent is already withdrawn.", code="already_withdrawn")
    consent.withdrawn_at, consent.withdrawn_by = timezone.now(), user
    return save_by(consent, user)
