"""Writes of the stay: admit to a bed with a doctor, move, give a product, report, discharge."""

import dataclasses
import datetime as dt
import math
from dataclasses import asdict, dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone

from celltrace.accounts import site_time
from celltrace.accounts.access import check_actor, check_role
from celltrace.audit import save_by
from celltrace.catalog.models import AdverseEventTerm, Route
from celltrace.clinical import dosing, numbers
from celltrace.clinical.administration import (
    AdministrationRequest,
    PlannedDose,
    VitalSigns,
    administration_refusals,
    adverse_event_problems,
    lot_notices,
    matching_planned_dose,
    off_planned_time,
    vital_sign_problems,
)
from celltrace.clinical.adverse_events import (
    EarlierHold,
    is_final,
    is_open,
    link_problems,
    lot_hold_due,
    resolution_problems,
)
from celltrace.clinical.discharge import DischargeFacts, DischargeReasons, discharge_problems
from celltrace.clinical.follow_up import CHECKUP, follow_up_schedule, open_event_follow_up
from celltrace.clinical.ward import BedFacts, bed_problem, has_room_for_another
from celltrace.followup.models import FollowUpItem
from celltrace.homecare.scheduling import schedule_home_care
from celltrace.lab.models import ProductLot
from celltrace.patients.models import Patient
from celltrace.plans.models import PlannedProduct, TreatmentPlan
from celltrace.plans.standing import require_in_force
from celltrace.refusal import Refused
from celltrace.screening.verdicts import treatment_verdict
from celltrace.signatures.models import Signature
from celltrace.signatures.service import records_wrong_passwords, sign
from celltrace.stays import access, facts, occupancy
from celltrace.stays.models import Administration, AdverseEvent, DoseDayChange, LotHold, Stay
from celltrace.stays.notices import notify_serious_event
from celltrace.stays.signed_records import discharge_content
from celltrace.ward import access as ward_access
from celltrace.ward.models import Bed


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
def admit_patient(
    plan: TreatmentPlan,
    user,
    *,
    admitted_at: dt.datetime,
    bed: Bed,
    doctor,
    weight_kg: float,
) -> Stay:
    """Open the stay of a plan's patient in a free bed, with a doctor who has room for them,
    weighed on arrival.

    The bedside gate computes what a lot must hold from this weight, not the plan's, which
    may be weeks old.
    """
    patient = plan.patient
    check_actor(user, access.ADMIT, "admit a patient", site_id=patient.site_id)
    # Lock the plan and read it again: an amendment or a cancellation racing this admission
    # waits, so the stay never belongs to a version that stopped being in force meanwhile.
    plan = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
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
    if site_time.local_date(admitted_at, patient.site) < earliest:
        errors["admitted_at"] = (
            f"Admission cannot be before {earliest}, the day before the planned admission."
        )
    elif admitted_at > timezone.now():
        errors["admitted_at"] = "Admission time is in the future."
    weight = float(weight_kg) if isinstance(weight_kg, int | float) else math.nan
    if problems := dosing.check_weight(weight):
        errors["weight_kg"] = problems[0]
    if errors:
        raise Refused("The patient cannot be admitted.", code="invalid", field_errors=errors)
    # Lock the bed, then the doctor: two admissions at once take neither the same bed nor
    # the doctor's last place.
    bed = _free_bed(bed, patient.site_id)
    doctor = _doctor_with_room(doctor, patient.site_id)
    stay = Stay(
        site_id=patient.site_id,
        patient=patient,
        plan=plan,
        bed=bed,
        doctor=doctor,
        weight_kg=weight,
        admitted_at=admitted_at,
        admitted_by=user,
    )
    try:
        with transaction.atomic():
            return save_by(stay, user)
    except IntegrityError:
        # The locks make this unreachable in practice; the constraints are the backstop.
        raise Refused(
            "Another admission took this bed or this patient at the same moment.",
            code="admission_conflict",
        ) from None


def _free_bed(bed: Bed, site_id: int) -> Bed:
    """Lock the bed and return it, or refuse it for the patient's site."""
    bed = occupancy.bed_at_site(site_id, bed.pk, lock=True)
    facts = BedFacts(
        site_id=bed.room.site_id,
        active=bed.active,
        room_active=bed.room.active,
        occupied=occupancy.is_occupied(bed),
    )
    if problem := bed_problem(facts, site_id=site_id):
        code, reason = problem
        raise Refused(reason, code=code, params={"bed": bed}, field_errors={"bed": reason})
    return bed


