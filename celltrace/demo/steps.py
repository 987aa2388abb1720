"""Each step of a demo story, done through the action a user's click calls.

This is the one module of the demo that calls actions, each in one place, so a change of an
action's signature is met here once. Every step runs at the moment the clock was moved to
(celltrace/demo/clinic.py), so each action sees "now" as the live system would and applies
its own rules; a refusal is a bug of the demo and stops it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from celltrace.accounts import site_time
from celltrace.care.actions import (
    book_interpreter,
    book_meals,
    book_transfer,
    mark_session,
    record_round,
    schedule_therapy_sessions,
)
from celltrace.care.models import TherapySession
from celltrace.catalog.models import CellProduct, DonorTest, Source, Therapy
from celltrace.clinical.process import ReagentLot
from celltrace.demo import answer_sheets, setup
from celltrace.demo.facts import NORMAL_LABS
from celltrace.demo.stories import Story
from celltrace.followup.actions import (
    book_appointment,
    complete_follow_up_item,
    record_appointment_outcome,
    record_follow_up_end,
)
from celltrace.followup.models import Appointment
from celltrace.homecare.actions import confirm_dose as confirm_home_dose
from celltrace.intake.actions import (
    EstimateItem,
    add_contact_note,
    book_consultation,
    claim_request,
    close_request,
    convert_to_patient,
    record_consultation,
    submit_request,
)
from celltrace.intake.models import Consultation, ConsultationRequest
from celltrace.lab.actions import (
    accept_exceptional_release,
    allocate_lot,
    close_investigation,
    create_donor_lot,
    determine_donor,
    open_investigation,
    record_donor_test,
    record_process_step,
    record_qc_result,
    register_donor,
    release_lot,
    start_autologous_lot,
)
from celltrace.lab.actions import release_exceptionally as release_exceptionally_action
from celltrace.lab.models import Donor, ProductLot
from celltrace.outcomes.actions import (
    record_instrument,
    record_isncsci_exam,
    record_measurement,
    record_mri_scan,
    record_relapse,
)
from celltrace.patients.models import Patient
from celltrace.plans.actions import accept_quote, amend_plan, cancel_plan, create_plan
from celltrace.plans.models import TreatmentPlan
from celltrace.plans.requests import (
    PlanRequest,
    RequestedDose,
    RequestedHomeCare,
    RequestedTherapy,
)
from celltrace.refusal import Refused
from celltrace.screening.actions import (
    record_fact,
    record_prior_therapy,
    rescreen_on_admission,
    screen_patient,
    sign_screening,
)
from celltrace.screening.evaluation import day_one_check
from celltrace.screening.models import Screening
from celltrace.stays.actions import (
    admit_patient,
    discharge_patient,
    record_administration,
    report_adverse_event,
    update_adverse_event,
)
from celltrace.stays.models import AdverseEvent, Stay
from celltrace.stays.occupancy import doctor_loads, free_beds
from celltrace.ward.actions import add_bed, add_room

# Each site's ward: 12 beds in 6 rooms, 2 of them adapted for limited mobility.
WARD_ROOMS, ACCESSIBLE_ROOMS, BEDS_PER_ROOM = 6, 2, ("A", "B")
JUSTIFICATION = "Synthetic: the team weighed the risk and agrees to treat with monitoring."
CALL = dt.timedelta(minutes=30)  # an advisor's consultation
ANSWER_REASONS = {
    "yes": "Synthetic: the reports show the condition the therapy is used for, and no exclusion.",
    "possibly": "Synthetic: the doctors must first see recent blood tests and imaging.",
    "no": "Synthetic: advanced disease outside what the therapy can help.",
}
INVOLVES = (
    "Synthetic: a stay of 5 to 9 days at the clinic, cell products given by infusion, daily "
    "rehabilitation, then home care for up to five weeks and a free check-up at 3 months."
)


@dataclass
class Case:
    """What one story has made so far: its request, patient, decision, plan, lot and stay."""

    story: Story
    staff: dict
    request: ConsultationRequest | None = None
    patient: Patient | None = None
    screening: Screening | None = None
    plan: TreatmentPlan | None = None
    plan_request: PlanRequest | None = None  # what the plan in force asked for
    product: CellProduct | None = None  # the plan's product, route and dose per kg
    route: str = ""
    dose: float = 0.0
    lot: ProductLot | None = None
    stay: Stay | None = None
    screened_on: dt.date | None = None
    follow_up: list | None = None
    sessions: list[TherapySession] = field(default_factory=list)  # in schedule order
    missed_sessions: dict[int, str] = field(default_factory=dict)  # by place in the schedule
    events: dict[str, AdverseEvent] = field(default_factory=dict)  # by CTCAE term


def submit(clinic, case: Case) -> None:
    """The person fills in the public form (marked synthetic by the build: clinic.py)."""
    story = case.story
    clinic.route_public_form(story.site)
    fields = {name: story.person[name] for name in ("full_name", "email", "phone")}
    fields |= {name: story.person[name] for name in ("country", "language")}
    fields |= {
        "condition": clinic.conditions[story.condition],
        "description": "Synthetic demo request: asks whether cell therapy could help.",
        "consent_health_data": True,
    }
    # Addresses from the documentation ranges (RFC 5737), one per person.
    network = ("192.0.2", "198.51.100", "203.0.113")[story.number // 250]
    address = f"{network}.{story.number % 250}"
    case.request = submit_request(fields=fields, files=[], client_address=address)


def claim(clinic, case: Case) -> None:
    case.request = claim_request(case.request, case.staff["advisor"])


def note(clinic, case: Case) -> None:
    text = "Synthetic: video call; explained what the therapy involves and what it costs."
    add_contact_note(case.request, case.staff["advisor"], text=text)


def book(clinic, case: Case, *, starts_at, latest, mode, time_zone) -> None:
    """The advisor books the call at the first half hour free in their diary from `starts_at`.

    Every story's advisor is the site's one advisor, so two stories may want the same time;
    the advisor then takes the next free slot, or none before `latest` (the call was a phone
    call the advisor made at once, with nothing booked).
    """
    advisor = case.staff["advisor"]
    while latest is None or starts_at + CALL <= latest:
        try:
            book_consultation(
                case.request, advisor, starts_at=starts_at, minutes=CALL.seconds // 60,
                mode=mode, time_zone=time_zone,
            )  # fmt: skip
            return
        except Refused as refusal:
            if refusal.code != "advisor_busy":
                raise
            starts_at += CALL


def consult(clinic, case: Case, *, answer: str) -> None:
    """The advisor records the three answers after the call, with an estimate from the catalog."""
    booked = case.request.consultations.filter(status=Consultation.Status.BOOKED).first()
    if booked is None:  # no slot was free: see book()
        return
    number = case.story.number
    products = list(CellProduct.objects.filter(active=True).order_by("pk"))
    therapies = list(Therapy.objects.filter(active=True).order_by("pk"))
    items = [
        EstimateItem(products[number % len(products)], 1 + number % 2),
        EstimateItem(therapies[number % len(therapies)], 5),
        EstimateItem(therapies[(number + 1) % len(therapies)], 3),
    ]
    record_consultation(
        booked,
        case.staff["advisor"],
        could_help=answer,
        could_help_reason=ANSWER_REASONS[answer],
        involves="" if answer == "no" else INVOLVES,
        items=[] if answer == "no" else items,
        stay_days=(5, 9),
    )


def close(clinic, case: Case) -> None:
    reason = "Synthetic: advanced disease outside what the therapy can help."
    case.request = close_request(case.request, case.staff["advisor"], reason=reason)


def convert(clinic, case: Case) -> None:
    person = case.story.person
    case.patient = convert_to_patient(
        case.request,
        case.staff["advisor"],
        date_of_birth=person["date_of_birth"],
        sex=person["sex"],
        weight_kg=person["weight_kg"],
    )


def facts(clinic, case: Case, *, yes=(), skip=(), only_yes=False) -> None:
    """Record the screening visit: labs, each question for the patient's sex, history review."""
    if only_yes:  # an exclusion found: nothing more could change "not eligible"
        _record_facts(case, "doctor", "Synthetic screening visit", [], yes, yes)
        return
    labs = [analyte for analyte in NORMAL_LABS if analyte not in skip]
    questions = [q for q in clinic.questions_for(case.patient.sex) if q not in skip]
    _record_facts(case, "doctor", "Synthetic screening visit", labs, questions, yes, review=True)
    case.screened_on = timezone.localdate()


