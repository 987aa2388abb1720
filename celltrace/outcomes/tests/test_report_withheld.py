"""The page and the PDF say why an estimate or interval is missing, never a silent dash."""

import copy

import pytest
from django.template.loader import render_to_string

from celltrace.clinical.registry.change import outcome_cell
from celltrace.outcomes.figures.survival import survival_figure
from celltrace.outcomes.report_pdf import report_pdf
from testkit.registry_cohort import latest_plan
from testkit.registry_sample import ms_report, ms_rows, sci_sample, without

from .test_report_pdf import pages_of

NO_SPREAD = "no spread: all 12 changes equal"
NO_EVENT = (
    "no event yet: exact one-sided 95 % lower bound "
    "(Clopper-Pearson, 0 events among the 12 at risk)"
)


def honest_report() -> dict:
    """The sample report with a cell of identical changes and a day before the first event."""
    report = copy.deepcopy(ms_report())
    cell = report["outcomes"][0]
    cell.update(
        n=12, mean_change=-1.0, ci95=None, median_change=-1.0, iqr=[-1.0, -1.0],
        range=[-1.0, -1.0], withheld_reason=NO_SPREAD,
    )  # fmt: skip
    (km,) = report["time_to_event"]
    km["at_days"][0] = {
        "day": 90, "survival": 1.0, "ci95": None, "at_risk": 12,
        "ci95_lower_one_sided": 0.05 ** (1 / 12), "interval_note": NO_EVENT,
    }  # fmt: skip
    return report


def page(report: dict, part: str) -> str:
    html = render_to_string(
        f"outcomes/report/_{part}.html", {"report": report, "rules": report["rules"]}
    )
    return " ".join(html.split())


def test_the_page_says_an_interval_is_withheld_for_identical_changes():
    assert f"(no CI: {NO_SPREAD})" in page(honest_report(), "outcomes")


def test_the_page_gives_the_one_sided_bound_before_the_first_event():
    assert f'≥ 0.779 <small class="muted">({NO_EVENT})</small>' in page(
        honest_report(), "time_to_event"
    )


@pytest.fixture(scope="module")
def pdf_text():
    return " ".join(pages_of(report_pdf(honest_report(), ms_rows())))


def test_the_pdf_says_an_interval_is_withheld_for_identical_changes(pdf_text):
    assert f"-1 (no CI: {NO_SPREAD})" in pdf_text


def test_the_pdf_gives_the_one_sided_bound_before_the_first_event(pdf_text):
    assert ">= 0.779: no event yet: exact one-sided 95 % lower bound" in pdf_text


def test_the_survival_figure_draws_no_band_where_there_is_no_interval():
    report = without(honest_report(), "flow")
    (km,) = report["time_to_event"]
    km["ci95_lower"][0] = km["ci95_upper"][0] = None
    figure = survival_figure(report, km)
    assert f"{figure.name}-km-curve" in figure.svg  # the curve is still drawn
    assert ("90", "12", "1.00", f">= 0.78 ({NO_EVENT})") in figure.table


WORST = {
    "k": 4, "n": 15, "ci95": [0.11, 0.52],
    "non_responders": {"died": 3, "withdrawn": 1, "missed": 1, "no_baseline": 0,
                       "not_classifiable": 2, "not_improved": 4},
}  # fmt: skip
BEST = {
    "k": 8, "n": 15, "ci95": [0.3, 0.75],
    "imputed_responders": {"withdrawn": 1, "missed": 1, "no_baseline": 0,
                           "not_classifiable": 2},
    "non_responders": {"died": 3, "not_improved": 4},
}  # fmt: skip


def with_deaths() -> dict:
    report = copy.deepcopy(ms_report())
    report["outcomes"][0]["responders"].update(worst_case=WORST, best_case=BEST)
    return report


def test_the_page_says_how_many_worst_case_non_responders_died_withdrew_or_missed():
    html = page(with_deaths(), "outcomes")
    assert (
        "non-responders: 3 died, 1 withdrew, 1 missed, 0 no baseline, 2 not classifiable, "
        "4 not improved"
    ) in html
    assert (
        "counted as responders: 1 withdrew, 1 missed, 0 no baseline, 2 not classifiable; " in html
    )


def test_the_pdf_says_how_many_worst_case_non_responders_died_withdrew_or_missed():
    text = " ".join(pages_of(report_pdf(without(with_deaths(), "time_to_event"), ms_rows())))
    assert (
        "(non-responders: 3 died, 1 withdrew, 1 missed, 0 no baseline, 2 not classifiable, "
        "4 not improved)"
    ) in text
    assert (
        "(counted as responders: 1 withdrew, 1 missed, 0 no baseline, 2 not classifiable;" in text
    )


def sci_report() -> dict:
    """The SCI sample with its AIS cell as the core computes an ordinal grade's."""
    report, rows = sci_sample()
    plan = latest_plan()
    ais = outcome_cell(plan.instruments["ais"], "12 months", rows, plan, grades=tuple("ABCDE"))
    report["outcomes"] = [ais]
    return report


def test_the_page_shows_the_ais_as_transitions_and_says_why_there_is_no_mean():
    html = page(sci_report(), "outcomes")
    assert html.count("ordinal grade: shown as transitions") == 2  # mean and median columns
    assert "grade transitions (counts)" in html
    assert (
        '<tr><td>A</td><td class="num">5</td><td class="num">2</td><td class="num">0</td>'
        '<td class="num">0</td><td class="num">0</td><td class="num">1</td>'
        '<td class="num">0</td></tr>'
    ) in html
    assert "3 better, 6 unchanged, 1 worse" in html


def test_the_pdf_shows_the_ais_as_transitions_and_says_why_there_is_no_mean():
    text = " ".join(pages_of(report_pdf(without(sci_report(), "time_to_event"), [])))
    assert "ordinal grade: shown as transitions" in text
    assert "AIS grade, baseline to 12 months: grade transitions (counts)" in text
    assert "A 5 2 0 0 0 1 0" in text
    assert "3 better, 6 unchanged, 1 worse" in text
