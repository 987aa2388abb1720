"""A serious adverse event alerts the stay's doctor and the site's medical director, once."""

import datetime as dt

import pytest
from django.utils import timezone

from celltrace.outbox.models import Message
from celltrace.stays.actions import (
    record_administration,
    report_adverse_event,
    update_adverse_event,
)


def _event(**changes):
    fields = {
        "term": "fever",
        "onset_at": timezone.now() - dt.timedelta(minutes=3),
        "ctcae_grade": 1,
        "serious": False,
        "relatedness": "unlikely",
        "outcome": "recovering",
        "description": "38.2 C after the infusion.",
    }
    return fields | changes


@pytest.fixture
def given(ward, nurse, bedside, doctor, second_doctor, site):
    doctor.email = "dan@c.example"
    doctor.save()
    second_doctor.email, second_doctor.language = "dora@c.example", "ru"
    second_doctor.save()
    site.medical_director = second_doctor
    site.save()
    administration = record_administration(nurse, **bedside)
    Message.objects.all().delete()
    return administration


def test_a_serious_event_alerts_the_doctor_and_the_medical_director(ward, nurse, given, doctor):
    event = report_adverse_event(
        ward.stay,
        nurse,
        **_event(
            term="anaphylaxis",
            ctcae_grade=3,
            serious=True,
            relatedness="probable",
            administration_id=given.pk,
        ),
    )
    alerts = Message.objects.filter(kind="serious_adverse_event").order_by("recipient")
    assert [(m.recipient, m.language, m.about_id) for m in alerts] == [
        ("dan@c.example", "en", event.pk),
        ("dora@c.example", "ru", event.pk),
    ]
    english = alerts[0]
    assert english.subject == f"Serious adverse event: patient {ward.patient.code}, Anaphylaxis"
    assert "CTCAE grade: 3" in english.body and ward.lot.code in english.body
    assert "(held: no further administration until cleared)" in english.body
    assert ward.patient.full_name not in english.body  # staff e-mail names the code only


def test_a_mild_event_alerts_nobody_until_it_becomes_serious(ward, nurse, given):
    event = report_adverse_event(ward.stay, nurse, **_event())
    assert not Message.objects.exists()
    update = {
        "ctcae_grade": 3,
        "serious": True,
        "relatedness": "unlikely",
        "outcome": "recovering",
        "description": "Admitted to intensive care.",
        "resolved_at": None,
    }
    update_adverse_event(event, nurse, **update)
    assert Message.objects.filter(kind="serious_adverse_event").count() == 2
    update_adverse_event(event, nurse, **(update | {"ctcae_grade": 4}))
    assert Message.objects.filter(kind="serious_adverse_event").count() == 2  # once per event
