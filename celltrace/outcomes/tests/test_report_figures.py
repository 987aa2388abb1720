"""The report's figures: inline-safe SVG, every patient shown, the numbers in the alt text.

The sample (testkit/registry_sample.py) was worked out by hand: 12 MS patients, EDSS and
MSIS-29 physical at 3, 6 and 12 months; at 3 months P005 missed the visit and P004's
MSIS-29 was not measured.
"""

import copy
import re
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from celltrace.outcomes import figures as figures_package
from celltrace.outcomes.figures import report_figures
from celltrace.outcomes.figures.cohort import PatientRows
from celltrace.outcomes.figures.flow import flow_figure
from celltrace.outcomes.figures.render import (
    BLACK,
    BLUE,
    GREEN,
    GREY,
    ORANGE,
    PURPLE,
    SKY_BLUE,
    VERMILLION,
    YELLOW,
)
from celltrace.outcomes.figures.spaghetti import spaghetti_figure
from celltrace.outcomes.figures.transitions import transition_figures
from celltrace.outcomes.figures.waterfall import waterfall_bars, waterfall_figure
from testkit.registry_sample import classified, ms_report, ms_rows, sci_sample, without

SVG = "{http://www.w3.org/2000/svg}"
OKABE_ITO = {BLACK, BLUE, GREEN, GREY, ORANGE, PURPLE, SKY_BLUE, VERMILLION, YELLOW}
# White backgrounds and matplotlib's light grey legend frame are not data colours.
NEUTRAL = {"#FFFFFF", "#CCCCCC"}


@pytest.fixture(scope="module")
def figures():
    return {f.name: f for f in report_figures(ms_report(), ms_rows())}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own SVG, drawn in the test


def ids(figure) -> list[str]:
    return [e.get("id") for e in parse(figure.svg).iter() if e.get("id")]


def marked(figure, kind: str) -> list[str]:
    """The patients drawn as `kind` (e.g. "bar", "nodata", "patient"), by their ids."""
    found = [re.fullmatch(rf"{figure.name}-{kind}-(P\d+)", i) for i in ids(figure)]
    return [m.group(1) for m in found if m]


def test_it_draws_the_flow_and_per_instrument_figures_and_the_survival_curve(figures):
    assert list(figures) == [
        "flow",
        "spaghetti-edss",
        "waterfall-edss",
        "spaghetti-msis29_physical",
        "waterfall-msis29_physical",
        "km-confirmed_disability_worsening",
    ]


def test_every_svg_can_be_pasted_into_a_page(figures):
    seen = set()
    for figure in figures.values():
        root = parse(figure.svg)  # parses: well-formed XML, no prolog to strip
        assert root.tag == f"{SVG}svg"
        assert root.get("viewBox") and not root.get("width") and not root.get("height")
        assert not figure.svg.startswith("<?xml") and "<!DOCTYPE" not in figure.svg
        tags = {e.tag.removeprefix(SVG) for e in root.iter()}
        assert not tags & {"script", "foreignObject", "style", "metadata"}
        assert not any(name.lower().startswith("on") for e in root.iter() for name in e.attrib)
        references = re.findall(r'href="([^"]*)"|url\(([^)]*)\)', figure.svg)
        assert all((a or b).startswith("#") for a, b in references)
        assert root.find(f"{SVG}title").text == figure.title
        assert root.find(f"{SVG}desc").text == figure.alt
        figure_ids = ids(figure)
        assert all(i.startswith(f"{figure.name}-") for i in figure_ids)
        assert not seen & set(figure_ids), "two figures on one page would share an id"
        seen |= set(figure_ids)
        assert figure.png.startswith(b"\x89PNG")


def test_the_figures_use_the_okabe_ito_colours(figures):
    for figure in figures.values():
        colours = {c.upper() for c in re.findall(r"#[0-9a-fA-F]{6}\b", figure.svg)}
        assert colours <= {c.upper() for c in OKABE_ITO} | NEUTRAL, figure.name


