"""A caution new on day one holds every product until two doctors sign, each with a reason.

The nurse records "clotting disorder: yes, on warfarin" on admission; the re-check decides
"eligible with cautions". Nothing is given until the day-one re-check is signed by the
required number of doctors, each with a written justification, as at planning.
"""

import io

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from celltrace.refusal import Refused
from celltrace.screening.actions import record_fact, rescreen_on_admission, sign_screening
from celltrace.screening.models import Screening, ScreeningSignature
from celltrace.stays.actions import record_administration
from celltrace.stays.models import Administration
from celltrace.stays.tests.test_api import _json, _refused
from celltrace.stays.tests.test_views import ADMINISTER, _form, _post_refused
from testkit import PASSWORD
from testkit.samples import record_normal_facts

HELD = (
    "The day-one re-check found a new caution (A blood-clotting disorder): it needs the "
    "doctors' review with a written justification before any product is given"
)
WHY = "INR 2.1 on warfarin, bridged with heparin; haematology agrees to treat."


def _html(text: str) -> str:
    return text.replace("'", "&#x27;")


def _on_warfarin(ward, nurse) -> Screening:
    """The nurse records the answer and runs the day-one re-check through the actions."""
    record_normal_facts(ward.patient, nurse)
    record_fact(
        ward.patient, nurse, kind="answer", on=timezone.localdate(),
        provenance="Admission questions: on warfarin", question="clotting_disorder", yes=True,
    )  # fmt: skip
    held = rescreen_on_admission(ward.stay, nurse)
    assert held.decision == "eligible_with_cautions"
    assert held.new_cautions == ["A blood-clotting disorder"]
    return held


def _now(bedside) -> dict:
    return {**bedside, "given_at": timezone.now()}


def test_the_action_holds_the_product_until_the_second_doctor_signs(
    ward, nurse, doctor, second_doctor, bedside
):
    held = _on_warfarin(ward, nurse)
    with pytest.raises(Refused) as error:
        record_administration(nurse, **_now(bedside))
    assert f"{HELD} (0 of 2 signatures)." in error.value.reasons
    sign_screening(held, doctor, password=PASSWORD, justifications={"clotting-disorder": WHY})
    with pytest.raises(Refused) as error:
        record_administration(nurse, **_now(bedside))
    assert f"{HELD} (1 of 2 signatures)." in error.value.reasons
    sign_screening(
        held, second_doctor, password=PASSWORD, justifications={"clotting-disorder": WHY}
    )
    given = record_administration(nurse, **_now(bedside))
    assert given.stay == ward.stay


def test_a_product_may_not_be_recorded_as_given_before_the_review_was_final(
    ward, nurse, doctor, second_doctor, bedside
):
    held = _on_warfarin(ward, nurse)
    for signer in (doctor, second_doctor):
        sign_screening(held, signer, password=PASSWORD, justifications={"clotting-disorder": WHY})
    with pytest.raises(Refused) as error:
        record_administration(nurse, **bedside)  # given 5 minutes ago, before the signatures
    assert any("before the day-one screening that cleared" in r for r in error.value.reasons)
    assert not Administration.objects.exists()


def test_the_action_refuses_a_signature_without_justification(ward, nurse, doctor):
    held = _on_warfarin(ward, nurse)
    with pytest.raises(Refused) as error:
        sign_screening(held, doctor, password=PASSWORD, justifications={"clotting-disorder": " "})
    assert error.value.code == "justification_needed"
    assert "justifications.clotting-disorder" in error.value.field_errors
    assert not ScreeningSignature.objects.filter(screening=held).exists()


def test_the_forms_hold_the_product_until_two_doctors_sign_with_a_justification(
    client_for, ward, nurse, doctor, second_doctor, bedside
):
    record_normal_facts(ward.patient, nurse)
    answer = {
        "kind": "answer",
        "answer-on": timezone.localdate().isoformat(),
        "answer-provenance": "Admission questions: on warfarin",
        "answer-question": "clotting_disorder",
        "answer-yes": "yes",
    }
    facts = reverse("screening:facts", args=[ward.patient.pk])
    assert client_for(nurse).post(facts, answer).status_code == 302
    assert client_for(nurse).post(reverse("stays:day_one", args=[ward.stay.pk])).status_code == 302
    held = Screening.objects.filter(stay=ward.stay).latest("pk")
    page = _post_refused(client_for(nurse), _form(_now(bedside)))
    assert _html(f"{HELD} (0 of 2 signatures).") in page

    sign = reverse("screening:sign", args=[held.pk])
    unjustified = client_for(doctor).post(sign, {"password": PASSWORD})
    assert unjustified.status_code == 200
    assert "Write why the patient may be treated despite" in unjustified.content.decode()
    assert not ScreeningSignature.objects.filter(screening=held).exists()
    signed = {"password": PASSWORD, "justifications_clotting-disorder": WHY}
    assert client_for(doctor).post(sign, signed).status_code == 302
    page = _post_refused(client_for(nurse), _form(_now(bedside)))
    assert _html(f"{HELD} (1 of 2 signatures).") in page

    assert client_for(second_doctor).post(sign, signed).status_code == 302
    response = client_for(nurse).post(ADMINISTER, _form(_now(bedside)))
    assert response.status_code == 302
    assert Administration.objects.get().stay == ward.stay