def _doctor_with_room(doctor, site_id: int):
    """Lock the doctor and return them, unless they are no doctor here or already full."""
    doctor = occupancy.doctor_at_site(site_id, doctor.pk, lock=True)
    attending = occupancy.attending(doctor, site_id)
    limit = ward_access.max_patients(site_id, doctor.pk)
    if not has_room_for_another(attending, limit):
        reason = f"Dr {doctor} already attends {attending} patients, at most {limit} at once."
        raise Refused(
            reason,
            code="doctor_at_capacity",
            params={"doctor": doctor, "attending": attending, "max_patients": limit},
            field_errors={"doctor": reason},
        )
    return doctor


def _open_stay_locked(stay: Stay) -> Stay:
    stay = Stay.objects.select_for_update().get(pk=stay.pk)
    if not stay.is_open:
        raise Refused("The patient has been discharged.", code="already_discharged")
    return stay


@transaction.atomic
def assign_doctor(stay: Stay, user, doctor) -> Stay:
    """Make another doctor, with room for one more patient, the stay's attending doctor."""
    check_actor(user, access.ASSIGN_DOCTOR, "assign the attending doctor", site_id=stay.site_id)
    stay = _open_stay_locked(stay)
    if stay.doctor_id == doctor.pk:
        reason = f"Dr {doctor} already attends this patient."
        raise Refused(reason, code="already_attending", field_errors={"doctor": reason})
    stay.doctor = _doctor_with_room(doctor, stay.site_id)
    return save_by(stay, user)


@transaction.atomic
def move_bed(stay: Stay, user, bed: Bed) -> Stay:
    """Move the patient to another free bed of the site."""
    check_actor(user, access.MOVE_BED, "move a patient to another bed", site_id=stay.site_id)
    stay = _open_stay_locked(stay)
    if stay.bed_id == bed.pk:
        reason = "The patient is already in this bed."
        raise Refused(reason, code="same_bed", field_errors={"bed": reason})
    stay.bed = _free_bed(bed, stay.site_id)
    return save_by(stay, user)


