"""The bedside gate: may this lot be given to this patient, now, at this dose and route?

Every reason that applies is listed, so the nurse fixes everything at once and a
reviewer sees the whole picture; an empty list means the administration may go ahead.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from celltrace.clinical.dosing import (
    DayDose,
    DoseLimit,
    DoseRequest,
    check_content,
    check_cumulative,
    check_dose,
    day_of_stay,
)
from celltrace.clinical.numbers import VIABLE_CELLS, dose_per_kg

RELEASED = "released"
AUTOLOGOUS = "autologous"

# A nurse records the administration at the bedside or shortly after (end of a busy round,
# a night shift written up in the morning). Anything older is a back-dated record, which
# could slip an expired lot or a not-yet-cleared stay past the gate: it is refused.
MAX_BACKDATING = timedelta(hours=12)

# The gate enforces the day of a dose, not its hour: a dose given this far from its planned
# time of day is shown to the nurse as a notice, never refused.
TIME_NOTICE_AFTER = timedelta(hours=2)


@dataclass(frozen=True)
class HeldBy:
    """An open hold that stops a lot: the held lot and the site of the event that raised it,
    whose doctors alone can review the event and clear the hold."""

    lot_code: str
    site: str


@dataclass(frozen=True)
class LotFacts:
    code: str
    status: str
    status_label: str
    expires_at: datetime
    plan_id: int | None
    product_code: str
    product_name: str
    autologous: bool
    source_patient_id: int | None
    already_administered: bool
    # When quality released the lot: it cannot have been given before.
    released_at: datetime | None = None
    # The open holds (a serious related adverse event) that stop this lot: on itself, or on
    # a lot of the same product from the same donor or the same harvest.
    held_by: tuple[HeldBy, ...] = ()
    # What the lab recorded the lot holds, in the product's dose unit (None: not recorded).
    content: float | None = None
    unit: str = VIABLE_CELLS
    # Why quality recalled the lot ("" when it was not): no remaining dose is given.
    recall_reason: str = ""
    # Why the lot's donor stops its use: no eligible determination ("" when nothing does).
    donor_refusal: str = ""
    # Released while its sterility culture (Ph. Eur. 2.6.27) runs: given, and the nurse told.
    sterility_pending: bool = False
    # Released by the medical director although a test failed (exceptional release).
    exceptional_release: bool = False
    # Why a test that failed after release blocks the lot ("" when none did).
    blocked_reason: str = ""
    # The cryostore position the lot lies in ("" when it is not stored), and whether it came
    # out of the store frozen and is not thawed yet: neither may be given.
    stored_at: str = ""
    awaiting_thaw: bool = False
    thawed_at: datetime | None = None
    # The lot's Chain of Identity (ICCBBA ST-028), "" for a lot made before chains or donor
    # stock not allocated: those are checked by plan and patient alone.
    chain: str = ""
    # Split into divisions: only its parts are given, each scanned on its own.
    divided: bool = False


@dataclass(frozen=True)
class PatientFacts:
    patient_id: int
    code: str
    open_stay_plan_id: int | None
    admitted_at: datetime | None
    # Why the day-one screening stops every administration of the stay ("" when it does not).
    day_one_refusal: str = ""
    # When the day-one screening that cleared the stay was decided: nothing is given before.
    cleared_at: datetime | None = None
    # Why the patient's latest planning screening stops the plan's products ("" when it does
    # not): a newer final decision overrides the one the plan was made on.
    screening_refusal: str = ""
    # Day 1 of the stay: the plan's admission date (see celltrace.clinical.dosing.day_of_stay).
    first_day: date | None = None
    # The weight the doses are given at: recorded at admission (the plan's for older stays).
    weight_kg: float | None = None
    # The Chain of Identity of the stay's plan (any version of it), "" when it has none.
    plan_chain: str = ""


@dataclass(frozen=True)
class PlannedDose:
    planned_product_id: int
    product_code: str
    route: str
    dose_per_kg: float
    # The catalog's limits of the product by the route (None: the catalog sets none).
    limit: DoseLimit | None
    already_given: bool
    day_of_stay: int
    # The day a doctor allowed instead of the planned one, with the reason (None: as planned).
    allowed_day: int | None = None
    allowed_reason: str = ""
    unit: str = VIABLE_CELLS
    # The time of day the plan gives the dose at (None: not known to the caller).
    planned_time: time | None = None

    @property
    def due_day(self) -> int:
        """The day of the stay the dose may be given on: a doctor's change replaces the plan's."""
        return self.allowed_day or self.day_of_stay


@dataclass(frozen=True)
class AdministrationRequest:
    patient_code: str
    lot_code: str
    route: str
    dose_per_kg: float
    given_at: datetime
    now: datetime
    # The site-local date of given_at: the day of the stay is counted in calendar days.
    given_on: date


@dataclass(frozen=True)
class VitalSigns:
    temperature_c: float
    heart_rate: int
    systolic_bp: int
    diastolic_bp: int
    spo2: int


# Plausible bedside values: outside them the reading is a typing or device error.
VITAL_RANGES = {
    "temperature_c": (30.0, 45.0, "Temperature", "°C"),
    "heart_rate": (20, 250, "Heart rate", "beats/min"),
    "systolic_bp": (50, 260, "Systolic blood pressure", "mmHg"),
    "diastolic_bp": (20, 160, "Diastolic blood pressure", "mmHg"),
    "spo2": (50, 100, "SpO2", "%"),
}


def vital_sign_problems(vitals: VitalSigns) -> dict[str, str]:
    """Return a message per implausible vital sign (empty when all are plausible)."""
    problems = {}
    for field, (low, high, label, unit) in VITAL_RANGES.items():
        value = getattr(vitals, field)
        if not math.isfinite(value) or not low <= value <= high:
            problems[field] = f"{label} must be between {low} and {high} {unit}."
    if "diastolic_bp" not in problems and vitals.diastolic_bp >= vitals.systolic_bp:
        problems["diastolic_bp"] = "Diastolic blood pressure must be below the systolic."
    return problems


# A limit no finite dose exceeds: check_dose then answers only "is this a positive number".
_ANY_FINITE_DOSE = DoseLimit(product_code="", route="", max_dose_per_kg=math.inf)


def dose_problems(dose: float) -> list[str]:
    """Refuse a dose that is not a finite number above 0 (NaN compares false to everything)."""
    return check_dose(DoseRequest("", "", dose, 0.0), _ANY_FINITE_DOSE)


def _minute(moment: datetime) -> datetime:
    # The bedside form records the time to the minute: a lot released or a stay cleared at
    # 10:00:40 may be given at "10:00".
    return moment.replace(second=0, microsecond=0)


def _patient_refusals(patient: PatientFacts | None, request: AdministrationRequest) -> list[str]:
    if patient is None:
        return [f"No patient has the wristband ID {request.patient_code}."]
    if patient.open_stay_plan_id is None:
        return [f"Patient {patient.code} is not admitted on your ward."]
    reasons = []
    if patient.admitted_at and request.given_at < patient.admitted_at:
        reasons.append("The time given is before the patient was admitted.")
    if patient.screening_refusal:
        reasons.append(patient.screening_refusal)
    if patient.day_one_refusal:
        reasons.append(patient.day_one_refusal)
    elif patient.cleared_at and request.given_at < _minute(patient.cleared_at):
        reasons.append(
            "The time given is before the day-one screening that cleared the stay "
            f"({patient.cleared_at:%Y-%m-%d %H:%M})."
        )
    return reasons


def _lot_refusals(
    lot: LotFacts, patient: PatientFacts | None, request: AdministrationRequest
) -> list[str]:
    reasons = []
    if lot.recall_reason:
        reasons.append(f"Lot {lot.code} was recalled ({lot.recall_reason}): do not give it.")
    elif lot.status != RELEASED:
        reasons.append(f"Lot {lot.code} is not released (status: {lot.status_label.lower()}).")
    if lot.donor_refusal:
        reasons.append(f"Lot {lot.code}: {lot.donor_refusal}")
    # Unexpired both when given and now: a back-dated time must not revive an expired lot.
    if max(request.given_at, request.now) >= lot.expires_at:
        reasons.append(f"Lot {lot.code} expired on {lot.expires_at:%Y-%m-%d %H:%M %Z}.".strip())
    if lot.status == RELEASED and lot.released_at is None:
        reasons.append(f"Lot {lot.code} has no release time on record.")
    elif lot.released_at and request.given_at < _minute(lot.released_at):
        reasons.append(
            f"The time given is before lot {lot.code} was released "
            f"({lot.released_at:%Y-%m-%d %H:%M})."
        )
    if lot.already_administered:
        reasons.append(f"Lot {lot.code} has already been administered.")
    if lot.blocked_reason:
        reasons.append(f"Lot {lot.code} is blocked: {lot.blocked_reason}")
    if lot.stored_at:
        reasons.append(
            f"Lot {lot.code} is still in cryostorage ({lot.stored_at}): "
            "the lab retrieves and thaws it first."
        )
    elif lot.awaiting_thaw:
        reasons.append(f"Lot {lot.code} is frozen: the lab records its thaw first.")
    elif lot.thawed_at and request.given_at < _minute(lot.thawed_at):
        reasons.append(
            f"The time given is before lot {lot.code} was thawed ({lot.thawed_at:%Y-%m-%d %H:%M})."
        )
    if lot.divided:
        reasons.append(f"Lot {lot.code} was split into divisions: scan the part to give.")
    reasons += _hold_refusals(lot)
    if patient is not None and patient.open_stay_plan_id is not None:
        if lot.chain and lot.chain != patient.plan_chain:
            theirs = patient.plan_chain or "none"
            reasons.append(
                f"Lot {lot.code} belongs to Chain of Identity {lot.chain}, not to the "
                f"patient's plan's ({theirs})."
            )
        if lot.plan_id != patient.open_stay_plan_id:
            reasons.append(f"Lot {lot.code} was made for another patient.")
        if lot.autologous and lot.source_patient_id != patient.patient_id:
            reasons.append(
                f"Lot {lot.code} is autologous and holds cells harvested from another patient."
            )
    return reasons


def lot_notices(lot: LotFacts | None) -> list[str]:
    """What the nurse must know about a lot that may be given: told, not refused."""
    if lot is None:
        return []
    notices = []
    if lot.sterility_pending:
        notices.append(
            f"Lot {lot.code} was released pending sterility: its culture is still running. "
            "If it turns positive the lot is blocked and the treating doctor alerted."
        )
    if lot.exceptional_release:
        notices.append(
            f"Lot {lot.code} is an exceptional release: it failed QC and was released by the "
            "medical director after the treating physician accepted the risk."
        )
    return notices


def _hold_refusals(lot: LotFacts) -> list[str]:
    """Name the site that holds the lot: its doctors, not the nurse's, can clear it."""
    if not lot.held_by:
        return []
    sites = " and ".join(sorted({hold.site for hold in lot.held_by}))
    review = "a doctor there must review and clear it"
    if any(hold.lot_code == lot.code for hold in lot.held_by):
        return [f"Lot {lot.code} is on hold after a serious adverse event at {sites}: {review}."]
    others = ", ".join(sorted({hold.lot_code for hold in lot.held_by}))
    return [
        f"Lot {lot.code} is on hold after a serious adverse event at {sites} with lot {others} "
        f"from the same donor or harvest: {review}."
    ]