def test_the_spaghetti_plot_has_one_line_per_patient_and_marks_missed_visits(figures):
    figure = figures["spaghetti-edss"]
    assert marked(figure, "patient") == [f"P{n:03d}" for n in range(1, 13)]
    assert f"{figure.name}-median" in ids(figure)
    assert "EDSS of 12 patients" in figure.alt
    assert "3 missed, 2 withdrawn and 2 died" in figure.alt
    p005 = next(row for row in figure.table if row[0] == "P005")
    assert p005 == ("P005", "5.5", "missed", "5", "5.5")
    assert figure.headers == ("Patient", "Baseline", "3 months", "6 months", "12 months")


def test_no_median_is_drawn_where_a_time_point_has_fewer_than_the_small_cell():
    report = ms_report()
    report["rules"]["small_cell"] = 13  # more than the 12 patients: counts only everywhere
    figure = spaghetti_figure(report, PatientRows(ms_rows()), "edss")
    assert f"{figure.name}-median" not in ids(figure)
    assert len(marked(figure, "patient")) == 12
    assert "Baseline: 12 values (counts only)" in figure.alt


def test_the_waterfall_has_a_bar_per_due_patient_and_no_data_bars(figures):
    edss = figures["waterfall-edss"]
    assert "at 3 months" in edss.title  # the time point with the most assessed
    assert len(marked(edss, "bar")) == 11
    assert marked(edss, "nodata") == ["P005"]
    assert "12 patients due, 11 with a change" in edss.alt
    assert "1 with no data (1 missed)" in edss.alt
    msis = figures["waterfall-msis29_physical"]
    assert len(marked(msis, "bar")) == 10
    assert marked(msis, "nodata") == ["P004", "P005"]
    assert "2 with no data (2 missed)" in msis.alt
    assert {row[0] for row in msis.table} == {f"P{n:03d}" for n in range(1, 13)}


def test_the_waterfall_judges_each_change_by_its_mcid(figures):
    rows = {row[0]: row for row in figures["waterfall-edss"].table}
    # EDSS 6.0 -> 5.0: 0.5 is enough above 5.0; 4.0 -> 4.5 is under the 1.0 needed there.
    assert rows["P003"][3] == "improved"
    assert rows["P002"][3] == "no clear change"
    assert rows["P007"][3] == "worsened"  # 0 -> 1.5
    assert rows["P005"][1:] == ("missed", "—", "no data")
    msis = {row[0]: row for row in figures["waterfall-msis29_physical"].table}
    assert msis["P009"][3] == "improved" and msis["P011"][3] == "worsened"  # -12, +10
    assert msis["P006"][3] == "worsened" and msis["P008"][3] == "no clear change"  # +9, -4


def test_the_waterfall_draws_the_rows_verdict_and_direction_never_its_own():
    rows = ms_rows()
    p001 = next(r for r in rows if r["patient"] == "P001" and r["instrument"] == "edss")
    assert (p001["verdict"], p001["lower_is_better"]) == ("no_clear_change", True)  # -0.5
    p001.update(verdict="worsened", lower_is_better=False)  # what the row says is drawn
    _, bars = waterfall_bars(ms_report(), PatientRows(rows), "edss")
    bar = next(b for b in bars if b.patient == "P001")
    assert bar.kind == "worsened"
    assert (bar.improve_at, bar.worsen_at) == (1.0, -1.0)  # higher is better, per the row


def _one_row_per_patient(instrument: str, pairs) -> list[dict]:
    return classified([
        {
            "patient": f"P{n:03d}", "patient_id": n, "instrument": instrument,
            "timepoint": "3 months", "baseline": baseline, "value": value,
            "status": "assessed", "day": 90, "category": None, "baseline_category": None,
        }
        for n, (baseline, value) in enumerate(pairs, start=1)
    ])  # fmt: skip


