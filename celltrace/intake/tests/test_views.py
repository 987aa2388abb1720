import ipaddress

import pytest
from django.urls import reverse

from celltrace.intake.actions import claim_request
from celltrace.intake.models import Attachment, ConsultationRequest, ContactNote
from celltrace.intake.tests.conftest import image_bytes, pdf, png, stored_files, upload
from celltrace.patients.models import Patient

FORM_URL = reverse("intake:public_request")
REQUIRED = ["full_name", "email", "phone", "country", "language", "condition", "description"]


@pytest.fixture
def form_data(fields):
    data = {**fields, "consent_health_data": "on"}
    return data


def post_form(client, data, files=(), address="203.0.113.5"):
    return client.post(FORM_URL, {**data, "attachments": list(files)}, REMOTE_ADDR=address)


def assert_nothing_saved(uploads_dir=None):
    assert ConsultationRequest.objects.count() == 0
    assert Attachment.objects.count() == 0
    if uploads_dir is not None:
        assert stored_files(uploads_dir) == []


# The public form


def test_anyone_can_open_the_request_form_without_signing_in(client, catalog, site):
    response = client.get(FORM_URL)
    assert response.status_code == 200
    assert b"Ask for a free online consultation" in response.content
    assert b'name="attachments"' in response.content


def test_a_complete_request_leads_to_the_thank_you_page(client, form_data, site, uploads_dir):
    response = post_form(client, form_data, [pdf(), png()])
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:request_received")
    consultation = ConsultationRequest.objects.get()
    assert consultation.site == site
    assert consultation.client_address == "203.0.113.5"
    assert consultation.attachments.count() == 2
    assert len(stored_files(uploads_dir)) == 2
    page = client.get(response["Location"])
    assert consultation.reference.encode() in page.content
    assert b"What happens next" in page.content
    assert f"/intake/{consultation.pk}/".encode() not in page.content


