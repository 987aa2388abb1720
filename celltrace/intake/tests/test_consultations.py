"""Booking the advisor's consultation, recording its three answers, and the e-mails they send."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from celltrace.catalog.models import CellProduct, ServiceFee, Therapy
from celltrace.intake.actions import (
    EstimateItem,
    book_consultation,
    cancel_consultation,
    claim_request,
    record_consultation,
    record_no_show,
    reschedule_consultation,
)
from celltrace.intake.models import Consultation
from celltrace.outbox.kinds import Kind
from celltrace.outbox.models import Message
from celltrace.refusal import Refused

Mode, Status = Consultation.Mode, Consultation.Status


@pytest.fixture
def claimed(make_request, advisor):
    return claim_request(make_request(language="Deutsch"), advisor)


def tomorrow_at(hour: int, minute: int = 0) -> dt.datetime:
    day = timezone.now().date() + dt.timedelta(days=1)
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.UTC)


def book(request, user, *, starts_at=None, minutes=30, mode=Mode.VIDEO, **extra):
    return book_consultation(
        request, user, starts_at=starts_at or tomorrow_at(9), minutes=minutes, mode=mode, **extra
    )


def booked_messages():
    return Message.objects.filter(kind=Kind.CONSULTATION_BOOKED)


def test_booking_a_video_call_sends_the_link_once_in_the_requesters_language(claimed, advisor):
    booked = book(claimed, advisor, time_zone="Europe/Berlin")
    assert booked.status == Status.BOOKED
    assert booked.join_url.startswith("https://meet.example.org/celltrace-")
    message = booked_messages().get()
    assert message.language == "de"
    assert message.recipient == "maria@example.org"
    assert booked.join_url in message.body
    assert "Kamera" in message.body
    # 09:00 UTC is 10:00 or 11:00 in Berlin, and the e-mail says so
    local = timezone.localtime(booked.starts_at, ZoneInfo("Europe/Berlin"))
    assert local.hour in (10, 11)
    assert f"{local:%H:%M} (Europe/Berlin" in message.body


def test_each_video_call_gets_its_own_unguessable_link(make_request, claimed, advisor):
    other = claim_request(make_request(email="hans@example.org"), advisor)
    first = book(claimed, advisor)
    second = book(other, advisor, starts_at=tomorrow_at(10))
    assert first.join_url != second.join_url
    token = first.join_url.removeprefix("https://meet.example.org/celltrace-")
    assert len(token) >= 20


def test_a_phone_call_names_the_number_and_no_link(claimed, advisor):
    booked = book(claimed, advisor, mode=Mode.PHONE)
    assert booked.phone == "+351 912 345 678"
    assert booked.join_url == ""
    body = booked_messages().get().body
    assert "+351 912 345 678" in body
    assert "https://" not in body


def test_the_time_is_given_on_the_sites_clock_when_no_time_zone_is_named(claimed, advisor, site):
    site.time_zone = "Asia/Tokyo"
    site.save()
    booked = book(claimed, advisor)
    assert booked.time_zone == "Asia/Tokyo"
    assert "18:00 (Asia/Tokyo" in booked_messages().get().body


def test_the_advisors_overlapping_slot_is_refused_and_nothing_saved(make_request, claimed, advisor):
    book(claimed, advisor, starts_at=tomorrow_at(9), minutes=60)
    other = claim_request(make_request(email="hans@example.org"), advisor)
    with pytest.raises(Refused) as refused:
        book(other, advisor, starts_at=tomorrow_at(9, 30))
    assert refused.value.code == "advisor_busy"
    assert "09:00 to 10:00" in refused.value.message
    assert not other.consultations.exists()
    assert booked_messages().count() == 1


def test_a_slot_that_begins_as_another_ends_is_free(make_request, claimed, advisor):
    book(claimed, advisor, starts_at=tomorrow_at(9))
    other = claim_request(make_request(email="hans@example.org"), advisor)
    assert book(other, advisor, starts_at=tomorrow_at(9, 30)).status == Status.BOOKED


def test_a_cancelled_consultation_frees_the_slot_for_a_new_booking(claimed, advisor):
    cancel_consultation(book(claimed, advisor), advisor)
    again = book(claimed, advisor)
    assert again.status == Status.BOOKED
    assert booked_messages().count() == 2


def test_a_request_with_a_booked_call_is_not_booked_twice(claimed, advisor):
    book(claimed, advisor)
    with pytest.raises(Refused) as refused:
        book(claimed, advisor, starts_at=tomorrow_at(15))
    assert refused.value.code == "already_booked"


def test_a_time_in_the_past_is_refused(claimed, advisor):
    with pytest.raises(Refused) as refused:
        book(claimed, advisor, starts_at=timezone.now() - dt.timedelta(minutes=5))
    assert "starts_at" in refused.value.field_errors
    assert not Consultation.objects.exists()


def test_video_needs_a_configured_provider(claimed, advisor, settings):
    settings.VIDEO_URL_TEMPLATE = ""
    with pytest.raises(Refused) as refused:
        book(claimed, advisor)
    assert "mode" in refused.value.field_errors
    assert book(claimed, advisor, mode=Mode.PHONE).status == Status.BOOKED


def test_an_advisor_of_another_site_cannot_book(claimed, other_site_advisor):
    with pytest.raises(PermissionDenied):
        book(claimed, other_site_advisor)
    assert not Consultation.objects.exists()


def test_another_advisor_cannot_book_on_a_claimed_request(claimed, second_advisor):
    with pytest.raises(Refused) as refused:
        book(claimed, second_advisor)
    assert refused.value.code == "claimed_by_other"


# The three answers


def items():
    return [
        EstimateItem(CellProduct.objects.filter(active=True).first(), 2),
        EstimateItem(Therapy.objects.filter(active=True).first(), 6),
    ]


def record(booked, user, **answers):
    fields = {
        "could_help": Consultation.CouldHelp.POSSIBLY,
        "could_help_reason": "Relapsing MS with recent progression; reports show no exclusion.",
        "involves": "A stay of 5 to 9 days with two infusions and physiotherapy.",
        "items": items(),
        "stay_days": (5, 9),
    } | answers
    return record_consultation(booked, user, **fields)


def test_answers_cannot_be_recorded_before_the_call(claimed, advisor):
    with pytest.raises(Refused) as refused:
        record(book(claimed, advisor), advisor)
    assert refused.value.code == "not_begun"


def test_the_answers_and_the_estimate_are_recorded_and_sent(claimed, advisor, site, time_machine):
    booked = book(claimed, advisor)
    time_machine.move_to(booked.starts_at + dt.timedelta(minutes=40))
    recorded = record(booked, advisor)
    assert recorded.status == Status.HELD
    assert recorded.recorded_by == advisor
    product, therapy = (i.item for i in items())
    per_stay = sum(f.price for f in ServiceFee.objects.filter(unit="per_stay"))
    per_day = sum(f.price for f in ServiceFee.objects.filter(unit="per_day"))
    fixed = 2 * product.price + 6 * therapy.price_per_session + per_stay
    assert recorded.estimate_low == fixed + 5 * per_day
    assert recorded.estimate_high == fixed + 9 * per_day
    assert recorded.currency == site.currency == "EUR"
    assert recorded.estimate_lines.count() == 2 + ServiceFee.objects.count()
    message = Message.objects.get(kind=Kind.CONSULTATION_SUMMARY)
    assert message.language == "de"
    assert "SCHÄTZUNG, kein Angebot" in message.body
    assert "Möglicherweise. Relapsing MS" in message.body
    assert f"EUR {recorded.estimate_low:,.2f} – EUR {recorded.estimate_high:,.2f}" in message.body


def test_the_estimate_is_in_the_sites_currency(claimed, advisor, site, time_machine):
    site.currency = "CHF"
    site.save()
    booked = book(claimed, advisor)
    time_machine.move_to(booked.starts_at + dt.timedelta(minutes=40))
    recorded = record(booked, advisor, stay_days=(7, 7))
    assert recorded.currency == "CHF"
    assert recorded.estimate_low == recorded.estimate_high
    body = Message.objects.get(kind=Kind.CONSULTATION_SUMMARY).body
    assert f"CHF {recorded.estimate_low:,.2f}" in body
    assert " – CHF" not in body.split("\n\n")[-3]  # one total, not a range


def test_a_no_carries_its_reason_and_no_estimate(claimed, advisor, time_machine):
    booked = book(claimed, advisor)
    time_machine.move_to(booked.starts_at + dt.timedelta(minutes=40))
    recorded = record(
        booked,
        advisor,
        could_help=Consultation.CouldHelp.NO,
        could_help_reason="Advanced disease outside what the therapy can help.",
        involves="",
        items=[],
    )
    assert recorded.estimate_low is None
    assert not recorded.estimate_lines.exists()
    body = Message.objects.get(kind=Kind.CONSULTATION_SUMMARY).body
    assert "Wir glauben es nicht. Advanced disease" in body
    assert "SCHÄTZUNG" not in body


def test_a_yes_without_an_estimate_is_refused_and_nothing_sent(claimed, advisor, time_machine):
    booked = book(claimed, advisor)
    time_machine.move_to(booked.starts_at + dt.timedelta(minutes=40))
    with pytest.raises(Refused) as refused:
        record(booked, advisor, could_help=Consultation.CouldHelp.YES, items=[], involves="")
    assert set(refused.value.field_errors) == {"items", "involves"}
    booked.refresh_from_db()
    assert booked.status == Status.BOOKED
    assert not Message.objects.filter(kind=Kind.CONSULTATION_SUMMARY).exists()


def test_recorded_answers_are_sent_once_and_cannot_change(claimed, advisor, time_machine):
    booked = book(claimed, advisor)
    time_machine.move_to(booked.starts_at + dt.timedelta(minutes=40))
    record(booked, advisor)
    with pytest.raises(Refused) as refused:
        record(booked, advisor, could_help=Consultation.CouldHelp.YES)
    assert refused.value.code == "already_recorded"
    assert Message.objects.filter(kind=Kind.CONSULTATION_SUMMARY).count() == 1


def test_a_no_show_is_recorded_only_once_the_time_has_come(claimed, advisor, time_machine):
    booked = book(claimed, advisor)
    with pytest.raises(Refused):
        record_no_show(booked, advisor)
    time_machine.move_to(booked.starts_at + dt.timedelta(minutes=20))
    assert record_no_show(booked, advisor).status == Status.NO_SHOW
    with pytest.raises(Refused):
        record(booked, advisor)


def test_the_history_keeps_every_change(claimed, advisor):
    booked = cancel_consultation(book(claimed, advisor), advisor)
    statuses = [h.status for h in booked.history.order_by("history_id")]
    assert statuses == [Status.BOOKED, Status.CANCELLED]
    assert booked.history.latest().history_user == advisor


def test_the_estimate_total_matches_its_lines(claimed, advisor, time_machine):
    booked = book(claimed, advisor)
    time_machine.move_to(booked.starts_at + dt.timedelta(minutes=40))
    recorded = record(booked, advisor)
    lines = list(recorded.estimate_lines.all())
    assert sum(line.amount_low for line in lines) == recorded.estimate_low
    assert sum(line.amount_high for line in lines) == recorded.estimate_high
    assert all(line.amount_low == line.unit_price * line.quantity_low for line in lines)
    assert recorded.estimate_low > Decimal(0)


def test_cancelling_tells_the_person_in_their_language(claimed, advisor):
    booked = book(claimed, advisor, time_zone="Europe/Berlin")
    cancel_consultation(booked, advisor)
    message = Message.objects.get(kind=Kind.CONSULTATION_CANCELLED)
    assert (message.language, message.recipient) == ("de", "maria@example.org")
    local = timezone.localtime(booked.starts_at, ZoneInfo("Europe/Berlin"))
    assert f"{local:%Y-%m-%d %H:%M} (Europe/Berlin)" in message.body
    assert "abgesagt" in message.subject and claimed.reference in message.body


def test_moving_a_call_keeps_its_link_and_sends_the_new_time_with_the_old(claimed, advisor):
    booked = book(claimed, advisor, time_zone="Europe/Berlin")
    link, old = booked.join_url, booked.starts_at
    moved = reschedule_consultation(booked, advisor, starts_at=tomorrow_at(14), minutes=45)
    assert (moved.starts_at, moved.minutes, moved.join_url) == (tomorrow_at(14), 45, link)
    assert moved.status == Status.BOOKED
    message = Message.objects.get(kind=Kind.CONSULTATION_RESCHEDULED)
    assert message.language == "de" and link in message.body
    berlin = ZoneInfo("Europe/Berlin")
    assert f"{timezone.localtime(old, berlin):%H:%M}" in message.body
    assert f"{timezone.localtime(moved.starts_at, berlin):%H:%M} (Europe/Berlin, 45" in message.body
    assert [h.starts_at for h in moved.history.order_by("history_id")] == [old, moved.starts_at]


def test_a_call_moves_over_its_own_time_but_not_onto_another_call(make_request, claimed, advisor):
    booked = book(claimed, advisor, starts_at=tomorrow_at(9), minutes=60)
    other = book(
        claim_request(make_request(email="hans@example.org"), advisor),
        advisor,
        starts_at=tomorrow_at(11),
    )
    assert reschedule_consultation(booked, advisor, starts_at=tomorrow_at(9, 30)).minutes == 60
    with pytest.raises(Refused) as refused:
        reschedule_consultation(booked, advisor, starts_at=tomorrow_at(10, 45))
    assert refused.value.code == "advisor_busy"
    booked.refresh_from_db()
    assert booked.starts_at == tomorrow_at(9, 30)
    assert other.starts_at == tomorrow_at(11)
    assert Message.objects.filter(kind=Kind.CONSULTATION_RESCHEDULED).count() == 1


def test_only_a_booked_call_moves_and_only_to_a_time_to_come(claimed, advisor):
    booked = book(claimed, advisor)
    with pytest.raises(Refused) as past:
        reschedule_consultation(booked, advisor, starts_at=timezone.now() - dt.timedelta(hours=1))
    assert past.value.code == "invalid"
    cancel_consultation(booked, advisor)
    with pytest.raises(Refused) as cancelled:
        reschedule_consultation(booked, advisor, starts_at=tomorrow_at(15))
    assert cancelled.value.code == "not_booked"
    assert not Message.objects.filter(kind=Kind.CONSULTATION_RESCHEDULED).exists()


def test_an_advisor_of_another_site_cannot_move_a_call(claimed, advisor, other_site_advisor):
    booked = book(claimed, advisor)
    with pytest.raises(Refused):
        reschedule_consultation(booked, other_site_advisor, starts_at=tomorrow_at(15))
