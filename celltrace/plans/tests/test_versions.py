"""Plans that change: amending makes a signed new version, cancelling stops the plan, and the
patient's acceptance of a quote is bound to one version. Through the actions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from celltrace.catalog.models import CellProduct
from celltrace.lab.actions import record_process_step, release_lot
from celltrace.lab.worklist import cancelled_orders, open_orders
from celltrace.plans.actions import accept_quote, amend_plan, cancel_plan, create_plan
from celltrace.plans.models import PlanSignature, QuoteAcceptance, TreatmentPlan
from celltrace.refusal import Refused
from celltrace.stays.actions import admit_patient
from testkit import PASSWORD
from testkit.journey import (
    bed_and_doctor,
    make_administration,
    make_lot,
    make_stay,
    plan_request,
)


@pytest.fixture
def mistaken(eligible_patient, doctor, plan_input):
    """A plan made for 150 kg: the patient weighs 75."""
    plan_input["weight_kg"] = 150.0
    return create_plan(eligible_patient, doctor, plan_request(plan_input), password=PASSWORD)


@pytest.fixture
def corrected(plan_input):
    return plan_request({**plan_input, "weight_kg": 75.0})


def amend(plan, doctor, asked, **changes):
    return amend_plan(
        plan,
        doctor,
        asked,
        **{"reason": "Weight typed as 150 kg.", "password": PASSWORD, **changes},
    )


def snapshot():
    return (
        list(TreatmentPlan.objects.values_list("pk", "status", "version")),
        PlanSignature.objects.count(),
        QuoteAcceptance.objects.count(),
    )


def refused(call):
    before = snapshot()
    with pytest.raises(Refused) as caught:
        call()
    assert snapshot() == before
    return caught.value


# Amending


def test_amending_the_150_kg_mistake_makes_a_signed_version_2_and_supersedes_version_1(
    mistaken, corrected, doctor, lab_technician
):
    new = amend(mistaken, doctor, corrected)
    mistaken.refresh_from_db()

    assert (new.number, new.version, new.status) == (mistaken.pk, 2, "active")
    assert new.supersedes == mistaken and new.amendment_reason == "Weight typed as 150 kg."
    assert mistaken.status == "superseded" and mistaken.superseded_by == new
    assert new.signature.doctor == doctor
    assert new.products.get().total_amount == 1.5e6 * 75
    assert list(mistaken.versions()) == [mistaken, new]
    assert new.history.first().history_user == doctor
    # The lab sees one order, for the right number of cells.
    (order,) = open_orders(lab_technician)
    assert order.plan == new and order.planned.total_amount == 1.125e8


def test_amending_runs_every_check_of_a_new_plan(mistaken, doctor, plan_input):
    plan_input["products"][0]["dose_per_kg"] = 2.0e6 + 1
    error = refused(lambda: amend(mistaken, doctor, plan_request(plan_input)))
    assert "above the maximum safe dose" in error.field_errors["products.0.dose_per_kg"]


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"password": "not my password"}, "wrong_password", "password"),
        ({"password": ""}, "wrong_password", "password"),
        ({"reason": "  "}, "invalid", "reason"),
    ],
)
def test_amending_needs_a_reason_and_the_doctors_password(
    mistaken, corrected, doctor, changes, code, field
):
    error = refused(lambda: amend(mistaken, doctor, corrected, **changes))
    assert error.code == code and field in error.field_errors


def test_only_a_doctor_of_the_site_amends(mistaken, corrected, coordinator, other_site_doctor):
    for user in (coordinator, other_site_doctor):
        assert refused(lambda u=user: amend(mistaken, u, corrected)).code in {
            "role_not_allowed",
            "other_site",
        }


def test_a_superseded_version_cannot_be_amended_again(mistaken, corrected, doctor):
    amend(mistaken, doctor, corrected)
    mistaken.refresh_from_db()
    assert refused(lambda: amend(mistaken, doctor, corrected)).code == "plan_superseded"


def test_amending_after_a_product_was_given_is_refused(
    mistaken, corrected, doctor, nurse, lab_technician
):
    stay = make_stay(mistaken, nurse)
    make_administration(stay, make_lot(mistaken, lab_technician), nurse)
    assert refused(lambda: amend(mistaken, doctor, corrected)).code == "already_given"


def test_amending_a_plan_the_patient_was_admitted_on_is_refused(mistaken, corrected, doctor, nurse):
    make_stay(mistaken, nurse)
    error = refused(lambda: amend(mistaken, doctor, corrected))
    assert error.code == "plan_has_stay" and "on the ward" in error.message


def test_lots_follow_the_new_version_only_when_it_still_plans_their_product(
    eligible_patient, doctor, plan_input, lab_technician
):
    own_cells = {
        **plan_input["products"][0],
        "product": CellProduct.objects.get(code="msc-bm-auto"),
    }
    both = {**plan_input, "products": [*plan_input["products"], own_cells]}
    plan = create_plan(eligible_patient, doctor, plan_request(both), password=PASSWORD)
    kept = make_lot(plan, lab_technician, status="in_process")
    dropped = make_lot(plan, lab_technician, status="in_process", product=own_cells["product"])

    new = amend(plan, doctor, plan_request(plan_input))  # without the patient's own cells
    kept.refresh_from_db()
    dropped.refresh_from_db()

    assert kept.plan == new and not kept.order_cancelled
    assert dropped.plan == plan and dropped.order_cancelled
    (order,) = cancelled_orders(lab_technician)
    assert order.lots == (dropped,) and order.cancelled
    assert [o.planned.product.code for o in open_orders(lab_technician)] == ["msc-uc-allo"]
    with pytest.raises(Refused) as caught:
        record_process_step(dropped, lab_technician, step="separation", performed_at=timezone.now())
    assert caught.value.code == "order_cancelled"


# Cancelling


def test_cancelling_stops_the_plan_and_the_labs_order(
    mistaken, coordinator, lab_technician, quality_reviewer
):
    lot = make_lot(mistaken, lab_technician, status="in_process")
    cancel_plan(mistaken, coordinator, reason="The patient chose not to travel.")
    mistaken.refresh_from_db()
    lot.refresh_from_db()

    assert mistaken.status == "cancelled" and mistaken.cancelled_by == coordinator
    assert mistaken.cancellation_reason == "The patient chose not to travel."
    assert mistaken.cancelled_at <= timezone.now()
    assert open_orders(lab_technician) == []
    assert [o.lots for o in cancelled_orders(lab_technician)] == [(lot,)]
    with pytest.raises(Refused) as caught:
        record_process_step(lot, lab_technician, step="separation", performed_at=timezone.now())
    assert caught.value.code == "order_cancelled"
    with pytest.raises(Refused) as caught:
        release_lot(lot, quality_reviewer, password=PASSWORD)
    assert "order was cancelled" in caught.value.message


def test_a_cancelled_plan_cannot_be_admitted(mistaken, doctor, nurse):
    mistaken.admission_date = timezone.localdate()
    mistaken.save()
    cancel_plan(mistaken, doctor, reason="Duplicate plan.")
    mistaken.refresh_from_db()
    with pytest.raises(Refused) as caught:
        admit_patient(
            mistaken,
            nurse,
            admitted_at=timezone.now(),
            **bed_and_doctor(mistaken),
            weight_kg=70.0,
        )
    assert caught.value.code == "plan_cancelled"
    assert not hasattr(TreatmentPlan.objects.get(pk=mistaken.pk), "stay")


def test_a_superseded_version_cannot_be_admitted(mistaken, corrected, doctor, nurse):
    amend(mistaken, doctor, corrected)
    mistaken.refresh_from_db()
    with pytest.raises(Refused) as caught:
        admit_patient(
            mistaken,
            nurse,
            admitted_at=timezone.now(),
            **bed_and_doctor(mistaken),
            weight_kg=70.0,
        )
    assert caught.value.code == "plan_superseded"


def test_cancelling_needs_a_reason_and_no_stay(mistaken, doctor, nurse):
    assert refused(lambda: cancel_plan(mistaken, doctor, reason="")).code == "invalid"
    make_stay(mistaken, nurse)
    assert refused(lambda: cancel_plan(mistaken, doctor, reason="x")).code == "plan_has_stay"


def test_a_nurse_cannot_cancel_and_a_plan_is_cancelled_once(mistaken, doctor, nurse):
    assert refused(lambda: cancel_plan(mistaken, nurse, reason="x")).code == "role_not_allowed"
    cancel_plan(mistaken, doctor, reason="Duplicate plan.")
    mistaken.refresh_from_db()
    assert refused(lambda: cancel_plan(mistaken, doctor, reason="x")).code == "plan_cancelled"


# The quote: currency and acceptance


def accept(plan, user, **changes):
    fields = {
        "accepted_by_name": plan.patient.full_name,
        "accepted_at": timezone.now(),
        "channel": "signed_form",
    }
    return accept_quote(plan, user, **{**fields, **changes})


def test_each_version_is_quoted_in_the_sites_currency_of_the_time(
    eligible_patient, doctor, plan_input, corrected, site
):
    site.currency = "CHF"
    site.save()
    eligible_patient.refresh_from_db()
    first = create_plan(eligible_patient, doctor, plan_request(plan_input), password=PASSWORD)
    site.currency = "EUR"
    site.save()
    first.refresh_from_db()
    second = amend(first, doctor, corrected)
    assert (first.currency, second.currency) == ("CHF", "EUR")
    assert first.price(Decimal("12400")) == "CHF 12,400.00"


def test_an_acceptance_is_bound_to_its_version_and_an_amendment_needs_a_new_one(
    mistaken, corrected, doctor, coordinator
):
    acceptance = accept(mistaken, coordinator, channel="email")
    assert mistaken.quote_acceptance == acceptance
    assert acceptance.quote_total == mistaken.quote_total
    assert acceptance.quote_hash == mistaken.quote_fingerprint
    assert acceptance.recorded_by == coordinator

    new = amend(mistaken, doctor, corrected)
    assert new.quote_acceptance is None
    assert accept(new, coordinator).plan == new


def test_a_changed_quote_line_no_longer_matches_the_acceptance(mistaken, coordinator):
    accept(mistaken, coordinator)
    mistaken.quote_lines.filter(pk=mistaken.quote_lines.first().pk).update(amount=1)
    assert mistaken.quote_acceptance is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"accepted_by_name": " "}, "accepted_by_name"),
        ({"channel": "carrier pigeon"}, "channel"),
        ({"accepted_at": timezone.now() + dt.timedelta(days=1)}, "accepted_at"),
        ({"accepted_at": timezone.now() - dt.timedelta(days=30)}, "accepted_at"),
        ({"accepted_at": "yesterday"}, "accepted_at"),
    ],
)
def test_a_wrong_acceptance_is_refused(mistaken, coordinator, changes, field):
    error = refused(lambda: accept(mistaken, coordinator, **changes))
    assert field in error.field_errors


def test_a_quote_is_accepted_once_by_a_coordinator_of_a_plan_in_force(
    mistaken, coordinator, doctor
):
    assert refused(lambda: accept(mistaken, doctor)).code == "role_not_allowed"
    accept(mistaken, coordinator)
    assert refused(lambda: accept(mistaken, coordinator)).code == "already_accepted"
    cancel_plan(mistaken, coordinator, reason="Changed their mind.")
    mistaken.refresh_from_db()
    assert refused(lambda: accept(mistaken, coordinator)).code == "plan_cancelled"


def test_an_acceptance_time_without_its_time_zone_is_refused_not_a_crash(mistaken, coordinator):
    naive = timezone.localtime().replace(tzinfo=None)
    error = refused(lambda: accept(mistaken, coordinator, accepted_at=naive))
    assert error.code == "invalid"
    assert error.field_errors["accepted_at"] == "Give the time with its time zone."


def test_an_amended_version_is_signed_by_the_one_service_and_checked_later(
    mistaken, corrected, doctor
):
    from celltrace.plans.models import PlannedProduct
    from celltrace.signatures.service import signatures_of, verify_signatures

    new = amend(mistaken, doctor, corrected)
    (signature,) = signatures_of(new)
    assert (signature.meaning, signature.printed_name) == ("approval", "Dan Doctor")
    assert verify_signatures() == []
    PlannedProduct.objects.filter(plan=new).update(dose_per_kg=9.0)
    (finding,) = verify_signatures()
    assert (finding.record, finding.record_id) == ("plans.TreatmentPlan", new.pk)
    assert finding.changed[0].startswith("products[0].dose_per_kg")


def test_the_plan_page_shows_the_versions_signature(mistaken, corrected, doctor, client_for):
    new = amend(mistaken, doctor, corrected)
    page = client_for(doctor).get(new.get_absolute_url()).content.decode()
    assert "Electronic signature" in page and "<strong>Approval</strong>" in page
    assert "Dan Doctor" in page and "matches the signed record" in page
