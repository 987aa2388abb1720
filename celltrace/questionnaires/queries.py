"""A patient's questionnaires as the core judges them, from their record as of today."""

from __future__ import annotations

import datetime as dt

from celltrace.accounts import site_time
from celltrace.clinical.questionnaires import Questionnaire, questionnaires
from celltrace.followup.models import FollowUpEnd
from celltrace.outcomes import instruments
from celltrace.outcomes.actions import first_treatment_date
from celltrace.outcomes.models import Measurement
from celltrace.patients.models import Patient
from celltrace.plans.models import PlannedProduct, TreatmentPlan


def day_zero(patient: Patient) -> tuple[dt.date | None, bool]:
    """Day 0 and whether it was given: the first administration, or before treatment the
    first dose the plan in force holds (None without one)."""
    given = first_treatment_date(patient)
    if given is not None:
        return given, True
    planned = (
        PlannedProduct.objects.filter(
            plan__patient=patient, plan__status=TreatmentPlan.Status.ACTIVE
        )
        .select_related("plan")
        .order_by("plan__admission_date", "day_of_stay")
        .first()
    )
    return (planned.planned_date if planned else None), False


def self_report_codes(patient: Patient) -> tuple[str, ...]:
    return tuple(
        d.code for d in instruments.self_report_instruments_for_condition(patient.condition.code)
    )


def answered_days(patient: Patient, codes) -> dict[str, list[dt.date]]:
    """Each instrument's measurement days, whoever recorded them (one query)."""
    measure_of = {m.code: code for code in codes for m in instruments.instrument(code).measures}
    days: dict[str, list[dt.date]] = {code: [] for code in codes}
    rows = Measurement.objects.filter(patient=patient, instrument__in=measure_of)
    for measure, day in rows.values_list("instrument", "measured_on"):
        days[measure_of[measure]].append(day)
    return days


def follow_up_end(patient: Patient) -> dt.date | None:
    """The day follow-up ended (death or withdrawal): nothing is asked after it."""
    return FollowUpEnd.objects.filter(patient=patient).values_list("on", flat=True).first()


def questionnaires_for(patient: Patient, *, today: dt.date | None = None) -> list[Questionnaire]:
    """The patient's questionnaires with their status on the site's today."""
    codes = self_report_codes(patient)
    zero, treated = day_zero(patient)
    return questionnaires(
        instruments.analysis_plan(),
        instruments=codes,
        day_zero=zero,
        treated=treated,
        answered=answered_days(patient, codes),
        today=today or site_time.today(patient.site),
        follow_up_end=follow_up_end(patient),
    )
