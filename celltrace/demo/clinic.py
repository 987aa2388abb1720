"""Generate the demo clinic: about 220 synthetic patients spread over every stage.

Deterministic for a seed; dates are relative to today so queues and overdue lists look
current. Records are written directly (a bulk import of synthetic history, much of it in
the past, which the live actions rightly refuse to back-date), so a test checks that the
result keeps every safety rule: celltrace/demo/tests/test_demo_clinic.py.
"""

import random

from django.utils import timezone

from celltrace.accounts.models import Role, User
from celltrace.catalog.models import CellProduct, Condition, DoseLimit, Therapy
from celltrace.demo.people import synthetic_person
from celltrace.demo.stages import build_stage
from celltrace.intake.models import ConsultationRequest
from celltrace.patients.models import Patient

# (condition code, patients at the main site)
CONDITIONS = [("ms", 60), ("sci", 50), ("parkinsons", 35), ("t2d", 30), ("ckd", 25), ("lyme", 8)]
OTHER_SITE_PATIENTS = 20
STAGES = [
    ("request", 8),
    ("closed", 4),
    ("unscreened", 6),
    ("not_eligible", 7),
    ("needs_review", 3),
    ("eligible", 5),
    ("in_lab", 8),
    ("on_ward", 5),
    ("discharged", 54),
]


def generate_clinic(*, sites, staff, seed: int) -> None:
    rng = random.Random(seed)
    context = _Context(rng=rng, staff=staff, today=timezone.localdate())
    number = 0
    for site_index, site in enumerate(sites):
        for condition_code, count in CONDITIONS:
            if site_index > 0:
                count = max(1, OTHER_SITE_PATIENTS * count // 208)
            condition = Condition.objects.get(code=condition_code)
            for _ in range(count):
                number += 1
                stage = rng.choices([s for s, _ in STAGES], [w for _, w in STAGES])[0]
                _make_person(context, site, condition, number, stage)
    _link_portal_patient(staff)


class _Context:
    def __init__(self, *, rng, staff, today):
        self.rng = rng
        self.staff = staff
        self.today = today
        self.products = {
            source: list(CellProduct.objects.filter(source=source, kind__in=["msc", "neural"]))
            for source in ("autologous", "allogeneic")
        }
        self.limits = {(d.product_id, d.route): d.max_cells_per_kg for d in DoseLimit.objects.all()}
        self.therapies = list(Therapy.objects.all())


def _make_person(context, site, condition, number: int, stage: str) -> None:
    person = synthetic_person(context.rng, number, context.today)
    request = ConsultationRequest.objects.create(
        site=site,
        full_name=person["full_name"],
        email=person["email"],
        phone=person["phone"],
        country=person["country"],
        language=person["language"],
        condition=condition,
        description="Synthetic demo request.",
        consent_health_data=True,
        synthetic=True,
        status=ConsultationRequest.Status.NEW,
    )
    if stage == "request":
        return
    request.advisor = context.staff[Role.ADVISOR]
    if stage == "closed":
        request.status = ConsultationRequest.Status.CLOSED
        request.close_reason = "Synthetic: advanced disease outside what the therapy can help."
        request.save()
        return
    patient = Patient.objects.create(
        site=site,
        code=f"P-{number:06d}",
        condition=condition,
        synthetic=True,
        **person,
    )
    request.status = ConsultationRequest.Status.CONVERTED
    request.patient = patient
    request.save()
    build_stage(context, patient, stage)


def _link_portal_patient(staff) -> None:
    """Give one discharged synthetic patient a portal login, to show the patient's view."""
    patient = Patient.objects.filter(stays__discharged_at__isnull=False).order_by("pk").first()
    from celltrace.demo.setup import DEMO_PASSWORD

    user = User.objects.create_user(
        username="demo-patient",
        password=DEMO_PASSWORD,
        role=Role.PATIENT,
        site=patient.site,
        first_name=patient.full_name.split()[0],
        last_name=patient.full_name.split()[-1],
    )
    patient.portal_user = user
    patient.save()