@transaction.atomic
def record_administration(
    nurse,
    *,
    patient_code: str,
    lot_code: str,
    dose_per_kg: float,
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
        dose_per_kg=dose_per_kg,
        given_at=given_at,
        now=timezone.now(),
        given_on=_site_day(nurse, given_at),
    )
    vitals = VitalSigns(temperature_c, heart_rate, systolic_bp, diastolic_bp, spo2)
    field_errors = vital_sign_problems(vitals)
    if route not in Route.values:
        field_errors["route"] = "Choose intravenous, intrathecal or local."
    gate = _bedside_gate(nurse, request)
    if gate.reasons or field_errors:
        raise AdministrationRefused(gate.reasons, field_errors=field_errors)
    administration = Administration(
        stay=gate.stay,
        lot=gate.lot,
        planned_product_id=gate.match.planned_product_id,
        route=route,
        dose_per_kg=dose_per_kg,
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


def _site_day(nurse, moment: dt.datetime) -> dt.date:
    """Return the day of a moment at the nurse's site: the gate finds only the open stay at
    the nurse's site, so this is the stay's day, the one its planned doses are counted in."""
    return site_time.local_date(moment, nurse.site)


@dataclass
class _Gate:
    """What the bedside gate found and said about one wristband and one lot."""

    patient: Patient | None
    stay: Stay | None
    lot: ProductLot | None
    match: PlannedDose | None
    weight_kg: float | None
    reasons: list[str] = field(default_factory=list)


def _bedside_gate(nurse, request: AdministrationRequest, *, planned_route: bool = False) -> _Gate:
    """Gather the facts and ask the gate; with `planned_route`, the dose and route are the plan's.

    The one gate for recording an administration and for the nurse's preview of it.
    """
    # The open stay is fetched first and locked: administrations of one stay go one at a time.
    patient = facts.find_patient(request.patient_code, nurse.site_id)
    stay = facts.open_stay_at(patient, nurse.site_id)
    lot = facts.find_lot(request.lot_code, nurse.site_id)
    planned = facts.planned_doses(stay)
    lot_facts = facts.lot_facts(lot)
    patient_facts = facts.patient_facts(patient, stay)
    day = dosing.day_of_stay(stay.plan.admission_date, request.given_on) if stay else None
    match = (
        matching_planned_dose(planned, lot_facts, None if planned_route else request.route, day)
        if lot_facts
        else None
    )
    if planned_route and match is not None:
        request = dataclasses.replace(request, route=match.route, dose_per_kg=match.dose_per_kg)
    reasons = administration_refusals(
        patient=patient_facts,
        lot=lot_facts,
        planned=planned,
        request=request,
        given=facts.given_doses(stay),
    )
    weight = patient_facts.weight_kg if patient_facts else None
    return _Gate(patient, stay, lot, match, weight, reasons)


@dataclass(frozen=True)
class BedsidePreview:
    """What the nurse sees after scanning, before giving: nothing is typed again."""

    patient_code: str
    lot_code: str
    patient_name: str
    product_name: str
    route: str
    dose_per_kg: float | None
    dose_unit: str
    weight_kg: float | None
    dose_for_weight: float | None
    lot_content: float | None
    volume_ml: float | None
    planned_day: int | None
    planned_on: dt.date | None
    planned_time: dt.time | None
    day_change_reason: str
    # "Planned for 10:00; now 14:35" when now is far from the planned time: told, not refused.
    time_notice: str
    reasons: list[str]
    # Released pending sterility, exceptional release: the nurse is told, not refused.
    lot_notices: tuple[str, ...] = ()
    # The Chains of Identity (with K) of the lot and of the patient's plan: they must match.
    lot_chain: str = ""
    plan_chain: str = ""

    @property
    def may_give(self) -> bool:
        return not self.reasons

    @property
    def dose_label(self) -> str:
        if self.dose_per_kg is None:
            return "—"
        return numbers.dose_per_kg(self.dose_per_kg, self.dose_unit)

    @property
    def dose_for_weight_label(self) -> str:
        if self.dose_for_weight is None:
            return "—"
        return numbers.amount(self.dose_for_weight, self.dose_unit)

    @property
    def lot_content_label(self) -> str:
        if self.lot_content is None:
            return "not recorded"
        return numbers.amount(self.lot_content, self.dose_unit)


# A preview with nothing planned to compare: the gate's own reasons say why (not in the plan).
_NOTHING_PLANNED = 1.0


@transaction.atomic
def preview_administration(nurse, *, patient_code: str, lot_code: str) -> BedsidePreview:
    """Show what would be given now: the planned dose, the weight, the lot, and every refusal.

    Nothing is written; record_administration asks the same gate again when the nurse gives.
    """
    check_role(nurse, access.ADMINISTER, "give a cell product at the bedside")
    now = timezone.now()
    request = AdministrationRequest(
        patient_code=patient_code.strip(),
        lot_code=lot_code.strip(),
        route="",
        dose_per_kg=_NOTHING_PLANNED,
        given_at=now,
        now=now,
        given_on=_site_day(nurse, now),
    )
    gate = _bedside_gate(nurse, request, planned_route=True)
    match, lot, stay = gate.match, gate.lot, gate.stay
    dose = match.dose_per_kg if match else None
    planned_on = (
        stay.plan.admission_date + dt.timedelta(days=match.due_day - 1) if match and stay else None
    )
    local_now = timezone.localtime(now, site_time.zone(nurse.site)).time()
    return BedsidePreview(
        patient_code=request.patient_code,
        lot_code=request.lot_code,
        patient_name=gate.patient.full_name if gate.patient and stay else "",
        product_name=lot.product.name if lot else "",
        route=match.route if match else "",
        dose_per_kg=dose,
        dose_unit=lot.product.dose_unit if lot else numbers.VIABLE_CELLS,
        weight_kg=gate.weight_kg,
        dose_for_weight=dose * gate.weight_kg if dose and gate.weight_kg else None,
        lot_content=lot.viable_content if lot else None,
        volume_ml=lot.volume_ml if lot else None,
        planned_day=match.due_day if match else None,
        planned_on=planned_on,
        planned_time=match.planned_time if match else None,
        day_change_reason=match.allowed_reason if match else "",
        time_notice=off_planned_time(match.planned_time if match else None, local_now),
        reasons=gate.reasons,
        lot_notices=tuple(lot_notices(facts.lot_facts(lot))),
        lot_chain=lot.chain_with_check if lot else "",
        plan_chain=facts.chain_with_check(stay.plan) if stay else "",
    )


@transaction.atomic
def allow_other_day(
    planned_product: PlannedProduct, doctor, *, day: int, reason: str
) -> DoseDayChange:
    """Let a planned dose be given on another day of the stay, for a reason on record."""
    plan = planned_product.plan
    check_actor(
        doctor, access.CHANGE_DAY, "allow a dose on another day", site_id=plan.patient.site_id
    )
    if Administration.objects.filter(planned_product=planned_product).exists():
        raise Refused(
            "This planned dose has already been given: its day cannot change.",
            code="already_given",
        )
    stay = Stay.objects.filter(plan=plan).first()
    if stay is not None and not stay.is_open:
        raise Refused("The stay is closed: the patient was discharged.", code="stay_closed")
    errors = {}
    if not isinstance(day, int) or isinstance(day, bool):
        errors["day_of_stay"] = f"The day of the stay must be between 1 and {plan.stay_days}."
    elif problems := dosing.check_day_of_stay(day, plan.stay_days):
        errors["day_of_stay"] = problems[0]
    else:
        current = facts.latest_day_changes(plan).get(planned_product.pk)
        if day == (current.day_of_stay if current else planned_product.day_of_stay):
            errors["day_of_stay"] = f"Day {day} is already the day of this dose."
    if not (reason or "").strip():
        errors["reason"] = "Say why the dose is given on another day."
    if errors:
        raise Refused("The day of the dose was not changed.", code="invalid", field_errors=errors)
    change = DoseDayChange(
        planned_product=planned_product,
        day_of_stay=day,
        reason=reason.strip(),
        doctor=doctor,
        decided_at=timezone.now(),
    )
    return save_by(change, doctor)


def _event_problems(
    stay: Stay,
    *,
    term: AdverseEventTerm | None,
    term_detail: str,
    onset_at: dt.datetime,
    resolved_at: dt.datetime | None,
    ctcae_grade: int,
    serious: bool,
    relatedness: str,
    outcome: str,
    administration: Administration | None,
) -> dict[str, str]:
    """Every inconsistency of an adverse event, new or updated, by field."""
    errors = adverse_event_problems(grade=ctcae_grade, serious=serious, outcome=outcome)
    if term is None:
        errors["term"] = "Choose the CTCAE term of the event from the list."
    elif term.is_other and not term_detail.strip():
        errors["term_detail"] = 'Name the event in words: "Other, specify" needs it.'
    if len(term_detail.strip()) > AdverseEvent._meta.get_field("term_detail").max_length:
        errors["term_detail"] = "Name the event in at most 120 characters."
    if relatedness not in AdverseEvent.Relatedness.values:
        errors["relatedness"] = "Choose how likely the event is related to the treatment."
    if outcome not in AdverseEvent.Outcome.values:
        errors["outcome"] = "Choose the outcome."
    if onset_at < stay.admitted_at:
        errors["onset_at"] = "The onset is before the admission: record it in the history instead."
    now = timezone.now()
    errors = (
        resolution_problems(outcome=outcome, onset_at=onset_at, resolved_at=resolved_at, now=now)
        | errors
    )
    errors |= link_problems(
        relatedness=relatedness,
        onset_at=onset_at,
        stay_has_administrations=stay.administrations.exists(),
        administration_given_at=administration.given_at if administration else None,
    )
    return errors


def _stay_administration(stay: Stay, administration_id: int | None, errors: dict):
    """Return the stay's administration with this id; an id of another stay is an error."""
    if administration_id is None:
        return None
    found = stay.administrations.select_related("lot").filter(pk=administration_id).first()
    if found is None:
        errors["administration_id"] = "Choose an administration of this stay."
    return found


def _hold_lot_if_needed(event: AdverseEvent, user) -> None:
    """A serious event that may come from a lot holds it until a doctor reviews it: the lot
    it points at now, and again after a review if the event gets worse (lot_hold_due)."""
    earlier = LotHold.objects.filter(event=event, lot_id=event.lot_id)
    due = lot_hold_due(
        serious=event.serious,
        relatedness=event.relatedness,
        grade=event.ctcae_grade,
        has_lot=event.lot_id is not None,
        earlier=[EarlierHold(hold.ctcae_grade, hold.is_open) for hold in earlier],
    )
    if due:
        hold = LotHold(
            lot_id=event.lot_id,
            event=event,
            ctcae_grade=event.ctcae_grade,
            raised_at=timezone.now(),
        )
        save_by(hold, user)


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
    term_detail: str = "",
    administration_id: int | None = None,
    resolved_at: dt.datetime | None = None,
) -> AdverseEvent:
    """Record a side effect of the stay's treatment: its CTCAE term and grade, and the
    administration (so the lot) it may come from. `term` is the coded term's code."""
    check_actor(user, access.REPORT_EVENT, "report an adverse event", site_id=stay.site_id)
    coded = AdverseEventTerm.objects.filter(code=term.strip(), active=True).first()
    errors: dict[str, str] = {}
    administration = _stay_administration(stay, administration_id, errors)
    errors = (
        _event_problems(
            stay,
            term=coded,
            term_detail=term_detail,
            onset_at=onset_at,
            resolved_at=resolved_at,
            ctcae_grade=ctcae_grade,
            serious=serious,
            relatedness=relatedness,
            outcome=outcome,
            administration=administration,
        )
        | errors
    )
    if errors:
        raise Refused(
            "The adverse event report is not consistent.", code="invalid", field_errors=errors
        )
    event = AdverseEvent(
        stay=stay,
        term=coded,
        term_detail=term_detail.strip(),
        administration=administration,
        lot_id=administration.lot_id if administration else None,
        onset_at=onset_at,
        resolved_at=resolved_at,
        ctcae_grade=ctcae_grade,
        serious=serious,
        relatedness=relatedness,
        outcome=outcome,
        description=description,
        reported_by=user,
    )
    save_by(event, user)
    _hold_lot_if_needed(event, user)
    notify_serious_event(event)
    return event