def admission_facts(clinic, case: Case, *, yes=()) -> None:
    """Fresh bloods on admission, again each answer the rules count as stale by now, and
    each answer that is "yes" on admission."""
    age = (timezone.localdate() - case.screened_on).days
    stale = clinic.questions_for(case.patient.sex, stale_after_days=age)
    questions = list(dict.fromkeys([*stale, *yes]))  # a "yes" is said again, or said first
    _record_facts(case, "nurse", "Synthetic admission bloods", NORMAL_LABS, questions, yes)


def _record_facts(case: Case, by: str, provenance, labs, questions, yes, *, review=False):
    user, common = case.staff[by], {"on": timezone.localdate(), "provenance": provenance}
    for analyte in labs:
        value, unit = NORMAL_LABS[analyte]
        fact = {"analyte": analyte, "value": value, "unit": unit}
        record_fact(case.patient, user, kind="lab", **common, **fact)
    for question in questions:
        answer = {"question": question, "yes": question in yes}
        record_fact(case.patient, user, kind="answer", **common, **answer)
    if review:
        record_fact(case.patient, user, kind="history_review", **common)


def screen(clinic, case: Case, *, treatment_date: dt.date) -> None:
    case.screening = screen_patient(
        case.patient, case.staff["doctor"], treatment_date=treatment_date, source=Source.AUTOLOGOUS
    )


