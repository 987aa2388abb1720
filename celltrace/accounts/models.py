"""Clinic sites, staff and patient accounts, and their roles."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from celltrace.clinical import isbt128
from celltrace.config import is_time_zone


class Role(models.TextChoices):
    ADVISOR = "advisor", _("Medical advisor")
    DOCTOR = "doctor", _("Doctor")
    LAB_TECHNICIAN = "lab_technician", _("Lab technician")
    QUALITY_REVIEWER = "quality_reviewer", _("Quality reviewer")
    NURSE = "nurse", _("Nurse")
    COORDINATOR = "coordinator", _("Coordinator")
    MANAGER = "manager", _("Clinic manager")
    ADMIN = "admin", _("Administrator")
    PATIENT = "patient", _("Patient")


class Language(models.TextChoices):
    """The languages the clinic writes in: e-mails (outbox/mail/) and screens (locale/)."""

    ENGLISH = "en", "English"
    GERMAN = "de", "Deutsch"
    RUSSIAN = "ru", "Русский"


def validate_time_zone(value: str) -> None:
    if not is_time_zone(value):
        raise ValidationError("Not a time zone: use a name like Europe/Lisbon.")


validate_currency = RegexValidator(
    r"^[A-Z]{3}\Z", "Use the ISO 4217 currency code, three capital letters, e.g. EUR."
)


def validate_fin(value: str) -> None:
    try:
        isbt128.validate_fin(value)
    except isbt128.InvalidIdentifier as error:
        raise ValidationError(str(error)) from None


class Site(models.Model):
    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=120)
    country = models.CharField(max_length=60)
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="The site's time zone, e.g. Europe/Lisbon.",
    )
    currency = models.CharField(
        max_length=3,
        default="EUR",
        validators=[validate_currency],
        help_text="The ISO 4217 code of the currency the site quotes in, e.g. EUR.",
    )
    receives_public_requests = models.BooleanField(
        default=False, help_text="New public consultation requests land in this site's queue."
    )
    isbt_fin = models.CharField(
        "ISBT 128 FIN",
        max_length=5,
        blank=True,
        validators=[validate_fin],
        help_text="The Facility Identification Number ICCBBA assigned to the site's lab, e.g. "
        "G1234: every lot's Donation Identification Number starts with it.",
    )
    # FACT D11.1.2, EU GMP Part IV 11.5: only the medical director releases a failed lot.
    medical_director = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"role": "doctor"},
        help_text="The doctor who alone may release a lot that failed QC (exceptional release)",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["isbt_fin"], condition=~models.Q(isbt_fin=""), name="one_site_per_fin"
            )
        ]

    def __str__(self):
        return self.name


class ClinicUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """Make the clinic's administrator: the admin role at every site, never role-less.

        Without the role, `createsuperuser` made an account every screen refused.
        """
        extra_fields.setdefault("role", Role.ADMIN)
        if extra_fields["role"] != Role.ADMIN or extra_fields.get("site") is not None:
            raise ValueError("A superuser has the administrator role and no site.")
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices)
    site = models.ForeignKey(
        Site,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="The site whose patients this user may see; administrators see every site.",
    )
    language = models.CharField(
        max_length=2,
        choices=Language.choices,
        default=Language.ENGLISH,
        help_text="The language of the alerts e-mailed to this user",
    )

    objects = ClinicUserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def sees_every_site(self) -> bool:
        return self.role == Role.ADMIN
