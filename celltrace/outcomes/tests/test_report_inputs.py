import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from celltrace.catalog.models import Condition
from celltrace.followup.models import FollowUpEnd
from celltrace.intake.models import ConsultationRequest
from celltrace.outcomes.models import MriScan, Relapse
from celltrace.outcomes.report_inputs import report_inputs
from celltrace.outcomes.tests.reporting import FIRST_DOSE, check_up_done, measure, treat
from celltrace.screening.models import PatientFact
from celltrace.stays.models import AdverseEvent
from testkit.audit_trail import past_the_append_only_triggers
from testkit.journey import make_patient, make_screening
from testkit.registry_cohort import registry_cohort

CUTOFF = dt.date(2026, 11, 1)


@pytest.fixture
def ms(catalog):
    return Condition.objects.get(code="ms")


@pytest.fixture
def staff(doctor, nurse, lab_technician):
    return doctor, nurse, lab_technician


def test_a_user_sees_only_the_patients_of_their_site(
    ms, site, other_site, staff, other_site_doctor, manager, admin_user
):
    ours = treat(site, *staff)
    theirs = treat(other_site, *[other_site_doctor] * 3)

    def ids(user):
        return {p.patient_id for p in report_inputs(ms, user, cutoff=CUTOFF).patients}

    assert ids(manager) == {ours.pk}
    assert ids(other_site_doctor) == {theirs.pk}
    assert ids(admin_user) == ids(None) == {ours.pk, theirs.pk}


def test_nothing_after_the_cutoff_is_read(ms, site, staff, doctor, nurse, manager):
    early = treat(site, *staff)
    treat(site, *staff, given_at=dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC))
    measure(early, doctor, "edss", 3.0, on=CUTOFF)
    measure(early, doctor, "edss", 6.0, on=CUTOFF + dt.timedelta(days=1))
    check_up_done(early, nurse, at=dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC))

    inputs = report_inputs(ms, manager, cutoff=CUTOFF)

    (patient,) = inputs.patients
    assert patient.patient_id == early.pk and patient.first_administration == FIRST_DOSE.date()
    assert [(r.measured_on, r.value) for r in inputs.readings] == [(CUTOFF, 3.0)]
    assert patient.last_contact == CUTOFF  # the later check-up is after the cut-off
    assert report_inputs(ms, manager, cutoff=dt.date(2026, 1, 9)).patients == ()


def test_the_product_and_route_filters_keep_patients_by_their_first_administration(
    ms, site, staff, manager
):
    uc = treat(site, *staff, product="msc-uc-allo")
    bm = treat(site, *staff, product="msc-bm-allo", route="intrathecal")

    def ids(**filters):
        return {p.patient_id for p in report_inputs(ms, manager, cutoff=CUTOFF, **filters).patients}

    assert ids(product="msc-uc-allo") == {uc.pk}
    assert ids(product="msc-bm-allo") == {bm.pk} == ids(route="intrathecal")
    assert ids(product="msc-uc-allo", route="intrathecal") == set()
    assert report_inputs(ms, manager, cutoff=CUTOFF, product="msc-bm-allo").filters == {
        "product": "msc-bm-allo"
    }


def test_each_patient_carries_what_the_records_say(ms, site, staff, doctor, manager):
    patient = treat(site, *staff, sex="male", date_of_birth=dt.date(1970, 3, 1))
    PatientFact.objects.create(
        patient=patient, kind="diagnosis", on=dt.date(2015, 4, 1), provenance="MRI report",
        code="G35", recorded_by=doctor,
    )  # fmt: skip
    PatientFact.objects.create(
        patient=patient, kind="diagnosis", on=dt.date(2010, 1, 1), provenance="GP letter",
        code="E11", recorded_by=doctor,
    )  # fmt: skip
    FollowUpEnd.objects.create(
        patient=patient, on=dt.date(2026, 8, 1), reason="withdrawn", recorded_by=doctor
    )
    Relapse.objects.create(patient=patient, onset=dt.date(2026, 3, 1), recorded_by=doctor)
    for day, gd in ((dt.date(2026, 2, 1), None), (dt.date(2026, 11, 2), 1)):  # 2nd: after
        MriScan.objects.create(
            patient=patient, scanned_on=day, new_t2_lesions=2, gd_lesions=gd, recorded_by=doctor
        )

    inputs = report_inputs(ms, manager, cutoff=CUTOFF)

    (treated,) = inputs.patients
    assert (treated.sex, treated.birth_date, treated.administrations) == (
        "male",
        dt.date(1970, 3, 1),
        1,
    )
    assert (treated.product, treated.route, treated.site) == (
        "msc-uc-allo",
        "intravenous",
        "lisbon",
    )
    assert treated.disease_onset == dt.date(2015, 4, 1)  # the MS diagnosis, not the diabetes
    assert (treated.end.on, treated.end.reason) == (dt.date(2026, 8, 1), "withdrawn")
    assert [r.onset for r in inputs.relapses] == [dt.date(2026, 3, 1)]
    assert [(m.scanned_on, m.new_t2_lesions, m.gd_lesions) for m in inputs.mri_scans] == [
        (dt.date(2026, 2, 1), 2, None)
    ]