_KEEP = object()


@transaction.atomic
def update_adverse_event(
    event: AdverseEvent,
    user,
    *,
    ctcae_grade: int,
    serious: bool,
    relatedness: str,
    outcome: str,
    description: str,
    resolved_at: dt.datetime | None,
    administration_id=_KEEP,
) -> AdverseEvent:
    """Follow an open event: its grade, seriousness, relatedness, outcome and resolution.

    The term and onset stay as reported (a different event is a new report). Once resolved,
    an event is final: news after that, a relapse or a late effect, is a new event, so the
    record of what was known when never changes under the reader.
    """
    check_actor(user, access.REPORT_EVENT, "update an adverse event", site_id=event.stay.site_id)
    stay = event.stay
    event = AdverseEvent.objects.select_for_update().select_related("term").get(pk=event.pk)
    if is_final(outcome=event.outcome, resolved_at=event.resolved_at):
        raise Refused("Resolved events are final; record a new event.", code="event_resolved")
    errors: dict[str, str] = {}
    if administration_id is _KEEP:
        administration = event.administration
    else:
        administration = _stay_administration(stay, administration_id, errors)
    errors = (
        _event_problems(
            stay,
            term=event.term,
            term_detail=event.term_detail,
            onset_at=event.onset_at,
            resolved_at=resolved_at,
            ctcae_grade=ctcae_grade,
            serious=serious,
            relatedness=relatedness,
            outcome=outcome,
            administration=administration,
        )
        | errors
    )
    if errors:
        raise Refused(
            "The adverse event update is not consistent.", code="invalid", field_errors=errors
        )
    event.ctcae_grade = ctcae_grade
    event.serious = serious
    event.relatedness = relatedness
    event.outcome = outcome
    event.description = description
    event.resolved_at = resolved_at
    event.administration = administration
    event.lot_id = administration.lot_id if administration else None
    save_by(event, user)
    _hold_lot_if_needed(event, user)
    notify_serious_event(event)
    return event


