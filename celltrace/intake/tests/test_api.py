import ipaddress

import pytest

from celltrace.intake.actions import claim_request
from celltrace.intake.models import Attachment, ConsultationRequest, ContactNote
from celltrace.intake.tests.conftest import image_bytes, pdf, png, stored_files, upload
from celltrace.patients.models import Patient

API = "/api/intake/requests"


@pytest.fixture
def api_data(fields):
    return {**fields, "consent_health_data": "true"}


def post_public(client, data, files=(), address="203.0.113.77"):
    return client.post(API, {**data, "attachments": list(files)}, REMOTE_ADDR=address)


def assert_nothing_saved(uploads_dir):
    assert ConsultationRequest.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert stored_files(uploads_dir) == []


# Public submission


def test_anyone_can_submit_a_request_through_the_api(client, api_data, uploads_dir):
    response = post_public(client, api_data, [pdf(), png()])
    assert response.status_code == 201
    consultation = ConsultationRequest.objects.get()
    assert response.json() == {
        "id": consultation.pk,
        "status": "new",
        "reference": consultation.reference,
    }
    assert consultation.attachments.count() == 2


def test_the_api_reports_each_missing_field(client, catalog, site, uploads_dir):
    response = post_public(client, {})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {
        "full_name",
        "email",
        "phone",
        "country",
        "language",
        "description",
        "condition",
        "consent_health_data",
    }
    assert_nothing_saved(uploads_dir)


def test_the_api_cannot_skip_consent(client, api_data, uploads_dir):
    del api_data["consent_health_data"]
    response = post_public(client, api_data, [pdf()])
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["consent_health_data"]
    assert_nothing_saved(uploads_dir)


def test_the_api_cannot_skip_the_file_checks(client, api_data, uploads_dir):
    fake = upload("report.pdf", b"%PDF-1.7\n" + image_bytes("PNG"))
    response = post_public(client, api_data, [pdf("good.pdf"), fake])
    assert response.status_code == 422
    assert "report.pdf" in response.json()["errors"]["attachments"]
    assert_nothing_saved(uploads_dir)


def test_the_api_cannot_skip_the_size_limit(client, api_data, settings, uploads_dir):
    settings.INTAKE_MAX_ATTACHMENT_BYTES = 100
    response = post_public(client, api_data, [upload("big.pdf", b"%PDF-" + b"0" * 200 + b"%%EOF")])
    assert response.status_code == 422
    assert_nothing_saved(uploads_dir)


def test_the_api_cannot_skip_the_rate_limit(client, api_data, settings):
    settings.INTAKE_REQUESTS_PER_HOUR = 5
    for _ in range(5):
        assert post_public(client, api_data, address="192.0.2.9").status_code == 201
    response = post_public(client, api_data, address="192.0.2.9")
    assert response.status_code == 429
    assert "wait an hour" in response.json()["detail"]
    assert ConsultationRequest.objects.count() == 5


