"""Builders for tests: records at each stage of the journey, written straight to the database.

They give a stage's tests the records its upstream stages would have made, without
depending on those stages' screens. The stage under test itself is always exercised
through its actions, forms and API.
"""

import datetime as dt
import itertools

from django.utils import timezone

from celltrace.accounts.languages import language_of
from celltrace.catalog.models import CellProduct, Condition
from celltrace.clinical import isbt128, signing
from celltrace.lab.models import Donor, ProcessStep, ProductLot
from celltrace.lab.release_record import lot_content
from celltrace.patients.models import Patient
from celltrace.plans.models import PlannedProduct, TreatmentPlan
from celltrace.plans.requests import (
    PlanRequest,
    RequestedDose,
    RequestedHomeCare,
    RequestedTherapy,
)
from celltrace.screening.loading import starting_ruleset
from celltrace.screening.models import Screening, ScreeningSignature
from celltrace.signatures.models import Signature
from celltrace.stays.models import Administration, Stay
from celltrace.ward.models import Bed, Room

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
    # As the migration coded the patients of before: the language they named, if the clinic's.
    defaults.setdefault("preferred_language", language_of(defaults["language"]))
    return Patient.objects.create(
        site=site, condition=Condition.objects.get(code=condition), **defaults
    )


def make_screening(
    patient, doctor, *, decision="eligible", donor_only=False, final=True, purpose="planning"
) -> Screening:
    """A screening on rule set version 1, final (signed by `doctor`) unless told otherwise."""
    if decision == "needs_review":
        decision = "incomplete"
    if donor_only:
        decision = "donor_products_only"
    allowed = {
        "eligible": ["allogeneic", "autologous"],
        "eligible_with_cautions": ["allogeneic", "autologous"],
        "donor_products_only": ["allogeneic"],
    }.get(decision, [])
    screening = Screening.objects.create(
        patient=patient,
        doctor=doctor,
        ruleset=starting_ruleset(),
        purpose=purpose,
        decision=decision,
        treatment_date=timezone.localdate(),
        source="autologous" if decision == "donor_products_only" else "allogeneic",
        allowed_sources=allowed,
        donor_products_only=allowed == ["allogeneic"],
        reasons="Built for a test.",
        finalized_at=timezone.now() if final else None,
    )
    if final:
        ScreeningSignature.objects.create(screening=screening, doctor=doctor)
    return screening


def make_day_one_screening(stay, user, *, new_exclusions=(), decision="eligible") -> Screening:
    """A day-one re-check of the stay's plan decision, passing unless told otherwise."""
    base = stay.plan.screening
    return Screening.objects.create(
        patient=stay.patient,
        doctor=user,
        ruleset=base.ruleset or starting_ruleset(),
        purpose="day_one",
        stay=stay,
        based_on=base,
        decision=decision,
        treatment_date=timezone.localdate(),
        source=base.source or "allogeneic",
        allowed_sources=["allogeneic", "autologous"] if decision == "eligible" else [],
        new_exclusions=list(new_exclusions),
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
    day=2,
) -> TreatmentPlan:
    screening = patient.screenings.filter(purpose="planning").first() or make_screening(
        patient, doctor
    )
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
        dose_per_kg=dose,
        day_of_stay=day,
    )
    return plan