def sign(clinic, case: Case, *, doctor: str = "doctor") -> None:
    _sign(clinic, case.screening, doctor=case.staff[doctor])


def _sign(clinic, screening: Screening, *, doctor) -> None:
    justifications = {rule["rule_id"]: JUSTIFICATION for rule in screening.cautions}
    sign_screening(screening, doctor, password=clinic.password, justifications=justifications)


def sign_2(clinic, case: Case) -> None:
    sign(clinic, case, doctor="doctor_2")


def plan(
    clinic,
    case: Case,
    *,
    admission,
    discharge,
    product,
    route,
    dose,
    day,
    planned_time,
    therapies,
    home_care=(),
):
    case.plan_request = PlanRequest(
        weight_kg=case.patient.weight_kg,
        admission_date=admission,
        discharge_date=discharge,
        doses=(RequestedDose(clinic.products[product], route, dose, day, planned_time),),
        therapies=tuple(
            RequestedTherapy(clinic.therapies[code], sessions) for code, sessions in therapies
        ),
        home_care=tuple(
            RequestedHomeCare(**(item | {"product": clinic.products[item["product"]]}))
            for item in home_care
        ),
        notes="Synthetic plan.",
    )
    case.plan = create_plan(
        case.patient, case.staff["doctor"], case.plan_request, password=clinic.password
    )
    _accept_quote(case)  # the patient signs the quote at the planning consultation
    case.product, case.route, case.dose = clinic.products[product], route, dose


def _accept_quote(case: Case) -> None:
    accept_quote(
        case.plan,
        case.staff["coordinator"],
        accepted_by_name=case.patient.full_name,
        accepted_at=timezone.now(),
        channel="signed_form",
    )


def amend(clinic, case: Case, *, weight_kg: float) -> None:
    """The doctor corrects the plan's weight, signing the new version; the patient accepts
    its quote again."""
    case.plan_request = dataclasses.replace(case.plan_request, weight_kg=weight_kg)
    case.plan = amend_plan(
        case.plan,
        case.staff["doctor"],
        case.plan_request,
        reason="Synthetic: weighed again at the pre-admission call; the record was out of date.",
        password=clinic.password,
    )
    case.patient.weight_kg = weight_kg  # amend_plan saved it; the lot is made for it
    _accept_quote(case)


def cancel(clinic, case: Case) -> None:
    reason = "Synthetic: the patient postponed the treatment for family reasons."
    case.plan = cancel_plan(case.plan, case.staff["coordinator"], reason=reason)


def interpreter(clinic, case: Case) -> None:
    """The coordinator books an interpreter in the patient's language."""
    book_interpreter(case.plan, case.staff["coordinator"])


def transfer(clinic, case: Case, *, direction, flight, day, time, pickup) -> None:
    """The coordinator books the driver for a flight; the pickup is the site's wall clock."""
    site = clinic.sites[case.story.site]
    book_transfer(
        case.plan,
        case.staff["coordinator"],
        direction=direction,
        flight_number=flight,
        scheduled_at=site_time.at(day, time, site),
        pickup_place=pickup,
    )