def matching_planned_dose(
    planned: Sequence[PlannedDose], lot: LotFacts, route: str | None, day: int | None = None
) -> PlannedDose | None:
    """Return the planned dose of the lot's product (by the route, if given) to give on `day`.

    Of the doses not given yet, the one due that day comes first, then the earliest; a dose
    already given is returned only when nothing else is left, so the gate can say so.
    """
    candidates = [
        p
        for p in planned
        if p.product_code == lot.product_code and (route is None or p.route == route)
    ]
    open_doses = [p for p in candidates if not p.already_given]
    due_today = [p for p in open_doses if p.due_day == day]
    return (due_today or open_doses or candidates or [None])[0]


def _day_refusals(match: PlannedDose, lot: LotFacts, patient: PatientFacts, day: int) -> list[str]:
    if match.already_given or match.due_day == day or patient.first_day is None:
        return []
    due_on = patient.first_day + timedelta(days=match.due_day - 1)
    planned = (
        f"a doctor allowed day {match.due_day} ({due_on:%Y-%m-%d}) instead of day "
        f"{match.day_of_stay}"
        if match.allowed_day
        else f"it is planned for day {match.due_day} of the stay ({due_on:%Y-%m-%d})"
    )
    return [
        f"{lot.product_name} by {match.route} is not due today, day {day} of the stay: "
        f"{planned}. Only a doctor may allow another day."
    ]


