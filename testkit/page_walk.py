"""Walking every page of celltrace and counting each one's database queries.

The walk enumerates every GET route Django knows (the role matrix's access policy says who
may open it), fills its parameters from a clinic built by testkit.clinic_of_size, requests it
as a user of a role admitted, and counts the queries of the request. query_counts_at_two_sizes
does that at a size and again after the clinic grew: used by
celltrace/web/tests/test_query_bounds.py (the counts must not grow) and printed by
benchmarks/query_counts.py.
"""

from dataclasses import dataclass, field

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from celltrace.accounts.models import Role
from celltrace.fhir import bulk, records
from celltrace.outcomes.actions import publish_patient_summary
from celltrace.patients.models import Patient
from celltrace.web.tests.test_role_matrix import POLICY, PUBLIC, _routes
from testkit.clinic_of_size import deepen_record, grow_clinic
from testkit.signin import sign_in

SIZE = 2
GROWTH = 10

NOT_REQUESTED = {
    "api/": "django-ninja's root: no page (404), the API's pages are api/docs and its schema",
    "fhir/R4/$export": "starts a bulk export of the whole site: a background task that reads "
    "every record by design (run at once inside the request in tests)",
}

# Who requests each page: the first role of this order the access policy admits. Pages whose
# content depends on the role are requested by every role admitted (ROLE_PAGES).
ROLE_ORDER = (
    Role.DOCTOR, Role.MANAGER, Role.COORDINATOR, Role.NURSE, Role.LAB_TECHNICIAN,
    Role.QUALITY_REVIEWER, Role.ADVISOR, Role.ADMIN, Role.PATIENT,
)  # fmt: skip
ROLE_PAGES = {"dashboard/", "patients/<int:pk>/"}

# Query strings of pages that read one (e.g. a search by patient, a scanned code).
QUERIES = {
    "fhir/R4/<resource_type>": "?patient={patient}",
    "api/lab/lots/scan": "?code={lot_code}",
    "api/stays/administrations/preview": "?patient_code={patient_code}&lot_code={lot_code}",
    "cryostore/scan/": "?code={lot_code}",
}
# The FHIR search and read routes, per resource type the clinic serves.
FHIR_TYPES = ("Patient", "Condition", "Encounter", "Observation", "Procedure")


def _fhir_ids(patient) -> dict[str, str]:
    """The id of the patient's first resource of each type the walk reads."""
    resources = records.patient_resources(Patient.objects.filter(pk=patient.pk), FHIR_TYPES)
    ids = {}
    for resource in resources:
        ids.setdefault(resource["resourceType"], resource["id"])
    return ids


def _ids(journey, export) -> dict[str, object]:
    """The value of each URL parameter: the first patient's records."""
    j = journey
    return {
        "request_id": j.request.pk, "patient_id": j.patient.pk, "screening_id": j.screening.pk,
        "plan_id": j.plan.pk, "lot_id": j.lot.pk, "stay_id": j.stay.pk, "item_id": j.item.pk,
        "patient_pk": j.patient.pk, "plan_pk": j.plan.pk, "stay_pk": j.stay.pk,
        "condition_code": j.patient.condition.code, "donor_id": j.donor.pk,
        "container_id": j.tank.pk, "consultation_id": j.consultation.pk,
        "code": "eq5d5l", "uidb64": "MQ", "token": "no-such-token",
        "code_system_id": "procedure", "export_id": export.pk,
    }  # fmt: skip


def _pk_by_route(journey) -> dict[str, int]:
    """The record a `<int:pk>` route shows, by the route's start (longest start wins)."""
    j = journey
    return {
        "intake/attachments/": j.attachment.pk, "intake/": j.request.pk,
        "intake/consultations/": j.consultation.pk, "screening/": j.screening.pk,
        "plans/": j.plan.pk, "lab/lots/": j.lot.pk, "stays/": j.stay.pk,
        "lab/donors/": j.donor.pk, "stays/lots/": j.lot.pk, "followup/items/": j.item.pk,
        "patients/": j.patient.pk, "care/therapy/": j.session.pk,
        "care/bookings/": j.booking.pk, "cryostore/containers/": j.tank.pk,
        "privacy/patients/": j.patient.pk, "outbox/": j.message.pk,
        "portal/plans/": j.plan.pk, "portal/reports/": j.report.pk,
    }  # fmt: skip


