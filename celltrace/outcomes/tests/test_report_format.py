from django.template.loader import render_to_string

from celltrace.outcomes.templatetags.report_format import cell, proportion, share, with_ci
from testkit.registry_sample import ms_report, sci_benchmark

RULES = {"small_cell": 10, "completeness_flag": 0.9}


def test_a_small_cell_shows_counts_only_and_says_so():
    assert cell(None, 9, RULES) == "n < 10: counts only"
    assert proportion(4, 9, None, RULES) == "4/9 (n < 10: counts only)"
    assert with_ci(1, 9, None, RULES) == "1/9 (n < 10: counts only)"
    assert share(3, 9, RULES) == "3/9"  # a count of a small group: never a percentage


def test_a_large_enough_cell_shows_its_numbers_with_k_and_n():
    assert cell(-0.1667, 12, RULES) == "-0.17"
    assert cell([-2.06, 1.73], 12, RULES) == "-2.06 to 1.73"
    assert share(3, 12, RULES) == "3/12 (25.0 %)"
    assert proportion(9, 12, 0.75, RULES) == "9/12 (75.0 %)"
    assert with_ci(3, 12, [0.089, 0.532], RULES) == "3/12 (25.0 %), 95 % CI 8.9 % to 53.2 %"


def _section(template: str, report: dict) -> str:
    """One section of the report page, as the page renders it, in single-spaced text."""
    html = render_to_string(f"outcomes/report/{template}", {"report": report, "rules": RULES})
    return " ".join(html.split())


def test_improved_no_clear_change_and_worse_are_counts_with_their_n_never_bare_percentages():
    report = ms_report()
    outcome = next(o for o in report["outcomes"] if o["improved"] is not None and o["n"] >= 10)
    report["outcomes"] = [outcome]
    page = _section("_outcomes.html", report)
    row = page[page.index(f"<td>{outcome['timepoint']}</td>") :].split("</tr>")[0]
    for key in ("improved", "no_clear_change", "worsened"):
        assert f'<td class="num">{outcome[key]}/{outcome["n"]}</td>' in row
        assert f"{outcome[key]}/{outcome['n']} (" not in row  # no percentage without a CI


def test_harms_show_events_per_administration_with_its_interval_and_zero_event_bounds():
    report = ms_report()
    report["safety"] |= {"events_per_administration_ci95": [0.0677, 0.4862]}
    page = _section("_safety.html", report)
    assert "5 events / 24 administrations: 0.208 (95 % CI 0.068 to 0.486, exact Poisson)" in page
    assert "how high the rate may still be" not in page  # events were seen

    report["safety"] |= {
        "events": 0, "patients_with_event": 0,
        "zero_events_upper95": {"patients_with_event": 0.2209, "rate_per_100_patient_years": 25.8},
    }  # fmt: skip
    page = _section("_safety.html", report)
    assert "at most 22.1 % of 12; at most 25.8 events per 100 patient-years" in page
    assert "one-sided exact 95 % upper bound, about 3/n" in page


def test_the_benchmark_shows_observed_beside_expected_and_the_comparison_per_stratum():
    report = ms_report()
    report["benchmarks"] = [sci_benchmark()]
    page = _section("_benchmarks.html", report)
    assert (
        '<td>under 1 year since injury</td><td class="num">3/10 (30.0 %), 95 % CI 6.7 % to '
        '65.2 %</td><td class="num">11 % to 30 %</td><td>overlaps the expected range</td>' in page
    )
    assert (
        '<td>1 to 5 years since injury</td><td class="num">4/10 (40.0 %), 95 % CI 12.2 % to '
        '73.8 %</td><td class="num">at most 5.6 %</td><td>higher than expected</td>' in page
    )
    assert '<td>other or unknown time since injury</td><td class="num">1/2 (n &lt; 10' in page
    assert '<td>every patient together</td><td class="num">8/22 (36.4 %)' in page


def test_a_product_report_labels_the_flow_before_treatment_as_the_whole_conditions():
    report = ms_report()
    report["flow"] |= {
        "treated": 5, "treated_any_product": 12, "pretreatment_scope":
        "whole condition, before a product was chosen",
        "treated_label": "treated, first given product MSC-UC", "notes": [],
    }  # fmt: skip
    page = _section("_flow.html", report)
    assert "Enquired, screened and eligible: <strong>whole condition, before a product" in page
    assert '<th class="num">Treated, any product</th><th class="num">Treated, first given' in page
    assert '<td class="num">12</td><td class="num">5</td>' in page
    assert "Requests closed (whole condition, before a product was chosen)" in page
