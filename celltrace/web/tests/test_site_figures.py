"""The manager's figures of a site are computed by a task once per change, and served."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from celltrace.accounts.models import Role, User
from celltrace.followup.models import FollowUpItem
from celltrace.web import site_figures
from celltrace.web.models import SiteFigures
from testkit.journey import make_patient, make_plan, make_stay

DUMMY = "django.tasks.backends.dummy.DummyBackend"
TODAY = timezone.localdate()


@pytest.fixture
def computations(monkeypatch):
    """Count the site figures computed (the task calls site_figures.site_figures once)."""
    calls = []
    real = site_figures.site_figures

    def counted(reader):
        calls.append(reader.site_id)
        return real(reader)

    monkeypatch.setattr(site_figures, "site_figures", counted)
    return calls


@pytest.fixture
def other_manager(other_site):
    return User.objects.create_user(username="otto.manager", role=Role.MANAGER, site=other_site)


@pytest.fixture
def other_nurse(other_site):
    return User.objects.create_user(username="olga.nurse", role=Role.NURSE, site=other_site)


def _treated(doctor, nurse):
    """A patient of the doctor's site, admitted today."""
    return make_stay(make_plan(make_patient(doctor.site), doctor, admission=TODAY), nurse)


@pytest.fixture
def seen(
    client_for, manager, doctor, nurse, catalog, computations, django_capture_on_commit_callbacks
):
    """A patient on the ward (committed), and the manager's client that has seen the figures."""
    with django_capture_on_commit_callbacks(execute=True):
        stay = _treated(doctor, nurse)
    client = client_for(manager)
    _page(client)
    return stay, client


def _follow_up(stay, *, days: int, done: bool):
    return FollowUpItem.objects.create(
        patient=stay.patient, stay=stay, kind="home_care", title="Call",
        due_date=TODAY + dt.timedelta(days=days), completed_at=timezone.now() if done else None,
    )  # fmt: skip


def _completeness(page: str) -> list[str]:
    """The cells of the first site's row in the follow-up completeness table."""
    section = page.split("<h2>Follow-up completeness", 1)[1].split("<h2>", 1)[0]
    if "<tbody>" not in section:
        return []
    row = section.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    return [cell.split("</td>")[0] for cell in row.split("<td")[1:]]


def _page(client) -> str:
    response = client.get("/dashboard/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_dashboard_serves_the_sites_figures_without_computing_them_again(
    client_for, manager, site, doctor, nurse, catalog, computations
):
    _follow_up(_treated(doctor, nurse), days=-3, done=True)
    client = client_for(manager)
    first = _page(client)
    assert computations == [site.pk]
    with CaptureQueriesContext(connection) as served:
        again = _page(client)
    assert computations == [site.pk]  # served from the snapshot
    assert _completeness(again) == _completeness(first) == ['>Lisbon clinic', ' class="num">1',
                                                             ' class="num">1', ' class="num">0',
                                                             ' class="num">100.0%']  # fmt: skip
    assert "from the records as they are now" in again
    assert not any("followup_followupitem" in q["sql"] for q in served.captured_queries)


def test_a_change_to_the_records_refreshes_the_figures_after_its_commit(
    site, seen, computations, django_capture_on_commit_callbacks
):
    stay, client = seen
    with django_capture_on_commit_callbacks(execute=True):
        _follow_up(stay, days=-2, done=False)
        _follow_up(stay, days=-1, done=True)
    assert computations == [site.pk, site.pk]  # one refresh for two writes, at the commit
    snapshot = SiteFigures.objects.get(site=site)
    assert snapshot.data_stamp == site_figures.FIGURES.stamp()
    assert snapshot.figures["follow_up"] == [["Lisbon clinic", 2, 1, 1]]
    _page(client)
    assert len(computations) == 2  # current: served, not computed


def test_a_change_queues_one_refresh_and_the_old_figures_are_shown_labelled_meanwhile(
    site, seen, computations, task_queue, django_capture_on_commit_callbacks
):
    stay, client = seen
    backend = task_queue(DUMMY)
    with django_capture_on_commit_callbacks(execute=True):
        _follow_up(stay, days=-2, done=False)
    assert len(backend.results) == 1  # queued by the commit
    pages = [_page(client) for _ in range(3)]
    assert len(backend.results) == 1  # the views queue nothing more while it waits
    assert "from the records as of then; newer figures are being prepared" in pages[-1]
    assert "No follow-up due yet." in pages[-1]  # the last figures, labelled, not new ones
    assert computations == [site.pk]


def test_with_no_figures_yet_the_dashboard_says_they_are_being_computed(
    client_for, manager, site, catalog, computations, task_queue
):
    task_queue(DUMMY)
    page = _page(client_for(manager))
    assert page.count("being computed by the background worker") == 4  # each figure's section
    assert "No follow-up due yet." not in page and computations == []


def test_figures_that_age_with_the_clock_are_computed_again_after_an_hour(
    client_for, manager, site, catalog, computations, time_machine
):
    _page(client_for(manager))
    time_machine.move_to(timezone.now() + site_figures.FRESH_FOR + dt.timedelta(minutes=1))
    _page(client_for(manager))  # signed in again: the session has ended meanwhile
    assert computations == [site.pk, site.pk]


def test_a_manager_is_served_only_their_own_sites_figures(
    client_for, manager, other_manager, admin_user, site, other_site, catalog, doctor,
    other_site_doctor, nurse, other_nurse,
):  # fmt: skip
    _follow_up(_treated(doctor, nurse), days=-3, done=True)
    for days in (-4, -3, -2):
        _follow_up(_treated(other_site_doctor, other_nurse), days=days, done=False)

    ours = _page(client_for(manager))
    theirs = _page(client_for(other_manager))
    everything = _page(client_for(admin_user))

    assert "Nicosia" not in ours and "Omar" not in ours
    assert "Lisbon" not in theirs and "Dan Doctor" not in theirs
    due, completed, overdue = _completeness(theirs)[1:4]
    assert (due, completed) == (' class="num">3', ' class="num">0')
    assert overdue == ' class="num"><span class="badge bad">3</span>'
    assert "Lisbon" in everything and "Nicosia" in everything
    assert sorted(SiteFigures.objects.values_list("site_id", flat=True), key=str) == sorted(
        [None, site.pk, other_site.pk], key=str
    )


def test_the_lists_of_work_to_do_now_stay_live(
    client_for, nurse, site, doctor, catalog, computations
):
    page = _page(client_for(nurse))
    assert "Doses due today" in page and "Computed at" not in page
    assert computations == []  # a nurse's day is read from the records, never a snapshot
