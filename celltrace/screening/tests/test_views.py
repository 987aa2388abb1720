import pytest
from django.urls import reverse

from celltrace.screening.actions import record_screening
from celltrace.screening.models import Contraindication, Screening, ScreeningAnswer


def new_url(patient):
    return reverse("screening:new", args=[patient.pk])


def form_data(answers, decision="eligible", reasons="No contraindication found."):
    data = {"decision": decision, "reasons": reasons}
    for code, (answer, note) in answers.items():
        data[f"answer_{code}"] = answer
        data[f"note_{code}"] = note
    return data


def assert_nothing_saved():
    assert Screening.objects.count() == 0
    assert ScreeningAnswer.objects.count() == 0


def test_the_form_lists_every_active_question(client_for, doctor, patient):
    Contraindication.objects.filter(code="mental").update(active=False)
    response = client_for(doctor).get(new_url(patient))
    assert response.status_code == 200
    assert (
        len(response.context["form"].rows) == Contraindication.objects.filter(active=True).count()
    )
    assert b"Age over 70" in response.content
    assert b"Mental disorders" not in response.content


def test_a_doctor_records_an_eligible_screening(client_for, doctor, patient, all_no):
    response = client_for(doctor).post(new_url(patient), form_data(all_no))
    screening = Screening.objects.get()
    assert response.status_code == 302
    assert response["Location"] == screening.get_absolute_url()
    assert screening.answers.count() == len(all_no)


def test_eligible_with_an_exclusion_is_refused_on_the_form(client_for, doctor, patient, all_no):
    all_no["cancer"] = ("yes", "Active lymphoma")
    response = client_for(doctor).post(new_url(patient), form_data(all_no))
    assert response.status_code == 200
    assert "excludes treatment" in response.context["form"].errors["decision"][0]
    assert b'class="refusal"' in response.content
    assert_nothing_saved()


def test_eligible_with_an_unknown_answer_is_refused_on_the_form(
    client_for, doctor, patient, all_no
):
    all_no["blood-tests"] = ("unknown", "")
    response = client_for(doctor).post(new_url(patient), form_data(all_no))
    assert "not known yet" in response.context["form"].errors["decision"][0]
    assert_nothing_saved()


def test_a_caution_with_empty_reasons_asks_why_despite_it(client_for, doctor, patient, all_no):
    all_no["age-70"] = ("yes", "")
    response = client_for(doctor).post(new_url(patient), form_data(all_no, reasons=""))
    assert "eligible despite “Age over 70”" in response.context["form"].errors["reasons"][0]
    assert_nothing_saved()


def test_a_missing_answer_is_marked_on_its_question(client_for, doctor, patient, all_no):
    data = form_data(all_no, decision="needs_review")
    del data["answer_pregnancy"]
    response = client_for(doctor).post(new_url(patient), data)
    errors = response.context["form"].errors
    assert list(errors) == ["answer_pregnancy"]
    assert_nothing_saved()


def test_missing_answers_and_reasons_are_shown_together(client_for, doctor, patient, all_no):
    data = form_data(all_no, decision="not_eligible", reasons="")
    del data["answer_cancer"]
    response = client_for(doctor).post(new_url(patient), data)
    assert set(response.context["form"].errors) == {"answer_cancer", "reasons"}
    assert_nothing_saved()


@pytest.mark.parametrize("role", ["nurse", "advisor", "manager"])
def test_only_doctors_open_the_screening_form(client_for, request, role, patient):
    response = client_for(request.getfixturevalue(role)).get(new_url(patient))
    assert response.status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client, patient):
    response = client.get(new_url(patient))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_doctor_of_another_site_gets_404(client_for, other_site_doctor, patient, all_no):
    client = client_for(other_site_doctor)
    assert client.get(new_url(patient)).status_code == 404
    assert client.post(new_url(patient), form_data(all_no)).status_code == 404
    assert_nothing_saved()


@pytest.fixture
def screening(patient, doctor, all_no):
    all_no["bleeding"] = ("yes", "On warfarin")
    return record_screening(
        patient, doctor, answers=all_no, decision="eligible", reasons="Donor cells only."
    )


@pytest.mark.parametrize("role", ["doctor", "nurse", "coordinator", "manager", "admin_user"])
def test_the_care_team_reads_the_decision(client_for, request, role, screening):
    response = client_for(request.getfixturevalue(role)).get(screening.get_absolute_url())
    assert response.status_code == 200
    assert b"Eligible" in response.content
    assert b"donor products only" in response.content
    assert b"On warfarin" in response.content


def test_the_advisor_does_not_read_screenings(client_for, advisor, screening):
    assert client_for(advisor).get(screening.get_absolute_url()).status_code == 403


def test_another_sites_doctor_gets_404_on_a_screening(client_for, other_site_doctor, screening):
    assert client_for(other_site_doctor).get(screening.get_absolute_url()).status_code == 404


def test_the_screening_page_needs_few_queries(
    client_for, doctor, screening, django_assert_max_num_queries
):
    client = client_for(doctor)
    with django_assert_max_num_queries(6):
        client.get(screening.get_absolute_url())