@transaction.atomic
def clear_lot_hold(hold: LotHold, doctor, *, review_note: str) -> LotHold:
    """A doctor's written review lets the held lot and its siblings be given again."""
    check_actor(doctor, access.CLEAR_HOLD, "clear a lot hold", site_id=hold.event.stay.site_id)
    hold = LotHold.objects.select_for_update().get(pk=hold.pk)
    if not hold.is_open:
        raise Refused(
            f"This hold was already cleared on {hold.cleared_at:%Y-%m-%d}.",
            code="hold_cleared",
            params={"on": f"{hold.cleared_at:%Y-%m-%d}"},
        )
    if not review_note.strip():
        raise Refused(
            "Write the review that clears the lot.",
            code="invalid",
            field_errors={
                "review_note": "Write what the review found and why the lot may be given."
            },
        )
    hold.review_note = review_note.strip()
    hold.cleared_by = doctor
    hold.cleared_at = timezone.now()
    return save_by(hold, doctor)


def _day_zero(stay: Stay, facts: DischargeFacts) -> dt.date:
    """The site's day of the patient's first administration (over all stays): the check-ups
    count from it, as the outcome report's time points do. Nothing given: the discharge day."""
    first = Administration.objects.filter(stay__patient_id=stay.patient_id).aggregate(
        first=Min("given_at")
    )["first"]
    return site_time.local_date(first, stay.site) if first else facts.discharge_day


