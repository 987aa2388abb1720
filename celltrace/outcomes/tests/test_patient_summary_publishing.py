"""Publishing the patient summary: the action, the staff button, the public page, the portal."""

import datetime as dt
import html
import re

import pytest

from celltrace.accounts.models import Role, User
from celltrace.catalog.models import Condition
from celltrace.clinical.registry.patient_summary import (
    PLAIN_EVENTS,
    PLAIN_MEASURES,
    patient_summary,
)
from celltrace.outcomes import actions, reports
from celltrace.outcomes.models import PublishedSummary, SummaryLocked, SummaryWithdrawal
from celltrace.outcomes.tests.reporting import treat
from celltrace.refusal import NotAllowed, Refused

CUTOFF = dt.date(2026, 11, 1)


def ms():
    return Condition.objects.get(code="ms")


def every_site_report(code="ms", cutoff=CUTOFF) -> dict:
    question = reports.ask(code, cutoff=cutoff.isoformat(), product=None, route=None,
                           today=cutoff)  # fmt: skip
    return reports.make_report(question, None).data


def article(page: str) -> str:
    """The published text as the page shows it, tags dropped."""
    body = page.split('<article id="patient-summary">')[1].split("</article>")[0]
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def test_a_manager_publishes_the_summary_written_from_every_sites_report(cohort, manager):
    summary = actions.publish_patient_summary(ms(), manager, cutoff=CUTOFF)
    report = every_site_report()
    assert report["flow"]["treated"] == 5  # four at the manager's site and one at Nicosia
    written = patient_summary(report)
    assert (summary.title, tuple(summary.paragraphs)) == (written.title, written.paragraphs)
    assert summary.numbers["treated"] == 5 and summary.numbers["safety"]["treated"] == 5
    assert summary.numbers["safety"]["patients_with_event"] == 3
    assert (summary.plan_version, summary.plan_sha256) == (
        report["analysis_plan"]["version"], report["analysis_plan"]["sha256"],
    )  # fmt: skip
    assert (summary.cutoff, summary.published_by, summary.synthetic) == (CUTOFF, manager, False)
    assert summary.history.count() == 1


def test_a_publication_is_never_changed_or_deleted(cohort, manager):
    summary = actions.publish_patient_summary(ms(), manager, cutoff=CUTOFF)
    summary.title = "Better results"
    with pytest.raises(SummaryLocked):
        summary.save()
    with pytest.raises(SummaryLocked):
        summary.delete()


def test_nothing_is_published_when_nobody_was_treated(catalog, manager):
    with pytest.raises(Refused) as refused:
        actions.publish_patient_summary(ms(), manager, cutoff=CUTOFF)
    assert refused.value.code == "nothing_to_publish"
    assert not PublishedSummary.objects.exists()


@pytest.mark.parametrize("role", ["doctor", "coordinator"])
def test_only_management_publishes_or_withdraws(cohort, manager, role, request):
    user = request.getfixturevalue(role)
    with pytest.raises(NotAllowed):
        actions.publish_patient_summary(ms(), user, cutoff=CUTOFF)
    summary = actions.publish_patient_summary(ms(), manager, cutoff=CUTOFF)
    with pytest.raises(NotAllowed):
        actions.withdraw_patient_summary(summary, user, reason="Wrong")
    assert PublishedSummary.objects.count() == 1 and not SummaryWithdrawal.objects.exists()


def test_the_report_page_publishes_and_shows_what_is_public(cohort, manager, client_for):
    client = client_for(manager)
    page = client.get(f"/outcomes/ms/?cutoff={CUTOFF}").content.decode()
    assert "Publish the patient summary" in page and "Nothing published" in page
    response = client.post("/outcomes/ms/patient-summary/", {"cutoff": CUTOFF.isoformat()})
    assert response.status_code == 302
    summary = PublishedSummary.objects.get()
    assert summary.cutoff == CUTOFF and summary.numbers["treated"] == 5
    page = client.get(response["Location"]).content.decode()
    assert 'class="badge ok">public' in page and "/results/ms/" in page
    assert "Withdraw the patient summary" in page
    assert html.escape(summary.paragraphs[0]) in page


def test_the_button_refuses_a_future_cutoff_and_stores_nothing(cohort, manager, client_for):
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    response = client_for(manager).post("/outcomes/ms/patient-summary/", {"cutoff": tomorrow})
    assert response.status_code == 422 and "in the future" in response.content.decode()
    response = client_for(manager).post("/outcomes/ms/patient-summary/", {"cutoff": "soon"})
    assert response.status_code == 422
    assert not PublishedSummary.objects.exists()


def test_a_doctor_sees_what_is_published_but_not_the_buttons(cohort, doctor, manager, client_for):
    summary = actions.publish_patient_summary(ms(), manager, cutoff=CUTOFF)
    client = client_for(doctor)
    page = client.get("/outcomes/ms/").content.decode()
    assert "Publish the patient summary" not in page
    assert "Withdraw the patient summary" not in page
    assert html.escape(summary.title) in page
    assert client.post("/outcomes/ms/patient-summary/").status_code == 403
    withdraw = f"/outcomes/patient-summaries/{summary.pk}/withdraw/"
    assert client.post(withdraw, {"reason": "x"}).status_code == 403
    assert PublishedSummary.objects.count() == 1 and not SummaryWithdrawal.objects.exists()