def meals(clinic, case: Case, *, diet: str, notes: str) -> None:
    book_meals(case.plan, case.staff["coordinator"], diet=diet, notes=notes)


def make_lot(clinic, case: Case, *, donor_code: str) -> None:
    """Harvest the patient's own cells, or start a lot from an eligible donor's tissue."""
    technician, product = case.staff["lab_technician"], case.product
    if product.source == Source.AUTOLOGOUS:
        case.lot = start_autologous_lot(
            case.plan, technician, product=product, harvested_at=timezone.now()
        )
    else:
        case.lot = create_donor_lot(
            case.patient.site,
            technician,
            product=product,
            donor=eligible_donor(case.patient.site, case.staff, donor_code),
            made_at=timezone.now(),
        )


def eligible_donor(site, staff, code: str) -> Donor:
    """The site's donor `code`; a new one is registered, tested and determined eligible."""
    donor = Donor.objects.filter(site=site, code=code).first()
    if donor is None:
        donor = register_and_test_donor(site, staff, code)
        donor = determine_donor(donor, staff["doctor"], decision="eligible")
    return donor


def register_and_test_donor(site, staff, code: str, *, reactive=(), skip=()) -> Donor:
    """Register a donor recovered today and record the catalog's tests (reactive as told)."""
    technician, today = staff["lab_technician"], site_time.today(site)
    donor = register_donor(
        site, technician, code=code, recovered_on=today, sex="female", age_years=31
    )
    for test in DonorTest.objects.filter(active=True).exclude(code__in=skip):
        record_donor_test(
            donor,
            technician,
            test=test.code,
            reactive=test.code in reactive,
            specimen_date=today,
            laboratory="Regional serology laboratory",
        )
    return donor


# A formulated bag holds a fifth more than the planned dose for the patient's weight.
CONTENT_MARGIN = 1.2


# The lab's equipment and the reagent lots in use: one lot of each reagent serves many product
# lots, which is what lets a reagent recall find them.
EQUIPMENT = {
    "separation": "CENT-01",
    "cultivation": "INC-03",
    "activation": "INC-03",
    "formulation": "BSC-02",
    "fill": "BSC-02",
}
REAGENTS = {
    "separation": [("Ficoll-Paque PLUS", "FP-24117")],
    "cultivation": [("Xeno-free MSC medium", "XF-5521"), ("TrypLE Select", "TS-0932")],
    "activation": [("Interferon-gamma", "IG-771")],
    "formulation": [("Saline 0.9 % with 1 % human albumin", "SA-3308")],
}
REAGENT_SHELF_DAYS = 365


def process(clinic, case: Case, *, step: str) -> None:
    content = {}
    if step == "formulation":
        needed = case.dose * case.patient.weight_kg
        content = {"viable_content": round(needed * CONTENT_MARGIN, -3), "volume_ml": 20.0}
    if step == "cultivation":
        content["passage"] = case.lot.steps.filter(step="cultivation").count() + 1
    expires = timezone.localdate() + dt.timedelta(days=REAGENT_SHELF_DAYS)
    record_process_step(
        case.lot,
        case.staff["lab_technician"],
        step=step,
        performed_at=timezone.now(),
        equipment=EQUIPMENT.get(step, ""),
        reagents=[ReagentLot(name, lot, expires) for name, lot in REAGENTS.get(step, ())],
        **content,
    )


def _passing(spec, quality: float) -> dict:
    """A result inside the spec; `quality` places it between the limit and the best value."""
    if spec.is_pass_fail:
        return {"passed": True}
    if spec.minimum is None:
        # A limit computed for the patient (K/M) is at least a few EU/mL: stay well below.
        ceiling = spec.maximum if spec.maximum is not None else 0.5
        return {"value": round(ceiling * (1 - quality), 3)}
    ceiling = 100 if spec.unit.startswith("%") else spec.minimum * 4
    return {"value": round(spec.minimum + (ceiling - spec.minimum) * quality, 1)}


# The demo's out-of-specification viability: below the 70 % minimum.
FAILED_VIABILITY = 64.0


