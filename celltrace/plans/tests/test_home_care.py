"""The plan holds its home care: checked like a dose at the clinic, priced, signed, versioned."""

from decimal import Decimal

import pytest

from celltrace.catalog.models import CellProduct
from celltrace.plans.actions import amend_plan, create_plan
from celltrace.plans.models import PlannedHomeCare
from celltrace.plans.signed_records import plan_content
from celltrace.refusal import Refused
from testkit import PASSWORD
from testkit.journey import plan_request


@pytest.fixture
def spray(catalog):
    return {
        "product": CellProduct.objects.get(code="exo-home"),
        "route": "nasal",
        "dose_per_kg": 1.0e9,
        "every_days": 3,
        "weeks": 5,
        "instructions": "One puff in each nostril after breakfast.",
    }


GUIDANCE = {
    "product": None,
    "medication": "Paracetamol 500 mg",
    "route": "oral",
    "every_days": 1,
    "weeks": 1,
    "instructions": "Only if you have a fever above 38.5 °C; at most 3 tablets a day.",
}


def _make(patient, doctor, plan_input, *items):
    request = plan_request({**plan_input, "home_care": list(items)})
    return create_plan(patient, doctor, request, password=PASSWORD)


def test_the_plan_holds_home_doses_and_guidance_and_the_quote_prices_the_doses(
    eligible_patient, doctor, plan_input, spray
):
    plan = _make(eligible_patient, doctor, plan_input, spray, GUIDANCE)
    product_item, guidance = plan.home_care.all()
    assert (product_item.dose_count, product_item.total_amount) == (11, 1.0e9 * 72.0)
    assert guidance.what == "Paracetamol 500 mg" and guidance.product is None
    (line,) = [q for q in plan.quote_lines.all() if "at home" in q.description]
    assert (line.quantity, line.unit_price, line.amount) == (11, Decimal("900"), Decimal("9900"))
    assert [h["medication"] for h in plan_content(plan)["home_care"]] == ["", "Paracetamol 500 mg"]
    assert product_item.history.first().history_user == doctor


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"dose_per_kg": 6.0e9}, "home_care.0.dose_per_kg"),  # above the 5e9 per dose
        ({"dose_per_kg": 2.0e9}, "home_care.0.dose_per_kg"),  # 11 doses: over the course
        ({"route": "intravenous"}, "home_care.0.route"),
        ({"weeks": 6}, "home_care.0.weeks"),
        ({"route": "oral"}, "home_care.0.dose_per_kg"),  # no limit by mouth: not allowed
        ({"instructions": ""}, "home_care.0.instructions"),
        ({"product": "no-such-product"}, "home_care.0.product"),
    ],
)
def test_a_home_care_item_breaking_a_rule_is_refused_on_its_field(
    eligible_patient, doctor, plan_input, spray, change, field
):
    with pytest.raises(Refused) as caught:
        _make(eligible_patient, doctor, plan_input, {**spray, **change})
    assert field in caught.value.field_errors
    assert not PlannedHomeCare.objects.exists()


def test_more_than_five_weeks_passes_with_the_doctors_reason(
    eligible_patient, doctor, plan_input, spray
):
    longer = {**spray, "every_days": 7, "weeks": 7, "longer_reason": "Slow recovery after SCI."}
    assert _make(eligible_patient, doctor, plan_input, longer).home_care.get().weeks == 7


def test_an_amendment_carries_the_home_care_it_is_given(
    eligible_patient, doctor, plan_input, spray
):
    plan = _make(eligible_patient, doctor, plan_input, spray)
    asked = plan_request({**plan_input, "home_care": [spray, GUIDANCE]})
    new = amend_plan(plan, doctor, asked, reason="Add fever guidance.", password=PASSWORD)
    assert new.home_care.count() == 2 and plan.home_care.count() == 1


def test_the_doctor_adds_home_care_on_the_form_and_the_amend_page_starts_from_it(
    client_for, doctor, eligible_patient, admission
):
    from django.urls import reverse

    from celltrace.plans.tests.test_views import form_data

    data = form_data(admission) | {
        "home_care-TOTAL_FORMS": "2",
        "home_care-INITIAL_FORMS": "0",
        "home_care-0-product": CellProduct.objects.get(code="exo-home").pk,
        "home_care-0-route": "nasal",
        "home_care-0-dose_per_kg": "1e9",
        "home_care-0-every_days": "7",
        "home_care-0-weeks": "5",
        "home_care-0-instructions": "One puff in each nostril on Sunday mornings.",
    }
    client = client_for(doctor)
    response = client.post(reverse("plans:new", args=[eligible_patient.pk]), data)
    assert response.status_code == 302
    item = PlannedHomeCare.objects.get()
    page = client.get(item.plan.get_absolute_url()).content.decode()
    assert "One puff in each nostril on Sunday mornings." in page
    assert "at home every 7 days for 5 weeks" in page  # its quote line
    amend = client.get(reverse("plans:amend", args=[item.plan.pk])).content.decode()
    assert "One puff in each nostril on Sunday mornings.</textarea>" in amend
