"""Clinic staff edit the policy catalog here; every change is kept in the history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from celltrace.catalog import models


class DoseLimitInline(admin.TabularInline):
    model = models.DoseLimit
    extra = 0


class QCSpecificationInline(admin.TabularInline):
    model = models.QCSpecification
    extra = 0


class ProcessStepDefinitionInline(admin.TabularInline):
    model = models.ProcessStepDefinition
    extra = 0


@admin.register(models.CellProduct)
class CellProductAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "source", "tissue", "price", "active"]
    list_filter = ["kind", "source", "active"]
    inlines = [DoseLimitInline, QCSpecificationInline, ProcessStepDefinitionInline]


for model in (models.Condition, models.Therapy, models.ServiceFee):
    admin.site.register(model, SimpleHistoryAdmin)


@admin.register(models.AdverseEventTerm)
class AdverseEventTermAdmin(SimpleHistoryAdmin):
    list_display = ["term", "code", "meddra_code", "soc", "active"]
    list_filter = ["soc", "active"]


@admin.register(models.DonorTest)
class DonorTestAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "leukocyte_rich_only", "active"]
