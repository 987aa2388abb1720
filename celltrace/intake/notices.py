"""The e-mails to the person who asked: request received, consultation booked, moved or
cancelled, its answers."""

import zoneinfo

from django.utils import timezone

from celltrace.clinical.numbers import money
from celltrace.intake.models import Consultation, ConsultationRequest
from celltrace.outbox.kinds import Kind
from celltrace.outbox.queue import Recipient, notify


def notify_request_received(consultation: ConsultationRequest) -> None:
    """Confirm the request with its reference, in the language the person read the form in."""
    context = {"reference": consultation.reference}
    notify(Kind.REQUEST_RECEIVED, _asked(consultation), about=consultation, context=context)


def notify_consultation_booked(booked: Consultation) -> None:
    """Give the person the time on their clock, and the link to join or the number we call."""
    notify(
        Kind.CONSULTATION_BOOKED,
        _asked(booked.request),
        about=booked,
        context=_booked_context(booked),
    )


def _booked_context(booked: Consultation) -> dict:
    return {
        "starts": _their_time(booked),
        "time_zone": booked.time_zone,
        "minutes": booked.minutes,
        "advisor": str(booked.advisor),
        "join_url": booked.join_url,
        "phone": booked.phone,
        "reference": booked.request.reference,
    }


def notify_consultation_rescheduled(booked: Consultation, *, previous) -> None:
    """Give the person the new time on their clock, with the earlier one it replaces."""
    context = _booked_context(booked) | {"previous": _their_time(booked, previous)}
    notify(Kind.CONSULTATION_RESCHEDULED, _asked(booked.request), about=booked, context=context)


def notify_consultation_cancelled(booked: Consultation) -> None:
    """Tell the person the call will not take place, and how to ask for another time."""
    context = {
        "starts": _their_time(booked),
        "time_zone": booked.time_zone,
        "reference": booked.request.reference,
    }
    notify(Kind.CONSULTATION_CANCELLED, _asked(booked.request), about=booked, context=context)


def notify_consultation_summary(booked: Consultation) -> None:
    """Send the three answers and the estimate, which the templates call an estimate."""
    lines = [
        {
            "description": line.description,
            "quantity": _span(line.quantity_low, line.quantity_high),
            "unit_price": money(line.unit_price, booked.currency),
            "amount": _span(
                money(line.amount_low, booked.currency), money(line.amount_high, booked.currency)
            ),
        }
        for line in booked.estimate_lines.all()
    ]
    context = {
        "starts": _their_time(booked),
        "advisor": str(booked.advisor),
        "could_help": booked.could_help,
        "reason": booked.could_help_reason,
        "involves": booked.involves,
        "lines": lines,
        "stay_days": _span(booked.stay_days_min, booked.stay_days_max),
        "total": _estimate_total(booked),
        "currency": booked.currency,
        "reference": booked.request.reference,
    }
    notify(Kind.CONSULTATION_SUMMARY, _asked(booked.request), about=booked, context=context)


def _asked(consultation: ConsultationRequest) -> Recipient:
    """The person who asked: once a patient, the patient record's address and language."""
    if consultation.patient_id:
        return Recipient.patient_of(consultation.patient)
    return Recipient.address(
        consultation.email,
        name=consultation.full_name,
        language=consultation.preferred_language,
        site_id=consultation.site_id,
    )


def _their_time(booked: Consultation, moment=None) -> str:
    """Write the call's time (or an earlier one) on the person's clock."""
    moment = timezone.localtime(moment or booked.starts_at, zoneinfo.ZoneInfo(booked.time_zone))
    return f"{moment:%Y-%m-%d %H:%M}"


def _span(low, high) -> str:
    return str(low) if low == high else f"{low} – {high}"


def _estimate_total(booked: Consultation) -> str:
    if booked.estimate_low is None:
        return ""
    return _span(
        money(booked.estimate_low, booked.currency), money(booked.estimate_high, booked.currency)
    )
