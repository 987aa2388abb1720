"""The rule sets in the Django admin: drafts are edited here, validated, then published."""

from django.contrib import admin, messages

from celltrace.refusal import Refused
from celltrace.screening.actions import publish_ruleset
from celltrace.screening.models import RuleSet


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ["version", "status", "published_at", "published_by"]
    readonly_fields = ["status", "published_at", "published_by"]
    actions = ["publish"]

    def get_readonly_fields(self, request, obj=None):
        # A published version is what past decisions used: it never changes.
        if obj is not None and obj.status == RuleSet.Status.PUBLISHED:
            return [*self.readonly_fields, "version", "rules", "notes"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return obj is None or obj.status == RuleSet.Status.DRAFT

    @admin.action(description="Publish the selected drafts")
    def publish(self, request, queryset):
        for ruleset in queryset:
            try:
                publish_ruleset(ruleset, request.user)
            except Refused as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                self.message_user(request, f"Published {ruleset}.")
