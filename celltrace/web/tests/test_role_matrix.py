"""Every URL of celltrace admits exactly its roles.

The table below is the access policy, written out by hand; the test walks every URL
pattern Django knows and fails for any pattern missing from the table, so a new screen or
endpoint cannot ship without a decision on who may use it.
"""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver

from celltrace.accounts.models import Role, User
from celltrace.care.models import ServiceBooking, TherapySession
from celltrace.catalog.models import Therapy
from celltrace.cryostore.actions import add_container, record_reading, record_storage_consent
from celltrace.followup.models import FollowUpItem
from celltrace.homecare.models import HomeCareDose
from celltrace.intake.models import Attachment, Consultation, ConsultationRequest
from celltrace.plans.models import PlannedHomeCare, PlannedTherapy
from testkit.journey import (
    eligible_donor,
    make_lot,
    make_patient,
    make_plan,
    make_screening,
    make_stay,
)
from testkit.signin import sign_in

ADV, DOC, LAB, QA, NUR, COO, MAN, ADM, PAT = (
    Role.ADVISOR, Role.DOCTOR, Role.LAB_TECHNICIAN, Role.QUALITY_REVIEWER, Role.NURSE,
    Role.COORDINATOR, Role.MANAGER, Role.ADMIN, Role.PATIENT,
)  # fmt: skip
EVERYONE = frozenset(Role.values)
STAFF = EVERYONE - {PAT}
CLINICAL = frozenset({DOC, NUR, COO, MAN, ADM})
PUBLIC = "public"
# Pages under api/ and fhir/ that are screens, not endpoints: a visitor is sent to sign in,
# not 401 (the endpoints of api/ and fhir/ answer a visitor 401).
API_PAGES = {"api/docs", "api/openapi.json", "fhir/import/"}

