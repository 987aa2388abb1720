"""Writes of the stay: admit, give a product at the bedside, report an adverse event, discharge."""

import datetime as dt
from dataclasses import asdict

from django.db import IntegrityError, transaction
from django.utils import timezone

from celltrace.accounts.access import check_actor, check_role
from celltrace.audit import save_by
from celltrace.catalog.models import Route
from celltrace.clinical.administration import (
    AdministrationRequest,
    VitalSigns,
    administration_refusals,
    adverse_event_problems,
    matching_planned_dose,
    vital_sign_problems,
)
from celltrace.clinical.follow_up import follow_up_schedule
from celltrace.followup.models import FollowUpItem
from celltrace.plans.models import TreatmentPlan
from celltrace.plans.standing import require_in_force
from celltrace.refusal import Refused
from celltrace.screening.verdicts import treatment_verdict
from celltrace.stays import access, facts
from celltrace.stays.models import Administration, AdverseEvent, Stay


class AdministrationRefused(Refused):
    """The bedside gate said no, with every reason that applies."""

    def __init__(self, reasons: list[str], *, field_errors: dict[str, str]):
        super().__init__(
            " ".join(reasons) or "Check the vital signs.",
            code="bedside_gate",
            params={"reasons": " | ".join(reasons)},
            field_errors=field_errors,
        )
        self.reasons = reasons

    def as_dict(self) -> dict:
        return {**super().as_dict(), "reasons": self.reasons}


@transaction.atomic
def admit_patient(plan: TreatmentPlan, user, *, admitted_at: dt.datetime, room: str = "") -> Stay:
    """Open the stay of a plan's patient on the ward of the patient's site."""
    patient = plan.patient
    check_actor(user, access.ADMIT, "admit a patient", site_id=patient.site_id)
    require_in_force(plan, "admit the patient")
    if not (verdict := treatment_verdict(plan)):
        raise Refused(
            f"The patient cannot be admitted. {verdict.reason}",
            code=verdict.code,
            params=dict(verdict.params),
        )
    earliest = plan.admission_date - dt.timedelta(days=1)
    errors = {}
    if Stay.objects.filter(plan=plan).exists():
        raise Refused("This plan already has a stay: one stay per plan.", code="plan_has_stay")
    if Stay.objects.filter(patient=patient, discharged_at__isnull=True).exists():
        raise Refused(
            f"{patient} is already on the ward.",
            code="already_on_ward",
            params={"patient": patient},
        )
    if timezone.localdate(admitted_at) < earliest:
        errors["admitted_at"] = (
            f"Admission cannot be before {earliest}, the day before the planned admission."
        )
    elif admitted_at > timezone.now():
        errors["admitted_at"] = "Admission time is in the future."
    if len(room) > Stay._meta.get_field("room").max_length:
        errors["room"] = "Room is at most 20 characters."
    if errors:
        raise Refused("The patient cannot be admitted.", code="invalid", field_errors=errors)
    stay = Stay(
        site_id=patient.site_id,
        patient=patient,
        plan=plan,
        room=room.strip(),
        admitted_at=admitted_at,
        admitted_by=user,
    )
    return save_by(stay, user)


@transaction.atomic
def record_administration(
    nurse,
    *,
    patient_code: str,
    lot_code: str,
    dose_cells_per_kg: float,
    route: str,
    given_at: dt.datetime,
    temperature_c: float,
    heart_rate: int,
    systolic_bp: int,
    diastolic_bp: int,
    spo2: int,
    notes: str = "",
) -> Administration:
    """Give a lot at the bedside once the wristband, the lot, the plan and the dose agree."""
    # The site is checked by the gate itself: only an open stay at the nurse's site is found.
    check_role(nurse, access.ADMINISTER, "give a cell product at the bedside")
    request = AdministrationRequest(
        patient_code=patient_code.strip(),
        lot_code=lot_code.strip(),
        route=route,
        dose_cells_per_kg=dose_cells_per_kg,
        given_at=given_at,
        now=timezone.now(),
    )
    vitals = VitalSigns(temperature_c, heart_rate, systolic_bp, diastolic_bp, spo2)
    stay, lot, planned_product_id = _pass_bedside_gate(nurse, request, vitals)
    administration = Administration(
        stay=stay,
        lot=lot,
        planned_product_id=planned_product_id,
        route=route,
        dose_cells_per_kg=dose_cells_per_kg,
        given_at=given_at,
        nurse=nurse,
        notes=notes,
        **asdict(vitals),
    )
    try:
        with transaction.atomic():
            return save_by(administration, nurse)
    except IntegrityError:
        # The stay lock makes this unreachable in practice; the constraints are the backstop.
        raise Refused(
            "This lot or this planned dose has already been given.", code="already_given"
        ) from None


