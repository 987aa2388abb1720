# Plans change by versions: status, supersedes, signatures; quotes keep their currency and
# the patient's acceptance is recorded per version.

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

STATUS_CHOICES = [("active", "Active"), ("superseded", "Superseded"), ("cancelled", "Cancelled")]
CHANNEL_CHOICES = [
    ("signed_form", "Signed form"),
    ("email", "E-mail"),
    ("portal", "Patient portal"),
]
HISTORY_TYPES = [("+", "Created"), ("~", "Changed"), ("-", "Deleted")]
SIGNATURE_MEANING = "I have reviewed this plan version and take responsibility for it."


def quote_in_the_sites_currency(apps, schema_editor):
    """Existing plans were quoted in their site's currency: record it on each."""
    TreatmentPlan = apps.get_model("plans", "TreatmentPlan")
    for plan in TreatmentPlan.objects.select_related("patient__site"):
        plan.currency = plan.patient.site.currency
        plan.save(update_fields=["currency"])


def history_fields():
    return [
        ("history_id", models.AutoField(primary_key=True, serialize=False)),
        ("history_date", models.DateTimeField(db_index=True)),
        ("history_change_reason", models.CharField(max_length=100, null=True)),
        ("history_type", models.CharField(choices=HISTORY_TYPES, max_length=1)),
        (
            "history_user",
            models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]


def history_fk(to):
    return models.ForeignKey(
        blank=True,
        db_constraint=False,
        null=True,
        on_delete=django.db.models.deletion.DO_NOTHING,
        related_name="+",
        to=to,
    )


def history_options(name, plural):
    return {
        "verbose_name": f"historical {name}",
        "verbose_name_plural": f"historical {plural}",
        "ordering": ("-history_date", "-history_id"),
        "get_latest_by": ("history_date", "history_id"),
    }


def plan_fields():
    """The plain fields TreatmentPlan (and its history) gains."""
    return [
        ("version", models.PositiveSmallIntegerField(default=1)),
        ("amendment_reason", models.TextField(blank=True)),
        ("status", models.CharField(choices=STATUS_CHOICES, default="active", max_length=20)),
        ("cancelled_at", models.DateTimeField(blank=True, null=True)),
        ("cancellation_reason", models.TextField(blank=True)),
        (
            "currency",
            models.CharField(
                default="EUR",
                help_text="The site's currency when the plan was quoted",
                max_length=3,
            ),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_initial"),
        ("accounts", "0002_site_time_zone_currency_and_admin_role"),
        ("patients", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        *[
            migrations.AddField(model_name=model, name=name, field=field)
            for model in ("treatmentplan", "historicaltreatmentplan")
            for name, field in plan_fields()
        ],
        migrations.AddField(
            model_name="treatmentplan",
            name="first_version",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="later_versions",
                to="plans.treatmentplan",
            ),
        ),
        migrations.AddField(
            model_name="treatmentplan",
            name="supersedes",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="superseded_by",
                to="plans.treatmentplan",
            ),
        ),
        migrations.AddField(
            model_name="treatmentplan",
            name="cancelled_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicaltreatmentplan",
            name="first_version",
            field=history_fk("plans.treatmentplan"),
        ),
        migrations.AddField(
            model_name="historicaltreatmentplan",
            name="supersedes",
            field=history_fk("plans.treatmentplan"),
        ),
        migrations.AddField(
            model_name="historicaltreatmentplan",
            name="cancelled_by",
            field=history_fk(settings.AUTH_USER_MODEL),
        ),
        migrations.RunPython(quote_in_the_sites_currency, migrations.RunPython.noop),
        migrations.CreateModel(
            name="PlanSignature",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("signed_at", models.DateTimeField(auto_now_add=True)),
                ("meaning", models.CharField(default=SIGNATURE_MEANING, max_length=200)),
                (
                    "doctor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "plan",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="signature",
                        to="plans.treatmentplan",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="HistoricalPlanSignature",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("signed_at", models.DateTimeField(blank=True, editable=False)),
                ("meaning", models.CharField(default=SIGNATURE_MEANING, max_length=200)),
                *history_fields(),
                ("doctor", history_fk(settings.AUTH_USER_MODEL)),
                ("plan", history_fk("plans.treatmentplan")),
            ],
            options=history_options("plan signature", "plan signatures"),
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="QuoteAcceptance",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("accepted_by_name", models.CharField(max_length=200)),
                ("accepted_at", models.DateTimeField()),
                ("channel", models.CharField(choices=CHANNEL_CHOICES, max_length=20)),
                ("quote_total", models.DecimalField(decimal_places=2, max_digits=12)),
                ("currency", models.CharField(max_length=3)),
                ("quote_hash", models.CharField(max_length=64)),
                ("recorded_at", models.DateTimeField(auto_now_add=True)),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="acceptances",
                        to="plans.treatmentplan",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"ordering": ["-accepted_at", "-pk"]},
        ),
        migrations.CreateModel(
            name="HistoricalQuoteAcceptance",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("accepted_by_name", models.CharField(max_length=200)),
                ("accepted_at", models.DateTimeField()),
                ("channel", models.CharField(choices=CHANNEL_CHOICES, max_length=20)),
                ("quote_total", models.DecimalField(decimal_places=2, max_digits=12)),
                ("currency", models.CharField(max_length=3)),
                ("quote_hash", models.CharField(max_length=64)),
                ("recorded_at", models.DateTimeField(blank=True, editable=False)),
                *history_fields(),
                ("plan", history_fk("plans.treatmentplan")),
                ("recorded_by", history_fk(settings.AUTH_USER_MODEL)),
            ],
            options=history_options("quote acceptance", "quote acceptances"),
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ]
