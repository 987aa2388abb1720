import datetime as dt

import pytest
from django.utils import timezone

from celltrace.outcomes.models import Measurement, MriScan, Relapse
from celltrace.outcomes.tests.conftest import measure
from celltrace.outcomes.tests.exams import normal_exam, reference_case, worksheet_post
from testkit.journey import make_patient

TODAY = timezone.localdate


@pytest.fixture
def sci_patient(catalog, site):
    return make_patient(site, condition="sci")


@pytest.fixture
def ms_patient(catalog, site):
    return make_patient(site, condition="ms")


def isncsci_url(patient):
    return f"/outcomes/patients/{patient.pk}/isncsci/new/"


def edss_url(patient):
    return f"/outcomes/patients/{patient.pk}/edss/new/"


def course_url(patient):
    return f"/outcomes/patients/{patient.pk}/edss/"


# ISNCSCI worksheet


def test_the_worksheet_starts_at_normal_grades_for_both_sides(client_for, doctor, sci_patient):
    page = client_for(doctor).get(isncsci_url(sci_patient)).content.decode()
    assert 'name="right_motor_C5"' in page and 'name="left_pinPrick_S4_5"' in page
    assert page.count('value="5"') >= 20 and page.count('value="2"') >= 112


@pytest.mark.parametrize("case_id", [1, 17, 23, 66, 129])
def test_a_reference_exam_entered_on_the_worksheet_is_saved_with_the_expected_ais(
    client_for, doctor, sci_patient, case_id
):
    case = reference_case(case_id)
    client = client_for(doctor)
    response = client.post(isncsci_url(sci_patient), worksheet_post(case["exam"]), follow=True)
    assert response.redirect_chain == [(f"/patients/{sci_patient.pk}/", 302)]
    m = Measurement.objects.get(patient=sci_patient, instrument="isncsci_motor")
    expected = case["expected"]
    assert m.details["classification"] == expected["classification"]
    totals = expected["totals"]
    assert m.value == int(totals["upperExtremity"]) + int(totals["lowerExtremity"])
    ais = expected["classification"]["ASIAImpairmentScale"]
    assert f"AIS {ais}, motor score {m.value:g}" in response.content.decode()


def test_classify_shows_the_result_without_saving(client_for, doctor, sci_patient):
    case = reference_case(1)
    data = worksheet_post(case["exam"], preview="1")
    page = client_for(doctor).post(isncsci_url(sci_patient), data).content.decode()
    assert (
        '<span data-result="ais">A</span>' in page and '<span data-result="nli">C5</span>' in page
    )
    assert not Measurement.objects.exists()


def test_the_live_preview_returns_the_classification(client_for, doctor, sci_patient):
    url = f"/outcomes/patients/{sci_patient.pk}/isncsci/preview/"
    page = client_for(doctor).post(url, worksheet_post(normal_exam())).content.decode()
    assert '<span data-result="ais">E</span>' in page and "100 / 100" in page
    assert not Measurement.objects.exists()


def test_an_invalid_grade_is_shown_next_to_its_field_and_nothing_is_saved(
    client_for, doctor, sci_patient
):
    data = worksheet_post(normal_exam(), right_motor_C7="6")
    response = client_for(doctor).post(isncsci_url(sci_patient), data)
    assert response.status_code == 200
    assert response.context["form"].errors["right_motor_C7"] == ["'6' is not a motor grade"]
    assert 'class="refusal"' in response.content.decode()
    assert not Measurement.objects.exists()


def test_lower_case_nt_is_read_as_nt_and_an_nd_motor_score_is_refused_with_its_reason(
    client_for, doctor, sci_patient
):
    data = worksheet_post(normal_exam(), left_motor_S1="nt")
    response = client_for(doctor).post(isncsci_url(sci_patient), data)
    page = response.content.decode()
    assert "not determinable (ND)" in page and '<span data-result="ais">' in page
    assert not Measurement.objects.exists()


def test_a_nurse_may_not_enter_an_exam_and_another_site_gets_404(
    client_for, nurse, other_site_doctor, sci_patient
):
    data = worksheet_post(normal_exam())
    assert client_for(nurse).post(isncsci_url(sci_patient), data).status_code == 403
    assert client_for(other_site_doctor).post(isncsci_url(sci_patient), data).status_code == 404
    assert client_for(other_site_doctor).get(isncsci_url(sci_patient)).status_code == 404
    assert not Measurement.objects.exists()


# EDSS sheet


def edss_post(**grades):
    sheet = dict.fromkeys(
        ("visual", "brainstem", "pyramidal", "cerebellar", "sensory", "bowel_bladder", "cerebral"),
        0,
    )
    return sheet | {"ambulation": 0, "timepoint": "baseline", "measured_on": TODAY()} | grades


def test_the_edss_is_computed_from_the_sheet_and_saved(client_for, doctor, ms_patient):
    data = edss_post(pyramidal=3, cerebellar=2, ambulation=2)
    response = client_for(doctor).post(edss_url(ms_patient), data)
    assert response.status_code == 302 and response.url == course_url(ms_patient)
    m = Measurement.objects.get(patient=ms_patient)
    assert (m.instrument, m.value) == ("edss", 4.5)  # the ambulation score 2 sets the floor
    assert m.details["functional_systems"]["pyramidal"] == 3