def test_a_zero_baseline_under_a_share_of_baseline_mcid_is_not_classifiable_on_the_waterfall():
    # T25FW's 20 % (the disability-course engine) from 0 s is no threshold: any change,
    # even none, was once "improved" here while the change table said otherwise.
    rows = _one_row_per_patient("t25fw", [(0.0, 0.0), (0.0, 3.0), (10.0, 13.0)])
    _, bars = waterfall_bars(ms_report(), PatientRows(rows), "t25fw")
    kinds = {b.patient: (b.kind, b.improve_at) for b in bars}
    assert kinds == {
        "P001": ("not classifiable", None),
        "P002": ("not classifiable", None),
        "P003": ("worsened", pytest.approx(-2.0)),  # 20 % of 10 s; lower is better
    }
    assert [row["verdict_reason"] for row in rows][:2] == ["relative_mcid_at_zero_baseline"] * 2


def test_a_relative_mcid_at_a_zero_baseline_has_no_percentage_and_says_why():
    report = ms_report()
    relative = {"kind": "relative", "improvement": 0.3, "worsening": 0.3, "text": "30 %"}
    uacr = {**report["outcomes"][0], "instrument": "uacr", "label": "UACR", "mcid": relative}
    report["outcomes"].append(uacr)
    rows = _one_row_per_patient("uacr", [(0.0, 5.0), (100.0, 60.0)])
    figure = waterfall_figure(report, PatientRows(rows), "uacr")
    table = {row[0]: row for row in figure.table}
    assert table["P001"] == ("P001", "baseline 0, not classifiable", "—", "not classifiable")
    assert table["P002"] == ("P002", "assessed", "-40", "improved")
    assert "1 not classifiable from a baseline of 0" in figure.alt


def test_the_waterfall_moves_to_the_time_point_with_the_most_assessed():
    rows = ms_rows()
    for row in rows:
        if row["timepoint"] == "3 months" and row["patient"] in ("P001", "P002", "P003"):
            row.update(status="missed", value=None, day=None)
    figure = waterfall_figure(ms_report(), PatientRows(rows), "edss")
    assert "at 6 months" in figure.title
    assert marked(figure, "nodata") == ["P003", "P012"]  # missed and withdrawn; P011 died


def test_the_survival_curve_has_its_band_and_numbers_at_risk(figures):
    figure = figures["km-confirmed_disability_worsening"]
    assert f"{figure.name}-km-curve" in ids(figure)
    assert "estimate stops: fewer than 10 at risk" in figure.svg  # after day 100, 9 remain
    assert "12 patients, 3 with the event, 9 censored" in figure.alt
    assert "Day 182: 8 at risk, no estimate (n < 10)" in figure.alt
    assert [row[:2] for row in figure.table] == [
        ("0", "12"), ("182", "8"), ("365", "4"), ("730", "0")
    ]  # fmt: skip


def test_a_figure_is_left_out_when_its_data_are_absent():
    report = without(ms_report(), "time_to_event")
    assert [f.name for f in report_figures(report, [])] == ["flow"]
    assert report_figures(without(report, "flow"), []) == []
    rows = [r for r in ms_rows() if r["instrument"] == "edss"]
    for row in rows:
        row.update(baseline=None, value=None, status="missed", day=None)
    assert spaghetti_figure(report, PatientRows(rows), "edss") is None
    assert waterfall_figure(report, PatientRows(rows), "edss") is None


def test_a_product_reports_flow_diagram_labels_the_steps_before_treatment_whole_condition():
    report = ms_report()
    report["flow"] |= {
        "treated": 5, "treated_any_product": 12, "pretreatment_scope":
        "whole condition, before a product was chosen",
        "treated_label": "treated, first given product MSC-UC",
    }  # fmt: skip
    figure = flow_figure(report)
    assert figure.alt.startswith(
        "Over the whole condition, before a product was chosen: of 40 enquiries, 25 were "
        "screened, 15 eligible and 12 treated with any product; 5 treated, first given "
        "product MSC-UC."
    )
    assert ("Enquired (whole condition, before a product was chosen)", "40", "") in figure.table
    assert ("Treated (at least one administration), any product", "12", "") in figure.table
    assert ("Treated, first given product MSC-UC", "5", "") in figure.table
    assert {f"{figure.name}-stage-treated_any_product", f"{figure.name}-stage-treated"} <= set(
        ids(figure)
    )