def test_behind_the_clinics_proxy_the_api_counts_the_visitors_address(client, api_data, settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8")]
    response = client.post(
        API, api_data, REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.24"
    )
    assert response.status_code == 201
    assert ConsultationRequest.objects.get().client_address == "198.51.100.24"


def test_the_public_endpoint_is_documented_without_authentication(client_for, advisor):
    schema = client_for(advisor).get("/api/openapi.json").json()
    operation = schema["paths"]["/api/intake/requests"]["post"]
    assert "security" not in operation or operation["security"] == []


# The advisor's queue


def test_an_advisor_lists_the_queue_of_their_site(
    client_for, advisor, make_request, other_site_request
):
    mine = make_request()
    response = client_for(advisor).get(API)
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert [row["id"] for row in response.json()["items"]] == [mine.pk]
    assert response.json()["items"][0]["condition"] == "ms"


def _listed(client, **params):
    response = client.get(API, params)
    assert response.status_code == 200
    return response.json()


def test_the_api_queue_is_filtered_like_the_screen(
    client_for, advisor, second_advisor, make_request, other_site_request
):
    mine = claim_request(make_request(full_name="Mine Claimed"), advisor)
    claim_request(make_request(full_name="Theirs Claimed"), second_advisor)
    nobody = make_request(full_name="Nobody Yet", condition="sci")
    client = client_for(advisor)

    def ids(**params):
        return {row["id"] for row in _listed(client, **params)["items"]}

    assert ids(claimed="mine") == {mine.pk}
    assert ids(claimed="unclaimed") == {nobody.pk}
    assert ids(condition="sci") == {nobody.pk}
    assert ids(status="claimed", search="mine") == {mine.pk}
    assert ids(search=nobody.reference) == {nobody.pk}
    assert ids(search="Elsewhere") == set()  # another site's request stays out of reach
    assert client.get(API, {"status": "lost"}).status_code == 422


def test_the_api_queue_is_read_with_limit_and_offset(client_for, advisor, many_requests):
    made = many_requests(30)
    client = client_for(advisor)
    first = _listed(client, limit=20)
    rest = _listed(client, limit=20, offset=20)
    assert first["count"] == rest["count"] == 30
    assert len(first["items"]) == 20 and len(rest["items"]) == 10
    listed = [row["id"] for row in first["items"] + rest["items"]]
    assert sorted(listed) == sorted(r.pk for r in made)


def test_a_limit_above_the_cap_is_lowered_not_refused(client_for, advisor, many_requests):
    from celltrace.pages import API_MAX_LIMIT

    many_requests(API_MAX_LIMIT + 5)
    body = _listed(client_for(advisor), limit=1000)
    assert body["count"] == API_MAX_LIMIT + 5
    assert len(body["items"]) == API_MAX_LIMIT


@pytest.mark.parametrize("size", [3, 120])
def test_the_api_queue_takes_the_same_few_queries_at_any_size(
    size, client_for, advisor, many_requests, django_assert_num_queries
):
    many_requests(size)
    client = client_for(advisor)
    with django_assert_num_queries(5):  # session, user, second factor, the count, the rows
        _listed(client, search="person", limit=50)


def test_a_nurse_cannot_list_the_queue(client_for, nurse):
    assert client_for(nurse).get(API).status_code == 403


def test_an_anonymous_caller_cannot_list_the_queue(client, db):
    assert client.get(API).status_code == 401


def test_one_request_shows_its_attachments_and_notes(client_for, advisor, fields):
    from celltrace.intake.actions import add_contact_note, submit_request

    consultation = submit_request(fields=fields, files=[pdf("mri.pdf")], client_address=None)
    add_contact_note(consultation, advisor, text="Called.")
    body = client_for(advisor).get(f"{API}/{consultation.pk}").json()
    assert body["email"] == "maria@example.org"
    assert [a["original_name"] for a in body["attachments"]] == ["mri.pdf"]
    assert [n["text"] for n in body["notes"]] == ["Called."]
    assert body["notes"][0]["author"] == "Alice Advisor"


def test_another_sites_request_is_not_found(client_for, advisor, other_site_request):
    client = client_for(advisor)
    assert client.get(f"{API}/{other_site_request.pk}").status_code == 404
    assert client.post(f"{API}/{other_site_request.pk}/claim").status_code == 404


def test_claim_note_convert_through_the_api(client_for, advisor, make_request):
    consultation = make_request()
    client = client_for(advisor)
    assert client.post(f"{API}/{consultation.pk}/claim").json()["status"] == "claimed"
    response = client.post(
        f"{API}/{consultation.pk}/notes", {"text": "Called."}, content_type="application/json"
    )
    assert response.status_code == 201
    response = client.post(
        f"{API}/{consultation.pk}/convert",
        {"date_of_birth": "1979-04-02", "sex": "male", "weight_kg": 80},
        content_type="application/json",
    )
    assert response.status_code == 201
    patient = Patient.objects.get()
    assert response.json()["code"] == patient.code
    consultation.refresh_from_db()
    assert consultation.patient == patient


def test_a_report_is_added_through_the_api_under_the_same_checks(client_for, advisor, make_request):
    consultation = make_request()
    client = client_for(advisor)
    url = f"{API}/{consultation.pk}/attachments"
    assert client.post(url, {"file": png()}).status_code == 201
    response = client.post(url, {"file": upload("x.png", b"not an image")})
    assert response.status_code == 422
    assert consultation.attachments.count() == 1


def test_another_advisor_cannot_act_through_the_api(
    client_for, advisor, second_advisor, make_request
):
    consultation = claim_request(make_request(), advisor)
    client = client_for(second_advisor)
    response = client.post(
        f"{API}/{consultation.pk}/notes", {"text": "Hi"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "has claimed this request" in response.json()["detail"]
    assert ContactNote.objects.count() == 0


def test_closing_through_the_api_needs_a_reason(client_for, advisor, make_request):
    consultation = make_request()
    client = client_for(advisor)
    url = f"{API}/{consultation.pk}/close"
    response = client.post(url, {"reason": " "}, content_type="application/json")
    assert response.status_code == 422
    assert "reason" in response.json()["errors"]
    response = client.post(url, {"reason": "Terminal illness."}, content_type="application/json")
    assert response.json()["status"] == "closed"


def test_a_closed_request_refuses_conversion_through_the_api(client_for, advisor, make_request):
    consultation = make_request()
    client = client_for(advisor)
    client.post(
        f"{API}/{consultation.pk}/close", {"reason": "No."}, content_type="application/json"
    )
    response = client.post(
        f"{API}/{consultation.pk}/convert",
        {"date_of_birth": "1979-04-02", "sex": "male"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert Patient.objects.count() == 0


def test_a_nurse_cannot_act_through_the_api(client_for, nurse, make_request):
    consultation = make_request()
    response = client_for(nurse).post(
        f"{API}/{consultation.pk}/close", {"reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