def test_the_public_page_shows_exactly_the_published_text(cohort, manager, client):
    summary = actions.publish_patient_summary(ms(), manager, cutoff=CUTOFF)
    response = client.get("/results/ms/")
    page = response.content.decode()
    assert response.status_code == 200
    shown = " ".join(article(page).split())
    assert shown == " ".join(f"{summary.title} {' '.join(summary.paragraphs)}".split())
    assert "do not predict any one patient's result" in shown
    assert "no comparison group" in shown and "Side effects" in shown
    assert summary.plan_sha256 in page and "1 November 2026" in page
    assert 'href="/intake/request/"' in page and "SYNTHETIC" not in page
    assert "significant" not in page.lower()
    for patient in cohort.__dict__.values():
        patient = getattr(patient, "patient", patient)
        assert patient.full_name not in page and patient.code not in page
    assert not re.search(r"\bP\d{3}\b", page)  # no pseudonym of the report's listings
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    index = client.get("/results/").content.decode()
    assert 'href="/results/ms/"' in index


def _numbers_in(value) -> set[str]:
    """Every number the report holds, written as the summary may write it."""
    if isinstance(value, str):  # a time point's name ("24 months"), never a date or hash
        plain = not re.fullmatch(r"\d{4}-\d{2}-\d{2}|[0-9a-f]{64}", value)
        return set(re.findall(r"\d+(?:\.\d+)?", value)) if plain else set()
    if isinstance(value, bool) or value is None:
        return set()
    if isinstance(value, int):
        return {str(value)}
    if isinstance(value, float):
        return {f"{abs(value):.1f}", f"{100 * value:.1f}".removesuffix(".0"), f"{value:g}"}
    items = value.values() if isinstance(value, dict) else value
    found = {str(len(value))}  # a list's length: e.g. how many died
    for item in items:
        found |= _numbers_in(item)
    return found


def test_the_public_page_quotes_no_number_absent_from_the_report(cohort, manager, client):
    actions.publish_patient_summary(ms(), manager, cutoff=CUTOFF)
    report = every_site_report()
    fixed_words = " ".join([*PLAIN_MEASURES.values(), *PLAIN_EVENTS.values()])
    allowed = (
        _numbers_in(report)
        | set(re.findall(r"\d+(?:\.\d+)?", fixed_words))
        | {"100", str(CUTOFF.day), str(CUTOFF.year)}  # "out of every 100"; the cut-off date
    )
    quoted = set(re.findall(r"\d+(?:\.\d+)?", article(client.get("/results/ms/").content.decode())))
    assert quoted and quoted <= allowed, quoted - allowed
    assert "5" in quoted  # five treated over both sites, not the manager's four


def test_a_synthetic_summary_says_so_on_the_public_page(
    catalog, site, doctor, nurse, lab_technician, manager, client
):
    treat(site, doctor, nurse, lab_technician, synthetic=True)
    actions.publish_patient_summary(ms(), manager, cutoff=CUTOFF)
    page = client.get("/results/ms/").content.decode()
    assert "<strong>SYNTHETIC</strong>" in page and "made-up demonstration" in page
    assert "SYNTHETIC" in client.get("/results/").content.decode()


def test_a_withdrawn_summary_disappears_and_the_superseded_one_stays_away(
    cohort, manager, client_for, client
):
    older = actions.publish_patient_summary(ms(), manager, cutoff=dt.date(2026, 6, 1))
    newer = actions.publish_patient_summary(ms(), manager, cutoff=CUTOFF)
    page = client.get("/results/ms/").content.decode()
    assert "1 November 2026" in page and html.escape(newer.paragraphs[0]) in page
    staff = client_for(manager)
    url = f"/outcomes/patient-summaries/{newer.pk}/withdraw/"
    assert staff.post(url, {"reason": "  "}).status_code == 422  # a reason is required
    assert not SummaryWithdrawal.objects.exists()
    assert staff.post(url, {"reason": "A dose was entered twice."}).status_code == 302
    assert staff.post(url, {"reason": "Again"}).status_code == 422
    client.logout()
    assert client.get("/results/ms/").status_code == 404
    assert "/results/ms/" not in client.get("/results/").content.decode()
    assert older.pk != newer.pk and SummaryWithdrawal.objects.get().summary == newer


def test_the_public_page_is_404_when_nothing_is_published(catalog, client):
    assert client.get("/results/ms/").status_code == 404
    assert client.get("/results/no-such-condition/").status_code == 404


@pytest.fixture
def portal_patient(cohort, site):
    user = User.objects.create_user(username="pia", password="x", role=Role.PATIENT, site=site)
    cohort.p1.patient.portal_user = user
    cohort.p1.patient.save()
    return cohort.p1.patient


def test_the_portal_shows_the_patient_the_summary_of_their_own_condition_only(
    portal_patient, cohort, site, doctor, nurse, lab_technician, manager, client_for
):
    treat(site, doctor, nurse, lab_technician, condition="sci")
    mine = actions.publish_patient_summary(ms(), manager, cutoff=CUTOFF)
    theirs = actions.publish_patient_summary(
        Condition.objects.get(code="sci"), manager, cutoff=CUTOFF
    )
    client = client_for(portal_patient.portal_user)
    home = client.get("/portal/documents/").content.decode()  # "My documents"
    url = f"/outcomes/patients/{portal_patient.pk}/results/"
    assert "Results of this treatment" in home and f'href="{url}"' in home
    response = client.get(url)
    page = response.content.decode()
    assert html.escape(mine.paragraphs[0]) in page and html.escape(mine.title) in page
    assert html.escape(theirs.title) not in page
    assert "no-store" in response["Cache-Control"]
    other = cohort.p2.patient
    assert other.full_name not in page
    assert client.get(f"/outcomes/patients/{other.pk}/results/").status_code == 404


def test_the_portal_says_when_nothing_is_published(portal_patient, client_for):
    client = client_for(portal_patient.portal_user)
    page = client.get(f"/outcomes/patients/{portal_patient.pk}/results/").content.decode()
    assert "No summary of results has been published" in page