def test_an_isncsci_exam_gives_an_ais_reading_with_its_grade(site, staff, doctor, manager):
    patient = treat(site, *staff, condition="sci")
    exam = {"classification": {"ASIAImpairmentScale": "C"}}
    measure(patient, doctor, "isncsci_motor", 40, on=dt.date(2026, 1, 5), details=exam)

    inputs = report_inputs(Condition.objects.get(code="sci"), manager, cutoff=CUTOFF)

    ais = [r for r in inputs.readings if r.instrument == "ais"]
    assert [(r.measured_on, r.value, r.category) for r in ais] == [(dt.date(2026, 1, 5), 2.0, "C")]
    # The instrument's Measure says the grade is ordinal: the report shows transitions.
    assert inputs.ordinal_grades == {"ais": ("A", "B", "C", "D", "E")}
    assert inputs.ordinal_grades == registry_cohort(patients=1).ordinal_grades  # the test cohorts


def test_adverse_events_count_only_in_stays_with_an_administration(ms, site, staff, nurse, manager):
    from celltrace.catalog.models import AdverseEventTerm

    patient = treat(site, *staff)
    stay = patient.stays.get()
    fever = AdverseEventTerm.objects.get(code="fever")
    for onset in (FIRST_DOSE, dt.datetime(2026, 11, 5, tzinfo=dt.UTC)):
        AdverseEvent.objects.create(
            stay=stay, term=fever, onset_at=onset, ctcae_grade=1, serious=False,
            relatedness="possible", outcome="recovered", reported_by=nurse,
        )  # fmt: skip

    (event,) = report_inputs(ms, manager, cutoff=CUTOFF).adverse_events

    assert (event.patient_id, event.term_code, event.onset) == (
        patient.pk,
        "fever",
        FIRST_DOSE.date(),
    )


def test_the_flow_counts_requests_screenings_and_reasons_in_the_users_scope(
    ms, site, other_site, staff, doctor, other_site_doctor, manager
):
    for where, status, reason in (
        (site, "closed", "Lives too far away"),
        (site, "new", ""),
        (other_site, "closed", "Other site's reason"),
    ):
        ConsultationRequest.objects.create(
            site=where, full_name="A", email="a@example.org", phone="1", country="PT",
            language="pt", condition=ms, description="MS", consent_health_data=True,
            status=status, close_reason=reason,
        )  # fmt: skip
    make_screening(make_patient(site), doctor, decision="not_eligible")
    make_screening(make_patient(site), doctor, decision="eligible")
    make_screening(make_patient(other_site), other_site_doctor, decision="eligible")

    flow = report_inputs(ms, manager, cutoff=dt.date.today()).flow

    assert (flow.enquired, flow.screened, flow.eligible) == (2, 2, 1)
    assert [(c.reason, c.n) for c in flow.closed] == [("Lives too far away", 1)]
    assert sum(c.n for c in flow.not_eligible) == 1


def _request(site, condition, *, at, status="new", reason=""):
    """A request made at `at`, its creation dated in the audit history as it happened."""
    with time_machine.travel(at, tick=False):
        return ConsultationRequest.objects.create(
            site=site, full_name="A", email="a@example.org", phone="1", country="PT",
            language="pt", condition=condition, description="MS", consent_health_data=True,
            status=status, close_reason=reason,
        )  # fmt: skip


def _close(request, reason, *, at):
    """Close the request at `at`, as the audit history records it."""
    with time_machine.travel(at, tick=False):
        request.status, request.close_reason = ConsultationRequest.Status.CLOSED, reason
        request.save()


def test_the_flow_shows_each_request_as_it_stood_at_the_cutoff(ms, site, manager):
    before = dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC)
    after = dt.datetime(2026, 11, 10, 10, tzinfo=dt.UTC)
    closed_before = _request(site, ms, at=before)
    _close(closed_before, "Lives too far away", at=before + dt.timedelta(days=3))
    closed_after = _request(site, ms, at=before)
    _close(closed_after, "Chose another clinic", at=after)
    _request(site, ms, at=after)  # made after the cut-off

    at_cutoff = report_inputs(ms, manager, cutoff=CUTOFF).flow
    later = report_inputs(ms, manager, cutoff=dt.date(2026, 11, 20)).flow

    assert at_cutoff.enquired == 2
    assert [(c.reason, c.n) for c in at_cutoff.closed] == [("Lives too far away", 1)]
    assert at_cutoff.undated_requests == 0
    assert later.enquired == 3
    assert sorted((c.reason, c.n) for c in later.closed) == [
        ("Chose another clinic", 1), ("Lives too far away", 1),
    ]  # fmt: skip


