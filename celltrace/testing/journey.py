"""Builders for tests: records at each stage of the journey, written straight to the database.

They give a stage's tests the records its upstream stages would have made, without
depending on those stages' screens. The stage under test itself is always exercised
through its actions, forms and API.
"""

import datetime as dt
import itertools

from django.utils import timezone

from celltrace.catalog.models import CellProduct, Condition
from celltrace.lab.models import ProcessStep, ProductLot
from celltrace.patients.models import Patient
from celltrace.plans.models import PlannedProduct, TreatmentPlan
from celltrace.screening.models import Screening
from celltrace.stays.models import Stay

_numbers = itertools.count(1)


def make_patient(site, *, condition="ms", **fields) -> Patient:
    n = next(_numbers)
    defaults = {
        "code": f"PT-{n:05d}",
        "full_name": f"Test Patient {n}",
        "date_of_birth": dt.date(1980, 5, 17),
        "sex": "female",
        "email": f"patient{n}@example.org",
        "phone": "+44 20 7946 0000",
        "country": "United Kingdom",
        "language": "English",
        "weight_kg": 70.0,
    }
    defaults.update(fields)
    return Patient.objects.create(
        site=site, condition=Condition.objects.get(code=condition), **defaults
    )


def make_screening(patient, doctor, *, decision="eligible", donor_only=False) -> Screening:
    return Screening.objects.create(
        patient=patient,
        doctor=doctor,
        decision=decision,
        donor_products_only=donor_only,
        reasons="Built for a test.",
    )


def make_plan(
    patient,
    doctor,
    *,
    product="msc-uc-allo",
    route="intravenous",
    dose=1.0e6,
    admission=None,
    days=6,
) -> TreatmentPlan:
    screening = patient.screenings.first() or make_screening(patient, doctor)
    admission = admission or timezone.localdate() + dt.timedelta(days=14)
    plan = TreatmentPlan.objects.create(
        patient=patient,
        screening=screening,
        weight_kg=patient.weight_kg or 70.0,
        admission_date=admission,
        discharge_date=admission + dt.timedelta(days=days - 1),
        created_by=doctor,
    )
    PlannedProduct.objects.create(
        plan=plan,
        product=CellProduct.objects.get(code=product),
        route=route,
        dose_cells_per_kg=dose,
        day_of_stay=2,
    )
    return plan


def make_lot(
    plan, technician, *, status="released", reviewer=None, expires_in_days=3, product=None
):
    """A lot made for the plan's first planned product (autologous: from the plan's patient)."""
    product = product or plan.products.first().product
    now = timezone.now()
    lot = ProductLot.objects.create(
        site=plan.patient.site,
        code=f"LOT-{next(_numbers):06d}",
        product=product,
        plan=plan,
        source_patient=plan.patient if product.source == "autologous" else None,
        donor_code="" if product.source == "autologous" else "DONOR-0001",
        status=status,
        made_by=technician,
        made_at=now - dt.timedelta(days=1),
        expires_at=now + dt.timedelta(days=expires_in_days),
        released_by=reviewer if status == "released" else None,
        released_at=now if status == "released" else None,
    )
    first_step = "harvest" if product.source == "autologous" else "donor_tissue"
    ProcessStep.objects.create(
        lot=lot, step=first_step, performed_by=technician, performed_at=lot.made_at
    )
    return lot


def make_stay(plan, user, *, admitted_at=None) -> Stay:
    return Stay.objects.create(
        site=plan.patient.site,
        patient=plan.patient,
        plan=plan,
        admitted_at=admitted_at or timezone.now(),
        admitted_by=user,
    )
