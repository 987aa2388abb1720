"""Every record of the demo clinic is one the live system would have accepted at its time.

Over every record: no event before its cause (request < patient < screening decided and
signed < plan < lot made < QC < release < admission < day-one re-check < administration <
adverse event < discharge < follow-up), nothing after now, every lot given in date, and an
audit history that tells the same story as the records. A failure names each record.
"""

import datetime as dt

from django.apps import apps
from django.db import models
from django.utils import timezone

from celltrace.accounts.models import User
from celltrace.patients.models import Patient
from celltrace.screening.evaluation import required_signatures

# Dates and times that lie ahead by nature: plans, due dates, expiry.
AHEAD_BY_NATURE = {
    ("lab.ProductLot", "expires_at"),
    ("lab.StepReagent", "expires_on"),
    ("plans.TreatmentPlan", "admission_date"),
    ("plans.TreatmentPlan", "discharge_date"),
    ("followup.FollowUpItem", "due_date"),
    ("followup.FollowUpItem", "window_opens"),
    ("followup.FollowUpItem", "window_closes"),
    ("followup.Appointment", "starts_at"),
    ("intake.Consultation", "starts_at"),  # a call booked ahead
    ("questionnaires.DueQuestionnaire", "closes_on"),
    ("homecare.HomeCareDose", "day"),  # the home-care doses still to take
    ("screening.Screening", "treatment_date"),
    ("screening.PatientFact", "resolved_on"),
    ("care.TherapySession", "scheduled_for"),
    ("care.ServiceBooking", "scheduled_at"),
    ("cryostore.StorageConsent", "storage_until"),
}
# Two stamps of one action: the clock may tick between them.
SAME_MOMENT = dt.timedelta(seconds=1)
# The catalog is clinic policy loaded from fixtures, which keep no history.
FROM_FIXTURES = {"catalog"}
STORY = (
    "request__notes",
    "facts",
    "screenings__signatures",
    "screenings__ruleset",
    "plans__screening",
    "plans__lots__steps",
    "plans__lots__qc_results",
    "plans__lots__administrations",
    "stays__screenings",
    "stays__administrations__lot",
    "stays__adverse_events",
    "stays__follow_up",
    "measurements",
)


class Findings:
    """The records that break the timeline, each named with what is wrong."""

    def __init__(self):
        self.problems = []

    def expect(self, ok: bool, record, message: str) -> None:
        if not ok:
            self.problems.append(f"{record._meta.label} #{record.pk} ({record}): {message}")

    def assert_none(self) -> None:
        shown = "\n".join(self.problems[:50])
        assert not self.problems, f"{len(self.problems)} problems in the demo clinic:\n{shown}"


def _clinic_models():
    return [m for m in apps.get_models() if m.__module__.startswith("celltrace.")]


def _ahead_by_nature(model, field) -> bool:
    original = getattr(model, "instance_type", model)  # a history model's tracked model
    return (original._meta.label, field.name) in AHEAD_BY_NATURE


def test_no_record_is_dated_after_now(demo):
    now, today, findings = timezone.now(), timezone.localdate(), Findings()
    for model in _clinic_models():
        for field in model._meta.concrete_fields:
            if _ahead_by_nature(model, field):
                continue
            if isinstance(field, models.DateTimeField):
                limit = now
            elif isinstance(field, models.DateField):
                limit = today
            else:
                continue
            for record in model._default_manager.filter(**{f"{field.name}__gt": limit})[:5]:
                findings.expect(
                    False, record, f"{field.name} {getattr(record, field.name)} is after now"
                )
    findings.assert_none()


def test_each_patients_story_happens_in_order(demo):
    findings = Findings()
    patients = Patient.objects.select_related("request").prefetch_related(*STORY)
    assert patients.exists()
    for patient in patients:
        _check_intake(findings, patient)
        _check_screenings(findings, patient)
        for plan in patient.plans.all():
            _check_plan(findings, plan)
        first_given = _first_given(patient)
        for stay in patient.stays.all():
            _check_stay(findings, stay)
        _check_measurements(findings, patient, first_given)
    findings.assert_none()


