from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from celltrace.accounts.models import Site, User


@admin.register(User)
class ClinicUserAdmin(UserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "first_name", "last_name", "role", "site", "is_active"]
    list_filter = ["role", "site", "is_active"]
    fieldsets = [*UserAdmin.fieldsets, ("Clinic", {"fields": ["role", "site"]})]
    add_fieldsets = [*UserAdmin.add_fieldsets, ("Clinic", {"fields": ["role", "site"]})]


@admin.register(Site)
class SiteAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "country", "time_zone", "currency", "medical_director"]