def qc(clinic, case: Case, *, quality: float, outcome: str = "pass") -> None:
    """Every test of the product's specification; `quality` places each value.

    `outcome` "retest": viability fails first, an investigation finds a laboratory error
    and the retest passes. "confirmed": viability fails and the investigation confirms it
    (the lot then needs an exceptional release).
    """
    technician = case.staff["lab_technician"]
    for spec in clinic.qc_specs[case.product.pk]:
        result = _passing(spec, quality)
        if spec.test == "viability" and outcome != "pass":
            failed = record_qc_result(
                case.lot, technician, test="viability", value=FAILED_VIABILITY,
                tested_at=timezone.now(),
            )  # fmt: skip
            _investigate(case, failed, confirmed=outcome == "confirmed")
            if outcome == "confirmed":
                continue
        record_qc_result(case.lot, technician, test=spec.test, tested_at=timezone.now(), **result)


def _investigate(case: Case, failed, *, confirmed: bool) -> None:
    investigation = open_investigation(
        case.lot,
        case.staff["lab_technician"],
        result_ids=[failed.pk],
        description="Viability below specification; sample handling and counter checked.",
    )
    close_investigation(
        investigation,
        case.staff["quality_reviewer"],
        conclusion="confirmed" if confirmed else "lab_error",
        findings=(
            "Repeat count on a retained sample confirms low viability."
            if confirmed
            else "The sample sat 40 minutes at room temperature before staining: "
            "assignable laboratory error, retest on a fresh sample."
        ),
    )


def release_exceptionally(clinic, case: Case) -> None:
    """The treating doctor accepts the risk; the site's medical director releases the lot."""
    accept_exceptional_release(
        case.lot,
        case.plan.created_by,
        statement="Viability 64 % against 70 %: the patient's only harvest; a lower effective "
        "dose is accepted, no safety signal.",
        password=clinic.password,
    )
    case.lot = release_exceptionally_action(
        case.lot,
        case.lot.site.medical_director,
        justification="Every record reviewed: sterility, mycoplasma, endotoxin and identity "
        "passed; only viability is below specification.",
        password=clinic.password,
    )


def release(clinic, case: Case) -> None:
    reviewer = case.staff["quality_reviewer"]
    case.lot = release_lot(case.lot, reviewer, password=clinic.password)


def allocate(clinic, case: Case) -> None:
    case.lot = allocate_lot(case.lot, case.plan, case.staff["lab_technician"])


def open_ward(site, admin) -> None:
    """Furnish a site's ward: rooms of two beds, the first ones adapted for limited mobility."""
    for index in range(WARD_ROOMS):
        number = f"{index + 1:02d}"
        room = add_room(site, admin, number=number, floor=1, accessible=index < ACCESSIBLE_ROOMS)
        for label in BEDS_PER_ROOM:
            add_bed(room, admin, label=label)


def admit(clinic, case: Case) -> None:
    """The coordinator takes a free bed and the next doctor with room, in turn.

    A patient with a spinal cord injury gets an accessible room while one is free.
    """
    site_id = case.patient.site_id
    beds = free_beds(site_id)
    accessible = case.story.condition == "sci"
    bed = beds.filter(room__accessible=accessible).first() or beds.first()
    with_room = [load.doctor for load in doctor_loads(site_id) if load.has_room]
    if bed is None or not with_room:
        raise Refused("The demo ward is full: no free bed or no doctor with room.", code="full")
    turn = clinic.admissions.get(site_id, 0)
    clinic.admissions[site_id] = turn + 1
    case.stay = admit_patient(
        case.plan,
        case.staff["coordinator"],
        admitted_at=timezone.now(),
        bed=bed,
        doctor=with_room[turn % len(with_room)],
        weight_kg=case.plan.weight_kg,
    )


def day_one(clinic, case: Case) -> None:
    rescreen_on_admission(case.stay, case.staff["nurse"])


def review_day_one(clinic, case: Case, *, doctor: str) -> None:
    """A doctor signs the day-one re-check if it waits for the doctors' review, else nothing."""
    review = day_one_check(case.stay).review
    if review is not None:
        _sign(clinic, review, doctor=case.staff[doctor])