def make_lot(
    plan,
    technician,
    *,
    status="released",
    reviewer=None,
    expires_in_days=3,
    product=None,
    viable_content=1.0e10,
):
    """A lot made for the plan's first planned product (autologous: from the plan's patient).

    It holds `viable_content` (in the product's unit; plenty for any test dose unless told).
    A released lot with a reviewer carries the reviewer's release signature, bound to the
    lot's record as `release_lot` binds it.
    """
    product = product or plan.products.first().product
    now = timezone.now()
    number = next(_numbers)
    fin = plan.patient.site.isbt_fin or "X9999"
    donor = (
        None if product.source == "autologous" else eligible_donor(plan.patient.site, technician)
    )
    lot = ProductLot.objects.create(
        site=plan.patient.site,
        code=f"LOT-{number:06d}",
        din=isbt128.make_din(fin, now.year, number).value,
        product=product,
        plan=plan,
        source_patient=plan.patient if product.source == "autologous" else None,
        donor=donor,
        donor_code=donor.code if donor else "",
        status=status,
        made_by=technician,
        made_at=now - dt.timedelta(days=1),
        expires_at=now + dt.timedelta(days=expires_in_days),
        released_by=reviewer if status == "released" else None,
        released_at=now if status == "released" else None,
        viable_content=viable_content,
        volume_ml=20.0,
    )
    first_step = "harvest" if product.source == "autologous" else "donor_tissue"
    ProcessStep.objects.create(
        lot=lot, step=first_step, performed_by=technician, performed_at=lot.made_at
    )
    if lot.released_by:
        content = lot_content(lot)
        Signature.objects.create(
            signer=reviewer,
            printed_name=str(reviewer),
            meaning=Signature.Meaning.RELEASE,
            signed_at=now,
            record=lot,
            record_hash=signing.content_hash(content),
            content=signing.as_signed(content),
        )
    return lot


def eligible_donor(site, user, *, code="DONOR-0001") -> Donor:
    """The site's donor `code`, determined eligible (see lab's actions for the real path)."""
    donor, _ = Donor.objects.get_or_create(
        site=site,
        code=code,
        defaults={
            "recovered_on": timezone.localdate() - dt.timedelta(days=2),
            "determination": Donor.Determination.ELIGIBLE,
            "registered_by": user,
            "registered_at": timezone.now(),
        },
    )
    return donor


def make_bed(site, *, accessible=False, room=None) -> Bed:
    """A bed of its own room at the site (or in `room`), free and in use."""
    n = next(_numbers)
    if room is None:
        room = Room.objects.create(site=site, number=f"R{n}", accessible=accessible)
    return Bed.objects.create(room=room, label=f"B{n}")


def bed_and_doctor(plan) -> dict:
    """A free bed of the plan's site and the plan's doctor: what an admission needs."""
    return {"bed": make_bed(plan.patient.site), "doctor": plan.created_by}


def make_stay(
    plan, user, *, admitted_at=None, day_one=True, doctor=None, bed=None, weight_kg=None
) -> Stay:
    """An open stay in a bed of its own, attended by the plan's doctor unless told otherwise.

    With `day_one` it has the passing day-one screening administration needs. The patient
    weighs the plan's weight at admission unless told otherwise.
    """
    stay = Stay.objects.create(
        site=plan.patient.site,
        patient=plan.patient,
        plan=plan,
        bed=bed or make_bed(plan.patient.site),
        doctor=doctor or plan.created_by,
        weight_kg=weight_kg or plan.weight_kg,
        admitted_at=admitted_at or timezone.now(),
        admitted_by=user,
    )
    if day_one:
        make_day_one_screening(stay, user)
    return stay


def make_administration(stay, lot, nurse, *, given_at=None, planned=None) -> Administration:
    """The lot given at the bedside as its plan says, written straight past the bedside gate.

    For the plan's first dose of the lot's product unless another planned dose is named.
    """
    planned = planned or stay.plan.products.filter(product=lot.product).first()
    return Administration.objects.create(
        stay=stay,
        lot=lot,
        planned_product=planned,
        route=planned.route,
        dose_per_kg=planned.dose_per_kg,
        given_at=given_at or timezone.now(),
        nurse=nurse,
        temperature_c=36.8,
        heart_rate=70,
        systolic_bp=120,
        diastolic_bp=80,
        spo2=98,
    )


def plan_request(values: dict) -> PlanRequest:
    """Build the typed plan request from `plan_input`-style values, as the form and API do."""
    values = dict(values)
    return PlanRequest(
        **{k: v for k, v in values.items() if k not in ("products", "therapies", "home_care")},
        doses=tuple(RequestedDose(**item) for item in values.get("products", [])),
        therapies=tuple(RequestedTherapy(**item) for item in values.get("therapies", [])),
        home_care=tuple(RequestedHomeCare(**item) for item in values.get("home_care", [])),
    )