# (method, route) -> roles admitted, or PUBLIC for pages anyone may open without signing in.
POLICY = {
    ("GET", ""): PUBLIC,
    ("GET", "login/"): PUBLIC,
    ("POST", "logout/"): PUBLIC,
    ("GET", "account/"): EVERYONE,
    ("POST", "account/language/"): EVERYONE,
    ("POST", "i18n/setlang/"): PUBLIC,
    ("GET", "account/second-factor/"): EVERYONE,
    ("GET", "account/second-factor/enrol/"): EVERYONE,
    ("POST", "account/second-factor/recovery-codes/"): STAFF,
    ("GET", "account/password/"): EVERYONE,
    ("GET", "account/password/done/"): EVERYONE,
    ("GET", "account/password/reset/"): PUBLIC,
    ("GET", "account/password/reset/sent/"): PUBLIC,
    ("GET", "account/password/reset/<uidb64>/<token>/"): PUBLIC,
    ("GET", "account/password/reset/complete/"): PUBLIC,
    ("GET", "dashboard/"): EVERYONE,
    ("GET", "patients/"): STAFF,
    ("GET", "patients/<int:pk>/"): EVERYONE,
    ("GET", "intake/request/"): PUBLIC,
    ("GET", "intake/request/received/"): PUBLIC,
    ("GET", "intake/"): {ADV, MAN, ADM},
    ("GET", "intake/<int:pk>/"): {ADV, MAN, ADM},
    ("POST", "intake/<int:pk>/claim/"): {ADV},
    ("POST", "intake/<int:pk>/notes/"): {ADV, MAN, ADM},
    ("POST", "intake/<int:pk>/attachments/"): {ADV, MAN, ADM},
    ("POST", "intake/<int:pk>/convert/"): {ADV, MAN, ADM},
    ("POST", "intake/<int:pk>/close/"): {ADV, MAN, ADM},
    ("GET", "intake/attachments/<int:pk>/"): {ADV, DOC, MAN, ADM},
    ("POST", "intake/<int:pk>/consultations/"): {ADV, MAN, ADM},
    ("GET", "intake/consultations/<int:pk>/"): {ADV, MAN, ADM},
    ("POST", "intake/consultations/<int:pk>/record/"): {ADV, MAN, ADM},
    ("POST", "intake/consultations/<int:pk>/cancel/"): {ADV, MAN, ADM},
    ("POST", "intake/consultations/<int:pk>/reschedule/"): {ADV, MAN, ADM},
    ("POST", "intake/consultations/<int:pk>/no-show/"): {ADV, MAN, ADM},
    ("GET", "screening/patients/<int:patient_pk>/new/"): {DOC},
    ("GET", "screening/<int:pk>/"): CLINICAL,
    ("GET", "screening/patients/<int:patient_pk>/facts/"): {DOC, NUR},
    ("GET", "screening/patients/<int:patient_pk>/prior-therapies/"): {ADV, DOC},
    ("POST", "screening/<int:pk>/sign/"): {DOC},
    ("GET", "screening/<int:pk>/report.pdf"): CLINICAL,
    ("GET", "stays/<int:pk>/day-one/"): {DOC, NUR},
    ("GET", "plans/patients/<int:patient_pk>/new/"): {DOC},
    ("GET", "plans/<int:pk>/"): CLINICAL | {PAT},
    ("GET", "plans/<int:pk>/amend/"): {DOC},
    ("POST", "plans/<int:pk>/cancel/"): {DOC, COO},
    ("POST", "plans/<int:pk>/accept-quote/"): {COO},
    ("GET", "lab/worklist/"): CLINICAL | {LAB, QA},
    ("GET", "lab/lots/"): CLINICAL | {LAB, QA},
    ("GET", "lab/lots/<int:pk>/"): CLINICAL | {LAB, QA},
    ("POST", "lab/lots/<int:pk>/steps/"): {LAB},
    ("POST", "lab/lots/<int:pk>/qc/"): {LAB},
    ("POST", "lab/lots/<int:pk>/release/"): {QA},
    ("POST", "lab/lots/<int:pk>/reject/"): {QA},
    ("GET", "lab/lots/<int:pk>/certificate.pdf"): CLINICAL | {LAB, QA},
    ("POST", "lab/lots/<int:pk>/allocate/"): {LAB},
    ("POST", "lab/lots/<int:pk>/investigations/"): {LAB, QA},
    ("POST", "lab/lots/<int:pk>/investigations/<int:investigation_pk>/close/"): {QA},
    ("POST", "lab/lots/<int:pk>/exceptional/accept/"): {DOC},
    ("POST", "lab/lots/<int:pk>/exceptional/release/"): {DOC},
    ("POST", "lab/alerts/<int:alert_pk>/acknowledge/"): {DOC},
    ("POST", "lab/lots/<int:pk>/divide/"): {LAB},
    ("GET", "lab/plans/<int:plan_pk>/autologous/"): {LAB},
    ("GET", "lab/donor-lots/new/"): {LAB},
    ("GET", "lab/donors/"): {LAB, QA, DOC, MAN, ADM},
    ("GET", "lab/donors/new/"): {LAB},
    ("GET", "lab/donors/<int:pk>/"): {LAB, QA, DOC, MAN, ADM},
    ("POST", "lab/donors/<int:pk>/tests/"): {LAB},
    ("POST", "lab/donors/<int:pk>/determine/"): {DOC, QA},
    ("GET", "cryostore/"): {LAB, QA, DOC, MAN, ADM},
    ("GET", "cryostore/containers/new/"): {LAB},
    ("GET", "cryostore/containers/<int:pk>/"): {LAB, QA, DOC, MAN, ADM},
    ("POST", "cryostore/containers/<int:pk>/readings/"): {LAB},
    ("POST", "cryostore/containers/<int:pk>/limits/"): {LAB},
    ("POST", "cryostore/alarms/<int:pk>/acknowledge/"): {LAB},
    ("GET", "cryostore/scan/"): {LAB},
    ("GET", "cryostore/thaw/"): {LAB},
    ("GET", "cryostore/patients/<int:patient_pk>/consent/"): {LAB, DOC, COO},
    ("POST", "cryostore/consents/<int:pk>/withdraw/"): {LAB, DOC, COO},
    ("POST", "lab/lots/<int:pk>/labels/"): {LAB, QA},
    ("GET", "lab/labels/"): {LAB, QA},
    ("GET", "stays/"): CLINICAL,
    ("GET", "stays/administer/"): {NUR},
    ("GET", "stays/admit/<int:plan_pk>/"): {NUR, DOC, COO},
    ("GET", "stays/<int:pk>/"): CLINICAL,
    ("GET", "stays/<int:pk>/adverse-events/new/"): {NUR, DOC},
    ("POST", "stays/<int:pk>/discharge/"): {DOC},
    ("POST", "stays/adverse-events/<int:pk>/"): {NUR, DOC},
    ("GET", "stays/adverse-events/rates/"): {DOC, MAN},
    ("POST", "stays/lot-holds/<int:pk>/clear/"): {DOC},
    ("GET", "stays/lots/<int:pk>/trace/"): {DOC, QA, MAN, ADM},
    ("POST", "stays/lots/<int:pk>/recall/"): {QA},
    ("GET", "stays/patients/<int:patient_pk>/trace/"): {DOC, QA, MAN, ADM},
    ("GET", "stays/board/"): CLINICAL,
    ("POST", "stays/<int:pk>/doctor/"): {DOC, COO, MAN},
    ("POST", "stays/<int:pk>/bed/"): {NUR, DOC, COO, MAN},
    ("POST", "stays/<int:pk>/planned/<int:planned_pk>/allow-day/"): {DOC},
    ("GET", "followup/overdue/"): CLINICAL,
    ("POST", "followup/items/<int:pk>/complete/"): {COO},
    ("GET", "followup/items/<int:pk>/book/"): {COO},
    ("POST", "followup/appointments/<int:pk>/outcome/"): {COO},
    ("GET", "portal/appointments/"): {PAT},
    ("GET", "followup/patients/<int:patient_pk>/end/"): {DOC, COO},
    ("GET", "home-care/"): {PAT},
    ("POST", "home-care/doses/<int:pk>/confirm/"): {PAT},
    ("POST", "home-care/doses/<int:pk>/skip/"): {PAT},
    ("POST", "home-care/doses/<int:pk>/phoned/"): {DOC, NUR, COO},
    ("GET", "home-care/missed/"): CLINICAL,
    ("GET", "outcomes/"): {DOC, COO, MAN, ADM},
    ("GET", "outcomes/patients/<int:patient_pk>/new/"): {DOC},
    ("GET", "outcomes/patients/<int:patient_pk>/instruments/<slug:code>/new/"): {DOC},
    ("GET", "outcomes/<slug:condition_code>/"): {DOC, COO, MAN, ADM},
    ("GET", "outcomes/<slug:condition_code>/report.json"): {DOC, COO, MAN, ADM},
    ("GET", "outcomes/<slug:condition_code>/report.csv"): {DOC, COO, MAN, ADM},
    ("GET", "outcomes/<slug:condition_code>/report.pdf"): {DOC, COO, MAN, ADM},
    ("GET", "outcomes/patients/<int:patient_pk>/isncsci/new/"): {DOC},
    ("POST", "outcomes/patients/<int:patient_pk>/isncsci/preview/"): {DOC},
    ("GET", "outcomes/patients/<int:patient_pk>/edss/new/"): {DOC},
    ("GET", "outcomes/patients/<int:patient_pk>/edss/"): CLINICAL | {PAT},
    ("GET", "outcomes/patients/<int:patient_pk>/edss/card/"): CLINICAL | {PAT},
    ("GET", "outcomes/patients/<int:patient_pk>/relapses/new/"): {DOC},
    ("GET", "outcomes/patients/<int:patient_pk>/mri/new/"): {DOC},
    ("GET", "outcomes/patients/<int:patient_pk>/results/"): CLINICAL | {PAT},
    ("POST", "outcomes/<slug:condition_code>/patient-summary/"): {MAN, ADM},
    ("POST", "outcomes/patient-summaries/<int:summary_pk>/withdraw/"): {MAN, ADM},
    ("GET", "results/"): PUBLIC,
    ("GET", "results/<slug:condition_code>/"): PUBLIC,
    ("GET", "care/stays/<int:stay_pk>/rounds/new/"): {DOC},
    ("POST", "care/stays/<int:stay_pk>/therapy/schedule/"): {DOC, COO},
    ("GET", "care/stays/<int:stay_pk>/letter.pdf"): CLINICAL | {PAT},
    ("GET", "care/therapy/today/"): CLINICAL,
    ("GET", "care/therapy/<int:pk>/move/"): {DOC, COO},
    ("GET", "care/therapy/<int:pk>/record/"): {NUR, DOC, COO},
    ("GET", "care/services/"): {COO, MAN, ADM},
    ("GET", "care/plans/<int:plan_pk>/interpreter/"): {COO},
    ("GET", "care/plans/<int:plan_pk>/transfer/"): {COO},
    ("GET", "care/plans/<int:plan_pk>/meals/"): {COO},
    ("GET", "care/bookings/<int:pk>/cancel/"): {COO},
    # API
    ("GET", "api/"): PUBLIC,
    ("GET", "api/openapi.json"): STAFF,
    ("GET", "api/docs"): STAFF,
    ("POST", "api/intake/requests"): PUBLIC,
    ("GET", "api/intake/requests"): {ADV, MAN, ADM},
    ("GET", "api/intake/requests/<request_id>"): {ADV, MAN, ADM},
    ("POST", "api/intake/requests/<request_id>/claim"): {ADV},
    ("POST", "api/intake/requests/<request_id>/notes"): {ADV, MAN, ADM},
    ("POST", "api/intake/requests/<request_id>/attachments"): {ADV, MAN, ADM},
    ("POST", "api/intake/requests/<request_id>/convert"): {ADV, MAN, ADM},
    ("POST", "api/intake/requests/<request_id>/close"): {ADV, MAN, ADM},
    ("POST", "api/intake/requests/<request_id>/consultations"): {ADV, MAN, ADM},
    ("GET", "api/intake/requests/<request_id>/consultations"): {ADV, MAN, ADM},
    ("GET", "api/intake/consultations/<consultation_id>"): {ADV, MAN, ADM},
    ("POST", "api/intake/consultations/<consultation_id>/record"): {ADV, MAN, ADM},
    ("POST", "api/intake/consultations/<consultation_id>/cancel"): {ADV, MAN, ADM},
    ("POST", "api/intake/consultations/<consultation_id>/reschedule"): {ADV, MAN, ADM},
    ("POST", "api/intake/consultations/<consultation_id>/no-show"): {ADV, MAN, ADM},
    ("POST", "api/screening/patients/<patient_id>"): {DOC},
    ("GET", "api/screening/<screening_id>"): CLINICAL,
    ("POST", "api/screening/patients/<patient_id>/facts"): {DOC, NUR},
    ("GET", "api/screening/patients/<patient_id>/facts"): CLINICAL,
    ("POST", "api/screening/patients/<patient_id>/prior-therapies"): {ADV, DOC},
    ("POST", "api/screening/<screening_id>/signatures"): {DOC},
    ("POST", "api/stays/<stay_id>/day-one"): {DOC, NUR},
    ("POST", "api/plans/patients/<patient_id>"): {DOC},
    ("GET", "api/plans/<plan_id>"): CLINICAL | {PAT},
    ("POST", "api/plans/<plan_id>/amend"): {DOC},
    ("POST", "api/plans/<plan_id>/cancel"): {DOC, COO},
    ("POST", "api/plans/<plan_id>/quote-acceptance"): {COO},
    ("GET", "api/lab/worklist"): CLINICAL | {LAB, QA},
    ("GET", "api/lab/lots"): CLINICAL | {LAB, QA},
    ("GET", "api/lab/lots/scan"): CLINICAL | {LAB, QA},
    ("GET", "api/lab/lots/<lot_id>"): CLINICAL | {LAB, QA},
    ("POST", "api/lab/plans/<plan_id>/autologous-lots"): {LAB},
    ("POST", "api/lab/donor-lots"): {LAB},
    ("POST", "api/lab/lots/<lot_id>/steps"): {LAB},
    ("POST", "api/lab/lots/<lot_id>/qc-results"): {LAB},
    ("POST", "api/lab/lots/<lot_id>/release"): {QA},
    ("POST", "api/lab/lots/<lot_id>/reject"): {QA},
    ("POST", "api/lab/lots/<lot_id>/allocate"): {LAB},
    ("GET", "api/lab/donors"): {LAB, QA, DOC, MAN, ADM},
    ("POST", "api/lab/donors"): {LAB},
    ("GET", "api/lab/donors/<donor_id>"): {LAB, QA, DOC, MAN, ADM},
    ("POST", "api/lab/donors/<donor_id>/tests"): {LAB},
    ("POST", "api/lab/donors/<donor_id>/determination"): {DOC, QA},
    ("POST", "api/lab/lots/<lot_id>/investigations"): {LAB, QA},
    ("POST", "api/lab/lots/<lot_id>/investigations/<investigation_id>/close"): {QA},
    ("POST", "api/lab/lots/<lot_id>/exceptional-release/acceptance"): {DOC},
    ("POST", "api/lab/lots/<lot_id>/exceptional-release"): {DOC},
    ("GET", "api/lab/alerts"): {DOC},
    ("POST", "api/lab/alerts/<alert_id>/acknowledge"): {DOC},
    ("GET", "api/cryostore/containers"): {LAB, QA, DOC, MAN, ADM},
    ("GET", "api/cryostore/containers/<container_id>"): {LAB, QA, DOC, MAN, ADM},
    ("POST", "api/cryostore/containers"): {LAB},
    ("POST", "api/cryostore/containers/<container_id>/limits"): {LAB},
    ("POST", "api/cryostore/deposits"): {LAB},
    ("POST", "api/cryostore/retrievals"): {LAB},
    ("POST", "api/cryostore/transfers"): {LAB},
    ("POST", "api/cryostore/thaws"): {LAB},
    ("POST", "api/cryostore/readings"): {LAB},
    ("POST", "api/cryostore/alarms/<alarm_id>/acknowledge"): {LAB},
    ("GET", "api/cryostore/board"): {LAB, QA, DOC, MAN, ADM},
    ("POST", "api/cryostore/patients/<patient_id>/consents"): {LAB, DOC, COO},
    ("POST", "api/cryostore/consents/<consent_id>/withdraw"): {LAB, DOC, COO},
    ("POST", "api/lab/lots/<lot_id>/labels"): {LAB, QA},
    ("POST", "api/lab/labels"): {LAB, QA},
    ("POST", "api/lab/lots/<lot_id>/divide"): {LAB},
    ("POST", "api/stays/"): {NUR, DOC, COO},
    ("POST", "api/stays/administrations"): {NUR},
    ("GET", "api/stays/administrations/preview"): {NUR},
    ("POST", "api/stays/<stay_id>/planned-products/<planned_id>/day-changes"): {DOC},
    ("GET", "api/stays/<stay_id>"): CLINICAL,
    ("POST", "api/stays/<stay_id>/adverse-events"): {NUR, DOC},
    ("POST", "api/stays/<stay_id>/discharge"): {DOC},
    ("POST", "api/stays/adverse-events/<event_id>"): {NUR, DOC},
    ("POST", "api/stays/lot-holds/<hold_id>/clear"): {DOC},
    ("GET", "api/stays/adverse-events/rates"): {DOC, MAN},
    ("GET", "api/stays/lots/<lot_id>/trace"): {DOC, QA, MAN, ADM},
    ("POST", "api/stays/lots/<lot_id>/recall"): {QA},
    ("GET", "api/stays/patients/<patient_id>/trace"): {DOC, QA, MAN, ADM},
    ("POST", "api/stays/<stay_id>/doctor"): {DOC, COO, MAN},
    ("POST", "api/stays/<stay_id>/bed"): {NUR, DOC, COO, MAN},
    ("GET", "api/followup/overdue"): CLINICAL,
    ("POST", "api/followup/items/<item_id>/complete"): {COO},
    ("GET", "api/followup/appointments"): CLINICAL | {PAT},
    ("POST", "api/followup/items/<item_id>/appointments"): {COO},
    ("POST", "api/followup/appointments/<appointment_id>/outcome"): {COO},
    ("POST", "api/followup/patients/<patient_id>/end"): {DOC, COO},
    ("POST", "api/outcomes/patients/<patient_id>/measurements"): {DOC},
    ("GET", "api/outcomes/patients/<patient_id>/measurements"): CLINICAL,
    ("POST", "api/outcomes/patients/<patient_id>/instruments/<code>"): {DOC},
    ("GET", "api/outcomes/instruments"): CLINICAL,
    ("GET", "api/outcomes/reports/<condition_code>"): {DOC, COO, MAN, ADM},
    ("POST", "api/outcomes/isncsci/classify"): {DOC},
    ("POST", "api/outcomes/patients/<patient_id>/isncsci"): {DOC},
    ("POST", "api/outcomes/patients/<patient_id>/edss"): {DOC},
    ("GET", "api/outcomes/patients/<patient_id>/edss-course"): CLINICAL | {PAT},
    ("POST", "api/outcomes/patients/<patient_id>/relapses"): {DOC},
    ("POST", "api/outcomes/patients/<patient_id>/mri-scans"): {DOC},
    ("GET", "api/care/stays/<stay_id>/rounds"): CLINICAL,
    ("POST", "api/care/stays/<stay_id>/rounds"): {DOC},
    ("GET", "api/care/stays/<stay_id>/therapy-sessions"): CLINICAL,
    ("POST", "api/care/stays/<stay_id>/therapy-sessions"): {DOC, COO},
    ("GET", "api/care/therapy-sessions/today"): CLINICAL,
    ("POST", "api/care/therapy-sessions/<session_id>/reschedule"): {DOC, COO},
    ("POST", "api/care/therapy-sessions/<session_id>/record"): {NUR, DOC, COO},
    ("GET", "api/care/plans/<plan_id>/bookings"): {COO, MAN, ADM},
    ("POST", "api/care/plans/<plan_id>/interpreter"): {COO},
    ("POST", "api/care/plans/<plan_id>/transfers"): {COO},
    ("POST", "api/care/plans/<plan_id>/meals"): {COO},
    ("POST", "api/care/bookings/<booking_id>/cancel"): {COO},
    ("GET", "api/care/services/upcoming"): {COO, MAN, ADM},
    ("GET", "fhir/R4/metadata"): PUBLIC,
    ("GET", "fhir/R4/CodeSystem/<code_system_id>"): PUBLIC,
    ("GET", "fhir/R4/Patient/<patient_id>/$everything"): CLINICAL | {PAT},
    ("GET", "fhir/R4/$export"): {MAN, ADM},
    ("GET", "fhir/R4/$export-status/<export_id>"): {MAN, ADM},
    ("GET", "fhir/R4/$export-file/<export_id>/<resource_type>"): {MAN, ADM},
    ("GET", "fhir/R4/<resource_type>"): CLINICAL | {PAT},
    ("GET", "fhir/R4/<resource_type>/<resource_id>"): CLINICAL | {PAT},
    ("POST", "fhir/R4/"): {DOC, NUR, LAB},
    ("GET", "fhir/import/"): {DOC, NUR, LAB},
    ("GET", "privacy/patients/<int:pk>/export.zip"): {DOC, MAN, ADM, PAT},
    ("GET", "privacy/patients/<int:pk>/erase/"): {MAN, ADM},
    ("GET", "outbox/"): {COO, MAN, ADM},
    ("GET", "outbox/<int:pk>/"): {COO, MAN, ADM},
    ("POST", "outbox/patients/<int:patient_pk>/reminders/"): {ADV, COO, MAN, ADM, PAT},
    ("GET", "portal/questionnaires/"): {PAT},
    ("GET", "portal/questionnaires/<slug:code>/"): {PAT},
    ("GET", "portal/"): {PAT},
    ("GET", "portal/treatment/"): {PAT},
    ("GET", "portal/stay/"): {PAT},
    ("GET", "portal/documents/"): {PAT},
    ("GET", "portal/plans/<int:pk>/quote.pdf"): {PAT},
    ("GET", "portal/messages/"): {PAT},
    ("GET", "portal/reports/new/"): {PAT},
    ("GET", "portal/reports/<int:pk>/"): {ADV, DOC, NUR, COO, MAN, ADM, PAT},
    ("GET", "portal/inbox/"): {ADV, DOC, NUR, COO},
    ("GET", "portal/inbox/patients/<int:patient_pk>/"): {ADV, DOC, NUR, COO},
}


