"""The demo clinic is big enough to be useful, synthetic throughout, and keeps every safety rule."""

import pytest

from celltrace.accounts.models import Role, User
from celltrace.catalog.models import DoseLimit
from celltrace.clinical.eligibility import may_plan
from celltrace.demo.setup import DEMO_PASSWORD, prepare_demo
from celltrace.patients.models import Patient
from celltrace.plans.models import TreatmentPlan
from celltrace.screening.evaluation import day_one_problem
from celltrace.screening.models import Screening
from celltrace.stays.models import Administration, Stay


@pytest.fixture(scope="module")
def demo_clinic(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        logins = prepare_demo(reset=False)
        yield logins
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(demo_clinic, db):
    return demo_clinic


def test_it_prints_one_login_per_role(demo):
    roles = {user.role for user in User.objects.filter(username__startswith="demo-")}
    assert roles == set(Role.values)
    assert all(password == DEMO_PASSWORD for _, _, password in demo)


def test_it_has_at_least_200_synthetic_patients_across_the_five_programs(demo):
    assert Patient.objects.count() >= 200
    assert not Patient.objects.filter(synthetic=False).exists()
    conditions = set(Patient.objects.values_list("condition__code", flat=True))
    assert {"ms", "sci", "parkinsons", "t2d", "ckd"} <= conditions


def test_its_patients_are_spread_over_every_stage(demo):
    assert Patient.objects.filter(screenings__isnull=True).exists()
    assert Patient.objects.filter(screenings__decision="not_eligible").exists()
    assert Patient.objects.filter(plans__lots__status="in_process").exists()
    assert Patient.objects.filter(stays__discharged_at__isnull=True).exists()
    assert Patient.objects.filter(stays__discharged_at__isnull=False).exists()
    assert Patient.objects.filter(measurements__timepoint="follow_up").exists()


def test_every_plan_rests_on_a_final_decision_that_allows_its_source(demo):
    plans = TreatmentPlan.objects.select_related("screening").prefetch_related("products__product")
    assert plans.exists()
    for plan in plans:
        sources = [planned.product.source for planned in plan.products.all()]
        assert may_plan(plan.screening.to_domain(), sources=sources), plan


def test_it_shows_every_kind_of_decision_each_signed_by_two_doctors(demo):
    screenings = Screening.objects.filter(purpose="planning")
    decisions = set(screenings.values_list("decision", flat=True))
    assert decisions == {
        "eligible",
        "eligible_with_cautions",
        "donor_products_only",
        "not_eligible",
        "incomplete",
    }
    assert not screenings.filter(finalized_at__isnull=True).exists()
    assert all(s.signatures.count() == 2 for s in screenings)


def test_every_stay_has_a_day_one_screening_that_allows_administration(demo):
    for stay in Stay.objects.all():
        assert day_one_problem(stay) == "", stay


def test_every_administration_passed_the_bedside_gate(demo):
    limits = {(d.product_id, d.route): d.max_cells_per_kg for d in DoseLimit.objects.all()}
    given = Administration.objects.select_related("lot__product", "stay", "planned_product")
    assert given.exists()
    for administration in given:
        lot, stay = administration.lot, administration.stay
        assert lot.status == "released"
        assert lot.plan_id == stay.plan_id
        assert lot.expires_at > administration.given_at
        if lot.product.source == "autologous":
            assert lot.source_patient_id == stay.patient_id
        assert administration.dose_cells_per_kg <= limits[(lot.product_id, administration.route)]
        assert lot.released_by_id != lot.made_by_id


def test_every_plan_has_an_all_inclusive_quote(demo):
    from django.db.models import Count

    assert TreatmentPlan.objects.exists()
    assert not TreatmentPlan.objects.annotate(n=Count("quote_lines")).filter(n=0).exists()
