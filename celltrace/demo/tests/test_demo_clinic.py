"""The demo clinic is big enough to be useful, synthetic throughout, and keeps every safety rule."""

import datetime as dt

from django.contrib.auth.hashers import check_password, get_hasher
from django.db.models import Q
from django.utils import timezone

from celltrace.accounts.models import Role, Site, User
from celltrace.catalog.models import DoseLimit
from celltrace.clinical.eligibility import may_plan
from celltrace.demo.setup import DEMO_PASSWORD
from celltrace.followup.models import Appointment, FollowUpItem
from celltrace.intake.models import ConsultationRequest
from celltrace.patients.models import Patient
from celltrace.plans.models import TreatmentPlan
from celltrace.screening.evaluation import day_one_problem
from celltrace.screening.models import Screening
from celltrace.stays.models import Administration, Stay
from celltrace.stays.occupancy import doctor_loads
from celltrace.ward.models import Bed, Room


def test_it_prints_one_login_per_role(demo):
    roles = {user.role for user in User.objects.filter(username__startswith="demo-")}
    assert roles == set(Role.values)
    assert all(password == DEMO_PASSWORD for _, _, password in demo)


def test_every_login_opens_with_the_printed_password_and_the_default_hash(demo):
    hasher = get_hasher()
    for user in User.objects.filter(username__startswith="demo-"):
        assert check_password(DEMO_PASSWORD, user.password), user
        assert not hasher.must_update(user.password), user


def test_it_has_at_least_200_synthetic_patients_across_the_five_programs(demo):
    assert Patient.objects.count() >= 200
    assert not Patient.objects.filter(synthetic=False).exists()
    conditions = set(Patient.objects.values_list("condition__code", flat=True))
    assert {"ms", "sci", "parkinsons", "t2d", "ckd"} <= conditions


def test_its_patients_are_spread_over_every_stage(demo):
    today = timezone.localdate()
    requests = ConsultationRequest.objects.all()
    for status in ("new", "claimed", "closed", "converted"):
        assert requests.filter(status=status).exists(), status
    assert Patient.objects.filter(screenings__isnull=True).exists()
    for decision in ("eligible", "eligible_with_cautions", "donor_products_only"):
        assert Patient.objects.filter(screenings__decision=decision, plans__isnull=True).exists()
    assert Patient.objects.filter(screenings__decision="not_eligible").exists()
    assert Patient.objects.filter(screenings__decision="incomplete").exists()
    assert TreatmentPlan.objects.filter(admission_date__gt=today, lots__isnull=True).exists()
    assert Patient.objects.filter(plans__lots__status="in_process").exists()
    assert Stay.objects.filter(discharged_at__isnull=True, administrations__isnull=False).exists()
    assert Stay.objects.filter(discharged_at__isnull=False).exists()
    assert Patient.objects.filter(measurements__timepoint="follow_up").exists()


def test_some_patients_stop_answering_after_discharge(demo):
    month_ago = timezone.localdate() - dt.timedelta(days=30)
    missed = FollowUpItem.objects.filter(completed_at__isnull=True, due_date__lt=month_ago)
    assert missed.exists()
    assert FollowUpItem.objects.filter(completed_at__isnull=False).count() > missed.count()


def test_some_check_ups_are_booked_in_their_window_and_some_were_attended(demo):
    appointments = Appointment.objects.select_related("item")
    booked = appointments.filter(status="booked", starts_at__gt=timezone.now())
    attended = appointments.filter(status="attended")
    assert booked.exists() and attended.exists()
    for appointment in appointments:
        day = appointment.starts_at.date()  # the sites' zones are within a day of UTC
        assert not appointment.outside_window
        item = appointment.item
        assert item.window_opens - dt.timedelta(days=1) <= day <= item.window_closes
        assert (item.completed_at is not None) == (appointment.status == "attended")
    assert {a.place for a in appointments} >= {"clinic", "video"}


def test_both_sites_have_patients_at_several_stages(demo):
    for site in Site.objects.all():
        patients = Patient.objects.filter(site=site)
        assert ConsultationRequest.objects.filter(site=site, patient__isnull=True).exists(), site
        assert patients.filter(screenings__decision="not_eligible").exists(), site
        assert patients.filter(stays__discharged_at__isnull=False).exists(), site
    assert Site.objects.filter(receives_public_requests=True).get().code == "lisbon"


def test_every_request_and_patient_is_marked_synthetic(demo):
    assert not ConsultationRequest.objects.filter(synthetic=False).exists()
    assert not Patient.objects.filter(synthetic=False).exists()


def test_every_plan_rests_on_a_final_decision_that_allows_its_source(demo):
    plans = TreatmentPlan.objects.select_related("screening").prefetch_related("products__product")
    assert plans.exists()
    for plan in plans:
        sources = [planned.product.source for planned in plan.products.all()]
        assert may_plan(plan.screening.to_domain(), sources=sources), plan