def _url(route, journey, export, fhir_ids, resource_type=None) -> str:
    resource_type = resource_type or "Patient"
    ids = _ids(journey, export) | {
        "resource_type": resource_type,
        "resource_id": fhir_ids.get(resource_type, ""),
    }
    url = route
    for name, value in ids.items():
        for converter in ("<int:", "<slug:", "<"):
            url = url.replace(f"{converter}{name}>", str(value))
    if "<int:pk>" in url:
        by_route = _pk_by_route(journey)
        start = max((p for p in by_route if route.startswith(p)), key=len)
        url = url.replace("<int:pk>", str(by_route[start]))
    assert "<" not in url, f"no value for a parameter of {route}"
    query = QUERIES.get(route, "").format(
        patient=journey.patient.pk, lot_code=journey.lot.code, patient_code=journey.patient.code
    )
    return "/" + url + query


def _roles(route: str) -> list:
    allowed = POLICY[("GET", route)]
    if allowed == PUBLIC:
        return [None]
    admitted = [role for role in ROLE_ORDER if role in allowed]
    return admitted if route in ROLE_PAGES else admitted[:1]


@dataclass(frozen=True)
class Page:
    route: str
    label: str  # the route, the resource type of a FHIR route, and who asks
    role: str | None  # None: a visitor, signed out
    url: str


@dataclass
class Counted:
    """A page's queries at the two sizes (their SQL too, to read what grew)."""

    page: Page
    small: int = 0
    large: int = 0
    sql: dict = field(default_factory=dict)  # "small"/"large" -> [SQL]


def walked_routes() -> list[str]:
    """Every GET route of the URLconf the walk requests: all but NOT_REQUESTED."""
    routes = dict.fromkeys(_routes())
    return [r for r in routes if ("GET", r) in POLICY and r not in NOT_REQUESTED]


def _pages(journey, export) -> list[Page]:
    """Every GET page and API read, with who asks for it and its URL."""
    fhir_ids = _fhir_ids(journey.patient)
    pages = []
    for route in walked_routes():
        types = FHIR_TYPES if "<resource_type>" in route and "export" not in route else [None]
        for role in _roles(route):
            for resource_type in types:
                label = f"GET /{route}" + (f" [{resource_type}]" if resource_type else "")
                label += f" as {role}" if role else " as a visitor"
                url = _url(route, journey, export, fhir_ids, resource_type)
                pages.append(Page(route, label, role, url))
    return pages


def _count(counted: list[Counted], clients, size: str) -> list[str]:
    """Count each page's queries (its second request: the first fills the caches).

    Return the pages that failed (4xx, 5xx).
    """
    failed = []
    for row in counted:
        client = clients[row.page.role]
        # The clock stands still for the page: a session notes a visit once a minute (its
        # idle limit), three queries that would fall on a page at random.
        with time_machine.travel(timezone.now(), tick=False):
            client.get(row.page.url)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(row.page.url)
        if response.status_code >= 400:
            failed.append(f"{row.page.label}: {row.page.url} answered {response.status_code}")
        setattr(row, size, len(queries))
        row.sql[size] = [query["sql"] for query in queries.captured_queries]
    return failed


def query_counts_at_two_sizes(site, staff, admin_user, *, size=SIZE, growth=GROWTH):
    """Count every page's queries at `size` patients and at `size` x `growth`.

    At the larger size the first patient, whose records the pages of one record show, also
    has `growth` times as many of each repeating record (testkit.clinic_of_size). Return the
    counts and the pages that failed.
    """
    journeys = grow_clinic(site, staff, patients=size)
    condition = journeys[0].patient.condition
    publish_patient_summary(condition, staff.manager, cutoff=timezone.localdate())
    export = bulk.start_export(staff.manager, since=None, request_url="http://testserver/")
    users = {
        Role.ADVISOR: staff.advisor, Role.DOCTOR: staff.doctor, Role.NURSE: staff.nurse,
        Role.LAB_TECHNICIAN: staff.lab_technician, Role.QUALITY_REVIEWER: staff.quality_reviewer,
        Role.COORDINATOR: staff.coordinator, Role.MANAGER: staff.manager, Role.ADMIN: admin_user,
        Role.PATIENT: journeys[0].portal_user,
    }  # fmt: skip
    clients = {
        role: sign_in(Client(raise_request_exception=False), user) for role, user in users.items()
    } | {None: Client(raise_request_exception=False)}
    counted = [Counted(page) for page in _pages(journeys[0], export)]
    failed = _count(counted, clients, "small")
    grow_clinic(site, staff, patients=size * (growth - 1))
    deepen_record(journeys[0], staff, times=growth - 1)
    failed += _count(counted, clients, "large")
    return counted, sorted(set(failed))
