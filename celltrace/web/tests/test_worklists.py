"""Each role's dashboard is a worklist of its own site's work, read by the apps' access rules."""

import datetime as dt

import pytest
from django.utils import timezone

from celltrace.accounts.models import Role, User
from celltrace.care.models import DailyRound, ServiceBooking
from celltrace.catalog.models import Condition
from celltrace.intake.models import ConsultationRequest
from celltrace.stays.actions import allow_other_day
from celltrace.stays.models import Administration
from celltrace.ward.models import Bed, Room
from celltrace.web.worklists.nurse import doses_due_on
from testkit.journey import make_lot, make_patient, make_plan, make_stay

TODAY = timezone.localdate()


def _days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def _section(page: str, title: str) -> str:
    """The HTML of one dashboard section, from its heading to the next one."""
    return page.split(f"<h2>{title}", 1)[1].split("<h2>", 1)[0]


def _dashboard(client_for, user) -> str:
    response = client_for(user).get("/dashboard/")
    assert response.status_code == 200
    return response.content.decode()


def _on_ward(site, doctor, nurse, *, name, admitted_days_ago=1, attending=None, bed=None):
    """A patient admitted `admitted_days_ago`, their dose planned on day 2 of the stay."""
    patient = make_patient(site, full_name=name)
    plan = make_plan(patient, doctor, admission=_days(-admitted_days_ago))
    return make_stay(plan, nurse, doctor=attending, bed=bed)


def _give(stay, nurse, technician):
    Administration.objects.create(
        stay=stay, lot=make_lot(stay.plan, technician), planned_product=stay.plan.products.get(),
        route="intravenous", dose_per_kg=1e6, given_at=timezone.now(), nurse=nurse,
        temperature_c=36.8, heart_rate=70, systolic_bp=120, diastolic_bp=80, spo2=98,
    )  # fmt: skip


@pytest.fixture
def other_nurse(other_site):
    return User.objects.create_user(username="olga.nurse", role=Role.NURSE, site=other_site)


# The nurse


def test_the_nurse_sees_the_dose_due_today_not_tomorrows_nor_one_already_given(
    client_for, site, doctor, nurse, lab_technician, catalog
):
    _on_ward(site, doctor, nurse, name="Due Today")
    _on_ward(site, doctor, nurse, name="Due Tomorrow", admitted_days_ago=0)
    given = _on_ward(site, doctor, nurse, name="Given Already")
    _give(given, nurse, lab_technician)

    doses = _section(_dashboard(client_for, nurse), "Doses due today")
    assert "Due Today" in doses
    assert "1.0 × 10⁶ viable cells/kg" in doses and "Intravenous" in doses
    assert "Due Tomorrow" not in doses
    assert "Given Already" not in doses


def test_the_nurse_sees_each_doses_time_earliest_first_then_bed_by_bed(
    client_for, site, doctor, nurse, catalog
):
    room = Room.objects.create(site=site, number="1")
    for bed, name, time in [("A", "Afternoon A", "14:00"), ("B", "Morning B", "09:30")] + [
        ("C", "Afternoon C", "14:00")
    ]:
        stay = _on_ward(
            site, doctor, nurse, name=name, bed=Bed.objects.create(room=room, label=bed)
        )
        stay.plan.products.update(planned_time=time)

    due = doses_due_on(nurse, TODAY)
    assert [d.stay.patient.full_name for d in due] == ["Morning B", "Afternoon A", "Afternoon C"]
    doses = _section(_dashboard(client_for, nurse), "Doses due today")
    assert doses.index("09:30") < doses.index("Morning B") < doses.index("14:00")
    assert doses.index("Afternoon A") < doses.index("Afternoon C")


def test_a_dose_a_doctor_moved_is_due_on_its_new_day(site, doctor, nurse, catalog):
    moved = _on_ward(site, doctor, nurse, name="Moved Dose", admitted_days_ago=0)
    assert doses_due_on(nurse, TODAY) == []  # planned for day 2: tomorrow
    allow_other_day(
        moved.plan.products.get(), doctor, day=1, reason="Lot ready early; patient well."
    )
    assert [d.stay.patient.full_name for d in doses_due_on(nurse, TODAY)] == ["Moved Dose"]
    assert doses_due_on(nurse, _days(1)) == []