def test_the_flow_diagram_states_every_step_and_time_point(figures):
    figure = figures["flow"]
    assert figure.alt.startswith("Of 40 enquiries, 25 were screened, 15 eligible and 12 treated.")
    assert "6 months: 9 of 11 due assessed, 1 missed, 1 withdrawn, 1 died" in figure.alt
    assert ("Not eligible", "6", "contraindication") in figure.table
    assert f"{figure.name}-timepoint-12-months" in ids(figure)
    assert not any(" " in i for i in ids(figure))


def test_an_sci_report_draws_the_ais_transitions():
    report, rows = sci_sample()
    names = [f.name for f in report_figures(report, rows)]
    assert names == ["flow", "spaghetti-ais", "waterfall-ais", "ais-transitions"]


def test_ais_transitions_count_every_due_patient():
    report, _ = sci_sample()
    (figure,) = transition_figures(report)
    assert figure.headers == ("Baseline grade", "A", "B", "C", "D", "E", "no data", "died")
    assert figure.table == (
        ("A", "5", "2", "0", "0", "0", "1", "0"),
        ("B", "0", "0", "1", "0", "0", "1", "0"),
        ("C", "0", "1", "1", "0", "0", "0", "0"),
    )
    assert "Of 12 patients due at 12 months, 3 reached a better AIS grade" in figure.alt
    assert "1 had a worse grade and 2 have no data" in figure.alt
    assert "AIS grade A at baseline: 2 of 7 graded converted" in figure.alt


def test_the_transitions_figure_draws_the_reports_own_counts_with_deaths_and_no_baseline():
    report, _ = sci_sample()
    table = report["outcomes"][0]["transitions"]
    table["rows"][0]["counts"][-1] = 2  # two with baseline A died before 12 months
    table["rows"].append({"baseline": "no baseline", "counts": [0, 0, 1, 0, 0, 0, 0]})
    (figure,) = transition_figures(report)
    assert figure.table[0] == ("A", "5", "2", "0", "0", "0", "1", "2")
    assert figure.table[-1] == ("no baseline", "0", "0", "1", "0", "0", "0", "0")
    assert "Of 13 patients due at 12 months" in figure.alt
    assert "1 had no baseline grade. 2 died before 12 months." in figure.alt


def test_a_report_without_transitions_draws_no_grid():
    report, _ = sci_sample()
    report["outcomes"][0]["transitions"] = None
    assert transition_figures(report) == []


def test_the_same_report_draws_the_same_bytes():
    report = ms_report()
    first, second = flow_figure(report), flow_figure(copy.deepcopy(report))
    assert first.svg == second.svg
    assert first.png == second.png


def test_a_large_cohort_keeps_every_patient_and_names_them_in_the_table():
    rows = [
        {
            "patient": f"P{n:03d}", "patient_id": n, "instrument": "msis29_physical",
            "timepoint": "3 months", "baseline": 40.0,
            "value": None if n % 10 == 0 else 40.0 + (n % 21) - 10,
            "status": "missed" if n % 10 == 0 else "assessed", "day": None,
            "category": None, "baseline_category": None,
        }
        for n in range(1, 81)
    ]  # fmt: skip
    figure = waterfall_figure(ms_report(), PatientRows(classified(rows)), "msis29_physical")
    assert len(marked(figure, "bar")) == 72
    assert len(marked(figure, "nodata")) == 8
    assert len(figure.table) == 80
    assert "80 patients, sorted by change (named in the data table)" in figure.svg
    assert "80 patients due, 72 with a change" in figure.alt


