"""A released lot that fails a test e-mails each treating doctor its alert."""

from celltrace.lab.actions import allocate_lot, record_qc_result, release_lot
from celltrace.lab.models import LotAlert
from celltrace.lab.tests.helpers import an_hour_ago, pass_every_test
from celltrace.outbox.models import Message
from testkit import PASSWORD
from testkit.journey import make_administration, make_patient, make_plan, make_stay

STERILITY = ("sterility_bacterial", "sterility_fungal")


def test_a_failure_after_release_emails_each_treating_doctor_once(
    site, donor_lot, lab_technician, quality_reviewer, doctor, second_doctor, nurse, donor_plan
):
    doctor.email, second_doctor.email, second_doctor.language = (
        "dan@c.example",
        "dora@c.example",
        "de",
    )
    doctor.save()
    second_doctor.save()
    pass_every_test(donor_lot, lab_technician, skip=STERILITY)
    release_lot(donor_lot, quality_reviewer, password=PASSWORD)
    allocate_lot(donor_lot, donor_plan, lab_technician)
    given_plan = make_plan(make_patient(site), second_doctor, product="msc-uc-allo")
    make_administration(make_stay(given_plan, nurse), donor_lot, nurse)
    Message.objects.all().delete()
    record_qc_result(
        donor_lot, lab_technician, test="sterility_bacterial", passed=False, tested_at=an_hour_ago()
    )
    alerts = Message.objects.filter(kind="qc_failure_after_release").order_by("recipient")
    assert [(m.user, m.recipient, m.language) for m in alerts] == [
        (doctor, "dan@c.example", "en"),
        (second_doctor, "dora@c.example", "de"),
    ]
    planned, given = alerts
    assert {m.about_id for m in alerts} == set(LotAlert.objects.values_list("pk", flat=True))
    assert donor_lot.code in planned.subject and "is planned to receive" in planned.body
    assert "hat diese Charge erhalten" in given.body
    assert "Sterility (bacterial)" in given.body  # the lab's reason, as the alert records it
    assert Message.objects.count() == 2