def test_the_nurse_sees_her_own_sites_doses_only(
    client_for, nurse, other_nurse, doctor, other_site_doctor, catalog
):
    _on_ward(nurse.site, doctor, nurse, name="Here Patient")
    _on_ward(other_nurse.site, other_site_doctor, other_nurse, name="Elsewhere Patient")

    assert [d.stay.patient.full_name for d in doses_due_on(nurse, TODAY)] == ["Here Patient"]
    doses = _section(_dashboard(client_for, nurse), "Doses due today")
    assert "Here Patient" in doses and "Elsewhere Patient" not in doses


def test_a_discharged_patients_planned_dose_is_not_due(site, doctor, nurse, catalog):
    stay = _on_ward(site, doctor, nurse, name="Gone Home")
    stay.discharged_at = timezone.now()
    stay.save()
    assert doses_due_on(nurse, TODAY) == []


def test_the_nurse_sees_patients_no_doctor_has_seen_today(client_for, site, doctor, nurse, catalog):
    _on_ward(site, doctor, nurse, name="Unseen Patient")
    seen = _on_ward(site, doctor, nurse, name="Seen Patient")
    _round(seen, doctor)

    unseen = _section(_dashboard(client_for, nurse), "Patients without a doctor")
    assert "Unseen Patient" in unseen and "Seen Patient" not in unseen


# The doctor


def _round(stay, doctor):
    DailyRound.objects.create(
        stay=stay, doctor=doctor, taken_at=timezone.now(), temperature_c=36.8, heart_rate=70,
        systolic_bp=120, diastolic_bp=80, spo2=98, pain_nrs=1, neuro_status="stable",
    )  # fmt: skip


def test_the_doctor_sees_only_the_patients_they_attend_with_the_missing_round_flagged(
    client_for, site, doctor, second_doctor, nurse, catalog
):
    unseen = _on_ward(site, doctor, nurse, name="Mine Unseen")
    seen = _on_ward(site, doctor, nurse, name="Mine Seen")
    _round(seen, doctor)
    _on_ward(site, doctor, nurse, name="Doras Patient", attending=second_doctor)

    ward = _section(_dashboard(client_for, doctor), "Your patients on the ward")
    assert "Doras Patient" not in ward
    rows = [row.split("</tr>")[0] for row in ward.split("<tr>")[2:]]
    flagged = {"Mine Unseen" in row: "No round today" in row for row in rows}
    assert flagged == {True: True, False: False}  # only the unseen patient's row is flagged
    assert f"/care/stays/{unseen.pk}/rounds/new/" in ward


def test_the_doctor_sees_no_other_sites_ward(
    client_for, doctor, nurse, other_site_doctor, other_nurse, catalog
):
    _on_ward(other_nurse.site, other_site_doctor, other_nurse, name="Far Away", attending=None)
    ward = _section(_dashboard(client_for, doctor), "Your patients on the ward")
    assert "Far Away" not in ward
    assert "You attend no patient on the ward." in ward


# The coordinator


def test_the_coordinator_sees_an_arrival_with_its_missing_interpreter_flagged(
    client_for, site, doctor, coordinator, other_site_doctor, catalog
):
    plan = make_plan(make_patient(site, full_name="Coming Soon"), doctor, admission=_days(5))
    ServiceBooking.objects.create(plan=plan, kind="meals", diet="vegan", booked_by=coordinator)
    ServiceBooking.objects.create(
        plan=plan, kind="interpreter", language="Polish", booked_by=coordinator,
        status="cancelled",
    )  # fmt: skip
    make_plan(make_patient(site, full_name="Much Later"), doctor, admission=_days(20))
    elsewhere = make_patient(other_site_doctor.site, full_name="Other Clinic")
    make_plan(elsewhere, other_site_doctor, admission=_days(3))

    arrivals = _section(_dashboard(client_for, coordinator), "Arrivals in the next 14 days")
    assert "Coming Soon" in arrivals
    assert "Meals: vegan" in arrivals
    assert "No interpreter" in arrivals  # the cancelled booking does not count
    assert "No meals" not in arrivals
    assert "Much Later" not in arrivals and "Other Clinic" not in arrivals


def test_a_cancelled_plan_is_no_arrival_and_an_amended_one_arrives_once(
    client_for, site, doctor, coordinator, catalog
):
    from celltrace.plans.actions import cancel_plan

    cancelled = make_plan(make_patient(site, full_name="Not Coming"), doctor, admission=_days(4))
    cancel_plan(cancelled, coordinator, reason="Postponed")
    old = make_plan(make_patient(site, full_name="Coming Once"), doctor, admission=_days(6))
    old.status = "superseded"  # an amendment's old version; the new one is in force
    old.save()
    make_plan(old.patient, doctor, admission=_days(6))

    arrivals = _section(_dashboard(client_for, coordinator), "Arrivals in the next 14 days")
    assert "Not Coming" not in arrivals
    assert arrivals.count("Coming Once") == 1


