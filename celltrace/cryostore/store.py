"""Reading the cryostore: where a lot lies, a patient's consent in force, what needs attention."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.utils import timezone

from celltrace.accounts import site_time
from celltrace.clinical import cold_chain
from celltrace.cryostore.models import (
    STORAGE_UNITS,
    Container,
    Movement,
    Placement,
    StorageConsent,
    TemperatureAlarm,
)


def current_placement(lot) -> Placement | None:
    return Placement.objects.filter(lot=lot, removed_at__isnull=True).first()


def storage_state(lot) -> tuple[str, bool]:
    """Return the code of the position the lot lies in ("" when out of the store) and, for a
    lot out of the store, whether it came out frozen and still waits to be thawed."""
    placement = Placement.objects.filter(lot=lot, removed_at__isnull=True).select_related(
        "position"
    )
    here = placement.first()
    if here is not None:
        return here.position.code, False
    frozen = lot.thawed_at is None and Movement.objects.filter(lot=lot).exists()
    return "", frozen


def current_consent(patient) -> StorageConsent | None:
    """The patient's latest storage consent: a newer one replaces, a withdrawal ends it."""
    return patient.storage_consents.order_by("-recorded_at", "-pk").first()


@dataclass(frozen=True)
class Silence:
    unit: Container
    message: str


def silent_units(units, now=None) -> list[Silence]:
    """The freezers and tanks whose readings stopped (no reading for more than the interval)."""
    now = now or timezone.now()
    silent = []
    for unit in units:
        if message := silence_message(unit, unit.last_read_at, now):
            silent.append(Silence(unit, message))
    return silent


def storage_units(containers):
    """The freezers and tanks of a (site-scoped) container queryset, with their last reading
    and their open alarms counted in the same query."""
    return containers.filter(kind__in=STORAGE_UNITS).annotate(
        last_read_at=Max("readings__read_at"),
        open_alarms=Count("alarms", filter=Q(alarms__acknowledged_at__isnull=True), distinct=True),
    )


def occupancy(containers) -> dict[int, tuple[int, int]]:
    """Map each container's id to (occupied positions, positions) below it, in two queries."""
    rows = list(containers.values("pk", "parent_id", "kind"))
    parents = {row["pk"]: row["parent_id"] for row in rows}
    taken = set(
        Placement.objects.filter(removed_at__isnull=True, position__in=containers).values_list(
            "position_id", flat=True
        )
    )
    counts = {row["pk"]: [0, 0] for row in rows}
    for row in rows:
        if row["kind"] != Container.Kind.POSITION:
            continue
        ancestor = row["parent_id"]
        while ancestor is not None and ancestor in counts:
            counts[ancestor][1] += 1
            counts[ancestor][0] += row["pk"] in taken
            ancestor = parents.get(ancestor)
    return {pk: (used, total) for pk, (used, total) in counts.items()}


def open_alarms(containers):
    return TemperatureAlarm.objects.filter(
        container__in=containers, acknowledged_at__isnull=True
    ).select_related("container", "reading")


@dataclass(frozen=True)
class EndingPeriod:
    placement: Placement
    consent: StorageConsent | None
    problem: str


def ending_periods(containers) -> list[EndingPeriod]:
    """Stored autologous lots whose agreed storage period has ended or ends within 30 days
    (or whose consent is missing or withdrawn)."""
    stored = (
        Placement.objects.filter(
            removed_at__isnull=True,
            position__in=containers,
            lot__source_patient__isnull=False,
        )
        .select_related("lot__product", "lot__source_patient__site", "position")
        .order_by("lot__code")
    )
    patients = {p.lot.source_patient_id for p in stored}
    latest = {}
    for consent in StorageConsent.objects.filter(patient__in=patients).order_by(
        "recorded_at", "pk"
    ):
        latest[consent.patient_id] = consent
    ending = []
    for placement in stored:
        patient = placement.lot.source_patient
        consent = latest.get(patient.pk)
        today = site_time.today(patient.site)
        problem = cold_chain.consent_problem(consent and consent.to_domain(), today)
        if problem or cold_chain.period_ending(consent.storage_until, today):
            ending.append(EndingPeriod(placement, consent, problem))
    return ending


def silence_message(unit, last_read_at, now=None) -> str:
    """Why one freezer or tank alarms for silence ("" while its readings come in)."""
    return cold_chain.silence_alarm(
        last_read_at,
        watched_since=unit.created_at,
        interval=unit.limits().interval,
        now=now or timezone.now(),
    )