def measure(
    clinic, case: Case, *, values: dict[str, float], exam: dict | None = None, follow_up=False
) -> None:
    """The doctor records the visit's instruments, each from its own form (answer_sheets.py);
    an SCI patient's ISNCSCI exam is classified by the product's engine.

    EDSS alone is recorded as its step: drawing a Neurostatus sheet that scores to a given
    step is not worth its cost to the demo.
    """
    doctor, on = case.staff["doctor"], timezone.localdate()
    timepoint = "follow_up" if follow_up else "baseline"
    if exam is not None:
        record_isncsci_exam(case.patient, doctor, exam=exam, timepoint=timepoint, measured_on=on)
    targets = dict(values)
    if "edss" in targets:
        edss = targets.pop("edss")
        record_measurement(
            case.patient, doctor, instrument="edss", value=edss, timepoint=timepoint, measured_on=on
        )
    for code, data in _answers(case).sheets(targets, on).items():
        record_instrument(case.patient, doctor, code, data, on, timepoint=timepoint)


def _answers(case: Case) -> answer_sheets.Patient:
    """The story's patient answering: the same leanings at every visit of the build."""
    patient = case.patient
    key = f"story-{case.story.number}"
    return answer_sheets.Patient(key, born=patient.date_of_birth, sex=patient.sex)


def end_follow_up(clinic, case: Case, *, reason: str, detail: str) -> None:
    """The coordinator records that the patient left follow-up, with what they said."""
    record_follow_up_end(
        case.patient,
        case.staff["coordinator"],
        on=timezone.localdate(),
        reason=reason,
        detail=detail,
    )


def relapse(clinic, case: Case, *, onset: dt.date) -> None:
    """The doctor records the MS relapse the patient reports at the check-up."""
    note = "Synthetic: new symptoms over days, reported at the check-up."
    record_relapse(case.patient, case.staff["doctor"], onset=onset, confirmed=True, note=note)


def prior_therapies(clinic, case: Case, *, codes: tuple[str, ...]) -> None:
    """The doctor records the therapies the MS patient had before, at the screening visit."""
    year = timezone.localdate().year
    for number, code in enumerate(codes):
        years = {} if code == "none" else {"started_year": year - 6 + 3 * number}
        if code != "none" and number < len(codes) - 1:
            years["stopped_year"] = year - 4 + 3 * number
        record_prior_therapy(case.patient, case.staff["doctor"], therapy=code, **years)


def mri_scan(clinic, case: Case, *, new_t2_lesions: int, gd_lesions: int | None) -> None:
    """The doctor records the radiologist's counts of the MRI done for the check-up."""
    record_mri_scan(
        case.patient,
        case.staff["doctor"],
        scanned_on=timezone.localdate(),
        new_t2_lesions=new_t2_lesions,
        gd_lesions=gd_lesions,
        note="Synthetic: brain MRI for the check-up.",
    )


def administer(clinic, case: Case, *, vitals: dict) -> None:
    """The nurse scans the wristband and the lot at the bedside and gives the planned dose."""
    record_administration(
        case.staff["nurse"],
        patient_code=case.patient.code,
        lot_code=case.lot.code,
        dose_per_kg=case.dose,
        route=case.route,
        given_at=timezone.now(),
        **vitals,
    )


def adverse_event(clinic, case: Case, *, term: str, grade: int, resolved: bool = True) -> None:
    """A coded side effect after the product, named against that administration (so its
    lot): over by the report, or still going and resolved later (resolve_event)."""
    given = case.stay.administrations.order_by("-given_at").first()
    case.events[term] = report_adverse_event(
        case.stay,
        case.staff["nurse"],
        term=term,
        onset_at=timezone.now() - dt.timedelta(minutes=30),
        resolved_at=timezone.now() if resolved else None,
        ctcae_grade=grade,
        serious=False,
        relatedness="possible",
        outcome="recovered" if resolved else "not_recovered",
        administration_id=given.pk if given else None,
        description="Synthetic: resolved within hours." if resolved else "Synthetic: ongoing.",
    )


def follow_event(clinic, case: Case, *, term: str) -> None:
    """The nurse looks again: easing, not over."""
    _update_event(case, term, "recovering", "Synthetic: easing after paracetamol.", None)


def resolve_event(clinic, case: Case, *, term: str) -> None:
    _update_event(case, term, "recovered", "Synthetic: resolved within hours.", timezone.now())


