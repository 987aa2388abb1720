"""Rooms, beds and doctors' capacities in the Django admin: new ones go through the actions."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from celltrace.audit import save_by
from celltrace.ward import actions
from celltrace.ward.models import Bed, DoctorCapacity, Room


class _ThroughActions(SimpleHistoryAdmin):
    """Create through the action (its checks); edit with the author recorded.

    The admin form validates first: the unique numbers and labels, the capacity's range.
    """

    def create(self, request, obj):
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        if change:
            save_by(obj, request.user)
            return
        obj.pk = self.create(request, obj).pk


@admin.register(Room)
class RoomAdmin(_ThroughActions):
    list_display = ["number", "site", "floor", "accessible", "active"]
    list_filter = ["site", "accessible", "active"]

    def create(self, request, obj):
        return actions.add_room(
            obj.site, request.user, number=obj.number, floor=obj.floor, accessible=obj.accessible
        )


@admin.register(Bed)
class BedAdmin(_ThroughActions):
    list_display = ["label", "room", "active"]
    list_filter = ["room__site", "active"]

    def create(self, request, obj):
        return actions.add_bed(obj.room, request.user, label=obj.label)


@admin.register(DoctorCapacity)
class DoctorCapacityAdmin(_ThroughActions):
    list_display = ["doctor", "site", "max_patients"]

    def create(self, request, obj):
        return actions.set_doctor_capacity(
            obj.site, obj.doctor, request.user, max_patients=obj.max_patients
        )