def _check_ups_once(stay: Stay, schedule: list) -> list:
    """Drop the check-ups an earlier stay already scheduled: one visit per time point."""
    scheduled = set(
        FollowUpItem.objects.filter(
            patient_id=stay.patient_id, kind=FollowUpItem.Kind.CHECKUP
        ).values_list("due_date", flat=True)
    )
    return [item for item in schedule if not (item.kind == CHECKUP and item.due_date in scheduled)]


def _discharge_facts(stay: Stay, discharged_at: dt.datetime) -> DischargeFacts:
    open_events = [
        f"{e.label} (grade {e.ctcae_grade}, {e.get_outcome_display().lower()})"
        for e in stay.adverse_events.select_related("term")
        if is_open(outcome=e.outcome, resolved_at=e.resolved_at)
    ]
    missed = [
        f"{p.product} by {p.get_route_display().lower()} (day {p.day_of_stay})"
        for p in stay.plan.products.select_related("product").filter(administration__isnull=True)
    ]
    return DischargeFacts(
        discharge_day=site_time.local_date(discharged_at, stay.site),
        planned_discharge_day=stay.plan.discharge_date,
        open_events=open_events,
        missed_doses=missed,
    )


@records_wrong_passwords
@transaction.atomic
def discharge_patient(
    stay: Stay,
    doctor,
    *,
    discharged_at: dt.datetime,
    open_events_reason: str = "",
    missed_doses_reason: str = "",
    early_discharge_reason: str = "",
    password: str,
) -> Stay:
    """Close the stay; date the plan's home care from the discharge day (homecare app) and
    the check-ups from the first administration (the outcome report's day 0:
    clinical/follow_up.py).

    An open adverse event, a planned dose not given, or a discharge before the plan's date
    each need the doctor's written reason (clinical/discharge.py); the reasons stay on the
    stay for the follow-up team.
    """
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
    reasons = DischargeReasons(
        open_events=open_events_reason,
        missed_doses=missed_doses_reason,
        early_discharge=early_discharge_reason,
    )
    facts = _discharge_facts(stay, discharged_at)
    if problems := discharge_problems(facts, reasons):
        raise Refused(
            "The patient cannot be discharged yet. " + " ".join(problems.values()),
            code="discharge_needs_reasons",
            params={"reasons": " | ".join(problems.values())},
            field_errors=problems,
        )
    stay.discharged_at = discharged_at
    stay.discharged_by = doctor
    stay.open_events_reason = open_events_reason.strip()
    stay.missed_doses_reason = missed_doses_reason.strip()
    stay.early_discharge_reason = early_discharge_reason.strip()
    save_by(stay, doctor)
    # The one e-signature service: password again (throttled), meaning, name, time, hash.
    sign(
        stay,
        doctor,
        password=password,
        meaning=Signature.Meaning.DISCHARGE,
        content=discharge_content(stay),
    )
    schedule = _check_ups_once(
        stay, follow_up_schedule(facts.discharge_day, _day_zero(stay, facts))
    )
    schedule += open_event_follow_up(facts.discharge_day, list(facts.open_events))
    for item in schedule:
        save_by(
            FollowUpItem(
                patient=stay.patient,
                stay=stay,
                kind=item.kind,
                title=item.title,
                due_date=item.due_date,
                window_opens=item.window_opens,
                window_closes=item.window_closes,
            ),
            doctor,
        )
    schedule_home_care(stay, facts.discharge_day, doctor)
    return stay