def test_it_shows_every_kind_of_decision_each_signed_by_two_doctors_unless_incomplete(demo):
    screenings = Screening.objects.filter(purpose="planning")
    decisions = set(screenings.values_list("decision", flat=True))
    assert decisions == {
        "eligible",
        "eligible_with_cautions",
        "donor_products_only",
        "not_eligible",
        "incomplete",
    }
    decided = screenings.exclude(decision="incomplete")
    assert not decided.filter(finalized_at__isnull=True).exists()
    assert all(s.signatures.count() == 2 for s in decided)
    # An incomplete decision waits for the missing facts: nobody can sign it.
    incomplete = screenings.filter(decision="incomplete")
    assert not incomplete.filter(signatures__isnull=False).exists()
    assert not incomplete.filter(finalized_at__isnull=False).exists()


def test_a_caution_new_on_day_one_was_signed_by_two_doctors_before_anything_was_given(demo):
    held = Screening.objects.filter(purpose="day_one").exclude(new_cautions=[])
    assert held.exists()
    for screening in held.prefetch_related("signatures", "stay__administrations"):
        signatures = screening.signatures.all()
        assert len(signatures) == 2, screening
        cautions = {rule["rule_id"] for rule in screening.cautions}
        assert all(set(s.justifications) == cautions for s in signatures), screening
        for given in screening.stay.administrations.all():
            assert screening.finalized_at < given.given_at, screening


def test_every_stay_has_a_day_one_screening_that_allows_administration(demo):
    for stay in Stay.objects.all():
        assert day_one_problem(stay) == "", stay


def test_each_site_has_12_beds_in_6_rooms_2_of_them_accessible(demo):
    for site in Site.objects.all():
        rooms = Room.objects.filter(site=site)
        assert rooms.count() == 6 and rooms.filter(accessible=True).count() == 2
        assert Bed.objects.filter(room__site=site).count() == 12


def test_every_patient_on_the_ward_has_a_bed_and_a_doctor_within_capacity(demo):
    open_stays = Stay.objects.filter(discharged_at__isnull=True)
    assert open_stays.exists()
    assert not Stay.objects.filter(Q(bed__isnull=True) | Q(doctor__isnull=True)).exists()
    for site in Site.objects.all():
        assert all(load.attending <= load.max_patients for load in doctor_loads(site.pk))
    assert len({stay.bed_id for stay in open_stays}) == open_stays.count()
    assert all(stay.doctor.site_id == stay.site_id for stay in Stay.objects.all())


def test_every_administration_passed_the_bedside_gate(demo):
    limits = {(d.product_id, d.route): d.max_dose_per_kg for d in DoseLimit.objects.all()}
    given = Administration.objects.select_related("lot__product", "stay", "planned_product")
    assert given.exists()
    for administration in given:
        lot, stay = administration.lot, administration.stay
        # Released when given; the demo recalls one given lot afterwards (demo/donors.py).
        assert lot.status in ("released", "recalled") and lot.released_at is not None
        assert lot.plan_id == stay.plan_id
        assert lot.expires_at > administration.given_at
        if lot.product.source == "autologous":
            assert lot.source_patient_id == stay.patient_id
        assert administration.dose_per_kg <= limits[(lot.product_id, administration.route)]
        assert lot.released_by_id != lot.made_by_id


def test_every_plan_has_an_all_inclusive_quote(demo):
    from django.db.models import Count

    assert TreatmentPlan.objects.exists()
    assert not TreatmentPlan.objects.annotate(n=Count("quote_lines")).filter(n=0).exists()


def test_every_plan_has_its_quote_accepted_in_the_sites_currency(demo):
    for plan in TreatmentPlan.objects.select_related("patient__site"):
        assert plan.currency == plan.patient.site.currency
        assert plan.quote_acceptance.quote_total == plan.quote_total


def test_its_lab_shows_each_donor_determination_and_a_recall(demo):
    from celltrace.lab.models import Donor, LotRecall, ProductLot

    eligible = Donor.objects.filter(determination="eligible", lots__administrations__isnull=False)
    assert eligible.exists()
    pending = ProductLot.objects.filter(donor__determination="pending")
    assert [lot.donor_state for lot in pending] == ["quarantine"] * len(pending) != []
    segregated = ProductLot.objects.filter(donor__determination="ineligible")
    assert segregated.exists() and all(lot.donor_state == "segregated" for lot in segregated)
    assert not segregated.filter(status="released").exists()
    recall = LotRecall.objects.select_related("lot").get()
    assert recall.lot.status == "recalled" and recall.lot.administrations.exists()
