"""A plan's admission date is checked against today at the patient's site, not the server's.

Pago Pago is UTC-11 and Kiritimati UTC+14; the test server runs on UTC. At 14:00 in Pago Pago
the server is already on the next day, at 02:00 in Kiritimati it is still on the day before.
"""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from celltrace.plans.actions import create_plan
from celltrace.plans.models import TreatmentPlan
from celltrace.refusal import Refused
from testkit import PASSWORD
from testkit.journey import make_patient, make_screening, plan_request

SITE_DAY = dt.date(2026, 3, 10)


@pytest.mark.parametrize(
    ("zone_name", "wall_clock", "admission", "server_day", "accepted"),
    [
        # Today at the site, yesterday on the server's clock: a plan may start today.
        ("Pacific/Pago_Pago", dt.time(14, 0), SITE_DAY, SITE_DAY + dt.timedelta(days=1), True),
        # Yesterday at the site, today on the server's clock: the date is in the past.
        (
            "Pacific/Kiritimati",
            dt.time(2, 0),
            SITE_DAY - dt.timedelta(days=1),
            SITE_DAY - dt.timedelta(days=1),
            False,
        ),
    ],
)
def test_the_admission_date_is_checked_against_the_sites_today(
    catalog, site, doctor, plan_input, zone_name, wall_clock, admission, server_day, accepted
):
    site.time_zone = zone_name
    site.save()
    now = dt.datetime.combine(SITE_DAY, wall_clock, tzinfo=zoneinfo.ZoneInfo(zone_name))
    assert timezone.localdate(now, timezone.get_default_timezone()) == server_day
    plan_input["admission_date"] = admission
    plan_input["discharge_date"] = admission + dt.timedelta(days=5)
    with time_machine.travel(now, tick=False):
        patient = make_patient(site)
        make_screening(patient, doctor, decision="eligible")
        if accepted:
            assert (
                create_plan(
                    patient, doctor, plan_request(plan_input), password=PASSWORD
                ).admission_date
                == admission
            )
        else:
            with pytest.raises(Refused) as caught:
                create_plan(patient, doctor, plan_request(plan_input), password=PASSWORD)
            assert "admission_date" in caught.value.field_errors
            assert not TreatmentPlan.objects.filter(patient=patient).exists()
