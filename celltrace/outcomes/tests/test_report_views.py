import csv
import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from celltrace.clinical.registry.plan import canonical_json
from celltrace.outcomes import report_pdf
from celltrace.outcomes.models import AnalysisPlan
from celltrace.outcomes.tests.reporting import treat

PLAN_FILE = Path(__file__).resolve().parents[1] / "analysis_plans" / "v2.json"  # the latest
SECTIONS = (
    "Patient flow", "Time points and completeness", "Baseline", "Change from baseline",
    "Responders", "Time to event", "Benchmarks", "Safety", "Subgroups", "Limitations",
)  # fmt: skip
DESIGN = "Uncontrolled treatment registry (case series), not a controlled trial"


@pytest.fixture
def two_sites(catalog, site, other_site, doctor, nurse, lab_technician, other_site_doctor):
    """One treated MS patient at each site."""
    ours = treat(site, doctor, nurse, lab_technician)
    theirs = treat(other_site, other_site_doctor, other_site_doctor, other_site_doctor)
    return ours, theirs


def test_the_page_shows_every_section_the_design_and_the_plans_hash(client_for, manager, two_sites):
    page = client_for(manager).get("/outcomes/ms/").content.decode()
    for heading in SECTIONS:
        assert f"<h2>{heading}" in page, heading
    assert DESIGN in page and "Data source" in page and "Data cut-off" in page
    sha = hashlib.sha256(canonical_json(json.loads(PLAN_FILE.read_text("utf-8")))).hexdigest()
    assert f'version 2, locked; sha256 <code class="plan-hash">{sha}</code>' in page
    assert f'value="{timezone.localdate().isoformat()}"' in page  # the cut-off: today
    assert "n &lt; 10: counts only" in page  # a report of one patient: counts, no percentages
    assert "<strong>SYNTHETIC</strong>" not in page


def test_a_report_of_synthetic_patients_says_so(
    client_for, manager, catalog, site, doctor, nurse, lab_technician
):
    treat(site, doctor, nurse, lab_technician, synthetic=True)
    page = client_for(manager).get("/outcomes/ms/").content.decode()
    assert "<strong>SYNTHETIC</strong>" in page
    assert client_for(manager).get("/outcomes/ms/report.json").json()["synthetic"] is True


def test_every_download_holds_only_the_users_site(client_for, manager, two_sites, monkeypatch):
    given = []
    monkeypatch.setattr(
        report_pdf, "report_pdf", lambda report, rows, drawn: given.append(report) or b"%PDF"
    )
    client = client_for(manager)
    data = client.get("/outcomes/ms/report.json").json()
    assert data["flow"]["treated"] == 1
    assert "Nicosia" not in data["data_source"] and "Lisbon" in data["data_source"]
    rows = list(csv.DictReader(io.StringIO(client.get("/outcomes/ms/report.csv").content.decode())))
    assert {row["patient"] for row in rows} == {"P001"}
    api = client.get("/api/outcomes/reports/ms?format=json").json()
    assert api["flow"]["treated"] == 1
    assert client.get("/outcomes/ms/report.pdf").content == b"%PDF"
    assert client.get("/api/outcomes/reports/ms?format=pdf").content == b"%PDF"
    assert [report["flow"]["treated"] for report in given] == [1]  # computed once, for the site


def test_an_administrator_reports_on_every_site(client_for, admin_user, two_sites):
    data = client_for(admin_user).get("/outcomes/ms/report.json").json()
    assert data["flow"]["treated"] == 2 and "Nicosia" in data["data_source"]


def test_the_files_are_attachments_named_by_condition_and_cutoff_never_cached(
    client_for, manager, two_sites
):
    client = client_for(manager)
    for fmt, kind in (
        ("json", "application/json"),
        ("csv", "text/csv"),
        ("pdf", "application/pdf"),
    ):
        response = client.get(f"/outcomes/ms/report.{fmt}?cutoff=2026-06-30")
        assert response["Content-Type"].startswith(kind)
        assert (
            response["Content-Disposition"] == f'attachment; filename="report-ms-2026-06-30.{fmt}"'
        )
        assert response["Cache-Control"] == "no-store"
    pdf = client.get("/api/outcomes/reports/ms?format=pdf&cutoff=2026-06-30").content
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 1
    header = client.get("/outcomes/ms/report.csv").content.decode().splitlines()[0]
    assert header == (
        "patient,instrument,timepoint,baseline,value,status,day,"
        "lower_is_better,verdict,verdict_reason,improvement_needed,worsening_needed"
    )


