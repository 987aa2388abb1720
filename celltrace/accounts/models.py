"""Clinic sites, staff and patient accounts, and their roles."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    ADVISOR = "advisor", "Medical advisor"
    DOCTOR = "doctor", "Doctor"
    LAB_TECHNICIAN = "lab_technician", "Lab technician"
    QUALITY_REVIEWER = "quality_reviewer", "Quality reviewer"
    NURSE = "nurse", "Nurse"
    COORDINATOR = "coordinator", "Coordinator"
    MANAGER = "manager", "Clinic manager"
    ADMIN = "admin", "Administrator"
    PATIENT = "patient", "Patient"


class Site(models.Model):
    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=120)
    country = models.CharField(max_length=60)
    receives_public_requests = models.BooleanField(
        default=False, help_text="New public consultation requests land in this site's queue."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


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

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def sees_every_site(self) -> bool:
        return self.role == Role.ADMIN
