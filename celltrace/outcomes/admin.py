"""The outcome report's snapshots in the admin: read-only, to see what was served and why."""

from django.contrib import admin

from celltrace.outcomes.models import ReportSnapshot


@admin.register(ReportSnapshot)
class ReportSnapshotAdmin(admin.ModelAdmin):
    list_display = ("key", "status", "computed_at", "queued_at")
    list_filter = ("status", "condition")
    search_fields = ("key",)
    exclude = ("pdf",)  # bytes: downloaded from the report page

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