def _plan_refusals(
    planned: Sequence[PlannedDose],
    lot: LotFacts,
    patient: PatientFacts,
    request: AdministrationRequest,
    given: Sequence[DayDose],
) -> list[str]:
    same_product = [p for p in planned if p.product_code == lot.product_code]
    if not same_product:
        return [f"{lot.product_name} is not in this patient's treatment plan."]
    day = day_of_stay(patient.first_day, request.given_on) if patient.first_day else None
    match = matching_planned_dose(planned, lot, request.route, day)
    if match is None:
        routes = ", ".join(sorted({p.route for p in same_product}))
        return [f"Route {request.route} is not planned for {lot.product_name} (planned: {routes})."]
    reasons = []
    if match.already_given:
        reasons.append(f"Every planned dose of {lot.product_name} by {match.route} was given.")
    if day is not None:
        reasons += _day_refusals(match, lot, patient, day)
    dose, unit = request.dose_per_kg, match.unit
    if dose_problems(dose):
        return reasons  # refused once already; no comparison with the plan means anything
    if dose > match.dose_per_kg:
        reasons.append(
            f"Dose {dose_per_kg(dose, unit)} is above the planned dose "
            f"{dose_per_kg(match.dose_per_kg, unit)}."
        )
    if match.limit is None:
        reasons.append(
            f"The catalog sets no maximum safe dose of {lot.product_name} by {match.route}."
        )
    elif dose > match.limit.max_dose_per_kg:
        reasons.append(
            f"Dose {dose_per_kg(dose, unit)} is above the maximum safe dose "
            f"{dose_per_kg(match.limit.max_dose_per_kg, unit)} for {match.route} use."
        )
    elif day is not None:
        reasons += check_cumulative(match.limit, dose=dose, day=day, already=given)
    if patient.weight_kg is not None:
        reasons += check_content(
            lot.code, content=lot.content, dose=dose, weight_kg=patient.weight_kg, unit=unit
        )
    return reasons