def test_a_request_without_history_by_the_cutoff_keeps_its_present_status_and_is_counted(
    ms, site, manager
):
    imported = _request(site, ms, at=dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC))
    _close(imported, "No reply", at=dt.datetime(2026, 9, 5, 10, tzinfo=dt.UTC))
    with past_the_append_only_triggers():  # as if imported without a history
        imported.history.all().delete()

    flow = report_inputs(ms, manager, cutoff=CUTOFF).flow

    assert (flow.enquired, flow.undated_requests) == (1, 1)
    assert [(c.reason, c.n) for c in flow.closed] == [("No reply", 1)]


def test_a_screening_signed_final_after_the_cutoff_is_not_yet_a_decision_at_it(
    ms, site, doctor, manager
):
    screening = make_screening(make_patient(site), doctor, decision="eligible")
    screening.decided_at = dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC)
    screening.finalized_at = dt.datetime(2026, 11, 10, 10, tzinfo=dt.UTC)
    screening.save()

    at_cutoff = report_inputs(ms, manager, cutoff=CUTOFF).flow
    later = report_inputs(ms, manager, cutoff=dt.date(2026, 11, 20)).flow

    assert (at_cutoff.screened, at_cutoff.eligible) == (1, 0)
    assert (later.screened, later.eligible) == (1, 1)


def test_with_a_filter_the_flow_also_counts_everyone_treated_with_any_product(
    ms, site, staff, manager
):
    treat(site, *staff, product="msc-uc-allo")
    treat(site, *staff, product="msc-bm-allo", route="intrathecal")

    filtered = report_inputs(ms, manager, cutoff=CUTOFF, product="msc-bm-allo")
    whole = report_inputs(ms, manager, cutoff=CUTOFF)

    assert (len(filtered.patients), filtered.flow.treated_any) == (1, 2)
    assert (len(whole.patients), whole.flow.treated_any) == (2, None)


def test_reading_the_inputs_costs_the_same_queries_for_3_and_30_patients(
    ms, site, staff, doctor, nurse, manager
):
    def build(n):
        for _ in range(n):
            patient = treat(site, *staff)
            measure(patient, doctor, "edss", 3.0, on=dt.date(2026, 6, 1))
            check_up_done(patient, nurse, at=dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            inputs = report_inputs(ms, manager, cutoff=CUTOFF)
        return len(captured.captured_queries), len(inputs.patients)

    build(3)
    small = queries()
    build(27)
    assert queries() == (small[0], 30) and small[1] == 3


def test_prior_therapies_give_yes_no_or_not_recorded_and_their_categories(
    ms, site, staff, doctor, manager
):
    from celltrace.screening.actions import record_prior_therapy

    had, none, unknown = (treat(site, *staff) for _ in range(3))
    record_prior_therapy(had, doctor, therapy="natalizumab")
    record_prior_therapy(had, doctor, therapy="anti_cd20")
    record_prior_therapy(had, doctor, therapy="other", other_name="Mitoxantrone")
    record_prior_therapy(none, doctor, therapy="none")

    patients = {p.patient_id: p for p in report_inputs(ms, manager, cutoff=CUTOFF).patients}

    assert patients[had.pk].prior_therapy == "yes"
    assert patients[had.pk].prior_therapies == ("high-efficacy therapy", "other")
    assert (patients[none.pk].prior_therapy, patients[none.pk].prior_therapies) == ("no", ())
    assert patients[unknown.pk].prior_therapy is None


def test_days_are_the_sites_calendar_days_not_utcs(ms, site, staff, nurse, manager):
    site.time_zone = "Pacific/Auckland"  # UTC+13 on 1 November 2026 (daylight saving)
    site.save()
    # 1 November, 01:00 in Auckland: treated on the cut-off day itself
    on_the_day = treat(site, *staff, given_at=dt.datetime(2026, 10, 31, 12, tzinfo=dt.UTC))
    # 2 November, 00:30 in Auckland, though still 1 November in UTC: after the cut-off
    treat(site, *staff, given_at=dt.datetime(2026, 11, 1, 11, 30, tzinfo=dt.UTC))
    check_up_done(on_the_day, nurse, at=dt.datetime(2026, 11, 1, 10, 59, tzinfo=dt.UTC))

    (patient,) = report_inputs(ms, manager, cutoff=CUTOFF).patients

    assert patient.patient_id == on_the_day.pk
    assert patient.first_administration == CUTOFF  # 31 October in UTC
    assert patient.last_contact == CUTOFF  # 23:59 in Auckland
    assert report_inputs(ms, manager, cutoff=CUTOFF - dt.timedelta(days=1)).patients == ()