def test_the_coordinator_sees_overdue_and_coming_follow_up_of_the_own_site(
    client_for, site, doctor, nurse, coordinator, other_site_doctor, other_nurse, catalog
):
    from celltrace.followup.models import FollowUpItem

    def item(stay, title, due):
        FollowUpItem.objects.create(
            patient=stay.patient, stay=stay, kind="checkup", title=title, due_date=due
        )

    stay = _on_ward(site, doctor, nurse, name="Home Again")
    item(stay, "Late check-up", _days(-3))
    item(stay, "Week one call", _days(4))
    item(stay, "Six months", _days(40))
    there = _on_ward(other_nurse.site, other_site_doctor, other_nurse, name="Abroad")
    item(there, "Other site call", _days(2))

    page = _dashboard(client_for, coordinator)
    assert "Late check-up" in _section(page, "Overdue follow-up")
    coming = _section(page, "Follow-up due in the next 14 days")
    assert "Week one call" in coming
    assert "Six months" not in coming and "Other site call" not in coming


# The quality reviewer


def test_the_quality_reviewer_sees_the_sites_lots_in_process_oldest_first_with_expiry(
    client_for, site, doctor, lab_technician, quality_reviewer, other_site_doctor, catalog
):
    newer = make_lot(make_plan(make_patient(site), doctor), lab_technician, status="in_process")
    older = make_lot(make_plan(make_patient(site), doctor), lab_technician, status="in_process")
    older.made_at -= dt.timedelta(days=3)
    older.save()
    released = make_lot(make_plan(make_patient(site), doctor), lab_technician)
    away = make_plan(make_patient(other_site_doctor.site), other_site_doctor)
    elsewhere = make_lot(away, lab_technician, status="in_process")

    lots = _section(_dashboard(client_for, quality_reviewer), "Lots in process")
    assert lots.index(older.code) < lots.index(newer.code)
    assert released.code not in lots and elsewhere.code not in lots
    assert f"{older.expires_at:%Y-%m-%d}" in lots
    assert "no result yet" in lots


# The manager


def _request(site, *, age: dt.timedelta, status="new"):
    request = ConsultationRequest.objects.create(
        site=site, full_name="Asking", email="a@example.org", phone="+351 912 345 678",
        country="Portugal", language="Portuguese", condition=Condition.objects.get(code="ms"),
        description="MS.", consent_health_data=True, status=status,
    )  # fmt: skip
    ConsultationRequest.objects.filter(pk=request.pk).update(created_at=timezone.now() - age)


def test_the_manager_sees_the_requests_waiting_by_age_at_the_own_site(
    client_for, site, other_site, manager, catalog
):
    _request(site, age=dt.timedelta(hours=3))
    _request(site, age=dt.timedelta(days=2))
    _request(site, age=dt.timedelta(days=2, hours=5))
    _request(site, age=dt.timedelta(days=10))
    _request(site, age=dt.timedelta(days=30), status="converted")
    _request(other_site, age=dt.timedelta(days=4))

    waiting = _section(_dashboard(client_for, manager), "Consultation requests waiting")
    assert "under 1 day: 1, 1-3 days: 2, 3-7 days: 0, over 7 days: 1" in waiting
    assert "4 waiting." in waiting
    assert "<title id=" in waiting and 'role="img"' in waiting


def test_the_manager_sees_each_doctors_load_and_the_beds(
    client_for, site, doctor, second_doctor, nurse, manager, other_site_doctor, catalog
):
    for n in range(3):
        _on_ward(site, doctor, nurse, name=f"Dan's {n}")
    _on_ward(site, doctor, nurse, name="Dora's", attending=second_doctor)
    make_plan(make_patient(other_site_doctor.site), other_site_doctor, admission=TODAY)

    ward = _section(_dashboard(client_for, manager), "The ward now")
    assert "4</strong> beds occupied, <strong>0</strong> free" in ward
    assert "Patients Dr Dan Doctor attends each day" in ward
    assert "Today: 3," in ward.split("Dan Doctor attends", 1)[1].split("</figcaption>")[0]
    assert "Today: 1," in ward.split("Dora Doctor attends", 1)[1].split("</figcaption>")[0]
    assert "Nicosia" not in ward