def administration_refusals(
    *,
    patient: PatientFacts | None,
    lot: LotFacts | None,
    planned: Sequence[PlannedDose],
    request: AdministrationRequest,
    given: Sequence[DayDose] = (),
) -> list[str]:
    """List every reason the lot may not be given; empty means it may.

    `given` holds what the stay's patient has already received, by day of the stay: the
    per-day and per-course ceilings count it.
    """
    reasons = _patient_refusals(patient, request)
    if request.given_at > request.now:
        reasons.append("The time given is in the future.")
    elif request.given_at < request.now - MAX_BACKDATING:
        hours = MAX_BACKDATING.total_seconds() / 3600
        reasons.append(
            f"The time given is more than {hours:g} hours ago: record an administration "
            "when it is given, not later."
        )
    reasons += dose_problems(request.dose_per_kg)
    if lot is None:
        reasons.append(f"No lot has the ID {request.lot_code}.")
        return reasons
    reasons += _lot_refusals(lot, patient, request)
    if patient is not None and patient.open_stay_plan_id is not None:
        reasons += _plan_refusals(planned, lot, patient, request, given)
    return reasons


# Grades 4 (life-threatening) and 5 (death) meet the ICH E2A definition of a serious
# adverse event by themselves, so a report that says otherwise is refused, not corrected.
SERIOUS_FROM_GRADE = 4
FATAL_GRADE = 5
FATAL_OUTCOME = "fatal"


def adverse_event_problems(*, grade: int, serious: bool, outcome: str) -> dict[str, str]:
    """Return a message per inconsistent field of an adverse event report."""
    problems = {}
    if not 1 <= grade <= FATAL_GRADE:
        return {"ctcae_grade": "CTCAE grade must be 1 to 5."}
    if grade >= SERIOUS_FROM_GRADE and not serious:
        problems["serious"] = (
            f"A grade {grade} event is life-threatening or fatal: it must be reported as serious."
        )
    if grade == FATAL_GRADE and outcome != FATAL_OUTCOME:
        problems["outcome"] = "A grade 5 event is a death: its outcome must be fatal."
    if outcome == FATAL_OUTCOME and grade != FATAL_GRADE:
        problems["ctcae_grade"] = "A fatal outcome is CTCAE grade 5."
    return problems


def off_planned_time(planned: time | None, now: time) -> str:
    """Return a notice when `now` is more than two hours from the planned time, else "".

    Both are the clinic's local times of day; the notice names both so the nurse can judge
    (a dose moved to the afternoon for a scan is fine, one forgotten since morning may not be).
    """
    if planned is None:
        return ""
    minutes = abs((now.hour * 60 + now.minute) - (planned.hour * 60 + planned.minute))
    if minutes <= TIME_NOTICE_AFTER.total_seconds() // 60:
        return ""
    return f"Planned for {planned:%H:%M}; now {now:%H:%M}."
