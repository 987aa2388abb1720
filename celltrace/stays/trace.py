"""Traceability (21 CFR 1271.290; EU 2004/23/EC art. 8): from a lot to every patient,
administration and adverse event it touched, and from a patient to every lot and donor.

Read-only queries: one per list, so a trace costs the same few queries however long it is.
"""

from dataclasses import dataclass, field

from celltrace.lab.models import ProductLot
from celltrace.stays.models import Administration, AdverseEvent


@dataclass
class Recipient:
    """A patient who received the lot, with what they were given and what happened since."""

    patient: object
    administrations: list = field(default_factory=list)
    events: list = field(default_factory=list)

    @property
    def open_events(self) -> list:
        return [e for e in self.events if e.resolved_at is None]


@dataclass
class LotTrace:
    lot: ProductLot
    recipients: list[Recipient]
    # Lots of the same donor or the same harvest: what a recall may have to reach next.
    siblings: list[ProductLot]
    intended_for: object | None  # the patient of the plan the lot is made or allocated for

    @property
    def administrations(self) -> list:
        return [a for r in self.recipients for a in r.administrations]

    @property
    def open_events(self) -> list:
        return [e for r in self.recipients for e in r.open_events]


def lot_trace(lot: ProductLot) -> LotTrace:
    given = (
        Administration.objects.filter(lot=lot)
        .select_related(
            "stay__patient", "stay__site", "nurse", "planned_product", "lot__product", "lot__donor"
        )
        .order_by("given_at", "pk")
    )
    events = (
        AdverseEvent.objects.filter(lot=lot)
        .select_related("stay__patient", "term", "lot")
        .order_by("onset_at", "pk")
    )
    recipients: dict[int, Recipient] = {}
    for administration in given:
        patient = administration.stay.patient
        recipients.setdefault(patient.pk, Recipient(patient)).administrations.append(administration)
    for event in events:
        patient = event.stay.patient
        recipients.setdefault(patient.pk, Recipient(patient)).events.append(event)
    return LotTrace(
        lot=lot,
        recipients=list(recipients.values()),
        siblings=list(_siblings(lot)),
        intended_for=lot.plan.patient if lot.plan_id else None,
    )


def _siblings(lot: ProductLot):
    lots = ProductLot.objects.select_related("product", "donor", "site", "plan").exclude(pk=lot.pk)
    if lot.donor_id:
        return lots.filter(donor=lot.donor_id)
    if lot.source_patient_id:
        return lots.filter(source_patient=lot.source_patient_id)
    return lots.none()


@dataclass
class PatientTrace:
    patient: object
    administrations: list
    # Lots made from the patient's own cells, given or not.
    harvested: list
    events: list

    @property
    def donors(self) -> list:
        seen = {}
        for a in self.administrations:
            if a.lot.donor_id:
                seen.setdefault(a.lot.donor_id, a.lot.donor)
        return list(seen.values())


def patient_trace(patient) -> PatientTrace:
    given = (
        Administration.objects.filter(stay__patient=patient)
        .select_related("lot__product", "lot__donor", "lot__site", "stay__patient", "nurse")
        .order_by("given_at", "pk")
    )
    events = (
        AdverseEvent.objects.filter(stay__patient=patient, lot__isnull=False)
        .select_related("lot", "term", "stay")
        .order_by("onset_at", "pk")
    )
    harvested = ProductLot.objects.filter(source_patient=patient).select_related("product")
    return PatientTrace(patient, list(given), list(harvested), list(events))