def test_the_manager_sees_a_lot_at_risk_for_an_admission_tomorrow_not_one_on_track(
    client_for, site, doctor, lab_technician, manager, catalog
):
    soon = make_plan(make_patient(site), doctor, admission=_days(1))
    at_risk = make_lot(soon, lab_technician, status="in_process", expires_in_days=10)
    later = make_plan(make_patient(site), doctor, admission=_days(10))
    on_track = make_lot(later, lab_technician, status="in_process", expires_in_days=30)
    expiring = make_lot(later, lab_technician, status="in_process", expires_in_days=5)

    risk = _section(_dashboard(client_for, manager), "Lab orders at risk")
    assert at_risk.code in risk and "Admission tomorrow" in risk
    assert expiring.code in risk and "before the dose planned on" in risk
    assert on_track.code not in risk


def test_the_manager_sees_follow_up_completeness_and_this_months_adverse_events(
    client_for, site, doctor, nurse, manager, catalog
):
    from celltrace.catalog.models import AdverseEventTerm
    from celltrace.followup.models import FollowUpItem
    from celltrace.stays.models import AdverseEvent

    stay = _on_ward(site, doctor, nurse, name="Followed")
    for due, done in [(-10, True), (-5, False), (-1, True), (5, False)]:
        FollowUpItem.objects.create(
            patient=stay.patient, stay=stay, kind="home_care", title="Call",
            due_date=_days(due), completed_at=timezone.now() if done else None,
        )  # fmt: skip
    AdverseEvent.objects.create(
        stay=stay, term=AdverseEventTerm.objects.first(), onset_at=timezone.now(),
        ctcae_grade=2, serious=False, relatedness="possible", outcome="recovering",
        reported_by=nurse,
    )  # fmt: skip

    page = _dashboard(client_for, manager)
    follow_up = _section(page, "Follow-up completeness")
    cells = [c.split("<")[0] for c in follow_up.split('<td class="num">')[1:]]
    assert cells[:4] == ["3", "2", "", "66.7%"]  # due, completed, overdue (a badge), share
    assert '<span class="badge bad">1</span>' in follow_up
    events = _section(page, "Adverse events this month")
    assert "Grade 1: 0, Grade 2: 1, Grade 3: 0" in events
    assert "1 adverse event with onset since" in events


def test_the_manager_dashboard_asks_a_fixed_number_of_queries_however_many_patients(
    client_for, site, doctor, second_doctor, nurse, lab_technician, manager, catalog,
    django_assert_max_num_queries,
):  # fmt: skip
    for n in range(6):
        stay = _on_ward(site, doctor, nurse, name=f"P{n}", attending=[doctor, second_doctor][n % 2])
        make_lot(stay.plan, lab_technician, status="in_process")
        soon = make_plan(make_patient(site), doctor, admission=_days(1 + n))
        make_lot(soon, lab_technician, status="in_process")
        _request(site, age=dt.timedelta(days=n))
    client = client_for(manager)
    client.get("/dashboard/")  # the site's figures computed (at once, by the tests' queue)
    with django_assert_max_num_queries(20):  # the staff's second factor is one of them
        response = client.get("/dashboard/")
    assert response.status_code == 200


def test_a_cancelled_orders_lot_is_never_ready_for_release_review(
    client_for, site, doctor, lab_technician, quality_reviewer, coordinator, catalog
):
    from celltrace.lab.tests.helpers import pass_every_test
    from celltrace.plans.actions import cancel_plan

    kept = make_lot(make_plan(make_patient(site), doctor), lab_technician, status="in_process")
    dropped_plan = make_plan(make_patient(site), doctor)
    dropped = make_lot(dropped_plan, lab_technician, status="in_process")
    pass_every_test(kept, lab_technician)
    pass_every_test(dropped, lab_technician)
    cancel_plan(dropped_plan, coordinator, reason="The patient withdrew.")

    page = _dashboard(client_for, quality_reviewer)
    ready = _section(page, "Lots ready for release review")
    assert kept.code in ready and dropped.code not in ready
    assert "The order was cancelled" in _section(page, "Lots in process")


def test_the_manager_counts_no_lot_of_a_cancelled_plan_at_risk(
    client_for, site, doctor, lab_technician, manager, coordinator, catalog
):
    from celltrace.plans.actions import cancel_plan

    soon = make_plan(make_patient(site), doctor, admission=_days(1))
    live = make_lot(soon, lab_technician, status="in_process", expires_in_days=10)
    stopped = make_plan(make_patient(site), doctor, admission=_days(1))
    gone = make_lot(stopped, lab_technician, status="in_process", expires_in_days=10)
    cancel_plan(stopped, coordinator, reason="The patient withdrew.")

    risk = _section(_dashboard(client_for, manager), "Lab orders at risk")
    assert live.code in risk and gone.code not in risk