def test_the_cutoff_and_the_product_choose_the_patients(
    client_for, manager, catalog, site, doctor, nurse, lab_technician
):
    treat(site, doctor, nurse, lab_technician, product="msc-uc-allo")
    later = dt.datetime(2026, 7, 1, 9, tzinfo=dt.UTC)
    treat(site, doctor, nurse, lab_technician, product="msc-bm-allo", given_at=later)
    client = client_for(manager)

    def report(query):
        return client.get(f"/api/outcomes/reports/ms?{query}").json()

    before = report("cutoff=2026-06-30")
    assert (before["cutoff"], before["flow"]["treated"]) == ("2026-06-30", 1)
    assert report("cutoff=2026-07-01")["flow"]["treated"] == 2
    by_product = report("product=msc-bm-allo")
    assert by_product["filters"] == {"product": "msc-bm-allo", "route": None}
    assert by_product["flow"]["treated"] == 1
    page = client.get("/outcomes/ms/?product=msc-bm-allo&cutoff=2026-06-30").content.decode()
    assert 'report.csv?product=msc-bm-allo&amp;cutoff=2026-06-30"' in page


def test_the_page_itself_is_never_cached(client_for, manager, two_sites):
    client = client_for(manager)
    for query in ("", "?cutoff=2999-01-01"):  # the report, and a refused question
        response = client.get(f"/outcomes/ms/{query}")
        assert "no-store" in response["Cache-Control"], query


def test_a_product_report_labels_the_flow_before_treatment_as_the_whole_conditions(
    client_for, manager, catalog, site, doctor, nurse, lab_technician
):
    treat(site, doctor, nurse, lab_technician, product="msc-uc-allo")
    treat(site, doctor, nurse, lab_technician, product="msc-bm-allo", route="intrathecal")
    client = client_for(manager)

    flow = client.get("/outcomes/ms/report.json?product=msc-bm-allo").json()["flow"]
    assert flow["pretreatment_scope"] == "whole condition, before a product was chosen"
    assert (flow["treated_any_product"], flow["treated"]) == (2, 1)
    assert flow["treated_label"] == "treated, first given product msc-bm-allo"
    page = client.get("/outcomes/ms/?product=msc-bm-allo").content.decode()
    assert "<strong>whole condition, before a product was chosen</strong>" in page
    pdf = client.get("/outcomes/ms/report.pdf?product=msc-bm-allo").content
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Enquired (whole condition, before a product was chosen)" in text
    assert "Treated, first given product msc-bm-allo 1" in text
    whole = client.get("/outcomes/ms/report.json").json()["flow"]
    assert (whole["pretreatment_scope"], whole["treated_any_product"]) == (None, 2)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("cutoff=2026-13-01", "cutoff"),
        ("cutoff=2999-01-01", "cutoff"),
        ("product=no-such-product", "product"),
        ("route=by-mouth", "route"),
    ],
)
def test_a_bad_question_is_refused_with_422_everywhere(client_for, manager, catalog, query, field):
    client = client_for(manager)
    api = client.get(f"/api/outcomes/reports/ms?{query}")
    assert api.status_code == 422 and field in api.json()["errors"]
    assert client.get(f"/outcomes/ms/report.csv?{query}").status_code == 422
    page = client.get(f"/outcomes/ms/?{query}")
    assert page.status_code == 422 and 'class="refusal"' in page.content.decode()


def test_an_unknown_condition_is_not_found(client_for, manager, catalog):
    client = client_for(manager)
    for url in ("/api/outcomes/reports/nope", "/outcomes/nope/", "/outcomes/nope/report.json"):
        assert client.get(url).status_code == 404, url


def test_nurses_and_patients_get_no_report(client_for, nurse, catalog):
    client = client_for(nurse)
    for url in ("/outcomes/ms/", "/outcomes/ms/report.pdf", "/api/outcomes/reports/ms"):
        assert client.get(url).status_code == 403, url


def test_no_report_is_made_from_a_plan_altered_after_locking(client_for, manager, catalog):
    AnalysisPlan.objects.filter(pk=AnalysisPlan.objects.latest().pk).update(sha256="0" * 64)
    client = client_for(manager)
    page = client.get("/outcomes/ms/")
    assert page.status_code == 422 and "no longer matches its locked hash" in page.content.decode()
    assert client.get("/api/outcomes/reports/ms").json()["code"] == "plan_tampered"


@dataclass
class Figure:
    name: str
    title: str
    svg: str
    alt: str
    headers: tuple
    table: list


def test_figures_are_inline_svg_with_alt_text_and_their_data(
    client_for, manager, two_sites, monkeypatch
):
    from celltrace.outcomes import figures

    figure = Figure(
        "flow", "Patient flow", "<svg><rect/></svg>", "Flow: 1 treated",
        ("Time point", "Assessed"), [("3 months", 1)],
    )  # fmt: skip
    monkeypatch.setattr(figures, "report_figures", lambda report, rows: [figure])
    monkeypatch.setattr(report_pdf, "report_pdf", lambda report, rows, drawn: b"%PDF")
    page = client_for(manager).get("/outcomes/ms/").content.decode()
    assert '<div role="img" aria-label="Flow: 1 treated"><svg><rect/></svg></div>' in page
    assert "<figcaption>Patient flow</figcaption>" in page
    assert "<th>Time point</th>" in page and "<td>3 months</td>" in page