def _local(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def _check_intake(findings, patient) -> None:
    request = patient.request
    findings.expect(request.created_at < patient.created_at, patient, "made before its request")
    for note in request.notes.all():
        findings.expect(request.created_at < note.created_at, note, "written before the request")


def _check_screenings(findings, patient) -> None:
    for fact in patient.facts.all():
        findings.expect(patient.created_at <= fact.recorded_at, fact, "before the patient record")
        findings.expect(fact.on <= _local(fact.recorded_at), fact, "dated after it was recorded")
    for screening in patient.screenings.all():
        findings.expect(
            patient.created_at < screening.decided_at, screening, "before the patient record"
        )
        findings.expect(
            screening.ruleset.published_at <= screening.decided_at,
            screening,
            "decided on rules not yet published",
        )
        signed = sorted(s.signed_at for s in screening.signatures.all())
        findings.expect(
            all(screening.decided_at < moment for moment in signed),
            screening,
            "signed before it was decided",
        )
        if screening.finalized_at:
            last = (
                signed[required_signatures() - 1] if len(signed) >= required_signatures() else None
            )
            findings.expect(
                last is not None and dt.timedelta(0) <= screening.finalized_at - last < SAME_MOMENT,
                screening,
                f"final at {screening.finalized_at}, not at its last required signature",
            )


def _check_plan(findings, plan) -> None:
    final = plan.screening.finalized_at
    findings.expect(
        final is not None and final < plan.created_at, plan, "made before a final decision"
    )
    findings.expect(
        _local(plan.created_at) <= plan.admission_date, plan, "admission before the plan"
    )
    for lot in plan.lots.all():
        _check_lot(findings, lot, plan)


def _check_lot(findings, lot, plan) -> None:
    findings.expect(plan.created_at < lot.made_at, lot, "made before its plan")
    findings.expect(lot.made_at <= timezone.now(), lot, f"made in the future ({lot.made_at})")
    work = [s.performed_at for s in lot.steps.all()] + [r.tested_at for r in lot.qc_results.all()]
    findings.expect(all(lot.made_at <= moment for moment in work), lot, "worked on before made")
    if lot.released_at:
        findings.expect(
            all(moment < lot.released_at for moment in work), lot, "released before its QC"
        )
    for given in lot.administrations.all():
        findings.expect(
            lot.released_at is not None and lot.released_at <= given.given_at < lot.expires_at,
            given,
            f"given outside the lot's release ({lot.released_at}) and expiry ({lot.expires_at})",
        )


def _first_given(patient):
    given = [a.given_at for stay in patient.stays.all() for a in stay.administrations.all()]
    return min(given, default=None)


def _check_stay(findings, stay) -> None:
    released = [lot.released_at for lot in stay.plan.lots.all() if lot.released_at]
    findings.expect(all(r < stay.admitted_at for r in released), stay, "admitted before release")
    findings.expect(
        _local(stay.admitted_at) >= stay.plan.admission_date - dt.timedelta(days=1),
        stay,
        "admitted over a day before the planned admission",
    )
    day_one = min((s.decided_at for s in stay.screenings.all()), default=None)
    findings.expect(day_one is not None and stay.admitted_at < day_one, stay, "no day-one check")
    given = [a.given_at for a in stay.administrations.all()]
    for administration in stay.administrations.all():
        findings.expect(
            day_one is not None and day_one < administration.given_at,
            administration,
            "given before the day-one re-check",
        )
    onsets = [event.onset_at for event in stay.adverse_events.all()]
    for event in stay.adverse_events.all():
        findings.expect(
            bool(given) and min(given) < event.onset_at, event, "began before any administration"
        )
    if stay.discharged_at:
        findings.expect(
            all(moment < stay.discharged_at for moment in given + onsets),
            stay,
            "discharged before an administration or adverse event",
        )
    _check_follow_up(findings, stay)


def _check_follow_up(findings, stay) -> None:
    for item in stay.follow_up.all():
        findings.expect(
            stay.discharged_at is not None and _local(stay.discharged_at) < item.due_date,
            item,
            "due before the discharge",
        )
        if item.completed_at:
            findings.expect(
                stay.discharged_at < item.completed_at, item, "completed before the discharge"
            )


def _check_measurements(findings, patient, first_given) -> None:
    discharged = [s.discharged_at for s in patient.stays.all() if s.discharged_at]
    for measurement in patient.measurements.all():
        findings.expect(
            measurement.measured_on <= _local(measurement.recorded_at),
            measurement,
            "dated after it was recorded",
        )
        first_day = _local(first_given) if first_given else None
        if measurement.timepoint == "baseline":
            findings.expect(
                first_day is None or measurement.measured_on <= first_day,
                measurement,
                "a baseline after the first treatment",
            )
        elif measurement.timepoint == "follow_up":
            findings.expect(
                bool(discharged) and measurement.recorded_at > min(discharged),
                measurement,
                "a follow-up value before the discharge",
            )


def test_the_audit_history_tells_the_same_story_as_the_records(demo):
    findings, now = Findings(), timezone.now()
    joined = dict(User.objects.values_list("pk", "date_joined"))
    for model in _clinic_models():
        if not hasattr(model._meta, "simple_history_manager_attribute"):
            continue
        rows = list(model.history.model.objects.order_by("history_id"))
        by_record = {}
        previous = None
        for row in rows:
            findings.expect(row.history_date <= now, row, "an audit entry after now")
            if previous is not None:
                findings.expect(
                    previous.history_date <= row.history_date,
                    row,
                    "dated before the audit entry written before it",
                )
            if row.history_user_id:
                findings.expect(
                    joined[row.history_user_id] <= row.history_date,
                    row,
                    "written by a user who had not joined yet",
                )
            by_record.setdefault(row.id, []).append(row)
            previous = row
        for record in model._default_manager.all():
            _check_record_history(findings, record, by_record.get(record.pk, []))
    findings.assert_none()


def _check_record_history(findings, record, rows) -> None:
    if not rows:
        findings.expect(record._meta.app_label in FROM_FIXTURES, record, "has no audit history")
        return
    findings.expect(rows[0].history_type == "+", record, "its first audit entry is not a creation")
    tracked = [
        f.attname for f in rows[-1]._meta.concrete_fields if not f.name.startswith("history")
    ]
    tracked = [name for name in tracked if hasattr(record, name)]
    stale = [name for name in tracked if getattr(rows[-1], name) != getattr(record, name)]
    findings.expect(not stale, record, f"changed without an audit entry: {', '.join(stale)}")
    for field in record._meta.concrete_fields:
        value = getattr(record, field.attname)
        if not isinstance(field, models.DateTimeField) or value is None:
            continue
        if _ahead_by_nature(type(record), field):
            continue
        entered = next((r.history_date for r in rows if getattr(r, field.attname) == value), None)
        findings.expect(
            entered is not None and value <= entered,
            record,
            f"{field.name} {value} recorded before it happened ({entered})",
        )
        if field.auto_now_add and entered is not None:
            findings.expect(
                entered - value < SAME_MOMENT,
                record,
                f"{field.name} {value} is not when it was recorded ({entered})",
            )
