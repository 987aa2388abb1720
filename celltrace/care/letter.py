"""What the discharge letter says: read once from the stay, for the patient and their home doctor.

The letter is written at discharge: what was given (product, lot, dose, route, day of the
stay), the adverse events, the complementary therapies, the home-care plan from the treatment
plan (one line per item, not per dose) and the check-ups with their windows.
`care/letter_pdf.py` prints it; nothing here knows about pages or fonts.
"""

from collections import Counter

from django.utils import timezone

from celltrace.accounts import site_time
from celltrace.accounts.site_time import local_date
from celltrace.care.letter_pdf import (
    DischargeLetter,
    EventLine,
    FollowUpLine,
    GivenProduct,
    HomeCareLine,
    TherapyLine,
)
from celltrace.care.models import TherapySession
from celltrace.catalog.models import Route
from celltrace.clinical.dosing import day_of_stay
from celltrace.clinical.numbers import dose_per_kg
from celltrace.followup.models import FollowUpItem
from celltrace.homecare.models import HomeCareDose
from celltrace.signatures.service import shown_signatures
from celltrace.stays.models import Stay


def discharge_letter(stay: Stay) -> DischargeLetter:
    """Return the letter of a discharged stay."""
    plan, patient = stay.plan, stay.patient
    # Every day and time of the letter is the site's: the day of the stay a dose was given
    # is the one the ward counted at the bedside.
    zone = site_time.zone(stay.site)
    given = [
        GivenProduct(
            day_of_stay=day_of_stay(plan.admission_date, local_date(a.given_at, stay.site)),
            given_at=timezone.localtime(a.given_at, zone),
            product=a.lot.product.name,
            lot_code=a.lot.code,
            dose=dose_per_kg(a.dose_per_kg, a.lot.product.dose_unit),
            route=Route(a.route).label,
        )
        for a in stay.administrations.select_related("lot__product")
    ]
    events = [
        EventLine(
            term=event.label,
            grade=event.ctcae_grade,
            serious=event.serious,
            relatedness=event.get_relatedness_display(),
            onset_at=timezone.localtime(event.onset_at, zone),
            outcome=event.get_outcome_display(),
        )
        for event in stay.adverse_events.select_related("term")
    ]
    sessions = Counter(
        (session.planned_therapy_id, session.status)
        for session in TherapySession.objects.filter(stay=stay)
    )
    therapies = [
        TherapyLine(
            therapy=planned.therapy.name,
            given=sessions[(planned.pk, TherapySession.Status.GIVEN)],
            missed=sessions[(planned.pk, TherapySession.Status.MISSED)],
            planned=planned.sessions,
        )
        for planned in plan.therapies.select_related("therapy")
    ]
    follow_up = list(stay.follow_up.all())
    return DischargeLetter(
        site=stay.site.name,
        patient_name=patient.full_name,
        patient_code=patient.code,
        date_of_birth=patient.date_of_birth,
        condition=patient.condition.name,
        admitted_at=timezone.localtime(stay.admitted_at, zone),
        discharged_at=timezone.localtime(stay.discharged_at, zone),
        attending_doctor=str(stay.doctor) if stay.doctor else "",
        discharged_by=str(stay.discharged_by),
        weight_kg=stay.weight_kg or plan.weight_kg,
        early_discharge_reason=stay.early_discharge_reason,
        given=tuple(given),
        events=tuple(events),
        therapies=tuple(therapies),
        home_care=_home_care(stay),
        home_checks=_items(follow_up, FollowUpItem.Kind.HOME_CARE),
        checkups=_items(follow_up, FollowUpItem.Kind.CHECKUP),
        synthetic=patient.synthetic,
        signatures=tuple(
            shown.line
            for shown in shown_signatures(stay, time_zone=stay.site.time_zone, meaning="discharge")
        ),
    )


def _items(items, kind) -> tuple[FollowUpLine, ...]:
    return tuple(
        FollowUpLine(i.title, i.due_date, i.window_opens, i.window_closes)
        for i in items
        if i.kind == kind
    )


def _home_care(stay: Stay) -> tuple[HomeCareLine, ...]:
    """One line per home-care item of the plan, from the doses dated at discharge.

    The doses carry what was prescribed when the plan was signed (product, dose, route,
    instructions); the home doctor needs the course, so the dozen dated doses of an item
    become its first and last day and their count.
    """
    doses = HomeCareDose.objects.filter(stay=stay).select_related("planned").order_by("day", "pk")
    items: dict[int, list[HomeCareDose]] = {}
    for dose in doses:
        items.setdefault(dose.planned_id, []).append(dose)
    return tuple(_home_line(course) for course in items.values())


def _home_line(course: list[HomeCareDose]) -> HomeCareLine:
    first = course[0]
    dose = first.dose_text
    if dose and first.dose_per_kg is not None:
        dose += f" ({dose_per_kg(first.dose_per_kg, first.dose_unit)})"
    every = first.planned.every_days
    return HomeCareLine(
        what=first.what,
        dose=dose,
        route=Route(first.route).label,
        how_often="every day" if every == 1 else f"every {every} days",
        first_day=first.day,
        last_day=course[-1].day,
        doses=len(course),
        instructions=first.instructions,
    )