def _pass_bedside_gate(nurse, request: AdministrationRequest, vitals: VitalSigns):
    """Return the stay, lot and planned product, or refuse with every reason that applies."""
    # The open stay is fetched first and locked: administrations of one stay go one at a time.
    patient = facts.find_patient(request.patient_code)
    stay = facts.open_stay_at(patient, nurse.site_id)
    field_errors = vital_sign_problems(vitals)
    if request.route not in Route.values:
        field_errors["route"] = "Choose intravenous, intrathecal or local."
    lot = facts.find_lot(request.lot_code)
    planned = facts.planned_doses(stay)
    lot_facts = facts.lot_facts(lot)
    reasons = administration_refusals(
        patient=facts.patient_facts(patient, stay),
        lot=lot_facts,
        planned=planned,
        request=request,
    )
    if reasons or field_errors:
        raise AdministrationRefused(reasons, field_errors=field_errors)
    match = matching_planned_dose(planned, lot_facts, request.route)
    return stay, lot, match.planned_product_id


@transaction.atomic
def report_adverse_event(
    stay: Stay,
    user,
    *,
    term: str,
    onset_at: dt.datetime,
    ctcae_grade: int,
    serious: bool,
    relatedness: str,
    outcome: str,
    description: str = "",
) -> AdverseEvent:
    """Record a side effect of the stay's treatment with its CTCAE grade."""
    check_actor(user, access.REPORT_EVENT, "report an adverse event", site_id=stay.site_id)
    errors = adverse_event_problems(grade=ctcae_grade, serious=serious, outcome=outcome)
    if not term.strip():
        errors["term"] = "Name the event, e.g. fever or headache."
    if relatedness not in AdverseEvent.Relatedness.values:
        errors["relatedness"] = "Choose how likely the event is related to the treatment."
    if outcome not in AdverseEvent.Outcome.values:
        errors["outcome"] = "Choose the outcome."
    if onset_at > timezone.now():
        errors["onset_at"] = "The onset is in the future."
    elif onset_at < stay.admitted_at:
        errors["onset_at"] = "The onset is before the admission: record it in the history instead."
    if errors:
        raise Refused(
            "The adverse event report is not consistent.", code="invalid", field_errors=errors
        )
    event = AdverseEvent(
        stay=stay,
        term=term.strip(),
        onset_at=onset_at,
        ctcae_grade=ctcae_grade,
        serious=serious,
        relatedness=relatedness,
        outcome=outcome,
        description=description,
        reported_by=user,
    )
    return save_by(event, user)


@transaction.atomic
def discharge_patient(stay: Stay, doctor, *, discharged_at: dt.datetime) -> Stay:
    """Close the stay and schedule home care and check-ups from the discharge date."""
    check_actor(doctor, access.DISCHARGE, "discharge a patient", site_id=stay.site_id)
    stay = Stay.objects.select_for_update().get(pk=stay.pk)
    if not stay.is_open:
        on = f"{stay.discharged_at:%Y-%m-%d}"
        raise Refused(
            f"The patient was already discharged on {on}.",
            code="already_discharged",
            params={"on": on},
        )
    if discharged_at < stay.admitted_at:
        raise Refused(
            "The discharge cannot be before the admission.",
            code="invalid",
            field_errors={"discharged_at": "Before the admission."},
        )
    if discharged_at > timezone.now():
        raise Refused(
            "The discharge time is in the future.",
            code="invalid",
            field_errors={"discharged_at": "In the future."},
        )
    stay.discharged_at = discharged_at
    stay.discharged_by = doctor
    save_by(stay, doctor)
    for item in follow_up_schedule(timezone.localdate(discharged_at)):
        save_by(
            FollowUpItem(
                patient=stay.patient,
                stay=stay,
                kind=item.kind,
                title=item.title,
                due_date=item.due_date,
            ),
            doctor,
        )
    return stay