def test_the_api_holds_the_product_until_two_doctors_sign_with_a_justification(
    client_for, ward, nurse, doctor, second_doctor, bedside
):
    def post(client, url, data=None):
        return client.post(url, data or {}, content_type="application/json")

    record_normal_facts(ward.patient, nurse)
    answer = {
        "kind": "answer",
        "on": timezone.localdate().isoformat(),
        "provenance": "Admission questions: on warfarin",
        "question": "clotting_disorder",
        "yes": True,
    }
    facts = f"/api/screening/patients/{ward.patient.pk}/facts"
    assert post(client_for(nurse), facts, answer).status_code == 201
    held = post(client_for(nurse), f"/api/stays/{ward.stay.pk}/day-one").json()
    assert held["decision"] == "eligible_with_cautions"
    assert held["new_cautions"] == ["A blood-clotting disorder"]
    assert (
        f"{HELD} (0 of 2 signatures)."
        in _refused(client_for(nurse), _json(_now(bedside)))["reasons"]
    )

    url = f"/api/screening/{held['id']}/signatures"
    unjustified = post(client_for(doctor), url, {"password": PASSWORD})
    assert unjustified.status_code == 422
    assert unjustified.json()["code"] == "justification_needed"
    assert not ScreeningSignature.objects.filter(screening_id=held["id"]).exists()
    signed = {"password": PASSWORD, "justifications": {"clotting-disorder": WHY}}
    assert post(client_for(doctor), url, signed).json()["is_final"] is False
    assert (
        f"{HELD} (1 of 2 signatures)."
        in _refused(client_for(nurse), _json(_now(bedside)))["reasons"]
    )

    assert post(client_for(second_doctor), url, signed).json()["is_final"] is True
    given = post(client_for(nurse), "/api/stays/administrations", _json(_now(bedside)))
    assert given.status_code == 201


def test_the_stay_page_shows_the_review_waiting_and_links_doctors_to_sign(
    client_for, ward, nurse, doctor, second_doctor
):
    held = _on_warfarin(ward, nurse)
    stay_page = ward.stay.get_absolute_url()
    page = client_for(doctor).get(stay_page).content.decode()
    assert "Day-one review: waiting for 2 signatures" in page
    assert f'href="{held.get_absolute_url()}">Review and sign' in page
    page = client_for(nurse).get(stay_page).content.decode()
    assert "Day-one review: waiting for 2 signatures" in page
    assert "Review and sign" not in page

    sign_screening(held, doctor, password=PASSWORD, justifications={"clotting-disorder": WHY})
    page = client_for(doctor).get(stay_page).content.decode()
    assert "Day-one review: waiting for 1 signature<" in page
    assert "Review and sign" not in page
    assert "Review and sign" in client_for(second_doctor).get(stay_page).content.decode()

    sign_screening(
        held, second_doctor, password=PASSWORD, justifications={"clotting-disorder": WHY}
    )
    assert "Day-one review" not in client_for(doctor).get(stay_page).content.decode()


def test_the_review_waits_on_the_dashboard_of_each_doctor_who_has_not_signed(
    ward, nurse, doctor, second_doctor
):
    from celltrace.web.dashboards import work_queues

    def waiting(user):
        return next(q for q in work_queues(user) if "your signature" in q.title).rows

    held = _on_warfarin(ward, nurse)
    assert waiting(doctor) == [held]
    sign_screening(held, doctor, password=PASSWORD, justifications={"clotting-disorder": WHY})
    assert waiting(doctor) == []
    assert waiting(second_doctor) == [held]


def test_a_re_check_that_finds_nothing_new_needs_no_signature(ward, nurse, bedside):
    record_normal_facts(ward.patient, nurse)
    clear = rescreen_on_admission(ward.stay, nurse)
    assert (clear.new_cautions, clear.new_exclusions) == ([], [])
    assert record_administration(nurse, **_now(bedside)).stay == ward.stay


def test_the_printed_report_says_which_caution_is_new_on_day_one(client_for, ward, nurse):
    held = _on_warfarin(ward, nurse)
    pdf = client_for(nurse).get(reverse("screening:report_pdf", args=[held.pk])).content
    assert pdf.startswith(b"%PDF")
    text = " ".join(
        "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages).split()
    )
    assert "New on day one, since the plan" in text and "A blood-clotting disorder" in text