def _update_event(case: Case, term: str, outcome: str, description: str, resolved_at) -> None:
    event = case.events[term]
    case.events[term] = update_adverse_event(
        event,
        case.staff["nurse"],
        ctcae_grade=event.ctcae_grade,
        serious=event.serious,
        relatedness=event.relatedness,
        outcome=outcome,
        description=description,
        resolved_at=resolved_at,
    )


def schedule_sessions(clinic, case: Case, *, by: str, missed: dict[int, str]) -> None:
    """The plan's therapy sessions spread over the stay; `missed` names those the patient
    will miss, by their place in the schedule, with the reason."""
    case.sessions = schedule_therapy_sessions(case.stay, case.staff[by])
    case.missed_sessions = missed


# A session ends this long after it starts: one that would end after the discharge is missed.
SESSION_LENGTH = dt.timedelta(minutes=45)
DISCHARGED_FIRST = "Synthetic: the patient was discharged before the session."


def chart_sessions(clinic, case: Case) -> None:
    """The nurse records each session held by now: given, or missed and why."""
    now, left = timezone.now(), case.stay.discharged_at
    for index, session in enumerate(case.sessions):
        if session.is_final or session.scheduled_for > now:
            continue
        reason = case.missed_sessions.get(index, "")
        if left is not None and session.scheduled_for + SESSION_LENGTH > left:
            reason = DISCHARGED_FIRST
        status = TherapySession.Status.MISSED if reason else TherapySession.Status.GIVEN
        case.sessions[index] = mark_session(
            session, case.staff["nurse"], status=status, reason=reason
        )


def ward_round(clinic, case: Case, *, vitals: dict, **findings) -> None:
    """The stay's attending doctor sees the patient."""
    record_round(case.stay, case.stay.doctor, taken_at=timezone.now(), **vitals, **findings)


def discharge(clinic, case: Case, *, doctor: str) -> None:
    case.stay = discharge_patient(
        case.stay, case.staff[doctor], password=clinic.password, discharged_at=timezone.now()
    )
    case.follow_up = list(case.stay.follow_up.order_by("due_date", "pk"))


def portal_login(clinic, case: Case, *, username: str | None) -> None:
    """The patient leaves with a portal login, to confirm the home-care doses from home."""
    setup.create_portal_login(case.patient, clinic.admin, username=username)


def confirm_dose(clinic, case: Case, *, product: str, day: dt.date) -> None:
    """The patient confirms in the portal, that evening, the dose they took."""
    dose = case.patient.home_care_doses.get(product__code=product, day=day)
    confirm_home_dose(dose, case.patient.portal_user)


def complete_follow_up(clinic, case: Case, *, index: int) -> None:
    item = case.follow_up[index]
    complete_follow_up_item(item, case.staff["coordinator"], notes="Synthetic: done as planned.")


def book_checkup(clinic, case: Case, *, index: int, day, time, place: str) -> None:
    """The coordinator books the day agreed with the patient, at the clinic or remote."""
    patient = case.patient
    remote = {
        "video": {"link": f"https://video.example.org/celltrace-demo/{patient.code}"},
        "phone": {"phone": patient.phone or "+00 000 000 000"},
    }
    book_appointment(
        case.follow_up[index], case.staff["coordinator"], day=day, time=time, place=place,
        **remote.get(place, {}),
    )  # fmt: skip


def attend_checkup(clinic, case: Case, *, index: int) -> None:
    """The patient came: the coordinator records it, which completes the check-up."""
    appointment = case.follow_up[index].appointments.get(status=Appointment.Status.BOOKED)
    record_appointment_outcome(appointment, case.staff["coordinator"], status="attended")


STEPS = {
    step.__name__: step
    for step in (
        submit,
        claim,
        book,
        note,
        consult,
        close,
        convert,
        facts,
        admission_facts,
        screen,
        sign,
        sign_2,
        plan,
        amend,
        cancel,
        interpreter,
        transfer,
        meals,
        make_lot,
        process,
        qc,
        release,
        release_exceptionally,
        allocate,
        admit,
        day_one,
        review_day_one,
        measure,
        relapse,
        prior_therapies,
        mri_scan,
        administer,
        adverse_event,
        follow_event,
        resolve_event,
        schedule_sessions,
        chart_sessions,
        ward_round,
        discharge,
        portal_login,
        confirm_dose,
        complete_follow_up,
        book_checkup,
        attend_checkup,
        end_follow_up,
    )
}