def test_compute_shows_the_edss_without_saving(client_for, doctor, ms_patient):
    data = edss_post(visual=6, preview="1")  # raw visual 6 converts to grade 4
    page = client_for(doctor).post(edss_url(ms_patient), data).content.decode()
    assert "<strong>EDSS 4.0</strong>" in page
    assert not Measurement.objects.exists()


def test_a_grade_out_of_its_scale_is_refused_next_to_the_field(client_for, doctor, ms_patient):
    response = client_for(doctor).post(edss_url(ms_patient), edss_post(cerebral=6))
    assert response.context["form"].errors["cerebral"] == ["Must be a whole grade from 0 to 5."]
    assert not Measurement.objects.exists()


def test_a_coordinator_may_not_score_and_another_site_gets_404(
    client_for, coordinator, other_site_doctor, ms_patient
):
    assert client_for(coordinator).post(edss_url(ms_patient), edss_post()).status_code == 403
    assert client_for(other_site_doctor).post(edss_url(ms_patient), edss_post()).status_code == 404
    assert not Measurement.objects.exists()


# EDSS course


def months_ago(n):
    return TODAY() - dt.timedelta(days=91 * n)


@pytest.fixture
def worsening(ms_patient, doctor):
    for months, edss in ((9, 2.0), (6, 2.0), (3, 3.0), (0, 3.0)):
        measure(ms_patient, doctor, edss, on=months_ago(months / 3), timepoint="baseline")
    return ms_patient


def test_the_course_marks_a_confirmed_worsening_as_pira_without_relapses(
    client_for, nurse, worsening
):
    page = client_for(nurse).get(course_url(worsening)).content.decode()
    assert "<svg" in page and page.count('class="event cdw"') == 1
    assert 'class="event cdi"' not in page
    assert f"PIRA on {months_ago(1)}: EDSS 2 to 3" in page
    assert "0 recorded" in page


def test_a_recorded_relapse_types_the_worsening_as_raw(client_for, doctor, worsening):
    client = client_for(doctor)
    onset = (months_ago(1) - dt.timedelta(days=20)).isoformat()
    url = f"/outcomes/patients/{worsening.pk}/relapses/new/"
    response = client.post(url, {"onset": onset, "confirmed": "yes"})
    assert response.status_code == 302 and Relapse.objects.get().confirmed is True
    page = client.get(course_url(worsening)).content.decode()
    assert f"RAW on {months_ago(1)}" in page and 'class="relapse"' in page


def test_the_patient_sees_their_own_course_but_not_anothers(
    client_for, worsening, ms_patient, site, django_user_model
):
    from celltrace.accounts.models import Role

    portal = django_user_model.objects.create_user("pat", role=Role.PATIENT, site=site)
    worsening.portal_user = portal
    worsening.save()
    other = make_patient(site)
    client = client_for(portal)
    assert client.get(course_url(worsening)).status_code == 200
    assert client.get(course_url(other)).status_code == 404


def test_the_course_is_closed_to_other_sites_and_to_the_lab(
    client_for, other_site_doctor, lab_technician, worsening
):
    assert client_for(other_site_doctor).get(course_url(worsening)).status_code == 404
    assert client_for(lab_technician).get(course_url(worsening)).status_code == 403


def test_the_compact_card_shows_the_chart_and_links_to_the_course(client_for, doctor, worsening):
    page = client_for(doctor).get(f"{course_url(worsening)}card/").content.decode()
    assert page.lstrip().startswith('<div class="card" id="edss-course-card">')
    assert 'class="event cdw"' in page and f'href="{course_url(worsening)}"' in page


def test_a_course_without_readings_says_so(client_for, doctor, ms_patient):
    page = client_for(doctor).get(course_url(ms_patient)).content.decode()
    assert "No EDSS recorded yet." in page


def test_the_course_query_count_does_not_grow_with_readings(
    client_for, doctor, worsening, django_assert_max_num_queries
):
    client = client_for(doctor)
    with django_assert_max_num_queries(8):
        client.get(course_url(worsening))
    for day in range(20):
        measure(
            worsening, doctor, 3.0, on=months_ago(4) + dt.timedelta(days=day), timepoint="baseline"
        )
    with django_assert_max_num_queries(8):
        client.get(course_url(worsening))


def test_the_mri_screen_records_a_scan_and_shows_a_refusal_next_to_its_field(
    client_for, doctor, ms_patient
):
    client = client_for(doctor)
    url = f"/outcomes/patients/{ms_patient.pk}/mri/new/"
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    refused = client.post(url, {"scanned_on": future, "new_t2_lesions": "0"})
    assert refused.status_code == 200 and "The date is in the future." in refused.content.decode()
    assert not MriScan.objects.exists()
    today = timezone.localdate().isoformat()
    done = client.post(url, {"scanned_on": today, "new_t2_lesions": "0", "gd_lesions": ""})
    assert done.status_code == 302 and MriScan.objects.get().gd_lesions is None
