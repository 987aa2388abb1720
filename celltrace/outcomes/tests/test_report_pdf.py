"""The report's PDF: every section, the design line, the plan's hash, the figures embedded."""

import io

import pypdf
import pytest

from celltrace.outcomes.report_pdf import SYNTHETIC, report_pdf
from celltrace.outcomes.report_pdf_parts.sections import TITLES
from testkit.registry_sample import ms_report, ms_rows, sci_benchmark, without


def pages_of(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def images_in(pdf: bytes) -> int:
    """The image XObjects drawn on the pages (each figure is one PNG)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    count = 0
    for page in reader.pages:
        objects = page["/Resources"].get_object().get("/XObject") or {}
        count += sum(1 for o in objects.values() if o.get_object()["/Subtype"] == "/Image")
    return count


@pytest.fixture(scope="module")
def pdf():
    return report_pdf(ms_report(), ms_rows())


@pytest.fixture(scope="module")
def text(pdf):
    return " ".join(pages_of(pdf))


def test_it_says_what_kind_of_study_this_is_and_which_plan_made_it(text):
    report = ms_report()
    assert "Uncontrolled treatment registry (case series), not a controlled trial" in text
    assert f"sha256 {report['analysis_plan']['sha256']}" in text
    assert "Data cut-off: 2026-01-31" in text
    assert "Data source: celltrace records of the Lisbon clinic (sample)" in text


def test_it_holds_every_section_in_order(text):
    places = [text.index(title) for title in TITLES]
    assert places == sorted(places)
    assert "Limitations" in text
    assert "there is no control group" in text


def test_every_page_carries_the_marking_the_cutoff_and_its_number(pdf):
    pages = pages_of(pdf)
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert SYNTHETIC in page
        assert "Data cut-off 2026-01-31" in page
        assert f"page {number} of {len(pages)}" in page


def test_real_data_carry_no_synthetic_marking():
    report = without(ms_report(synthetic=False), "time_to_event")
    text = " ".join(pages_of(report_pdf(report, [])))
    assert "SYNTHETIC" not in text
    assert "Uncontrolled treatment registry (case series), not a controlled trial" in text


def test_the_figures_are_embedded_with_their_alt_text(pdf, text):
    assert images_in(pdf) == 6  # flow, 2 spaghetti, 2 waterfalls, Kaplan-Meier
    assert "EDSS at 3 months: 12 patients due, 11 with a change" in text
    assert "Of 40 enquiries, 25 were screened, 15 eligible and 12 treated." in text


def test_small_cells_show_counts_only_and_proportions_their_k_and_n(text):
    assert "9/11 (81.8 %) FLAGGED: under 90 %" in text
    assert "6/8 (n < 10: counts only)" in text
    assert "2/9 (n < 10: counts only)" in text  # responders among 9 completers
    assert "4/12 (33.3 %, 95 % CI 9.9 to 65.1 %)" in text  # patients with an adverse event


def test_harms_list_every_serious_event_and_death_and_check_the_claims(text):
    assert "P006 Pulmonary embolism 3 40 unlikely recovered L-0003" in text
    assert "P011 140 Road traffic accident" in text
    assert "Fever in no more than 2 % of cases 1/24 (4.2 %, 95 % CI 0.1 to 21.1 %)" in text


def test_subgroups_are_labelled_exploratory(text):
    assert "By sex (exploratory)" in text
    assert "female 8 n < 10: counts only" in text


def test_the_same_report_prints_the_same_bytes():
    report = without(ms_report(), "time_to_event")
    assert report_pdf(report, []) == report_pdf(report, [])


def test_it_says_how_adverse_events_were_captured_and_lists_those_after_follow_up():
    report = ms_report()
    report["safety"] = {
        **report["safety"],
        "capture": "Adverse events recorded against the treatment stay, from the first "
        "administration.",
        "after_follow_up_end": [{"patient": "P004", "term": "Rash", "grade": 1, "day": 300}],
    }
    found = " ".join(" ".join(pages_of(report_pdf(report, ms_rows()))).split())
    assert "How adverse events were captured: Adverse events recorded against" in found
    assert "not in the rate): 1: P004 Rash (grade 1, day 300)" in found


def test_the_benchmark_shows_observed_beside_expected_by_time_since_injury():
    report = without(ms_report(), "time_to_event")
    report["benchmarks"] = [sci_benchmark()]
    found = " ".join(" ".join(pages_of(report_pdf(report, []))).split())
    assert "by years from disease onset or injury to the first administration" in found
    assert (
        "under 1 year since injury 3/10 (30.0 %, 95 % CI 6.7 to 65.2 %) 11 to 30 % "
        "overlaps the expected range" in found
    )
    assert (
        "1 to 5 years since injury 4/10 (40.0 %, 95 % CI 12.2 to 73.8 %) at most 5.6 % "
        "higher than expected" in found
    )
    assert "other or unknown time since injury 1/2 (n < 10: counts only)" in found
    assert "no published expectation for this group" in found


def test_the_sham_benchmark_shows_the_mean_change_beside_the_sham_arm():
    report = without(ms_report(), "time_to_event")
    report["benchmarks"] = [{
        "name": "pd_sham_updrs3", "label": "MDS-UPDRS III improvement after sham surgery",
        "text": "Sham surgery improved UPDRS-III by 4.3 points.", "source": "Goetz 2008",
        "observed": {"timepoint": "6 months", "with_baseline": 11, "n": 10,
                     "mean_change": -5.5, "ci95": [-7.666, -3.334]},
        "expected": {"mean_change": -4.3, "ci95": [-5.6, -3.1]},
        "comparison": "overlaps the expected range",
    }]  # fmt: skip
    found = " ".join(" ".join(pages_of(report_pdf(report, []))).split())
    assert (
        "every patient together n = 10; mean change -5.50 (95 % CI -7.67 to -3.33) "
        "mean change -4.30 (95 % CI -5.60 to -3.10) overlaps the expected range" in found
    )


def test_a_product_report_says_the_flow_before_treatment_is_the_whole_conditions():
    report = without(ms_report(), "time_to_event")
    report["filters"] = {"product": "MSC-UC", "route": None}
    report["flow"] |= {
        "treated": 5, "treated_any_product": 12,
        "treated_label": "treated, first given product MSC-UC",
        "pretreatment_scope": "whole condition, before a product was chosen", "notes": [],
    }  # fmt: skip
    found = " ".join(" ".join(pages_of(report_pdf(report, []))).split())
    assert "Enquired (whole condition, before a product was chosen) 40" in found
    assert "Treated with any product 12" in found
    assert "Treated, first given product MSC-UC 5" in found
    assert "As the records stood at the cut-off, 2026-01-31." in found


def test_harms_give_events_per_administration_with_its_interval_and_zero_event_bounds():
    report = without(ms_report(), "time_to_event")
    report["safety"] |= {"events_per_administration_ci95": [0.0677, 0.4862]}
    found = " ".join(" ".join(pages_of(report_pdf(report, []))).split())
    assert "per administration (exact Poisson 95 % CI): 0.208 (95 % CI 0.068 to 0.486)" in found

    report["safety"] |= {
        "patients_with_event": 0, "events": 0, "patients_with_event_ci95": [0.0, 0.2646],
        "zero_events_upper95": {"patients_with_event": 0.2209, "rate_per_100_patient_years": 25.8},
    }  # fmt: skip
    found = " ".join(" ".join(pages_of(report_pdf(report, []))).split())
    assert "may still be up to 22.1 %, and the rate up to 25.8 events per 100" in found
    assert "one-sided exact 95 % upper bounds" in found


def test_the_header_names_the_period_for_what_it_is_and_counts_carry_their_n(text):
    assert "Period (first to last administration)" not in text
    assert (
        "Treatment starts (each patient's first administration, earliest to latest): "
        "2024-01-15 to 2025-06-02" in text
    )
    report = ms_report()
    outcome = next(o for o in report["outcomes"] if o["improved"] is not None)
    counts = " / ".join(
        f"{outcome[k]}/{outcome['n']}" for k in ("improved", "no_clear_change", "worsened")
    )
    assert counts in text