def _routes(patterns=None, prefix=""):
    """Yield every route below the root URLconf, leaving out Django's admin site."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route != "admin/":
                yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def test_every_url_pattern_has_an_access_decision():
    known = {route for _method, route in POLICY}
    assert sorted(set(_routes()) - known) == []
    assert sorted(known - set(_routes())) == []


@pytest.fixture
def world(site, catalog, doctor, lab_technician, quality_reviewer, nurse):
    patient = make_patient(site)
    request = ConsultationRequest.objects.create(
        site=site, full_name="Ana Test", email="ana@example.org", phone="+351 912 345 678",
        country="Portugal", language="Portuguese", condition=patient.condition,
        description="MS since 2015.", consent_health_data=True,
    )  # fmt: skip
    attachment = Attachment.objects.create(
        request=request, file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="r.pdf"),
        original_name="r.pdf", content_type="application/pdf", size=15, sha256="0" * 64,
    )  # fmt: skip
    consultation = Consultation.objects.create(
        request=request, advisor=doctor, booked_by=doctor, mode="phone", phone=request.phone,
        starts_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC), time_zone="UTC",
    )  # fmt: skip
    screening = make_screening(patient, doctor)
    plan = make_plan(patient, doctor)
    lot = make_lot(plan, lab_technician, reviewer=quality_reviewer)
    stay = make_stay(plan, nurse)
    donor = eligible_donor(site, lab_technician)
    item = FollowUpItem.objects.create(
        patient=patient, stay=stay, kind="checkup", title="3-month check-up",
        due_date=dt.date(2020, 1, 1),
    )  # fmt: skip
    therapy = PlannedTherapy.objects.create(plan=plan, therapy=Therapy.objects.first(), sessions=1)
    at_home = PlannedHomeCare.objects.create(
        plan=plan,
        medication="Vitamin D",
        route="oral",
        every_days=1,
        weeks=1,
        instructions="Daily.",
    )
    dose = HomeCareDose.objects.create(
        patient=patient, stay=stay, planned=at_home, what="Vitamin D", route="oral",
        instructions="Daily.", day=dt.date(2020, 1, 1), number=1, of=7,
    )  # fmt: skip
    session = TherapySession.objects.create(
        stay=stay, planned_therapy=therapy, scheduled_for=stay.admitted_at
    )
    booking = ServiceBooking.objects.create(plan=plan, kind="meals", diet="vegan", booked_by=doctor)
    tank = add_container(site, lab_technician, kind="ln2_tank", label="Tank", code="T1")
    alarm = record_reading(tank, lab_technician, celsius=-100, read_at=stay.admitted_at).alarm
    consent = record_storage_consent(
        patient, doctor, given_on=dt.date(2020, 1, 1), storage_until=dt.date(2040, 1, 1)
    )
    portal = User.objects.create_user(username="pat", password="x", role=Role.PATIENT, site=site)
    patient.portal_user = portal
    patient.save()
    by_route = {
        "intake/attachments/": attachment.pk, "intake/": request.pk,
        "intake/consultations/": consultation.pk, "screening/": screening.pk,
        "plans/": plan.pk, "lab/lots/": lot.pk, "stays/": stay.pk, "lab/donors/": donor.pk,
        "stays/lots/": lot.pk, "followup/items/": item.pk, "followup/appointments/": 0,
        "home-care/doses/": dose.pk,
        "patients/": patient.pk, "care/therapy/": session.pk, "care/bookings/": booking.pk,
        "cryostore/containers/": tank.pk, "cryostore/alarms/": alarm.pk,
        "cryostore/consents/": consent.pk, "privacy/patients/": patient.pk,
        "outbox/": 0, "portal/plans/": plan.pk, "portal/reports/": 0,
    }  # fmt: skip
    ids = {
        "request_id": request.pk, "patient_id": patient.pk, "screening_id": screening.pk,
        "plan_id": plan.pk, "lot_id": lot.pk, "stay_id": stay.pk, "item_id": item.pk,
        "patient_pk": patient.pk, "plan_pk": plan.pk, "stay_pk": stay.pk,
        "condition_code": patient.condition.code, "event_id": 0, "hold_id": 0,
        "investigation_pk": 0, "investigation_id": 0, "alert_pk": 0, "alert_id": 0,
        "session_id": session.pk, "booking_id": booking.pk, "donor_id": donor.pk,
        "container_id": tank.pk, "alarm_id": alarm.pk, "consent_id": consent.pk,
        "planned_pk": plan.products.get().pk, "planned_id": plan.products.get().pk,
        "code": "pain", "summary_pk": 0, "uidb64": "MQ", "token": "no-such-token",
        "code_system_id": "procedure", "resource_type": "Patient", "resource_id": patient.pk,
        "export_id": 0, "consultation_id": consultation.pk, "appointment_id": 0,
    }  # fmt: skip
    return {"by_route": by_route, "ids": ids, "portal": portal}


def _url(route: str, world) -> str:
    url = route
    for name, value in world["ids"].items():
        for converter in ("<int:", "<slug:", "<"):
            url = url.replace(f"{converter}{name}>", str(value))
    if "<int:pk>" in url:
        prefix = max((p for p in world["by_route"] if route.startswith(p)), key=len)
        url = url.replace("<int:pk>", str(world["by_route"][prefix]))
    assert "<" not in url, url
    return "/" + url


def _admitted(response) -> bool:
    if response.status_code in (401, 403):
        return False
    return not (response.status_code == 302 and "/login/" in response.get("Location", ""))


def _user_for(role, world, site):
    if role == Role.PATIENT:
        return world["portal"]
    return User.objects.create_user(
        username=f"matrix-{role}", password="x", role=role, site=None if role == ADM else site
    )


@pytest.mark.parametrize("role", Role.values)
def test_each_role_is_admitted_to_exactly_its_urls(role, world, site, client):
    sign_in(client, _user_for(role, world, site))
    wrong = []
    for (method, route), allowed in POLICY.items():
        if route == "logout/":
            continue  # signing out ends the session the rest of the walk needs
        response = getattr(client, method.lower())(_url(route, world))
        expected = allowed == PUBLIC or role in allowed
        if _admitted(response) != expected:
            wrong.append(f"{method} /{route}: {response.status_code}, expected admitted={expected}")
    assert wrong == []


def test_anonymous_visitors_reach_only_public_pages_and_are_sent_to_sign_in(world, client):
    wrong = []
    for (method, route), allowed in POLICY.items():
        if route == "logout/":
            continue  # see test_signing_out_ends_the_session
        response = getattr(client, method.lower())(_url(route, world))
        if allowed == PUBLIC:
            ok = response.status_code not in (401, 403) and "/login/" not in response.get(
                "Location", ""
            )
        elif route.startswith(("api/", "fhir/")) and route not in API_PAGES:
            ok = response.status_code == 401
        else:
            ok = response.status_code == 302 and response["Location"].startswith("/login/")
        if not ok:
            wrong.append(f"{method} /{route}: {response.status_code}")
    assert wrong == []


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMIN])
def test_only_administrators_open_the_django_admin(role, world, site, client):
    sign_in(client, _user_for(role, world, site))
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_an_administrator_opens_the_django_admin(admin_user, client):
    sign_in(client, admin_user)
    assert client.get("/admin/").status_code == 200


def test_signing_out_ends_the_session(doctor, client):
    sign_in(client, doctor)
    assert client.post("/logout/").status_code == 302
    assert client.get("/dashboard/")["Location"].startswith("/login/")
