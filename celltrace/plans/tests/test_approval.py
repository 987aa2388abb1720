"""A new plan is approved with the doctor's electronic signature, like every later version:
through the action, the form and the API; and a signed plan changed since is found."""

import argparse
import io

import pytest

from celltrace.batch import audit as audit_command
from celltrace.clinical import signing
from celltrace.plans.actions import create_plan
from celltrace.plans.models import PlannedProduct, PlanSignature, TreatmentPlan
from celltrace.plans.signed_records import plan_content
from celltrace.plans.tests.test_api import payload, post
from celltrace.plans.tests.test_views import form_data, new_url
from celltrace.refusal import Refused
from celltrace.signatures.models import Signature, WrongPassword
from celltrace.signatures.service import signatures_of, verify_signatures
from testkit import PASSWORD
from testkit.journey import plan_request


@pytest.fixture
def plan(eligible_patient, doctor, plan_input):
    return create_plan(eligible_patient, doctor, plan_request(plan_input), password=PASSWORD)


def nothing_saved():
    return (TreatmentPlan.objects.count(), Signature.objects.count(), PlanSignature.objects.count())


def test_a_new_plan_is_signed_as_approved_by_its_doctor(plan, doctor):
    (signature,) = signatures_of(plan)
    assert (signature.signer, signature.printed_name) == (doctor, "Dan Doctor")
    assert signature.meaning == Signature.Meaning.APPROVAL
    assert signature.record_hash == signing.content_hash(plan_content(plan))
    assert PlanSignature.objects.get(plan=plan).doctor == doctor


def test_a_wrong_password_saves_no_plan_and_is_counted(eligible_patient, doctor, plan_input):
    with pytest.raises(Refused) as refusal:
        create_plan(eligible_patient, doctor, plan_request(plan_input), password="nope")
    assert refusal.value.code == "wrong_password"
    assert nothing_saved() == (0, 0, 0)
    assert WrongPassword.objects.get().meaning == Signature.Meaning.APPROVAL


def test_five_wrong_passwords_lock_plan_approval_even_with_the_right_one(
    eligible_patient, doctor, plan_input
):
    asked = plan_request(plan_input)
    for _ in range(signing.MAX_WRONG_PASSWORDS):
        with pytest.raises(Refused):
            create_plan(eligible_patient, doctor, asked, password="nope")
    with pytest.raises(Refused) as refusal:
        create_plan(eligible_patient, doctor, asked, password=PASSWORD)
    assert refusal.value.code == "signing_locked"
    assert nothing_saved() == (0, 0, 0)


def test_the_form_signs_the_plan_and_its_page_shows_the_signature(
    client_for, doctor, eligible_patient, admission
):
    client = client_for(doctor)
    assert (
        "Your password (signs the plan)" in client.get(new_url(eligible_patient)).content.decode()
    )
    response = client.post(new_url(eligible_patient), form_data(admission))
    plan = TreatmentPlan.objects.get()
    assert response.status_code == 302
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Electronic signature" in page and "<strong>Approval</strong>" in page
    assert "Dan Doctor" in page and "matches the signed record" in page
    assert signatures_of(plan).get().record_hash in page


def test_the_form_refuses_a_wrong_password_and_saves_nothing(
    client_for, doctor, eligible_patient, admission
):
    data = {**form_data(admission), "password": "nope"}
    response = client_for(doctor).post(new_url(eligible_patient), data)
    assert response.status_code == 200
    assert "Wrong password." in response.content.decode()
    assert nothing_saved() == (0, 0, 0)


def test_the_api_signs_the_plan_and_returns_its_signature(
    client_for, doctor, eligible_patient, admission
):
    response = post(client_for(doctor), eligible_patient, payload(admission))
    assert response.status_code == 201
    (signed,) = response.json()["e_signatures"]
    assert (signed["printed_name"], signed["meaning"]) == ("Dan Doctor", "approval")
    assert (signed["matches"], signed["state"]) == (True, "matches the signed record")
    assert signed["record_hash"] == Signature.objects.get().record_hash


def test_the_api_refuses_a_wrong_or_missing_password(
    client_for, doctor, eligible_patient, admission
):
    client = client_for(doctor)
    wrong = post(client, eligible_patient, {**payload(admission), "password": "nope"})
    assert wrong.status_code == 422 and wrong.json()["errors"]["password"] == "Wrong password."
    missing = {k: v for k, v in payload(admission).items() if k != "password"}
    assert post(client, eligible_patient, missing).status_code == 422
    assert nothing_saved() == (0, 0, 0)


def test_the_api_shows_a_plan_changed_after_its_approval(client_for, doctor, plan):
    PlannedProduct.objects.filter(plan=plan).update(dose_per_kg=9.0)
    (signed,) = client_for(doctor).get(f"/api/plans/{plan.pk}").json()["e_signatures"]
    assert (signed["matches"], signed["state"]) == (False, "changed after signing")
    assert signed["changed"][0].startswith("products[0].dose_per_kg")


def test_audit_verify_reports_a_plan_changed_after_its_approval(plan, capsys):
    def audit_verify() -> int:
        return audit_command.run(argparse.Namespace(action="verify"), io.StringIO(), io.StringIO())

    assert audit_verify() == 0
    PlannedProduct.objects.filter(plan=plan).update(dose_per_kg=9.0)
    (finding,) = verify_signatures()
    assert (finding.record, finding.record_id) == ("plans.TreatmentPlan", plan.pk)
    assert audit_verify() == 1
    err = capsys.readouterr().err
    assert f"plans.TreatmentPlan #{plan.pk}" in err and "changed after signing" in err