@pytest.mark.parametrize("field", REQUIRED)
def test_each_missing_field_gets_its_own_error(client, form_data, field):
    del form_data[field]
    response = post_form(client, form_data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert b'class="refusal"' in response.content
    assert_nothing_saved()


def test_an_empty_form_marks_every_field(client, catalog, site):
    response = post_form(client, {})
    assert set(response.context["form"].errors) == {*REQUIRED, "consent_health_data"}
    assert_nothing_saved()


def test_consent_must_be_ticked(client, form_data):
    del form_data["consent_health_data"]
    response = post_form(client, form_data)
    errors = response.context["form"].errors
    assert list(errors) == ["consent_health_data"]
    assert "consent" in errors["consent_health_data"][0]
    assert_nothing_saved()


def test_an_invalid_email_and_phone_are_both_marked(client, form_data):
    response = post_form(client, {**form_data, "email": "maria.example.org", "phone": "abc"})
    assert set(response.context["form"].errors) == {"email", "phone"}
    assert_nothing_saved()


def test_a_png_renamed_pdf_behind_a_fake_pdf_header_is_refused(client, form_data, uploads_dir):
    fake = upload("report.pdf", b"%PDF-1.7\n" + image_bytes("PNG"))
    response = post_form(client, form_data, [fake])
    assert response.status_code == 200
    message = response.context["form"].errors["attachments"][0]
    assert "report.pdf" in message
    assert "not a complete PDF" in message
    assert_nothing_saved(uploads_dir)


def test_a_real_png_named_pdf_is_refused_for_saying_otherwise(client, form_data, uploads_dir):
    response = post_form(client, form_data, [upload("scan.pdf", image_bytes("PNG"), "image/png")])
    message = response.context["form"].errors["attachments"][0]
    assert message == "scan.pdf: the content is PNG but the name does not end in .png."
    assert_nothing_saved(uploads_dir)


def test_a_text_file_named_report_pdf_is_refused(client, form_data, uploads_dir):
    response = post_form(client, form_data, [upload("report.pdf", b"Dear doctor, my MRI ...")])
    message = response.context["form"].errors["attachments"][0]
    assert message == "report.pdf: only PDF, JPEG and PNG files are accepted."
    assert_nothing_saved(uploads_dir)


def test_a_broken_image_behind_a_png_header_is_refused(client, form_data, uploads_dir):
    broken = upload("scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "image/png")
    response = post_form(client, form_data, [broken])
    assert "damaged" in response.context["form"].errors["attachments"][0]
    assert_nothing_saved(uploads_dir)


def test_an_oversized_file_is_refused(client, form_data, settings, uploads_dir):
    settings.INTAKE_MAX_ATTACHMENT_BYTES = 1024
    big = upload("big.pdf", b"%PDF-1.4\n" + b"0" * 2048 + b"\n%%EOF\n")
    response = post_form(client, form_data, [big])
    assert "larger than" in response.context["form"].errors["attachments"][0]
    assert_nothing_saved(uploads_dir)


def test_more_files_than_allowed_are_refused(client, form_data, settings):
    settings.INTAKE_MAX_ATTACHMENTS = 1
    response = post_form(client, form_data, [pdf(), pdf("second.pdf")])
    assert "at most 1 files" in response.context["form"].errors["attachments"][0]
    assert_nothing_saved()


def test_the_sixth_request_in_an_hour_from_one_address_gets_429(client, form_data, settings):
    settings.INTAKE_REQUESTS_PER_HOUR = 5
    for _ in range(5):
        assert post_form(client, form_data, address="192.0.2.50").status_code == 302
    response = post_form(client, form_data, [pdf()], address="192.0.2.50")
    assert response.status_code == 429
    assert b"Please wait an hour" in response.content
    assert ConsultationRequest.objects.count() == 5
    assert Attachment.objects.count() == 0


def test_behind_the_clinics_proxy_the_visitors_address_is_counted(client, form_data, settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.5")]
    response = client.post(
        FORM_URL, form_data, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.23"
    )
    assert response.status_code == 302
    assert ConsultationRequest.objects.get().client_address == "198.51.100.23"


def test_without_a_receiving_site_the_form_says_so(client, form_data, site):
    site.receives_public_requests = False
    site.save()
    response = post_form(client, form_data)
    assert response.status_code == 200
    assert b"not taking consultation requests online" in response.content
    assert_nothing_saved()


# The advisor queue


def test_the_queue_lists_open_requests_first(client_for, advisor, make_request):
    closed = make_request(full_name="Closed Person")
    ConsultationRequest.objects.filter(pk=closed.pk).update(status="closed")
    claimed = claim_request(make_request(full_name="Claimed Person"), advisor)
    new = make_request(full_name="New Person")
    response = client_for(advisor).get(reverse("intake:queue"))
    assert response.status_code == 200
    assert [c.pk for c in response.context["consultations"]] == [new.pk, claimed.pk, closed.pk]
    assert b"Multiple sclerosis" in response.content
    assert b"Portugal" in response.content


def test_the_queue_shows_only_the_users_site(client_for, advisor, make_request, other_site_request):
    mine = make_request()
    response = client_for(advisor).get(reverse("intake:queue"))
    assert [c.pk for c in response.context["consultations"]] == [mine.pk]


def test_the_queue_page_needs_few_queries(
    client_for, advisor, make_request, django_assert_max_num_queries
):
    for _ in range(3):
        claim_request(make_request(), advisor)
    client = client_for(advisor)
    with django_assert_max_num_queries(8):
        client.get(reverse("intake:queue"))


def _queue(client, **filters):
    response = client.get(reverse("intake:queue"), filters)
    assert response.status_code == 200
    return response


def _names(response):
    return {c.full_name for c in response.context["consultations"]}


def test_the_queue_filters_by_status_condition_and_claim(
    client_for, advisor, second_advisor, make_request
):
    mine = claim_request(make_request(full_name="Mine Claimed"), advisor)
    claim_request(make_request(full_name="Theirs Claimed"), second_advisor)
    make_request(full_name="Nobody Yet", condition="sci")
    client = client_for(advisor)
    assert _names(_queue(client, claimed="mine")) == {"Mine Claimed"}
    assert _names(_queue(client, claimed="unclaimed")) == {"Nobody Yet"}
    assert _names(_queue(client, status="claimed")) == {"Mine Claimed", "Theirs Claimed"}
    assert _names(_queue(client, condition="sci")) == {"Nobody Yet"}
    assert _names(_queue(client, status="claimed", claimed="mine")) == {mine.full_name}


def test_the_queue_search_finds_a_name_an_email_or_a_reference(
    client_for, advisor, make_request, other_site_request
):
    maria = make_request(full_name="Maria Santos", email="maria@example.org")
    make_request(full_name="João Silva", email="joao@example.org")
    client = client_for(advisor)
    assert _names(_queue(client, search="santos")) == {"Maria Santos"}
    assert _names(_queue(client, search="JOAO@")) == {"João Silva"}
    assert _names(_queue(client, search=maria.reference)) == {"Maria Santos"}
    assert _names(_queue(client, search="Elsewhere")) == set()  # another site's request


def test_a_wrong_filter_value_is_shown_and_left_out(client_for, advisor, make_request):
    make_request()
    response = _queue(client_for(advisor), status="lost", search="Maria")
    assert "Select a valid choice" in response.content.decode()
    assert _names(response) == {"Maria Santos"}


def test_the_queue_is_shown_a_page_at_a_time_keeping_the_filters(
    client_for, advisor, many_requests
):
    many_requests(60)
    client = client_for(advisor)
    first = _queue(client, condition="ms")
    assert len(first.context["consultations"]) == 50
    page = first.content.decode()
    assert "60 requests, page 1 of 2" in page
    assert 'href="?condition=ms&amp;page=2"' in page
    second = _queue(client, condition="ms", page=2)
    assert len(second.context["consultations"]) == 10
    assert _names(first).isdisjoint(_names(second))


@pytest.mark.parametrize("size", [3, 120])
def test_the_queue_page_takes_the_same_few_queries_at_any_size(
    size, client_for, advisor, many_requests, django_assert_num_queries
):
    many_requests(size, advisor=advisor, status="claimed")
    client = client_for(advisor)
    # session, user, the user's site (page header), condition choices, count, page of rows
    with django_assert_num_queries(7):  # the staff's second factor is one of them
        _queue(client, claimed="mine", search="person")


@pytest.mark.parametrize("role", ["manager", "admin_user"])
def test_managers_and_administrators_may_view_the_queue(client_for, request, role, make_request):
    assert client_for(request.getfixturevalue(role)).get(reverse("intake:queue")).status_code == 200


def test_a_nurse_cannot_open_the_advisor_queue(client_for, nurse):
    assert client_for(nurse).get(reverse("intake:queue")).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client, make_request):
    consultation = make_request()
    for url in (reverse("intake:queue"), consultation.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_an_advisor_of_another_site_gets_404(client_for, other_site_advisor, make_request):
    consultation = make_request()
    client = client_for(other_site_advisor)
    assert client.get(consultation.get_absolute_url()).status_code == 404
    assert client.post(reverse("intake:claim", args=[consultation.pk])).status_code == 404
    consultation.refresh_from_db()
    assert consultation.status == ConsultationRequest.Status.NEW


# The request page and its actions


def test_the_request_page_shows_the_request_its_reports_and_notes(client_for, advisor, fields):
    from celltrace.intake.actions import add_contact_note, submit_request

    consultation = submit_request(fields=fields, files=[pdf("mri.pdf")], client_address=None)
    add_contact_note(consultation, advisor, text="Called, will send labs.")
    response = client_for(advisor).get(consultation.get_absolute_url())
    assert response.status_code == 200
    for text in (b"Maria Santos", b"mri.pdf", b"Called, will send labs.", b"Claim this request"):
        assert text in response.content


def test_an_advisor_claims_from_the_page(client_for, advisor, make_request):
    consultation = make_request()
    response = client_for(advisor).post(reverse("intake:claim", args=[consultation.pk]))
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.advisor == advisor


def test_another_advisor_sees_a_refusal_and_nothing_changes(
    client_for, advisor, second_advisor, make_request
):
    consultation = claim_request(make_request(), advisor)
    client = client_for(second_advisor)
    response = client.post(reverse("intake:add_note", args=[consultation.pk]), {"text": "Hi"})
    assert response.status_code == 200
    assert b'class="refusal"' in response.content
    assert b"has claimed this request" in response.content
    assert ContactNote.objects.count() == 0


def test_a_note_is_added_from_the_page(client_for, advisor, make_request):
    consultation = make_request()
    url = reverse("intake:add_note", args=[consultation.pk])
    response = client_for(advisor).post(url, {"text": "Sent the price list."})
    assert response.status_code == 302
    assert consultation.notes.get().text == "Sent the price list."


def test_an_empty_note_shows_the_error_on_the_form(client_for, advisor, make_request):
    consultation = make_request()
    url = reverse("intake:add_note", args=[consultation.pk])
    response = client_for(advisor).post(url, {"text": ""})
    assert response.status_code == 200
    assert response.context["note_form"].errors["text"]
    assert ContactNote.objects.count() == 0


def test_a_report_is_added_from_the_page_under_the_same_checks(
    client_for, advisor, make_request, uploads_dir
):
    consultation = make_request()
    url = reverse("intake:add_attachment", args=[consultation.pk])
    client = client_for(advisor)
    assert client.post(url, {"file": pdf("labs.pdf")}).status_code == 302
    response = client.post(url, {"file": upload("labs2.pdf", b"plain text")})
    assert response.status_code == 200
    assert "labs2.pdf" in response.context["attachment_form"].errors["file"][0]
    assert consultation.attachments.count() == 1
    assert len(stored_files(uploads_dir)) == 1


def test_converting_from_the_page_opens_the_new_patient(client_for, advisor, make_request):
    consultation = make_request()
    url = reverse("intake:convert", args=[consultation.pk])
    data = {"date_of_birth": "1979-04-02", "sex": "female", "weight_kg": "64.5"}
    response = client_for(advisor).post(url, data)
    patient = Patient.objects.get()
    assert response.status_code == 302
    assert response["Location"] == patient.get_absolute_url()
    assert patient.weight_kg == 64.5


def test_converting_without_a_date_of_birth_creates_nothing(client_for, advisor, make_request):
    consultation = make_request()
    url = reverse("intake:convert", args=[consultation.pk])
    response = client_for(advisor).post(url, {"sex": "female"})
    assert response.status_code == 200
    assert "date_of_birth" in response.context["convert_form"].errors
    assert Patient.objects.count() == 0


def test_closing_from_the_page_needs_a_reason(client_for, advisor, make_request):
    consultation = make_request()
    url = reverse("intake:close", args=[consultation.pk])
    client = client_for(advisor)
    assert client.post(url, {"reason": ""}).status_code == 200
    consultation.refresh_from_db()
    assert consultation.status == ConsultationRequest.Status.NEW
    assert client.post(url, {"reason": "Advanced disease."}).status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == ConsultationRequest.Status.CLOSED


def test_a_nurse_cannot_post_advisor_actions(client_for, nurse, make_request):
    consultation = make_request()
    response = client_for(nurse).post(
        reverse("intake:close", args=[consultation.pk]), {"reason": "x"}
    )
    assert response.status_code == 403
    consultation.refresh_from_db()
    assert consultation.status == ConsultationRequest.Status.NEW


# Downloading reports


@pytest.fixture
def with_report(fields):
    from celltrace.intake.actions import submit_request

    consultation = submit_request(fields=fields, files=[png("knee.png")], client_address=None)
    return consultation.attachments.get()


@pytest.mark.parametrize("role", ["advisor", "doctor"])
def test_advisors_and_doctors_of_the_site_download_reports(client_for, request, role, with_report):
    client = client_for(request.getfixturevalue(role))
    response = client.get(reverse("intake:attachment", args=[with_report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="knee.png"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == image_bytes("PNG")


def test_a_doctor_of_another_site_cannot_download_reports(
    client_for, other_site_doctor, with_report
):
    response = client_for(other_site_doctor).get(
        reverse("intake:attachment", args=[with_report.pk])
    )
    assert response.status_code == 404


def test_a_nurse_cannot_download_reports(client_for, nurse, with_report):
    assert (
        client_for(nurse).get(reverse("intake:attachment", args=[with_report.pk])).status_code
        == 403
    )
