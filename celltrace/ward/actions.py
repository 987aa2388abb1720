"""Writes of the ward: rooms, beds, and how many patients a doctor attends at once."""

from django.db import IntegrityError, transaction

from celltrace.accounts.access import check_actor
from celltrace.accounts.models import Role
from celltrace.audit import save_by
from celltrace.clinical.ward import capacity_problem
from celltrace.refusal import Refused
from celltrace.ward import access
from celltrace.ward.models import Bed, DoctorCapacity, Room


def _name_problem(value: str, model, field: str, what: str) -> str | None:
    if not value:
        return f"Enter the {what}."
    if len(value) > model._meta.get_field(field).max_length:
        return f"The {what} is at most {model._meta.get_field(field).max_length} characters."
    return None


def _save_once(record, user, *, twins, refusal: Refused):
    """Save a record that must be unique, unless it has `twins`; a concurrent one, likewise."""
    if twins.exists():
        raise refusal
    try:
        with transaction.atomic():
            return save_by(record, user)
    except IntegrityError:
        raise refusal from None


@transaction.atomic
def add_room(site, user, *, number: str, floor: int | None = None, accessible: bool = False):
    """Open a room at a site; `accessible` marks it adapted for limited mobility."""
    check_actor(user, access.MANAGE, "add a room", site_id=site.pk)
    number = number.strip()
    errors = {}
    if problem := _name_problem(number, Room, "number", "room number"):
        errors["number"] = problem
    if floor is not None and (isinstance(floor, bool) or not -10 <= floor <= 200):
        errors["floor"] = "Enter the floor as a whole number from -10 to 200, or leave it empty."
    if errors:
        raise Refused("The room cannot be added.", code="invalid", field_errors=errors)
    room = Room(site=site, number=number, floor=floor, accessible=bool(accessible))
    return _save_once(
        room,
        user,
        twins=Room.objects.filter(site=site, number=number),
        refusal=Refused(
            f"Room {number} already exists at {site}.",
            code="room_exists",
            params={"number": number, "site": site},
            field_errors={"number": "This site already has a room with this number."},
        ),
    )


@transaction.atomic
def add_bed(room: Room, user, *, label: str) -> Bed:
    """Put a bed in a room; its label names it within the room."""
    check_actor(user, access.MANAGE, "add a bed", site_id=room.site_id)
    label = label.strip()
    if problem := _name_problem(label, Bed, "label", "bed label"):
        raise Refused("The bed cannot be added.", code="invalid", field_errors={"label": problem})
    if not room.active:
        raise Refused(f"{room} is out of use.", code="room_inactive", params={"room": room})
    return _save_once(
        Bed(room=room, label=label),
        user,
        twins=Bed.objects.filter(room=room, label=label),
        refusal=Refused(
            f"{room} already has a bed {label}.",
            code="bed_exists",
            params={"room": room, "label": label},
            field_errors={"label": "This room already has a bed with this label."},
        ),
    )


@transaction.atomic
def set_doctor_capacity(site, doctor, user, *, max_patients: int) -> DoctorCapacity:
    """Set how many patients a doctor attends at once at a site (the default is 4)."""
    check_actor(user, access.MANAGE, "set a doctor's capacity", site_id=site.pk)
    if doctor.role != Role.DOCTOR or doctor.site_id != site.pk:
        raise Refused(
            f"{doctor} is not a doctor at {site}.",
            code="not_a_doctor_here",
            params={"user": doctor, "site": site},
            field_errors={"doctor": "Choose a doctor of this site."},
        )
    if problem := capacity_problem(max_patients):
        raise Refused(problem, code="invalid", field_errors={"max_patients": problem})
    capacity = DoctorCapacity.objects.select_for_update().filter(site=site, doctor=doctor).first()
    capacity = capacity or DoctorCapacity(site=site, doctor=doctor)
    capacity.max_patients = max_patients
    return save_by(capacity, user)
