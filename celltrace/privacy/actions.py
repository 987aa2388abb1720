"""Erase a patient's identity: pseudonyms in the live records, the clinical record kept.

The name becomes "Erased patient <code>", the e-mail and phone are emptied, the date of birth
keeps its year (the age the rules and statistics need), the portal account is closed and
loses its name, the consultation request loses the same and the sender's address, and the
consultations and check-up appointments lose the phone number they were to call. Every
change is saved through the audit history, so the erasure itself is on the record; history
rows written before it are append-only and keep what they held (docs/privacy.md says why
that is lawful and what it means). The clinical record is kept, tagged by an `Erasure` row
with the legal basis and the date until which it must be kept, signed by the manager or
administrator who decided it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from celltrace.accounts.access import check_actor
from celltrace.audit import save_by
from celltrace.followup.models import Appointment
from celltrace.intake.models import Consultation, ConsultationRequest
from celltrace.lab.models import ProductLot
from celltrace.patients.models import Erasure, Patient
from celltrace.privacy.access import ERASE_ROLES
from celltrace.refusal import Refused
from celltrace.signatures.models import Signature
from celltrace.signatures.service import records_wrong_passwords, sign
from celltrace.stays.models import Stay

PSEUDONYM = "Erased patient {code}"


@records_wrong_passwords
@transaction.atomic
def erase_identity(patient: Patient, by, *, reason: str, password: str) -> Erasure:
    """Replace the patient's identity and contact data by pseudonyms; sign the decision."""
    check_actor(by, ERASE_ROLES, "erase a patient's identity", site_id=patient.site_id)
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    reason = (reason or "").strip()
    if not reason:
        raise Refused("Say why the identity is erased.", code="invalid",
                      field_errors={"reason": "A reason is required."})  # fmt: skip
    if refusal := erasure_refusal(patient):
        raise refusal
    now = timezone.now()
    erasure = save_by(
        Erasure(patient=patient, erased_by=by, erased_at=now, reason=reason,
                legal_basis=settings.PRIVACY_RECORD_RETENTION_BASIS,
                retain_until=_years_after(now.date(), settings.PRIVACY_RECORD_RETENTION_YEARS)),
        by,
    )  # fmt: skip
    sign(erasure, by, password=password, meaning=Signature.Meaning.RESPONSIBILITY,
         content=erasure_content(erasure))  # fmt: skip
    _pseudonymise_patient(patient, by)
    return erasure


def erasure_refusal(patient: Patient) -> Refused | None:
    """Why the patient's identity may not be erased now, or None."""
    if Erasure.objects.filter(patient=patient).exists():
        return Refused("This patient's identity is already erased.", code="already_erased")
    if Stay.objects.filter(patient=patient, discharged_at__isnull=True).exists():
        return Refused(
            "The patient is on the ward: the staff must know who they treat. "
            "Erase after discharge.",
            code="patient_on_ward",
        )
    making = Q(plan__patient=patient) | Q(source_patient=patient)
    if ProductLot.objects.filter(making, status=ProductLot.Status.IN_PROCESS).exists():
        return Refused(
            "A cell product is still being made for this patient: its Chain of Identity "
            "needs the patient's identity until the lot is released, rejected or given.",
            code="lot_in_process",
        )
    return None


def erasure_content(erasure: Erasure) -> dict:
    """What the manager signs: whose identity, why, and why the record stays."""
    return {
        "record": "erasure",
        "patient": erasure.patient.code,
        "reason": erasure.reason,
        "legal_basis": erasure.legal_basis,
        "retain_until": erasure.retain_until.isoformat(),
        "erased_at": erasure.erased_at.isoformat(),
    }


def _pseudonymise_patient(patient: Patient, by) -> None:
    pseudonym = PSEUDONYM.format(code=patient.code)
    patient.full_name, patient.email, patient.phone = pseudonym, "", ""
    if patient.date_of_birth is not None:
        patient.date_of_birth = patient.date_of_birth.replace(month=1, day=1)
    save_by(patient, by)
    request = ConsultationRequest.objects.filter(patient=patient).first()
    if request is not None:
        request.full_name, request.email, request.phone = pseudonym, "", ""
        request.client_address = None
        save_by(request, by)
    # The numbers the advisor and the check-up's caller dialled are contact data too.
    for booked in (
        *Consultation.objects.filter(request__patient=patient).exclude(phone=""),
        *Appointment.objects.filter(item__patient=patient).exclude(phone=""),
    ):
        booked.phone = ""
        save_by(booked, by)
    account = patient.portal_user
    if account is not None:
        account.username = f"erased-{patient.code}"
        account.first_name = account.last_name = account.email = ""
        account.is_active = False
        account.set_unusable_password()
        save_by(account, by)


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