def test_a_registry_sized_cohort_draws_an_evenly_spaced_sample_and_counts_everyone():
    def row(n, timepoint, value):
        return {
            "patient": f"P{n:04d}", "patient_id": n, "instrument": "msis29_physical",
            "timepoint": timepoint, "baseline": 40.0, "value": value,
            "status": "missed" if value is None else "assessed", "day": None,
            "category": None, "baseline_category": None,
        }  # fmt: skip

    rows = [row(n, "3 months", None if n % 10 == 0 else 40.0 + n % 21 - 10) for n in range(1, 1001)]
    waterfall = waterfall_figure(ms_report(), PatientRows(rows), "msis29_physical")
    spaghetti = spaghetti_figure(ms_report(), PatientRows(rows), "msis29_physical")

    assert len(marked(waterfall, "bar")) + len(marked(waterfall, "nodata")) == 200
    assert len(waterfall.table) == 200 and len(marked(spaghetti, "patient")) == 200
    assert "1000 patients due, 900 with a change" in waterfall.alt
    assert "those of 200 of the 1000 patients, evenly spaced" in waterfall.alt
    assert "1000 patients, sorted by change (200 evenly spaced)" in waterfall.svg
    changes = sorted(float(r[2]) for r in waterfall.table if r[1] == "assessed")
    assert changes[0] == -10 and changes[-1] == 10  # the sample keeps both ends


def test_figures_drawn_at_once_in_threads_are_the_figures_drawn_alone():
    report = without(ms_report(), "timepoints")
    alone = flow_figure(report)
    with ThreadPoolExecutor(max_workers=3) as pool:
        together = list(pool.map(lambda _: flow_figure(report), range(3)))
    assert all(f.svg == alone.svg and f.png == alone.png for f in together)


def test_no_figure_module_uses_pyplot():
    # pyplot keeps global state (open figures, the current backend): unsafe in a server.
    for source in Path(figures_package.__file__).parent.glob("*.py"):
        code = source.read_text(encoding="utf-8")
        assert "matplotlib.pyplot" not in code and "import pyplot" not in code, source.name


SAMPLE = ms_report()
patient_visit = st.tuples(
    st.sampled_from(["assessed", "missed", "withdrawn", "died", "not_yet_due"]),
    st.one_of(st.none(), st.integers(0, 100)),  # baseline
    st.one_of(st.none(), st.integers(0, 100)),  # value when assessed
)


@settings(max_examples=60, deadline=None)
@given(st.lists(patient_visit, max_size=30))
def test_the_waterfall_never_drops_a_due_patient(visits):
    rows = [
        {
            "patient": f"P{n:03d}", "patient_id": n, "instrument": "msis29_physical",
            "timepoint": "3 months", "baseline": baseline,
            "value": value if status == "assessed" else None, "status": status,
            "day": None, "category": None, "baseline_category": None,
        }
        for n, (status, baseline, value) in enumerate(visits, start=1)
    ]  # fmt: skip
    due = {r["patient"] for r in rows if r["status"] in ("assessed", "missed", "withdrawn")}
    changed = [
        r for r in rows if r["status"] == "assessed" and None not in (r["value"], r["baseline"])
    ]
    timepoint, bars = waterfall_bars(SAMPLE, PatientRows(classified(rows)), "msis29_physical")
    if not changed:
        assert bars == []
        return
    assert timepoint == "3 months"
    assert sorted(b.patient for b in bars) == sorted(due)
    changes = [b.change for b in bars if b.change is not None]
    assert changes == sorted(changes) and len(changes) == len(changed)
    assert all(b.change is None for b in bars[len(changes) :])
    for bar in bars[: len(changes)]:  # MSIS-29: lower is better, 8 points either way
        expected = "improved" if bar.change <= -8 else "worsened" if bar.change >= 8 else None
        assert bar.kind == (expected or "no clear change")
