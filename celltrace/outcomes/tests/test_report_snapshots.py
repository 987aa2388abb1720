"""The report is computed once per change of the records, by a task, and served from then on."""

import datetime as dt
import os

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from celltrace.deployment.serving import WORKER_NICENESS
from celltrace.outcomes import reports, snapshots
from celltrace.outcomes.models import ReportSnapshot
from celltrace.outcomes.tests.reporting import measure, treat
from celltrace.snapshots import SETTLE_FOR

DUMMY = "django.tasks.backends.dummy.DummyBackend"
DATABASE = "django_tasks_db.DatabaseBackend"


@pytest.fixture
def computations(monkeypatch):
    """Count the reports computed (reports.make_report calls build_report once each)."""
    calls = []
    real = reports.build_report

    def counted(inputs, plan):
        calls.append(inputs)
        return real(inputs, plan)

    monkeypatch.setattr(reports, "build_report", counted)
    return calls


@pytest.fixture
def lisbon_patient(catalog, site, doctor, nurse, lab_technician):
    return treat(site, doctor, nurse, lab_technician)


def test_a_snapshot_is_served_without_computing_the_report_again(
    client_for, manager, lisbon_patient, computations
):
    client = client_for(manager)
    first = client.get("/outcomes/ms/")
    assert first.status_code == 200 and len(computations) == 1
    for url in ("/outcomes/ms/", "/outcomes/ms/report.json", "/outcomes/ms/report.csv",
                "/outcomes/ms/report.pdf", "/api/outcomes/reports/ms?format=json"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
    assert len(computations) == 1
    page = client.get("/outcomes/ms/").content.decode()
    assert "a newer report is being prepared" not in page
    assert "from the records as they are now" in page  # with the time it was computed
    assert client.get("/outcomes/ms/report.json")["X-Report-Status"] == "current"


def test_after_a_change_the_last_snapshot_is_shown_labelled_and_one_refresh_is_queued(
    client_for, manager, doctor, lisbon_patient, computations, task_queue
):
    client = client_for(manager)
    client.get("/outcomes/ms/")
    measure(lisbon_patient, doctor, "edss", 4.0, on=dt.date(2026, 1, 9))
    backend = task_queue(DUMMY)
    pages = [client.get("/outcomes/ms/") for _ in range(3)]
    assert {page.status_code for page in pages} == {200}
    text = pages[-1].content.decode()
    assert "from the records as of then; a newer report is being prepared" in text
    assert "<h2>Patient flow" in text  # the last report, still shown
    assert client.get("/outcomes/ms/report.json")["X-Report-Status"] == "stale"
    assert len(backend.results) == 1  # one refresh for the key, however many views
    assert len(computations) == 1


def test_records_changing_every_few_seconds_cost_one_computation_when_the_last_has_settled(
    client_for, manager, doctor, lisbon_patient, computations, task_queue
):
    client = client_for(manager)
    client.get("/outcomes/ms/")
    computed_at = ReportSnapshot.objects.get().computed_at
    backend = task_queue(DUMMY)
    measure(lisbon_patient, doctor, "edss", 4.0, on=dt.date(2026, 1, 9))
    client.get("/outcomes/ms/")
    measure(lisbon_patient, doctor, "edss", 4.5, on=dt.date(2026, 2, 9))
    client.get("/outcomes/ms/")
    [queued] = backend.results  # one, however many changes meanwhile
    assert queued.task.run_after == computed_at + SETTLE_FOR
    assert client.get("/outcomes/ms/report.json")["X-Report-Status"] == "stale"


def test_a_refresh_of_a_snapshot_computed_long_ago_runs_at_once(
    client_for, manager, doctor, lisbon_patient, computations, task_queue, time_machine
):
    client = client_for(manager)
    client.get("/outcomes/ms/")
    time_machine.move_to(timezone.now() + SETTLE_FOR + dt.timedelta(seconds=1))
    backend = task_queue(DUMMY)
    measure(lisbon_patient, doctor, "edss", 4.0, on=dt.date(2026, 1, 9))
    client_for(manager).get("/outcomes/ms/")
    [queued] = backend.results
    assert queued.task.run_after is None


def test_a_new_measurement_refreshes_todays_snapshot_after_its_commit(
    client_for, manager, catalog, site, doctor, nurse, lab_technician, computations,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        patient = treat(site, doctor, nurse, lab_technician)  # no snapshot yet: none refreshed
    assert computations == []
    client = client_for(manager)
    client.get("/outcomes/ms/?cutoff=2026-06-30")  # a past cut-off: refreshed when asked for
    client.get("/outcomes/ms/")
    assert len(computations) == 2
    with django_capture_on_commit_callbacks(execute=True):
        measure(patient, doctor, "edss", 4.0, on=dt.date(2026, 1, 9))
        measure(patient, doctor, "edss", 4.5, on=dt.date(2026, 4, 10))
    assert len(computations) == 3  # one refresh for two writes, today's snapshot only
    today = ReportSnapshot.objects.get(cutoff=timezone.localdate())
    assert today.data_stamp == snapshots.data_stamp()
    assert "edss" in today.csv
    client.get("/outcomes/ms/")
    assert len(computations) == 3  # served, not computed


def test_a_user_is_served_only_the_snapshot_of_their_own_site(
    client_for, manager, admin_user, other_site, other_site_doctor, lisbon_patient
):
    treat(other_site, other_site_doctor, other_site_doctor, other_site_doctor)
    everything = client_for(admin_user).get("/outcomes/ms/report.json").json()
    assert everything["flow"]["treated"] == 2
    ours = client_for(manager).get("/outcomes/ms/report.json").json()
    assert ours["flow"]["treated"] == 1 and "Nicosia" not in ours["data_source"]
    theirs = client_for(other_site_doctor).get("/api/outcomes/reports/ms").json()
    assert theirs["flow"]["treated"] == 1 and "Lisbon" not in theirs["data_source"]
    assert sorted(ReportSnapshot.objects.values_list("site_id", flat=True), key=str) == sorted(
        [None, manager.site_id, other_site.pk], key=str
    )


def test_while_the_first_report_is_prepared_every_door_answers_202(
    client_for, manager, lisbon_patient, computations, task_queue
):
    task_queue(DUMMY)
    client = client_for(manager)
    page = client.get("/outcomes/ms/?cutoff=2026-06-30")
    text = page.content.decode()
    assert page.status_code == 202
    assert 'hx-get="/outcomes/ms/?cutoff=2026-06-30"' in text and 'hx-trigger="every 3s"' in text
    assert "The report is being prepared" in text and "<script" not in text.split("</head>")[1]
    api = client.get("/api/outcomes/reports/ms?cutoff=2026-06-30")
    assert api.status_code == 202 and api.json() == {"status": "preparing"}
    assert int(api["Retry-After"]) > 0
    download = client.get("/outcomes/ms/report.pdf?cutoff=2026-06-30")
    assert download.status_code == 202 and download["Retry-After"]
    assert computations == []


def test_the_openapi_schema_documents_the_202(client_for, manager, catalog):
    schema = client_for(manager).get("/api/openapi.json").json()
    answers = schema["paths"]["/api/outcomes/reports/{condition_code}"]["get"]["responses"]
    assert "Retry-After" in answers["202"]["headers"]


# The worker closes its database connection when its batch ends, as a worker process should;
# inside a test's transaction that would end the test's connection too, so this test commits.
@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_queued_refresh_from_the_database_queue(
    client_for, manager, lisbon_patient, computations, task_queue
):
    from django_tasks_db.models import DBTaskResult

    task_queue(DATABASE)
    client = client_for(manager)
    assert client.get("/api/outcomes/reports/ms").status_code == 202
    assert client.get("/api/outcomes/reports/ms").status_code == 202
    assert DBTaskResult.objects.count() == 1  # queued once
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    answer = client.get("/api/outcomes/reports/ms")
    assert answer.status_code == 200 and answer.json()["flow"]["treated"] == 1
    assert len(computations) == 1


def _queries_to_serve(client) -> int:
    client.get("/outcomes/ms/")  # computes the snapshot
    counts = []
    for url in ("/outcomes/ms/", "/outcomes/ms/report.json", "/api/outcomes/reports/ms"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    return counts


def test_serving_costs_the_same_queries_for_one_patient_and_for_six(
    client_for, manager, catalog, site, doctor, nurse, lab_technician
):
    treat(site, doctor, nurse, lab_technician)
    one = _queries_to_serve(client_for(manager))
    for _ in range(5):
        treat(site, doctor, nurse, lab_technician)
    ReportSnapshot.objects.all().delete()
    six = _queries_to_serve(client_for(manager))
    assert one == six and max(six) <= 14  # the second factor is one; PostgreSQL one more


def test_celltrace_worker_runs_the_database_queues_worker(monkeypatch):
    from django.core import management

    from celltrace import cli

    ran, niced = [], []
    monkeypatch.setattr(management, "call_command", lambda *args: ran.append(args))
    monkeypatch.setattr(os, "nice", niced.append)
    assert cli.main(["worker", "--interval", "2"]) == 0
    assert ran == [("db_worker", "--no-reload", "--interval=2.0")]
    # Below the server's priority: its tasks wait, the pages do not (docs/deployment.md).
    assert niced == [WORKER_NICENESS]
