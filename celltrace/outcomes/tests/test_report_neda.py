"""The NEDA-3 entry on the report's page and in its PDF: the curve's table and the status."""

import copy
import io

import pypdf
import pytest
from django.template.loader import render_to_string

from celltrace.outcomes.report_pdf import report_pdf
from testkit.registry_sample import ms_report, ms_rows

TWELVE = {
    "timepoint": "12 months", "period_days": [1, 450], "due": 14, "lost": 1,
    "not_evaluable": {"no_baseline": 1, "no_mri": 2, "no_edss": 0}, "not_due": 3,
    "k": 9, "n": 10, "proportion": 0.9, "ci95": [0.555, 0.9975],
}  # fmt: skip
TWENTY_FOUR = {
    **TWELVE, "timepoint": "24 months", "period_days": [1, 810], "due": 6, "lost": 2,
    "not_evaluable": {"no_baseline": 0, "no_mri": 1, "no_edss": 0}, "not_due": 11,
    "k": 3, "n": 5, "proportion": None, "ci95": None,
}  # fmt: skip


@pytest.fixture(scope="module")
def report():
    report = ms_report()
    neda = copy.deepcopy(report["time_to_event"][0])
    neda |= {
        "name": "ms_neda3_loss",
        "label": "Loss of no evidence of disease activity (NEDA-3)",
        "status_at": [TWELVE, TWENTY_FOUR],
    }
    report["time_to_event"].append(neda)
    return report


def test_the_pdf_shows_neda_3_with_its_ci_and_who_was_not_evaluable(report):
    reader = pypdf.PdfReader(io.BytesIO(report_pdf(report, ms_rows())))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Loss of no evidence of disease activity (NEDA-3)" in text
    assert "9/10 (90.0 %, 95 % CI 55.5 to 99.8 %)" in text
    assert "1 no baseline EDSS, 2 no MRI in the period" in text
    assert "3/5 (n < 10: counts only)" in text


def test_the_page_shows_neda_3_with_its_ci_and_withholds_it_below_10(report):
    page = render_to_string(
        "outcomes/report/_time_to_event.html", {"report": report, "rules": report["rules"]}
    )
    assert "Loss of no evidence of disease activity (NEDA-3)" in page
    assert 'class="neda-status"' in page and page.count("<tr><td>12 months") == 1
    assert "9/10 (90.0 %), 95 % CI" in page
    assert "3/5 (n &lt; 10: counts only)" in page
