"""The advisor books a call and records its answers from the request's screens."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from celltrace.catalog.models import CellProduct, Therapy
from celltrace.intake.actions import book_consultation, claim_request
from celltrace.intake.models import Consultation
from celltrace.outbox.kinds import Kind
from celltrace.outbox.models import Message


@pytest.fixture
def claimed(make_request, advisor):
    return claim_request(make_request(language="Russian"), advisor)


def tomorrow_nine_utc():
    day = timezone.now().date() + dt.timedelta(days=1)
    return dt.datetime(day.year, day.month, day.day, 9, tzinfo=dt.UTC)


def test_the_advisor_books_a_video_call_on_the_sites_clock(client_for, claimed, advisor, site):
    site.time_zone = "Asia/Tokyo"
    site.save()
    day = timezone.now().date() + dt.timedelta(days=2)
    response = client_for(advisor).post(
        reverse("intake:book", args=[claimed.pk]),
        {"starts_at": f"{day}T15:30", "minutes": 45, "mode": "video", "time_zone": "Europe/Moscow"},
    )
    assert response.status_code == 302
    booked = Consultation.objects.get()
    # 15:30 in Tokyo (UTC+9, no summer time) is 06:30 UTC
    assert booked.starts_at == dt.datetime(day.year, day.month, day.day, 6, 30, tzinfo=dt.UTC)
    assert booked.time_zone == "Europe/Moscow"
    message = Message.objects.get(kind=Kind.CONSULTATION_BOOKED)
    assert message.language == "ru"
    assert booked.join_url in message.body
    page = client_for(advisor).get(reverse("intake:request_detail", args=[claimed.pk]))
    assert f"{day} 15:30".encode() in page.content


def test_a_clash_is_shown_on_the_page_and_nothing_booked(
    client_for, make_request, claimed, advisor
):
    book_consultation(claimed, advisor, starts_at=tomorrow_nine_utc(), minutes=30, mode="phone")
    other = claim_request(make_request(email="olga@example.org"), advisor)
    day = tomorrow_nine_utc().date()
    response = client_for(advisor).post(
        reverse("intake:book", args=[other.pk]),
        {"starts_at": f"{day}T09:15", "minutes": 30, "mode": "video"},
    )
    assert response.status_code == 200
    assert b"already booked from" in response.content
    assert not other.consultations.exists()


def test_the_advisor_records_the_answers_and_sees_the_estimate(
    client_for, claimed, advisor, time_machine
):
    booked = book_consultation(
        claimed, advisor, starts_at=tomorrow_nine_utc(), minutes=30, mode="video"
    )
    time_machine.move_to(booked.starts_at + dt.timedelta(minutes=35))
    product, therapy = CellProduct.objects.first(), Therapy.objects.first()
    client = client_for(advisor)
    response = client.post(
        reverse("intake:record", args=[booked.pk]),
        {
            "could_help": "yes",
            "could_help_reason": "Early progressive MS, no exclusion in the reports.",
            "involves": "A week's stay with two infusions.",
            "product_1": product.pk,
            "product_1_count": 2,
            "therapy_1": therapy.pk,
            "therapy_1_count": 5,
            "stay_days_min": 6,
            "stay_days_max": 8,
        },
    )
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.status == Consultation.Status.HELD
    page = client.get(booked.get_absolute_url())
    assert b"Estimate (not a quote)" in page.content
    assert f"EUR {booked.estimate_low:,.2f}".encode() in page.content
    assert Message.objects.filter(kind=Kind.CONSULTATION_SUMMARY, language="ru").count() == 1


def test_a_consultation_of_another_site_is_not_found(
    client_for, other_site_request, other_site_advisor, advisor
):
    other_site_request = claim_request(other_site_request, other_site_advisor)
    booked = book_consultation(
        other_site_request, other_site_advisor, starts_at=tomorrow_nine_utc(), minutes=30,
        mode="video",
    )  # fmt: skip
    client = client_for(advisor)
    assert client.get(booked.get_absolute_url()).status_code == 404
    cancel = client.post(reverse("intake:cancel", args=[booked.pk]))
    assert cancel.status_code == 404
    booked.refresh_from_db()
    assert booked.status == Consultation.Status.BOOKED


# The API: the same actions, so the same rules


def test_the_api_books_and_records_a_consultation(client_for, claimed, advisor, time_machine):
    client = client_for(advisor)
    starts = tomorrow_nine_utc().isoformat()
    url = f"/api/intake/requests/{claimed.pk}/consultations"
    booked = client.post(
        url, {"starts_at": starts, "mode": "phone"}, content_type="application/json"
    )
    assert booked.status_code == 201, booked.content
    body = booked.json()
    assert body["phone"] == claimed.phone
    assert body["status"] == "booked"
    clash = client.post(
        url, {"starts_at": starts, "mode": "video"}, content_type="application/json"
    )
    assert clash.status_code == 422
    assert clash.json()["code"] == "already_booked"
    time_machine.move_to(tomorrow_nine_utc() + dt.timedelta(minutes=30))
    client = client_for(advisor)  # signed in again: a day has passed
    product = CellProduct.objects.filter(active=True).first()
    recorded = client.post(
        f"/api/intake/consultations/{body['id']}/record",
        {
            "could_help": "possibly",
            "could_help_reason": "Needs the MRI before the doctors can say.",
            "involves": "A stay of about a week.",
            "products": [{"code": product.code, "quantity": 1}],
        },
        content_type="application/json",
    )
    assert recorded.status_code == 200, recorded.content
    answer = recorded.json()
    assert answer["currency"] == "EUR"
    assert answer["status"] == "held"
    assert float(answer["estimate_low"]) < float(answer["estimate_high"])
    assert len(answer["estimate_lines"]) >= 2


def test_the_api_refuses_an_unknown_catalog_code(client_for, claimed, advisor, time_machine):
    booked = book_consultation(
        claimed, advisor, starts_at=tomorrow_nine_utc(), minutes=30, mode="video"
    )
    time_machine.move_to(booked.starts_at + dt.timedelta(minutes=30))
    response = client_for(advisor).post(
        f"/api/intake/consultations/{booked.pk}/record",
        {
            "could_help": "yes",
            "could_help_reason": "Fits.",
            "involves": "A week.",
            "therapies": [{"code": "no-such-therapy"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not Message.objects.filter(kind=Kind.CONSULTATION_SUMMARY).exists()


def test_the_api_hides_another_sites_consultations(
    client_for, other_site_request, other_site_advisor, advisor
):
    other_site_request = claim_request(other_site_request, other_site_advisor)
    booked = book_consultation(
        other_site_request, other_site_advisor, starts_at=tomorrow_nine_utc(), minutes=30,
        mode="video",
    )  # fmt: skip
    client = client_for(advisor)
    assert client.get(f"/api/intake/consultations/{booked.pk}").status_code == 404
    listed = client.get(f"/api/intake/requests/{other_site_request.pk}/consultations")
    assert listed.status_code == 404


def test_the_advisor_moves_a_call_on_the_sites_clock_and_the_person_is_told(
    client_for, claimed, advisor, site
):
    site.time_zone = "Asia/Tokyo"
    site.save()
    booked = book_consultation(
        claimed, advisor, starts_at=tomorrow_nine_utc(), minutes=30, mode="phone"
    )
    page = client_for(advisor).get(reverse("intake:consultation", args=[booked.pk]))
    assert b"Move the consultation" in page.content
    day = timezone.now().date() + dt.timedelta(days=2)
    response = client_for(advisor).post(
        reverse("intake:reschedule", args=[booked.pk]), {"starts_at": f"{day}T10:00", "minutes": 30}
    )
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.starts_at == dt.datetime(day.year, day.month, day.day, 1, tzinfo=dt.UTC)
    message = Message.objects.get(kind=Kind.CONSULTATION_RESCHEDULED)
    assert message.language == "ru" and f"{day} 10:00 (Asia/Tokyo" in message.body


def test_the_api_moves_and_cancels_a_call(client_for, claimed, advisor):
    booked = book_consultation(
        claimed, advisor, starts_at=tomorrow_nine_utc(), minutes=30, mode="phone"
    )
    client = client_for(advisor)
    later = tomorrow_nine_utc() + dt.timedelta(hours=3)
    moved = client.post(
        f"/api/intake/consultations/{booked.pk}/reschedule",
        {"starts_at": later.isoformat()},
        content_type="application/json",
    )
    assert moved.status_code == 200, moved.content
    assert (moved.json()["minutes"], moved.json()["status"]) == (30, "booked")
    cancelled = client.post(f"/api/intake/consultations/{booked.pk}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    kinds = set(Message.objects.values_list("kind", flat=True))
    assert {Kind.CONSULTATION_RESCHEDULED, Kind.CONSULTATION_CANCELLED} <= kinds
