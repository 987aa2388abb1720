"""The cryostore: containers from tank to position, what lies where, temperatures, consents."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from celltrace.accounts.models import Site
from celltrace.clinical import cold_chain
from celltrace.lab.models import ProductLot
from celltrace.patients.models import Patient


class Container(models.Model):
    """One level of the store: a freezer or LN2 tank, a rack, a box, or a box's position."""

    class Kind(models.TextChoices):
        LN2_TANK = "ln2_tank", "LN2 tank"
        FREEZER = "freezer", "Freezer"
        RACK = "rack", "Rack"
        BOX = "box", "Box"
        POSITION = "position", "Position"

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="containers")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    label = models.CharField(max_length=60, help_text="What the container is called on site")
    code = models.CharField(
        max_length=60, unique=True, help_text="The storage-location code on its barcode sticker"
    )
    # Boxes: the grid of positions. Positions: their place in the grid (1-based).
    rows = models.PositiveSmallIntegerField(null=True, blank=True)
    columns = models.PositiveSmallIntegerField(null=True, blank=True)
    row = models.PositiveSmallIntegerField(null=True, blank=True)
    column = models.PositiveSmallIntegerField(null=True, blank=True)
    # Freezers and tanks: the accepted temperatures and how often a reading is expected.
    min_c = models.FloatField(null=True, blank=True, verbose_name="lowest accepted °C")
    max_c = models.FloatField(null=True, blank=True, verbose_name="highest accepted °C")
    reading_interval_minutes = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "row", "column"],
                condition=Q(kind="position"),
                name="one_position_per_place_in_a_box",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.label} ({self.code})"

    def get_absolute_url(self):
        return reverse("cryostore:container", args=[self.pk])

    def limits(self) -> cold_chain.Limits:
        return cold_chain.Limits(
            min_c=self.min_c,
            max_c=self.max_c,
            interval=dt.timedelta(minutes=self.reading_interval_minutes),
        )


STORAGE_UNITS = (Container.Kind.LN2_TANK, Container.Kind.FREEZER)
# Which kinds may hold which: a tank or freezer stands at the site (no parent).
ALLOWED_PARENTS = {
    Container.Kind.LN2_TANK: (),
    Container.Kind.FREEZER: (),
    Container.Kind.RACK: STORAGE_UNITS,
    Container.Kind.BOX: (*STORAGE_UNITS, Container.Kind.RACK),
}


def row_letter(row: int) -> str:
    return chr(ord("A") + row - 1)


class Placement(models.Model):
    """A lot lying in a position, from deposit until it is taken out (retrieved or moved)."""

    lot = models.ForeignKey(ProductLot, on_delete=models.PROTECT, related_name="placements")
    position = models.ForeignKey(Container, on_delete=models.PROTECT, related_name="placements")
    placed_at = models.DateTimeField()
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-placed_at", "-pk"]
        constraints = [
            # Two items never share a position, and a lot lies in one position at a time,
            # whatever door the write came through.
            models.UniqueConstraint(
                fields=["position"],
                condition=Q(removed_at__isnull=True),
                name="one_item_per_position",
            ),
            models.UniqueConstraint(
                fields=["lot"], condition=Q(removed_at__isnull=True), name="one_position_per_lot"
            ),
        ]

    def __str__(self):
        return f"{self.lot.code} in {self.position.code}"


class Movement(models.Model):
    """One scan at the store: who moved which lot from where to where, and when."""

    class Kind(models.TextChoices):
        DEPOSIT = "deposit", "Deposit"
        RETRIEVE = "retrieve", "Retrieval"
        TRANSFER = "transfer", "Transfer"

    lot = models.ForeignKey(ProductLot, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    from_position = models.ForeignKey(
        Container, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_position = models.ForeignKey(
        Container, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    moved_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-moved_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.lot.code}"


class TemperatureReading(models.Model):
    class Source(models.TextChoices):
        FORM = "form", "Form"
        API = "api", "Sensor or API"

    container = models.ForeignKey(Container, on_delete=models.PROTECT, related_name="readings")
    celsius = models.FloatField()
    read_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(max_length=10, choices=Source.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-read_at", "-pk"]

    def __str__(self):
        return f"{self.celsius:g} °C in {self.container.code}"


class TemperatureAlarm(models.Model):
    """A reading outside the container's limits; acknowledged with a comment, never removed."""

    container = models.ForeignKey(Container, on_delete=models.PROTECT, related_name="alarms")
    reading = models.OneToOneField(
        TemperatureReading, on_delete=models.PROTECT, related_name="alarm"
    )
    message = models.TextField()
    raised_at = models.DateTimeField()
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at", "-pk"]

    def __str__(self):
        return f"Excursion in {self.container.code}: {self.message}"


class StorageConsent(models.Model):
    """A patient's consent to store their cells, and the storage period agreed with them."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="storage_consents")
    given_on = models.DateField()
    storage_until = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-given_on", "-pk"]

    def __str__(self):
        return f"Storage consent of {self.patient.code} until {self.storage_until}"

    def to_domain(self) -> cold_chain.StorageConsent:
        return cold_chain.StorageConsent(
            given_on=self.given_on,
            storage_until=self.storage_until,
            withdrawn=self.withdrawn_at is not None,
        )
