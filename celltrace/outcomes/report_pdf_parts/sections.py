"""The ten sections of the report (REPORT.md), each a heading and its tables."""

from __future__ import annotations

from reportlab.platypus import KeepTogether, Paragraph

from celltrace.outcomes.report_pdf_parts import cells
from celltrace.outcomes.report_pdf_parts.cells import (
    DASH,
    cell,
    estimate,
    number,
    proportion,
    spread,
    table,
    text,
)
from celltrace.outcomes.report_pdf_parts.neda import neda_status
from celltrace.outcomes.report_pdf_parts.safety import safety_section
from celltrace.outcomes.templatetags.report_format import case_counts

TITLES = (
    "1. Patient flow",
    "2. Time points and completeness",
    "3. Baseline",
    "4. Change from baseline, per time point",
    "5. Responders (reached the MCID), three denominators",
    "6. Time to event",
    "7. Benchmarks (published natural history)",
    "8. Safety",
    "9. Subgroups (exploratory)",
    "10. Limitations",
)


def _heading(number_: int, style) -> Paragraph:
    return Paragraph(text(TITLES[number_ - 1]), style["heading"])


def _small(report: dict) -> int:
    return report["rules"]["small_cell"]


def flow_section(report: dict, style) -> list:
    flow = report["flow"] or {}
    scope = flow.get("pretreatment_scope")
    rows = []
    for key, word, side in (
        ("enquired", "Enquired", "closed"),
        ("screened", "Screened", "not_eligible"),
        ("eligible", "Eligible", "excluded"),
    ):
        rows.append((f"{word} ({scope})" if scope else word, number(flow.get(key)), ""))
        for reason in flow.get(side) or []:
            rows.append(("", number(reason["n"]), f"{side.replace('_', ' ')}: {reason['reason']}"))
    if scope:
        rows.append(("Treated with any product", number(flow.get("treated_any_product")), ""))
    treated = flow.get("treated_label") or "treated (at least one administration)"
    rows.append((treated[:1].upper() + treated[1:], number(flow.get("treated")), ""))
    cutoff = f"As the records stood at the cut-off, {report.get('cutoff')}."
    if scope:
        cutoff += (
            f" Enquired, screened and eligible, and the reasons people left there: {scope} "
            "(no product is chosen before treatment)."
        )
    return [
        _heading(1, style),
        Paragraph(text(cutoff), style["note"]),
        table(("Step", "n", "Left here, with the reason"), rows, style, (70, 20, 90)),
        *[Paragraph(text(note), style["note"]) for note in flow.get("notes") or []],
    ]


def timepoints_section(report: dict, style) -> list:
    flag = report["rules"]["completeness_flag"]
    rows = []
    for tp in report["timepoints"] or []:
        due, assessed = tp["due"], tp["assessed"]
        if tp.get("completeness") is None:
            completeness = f"{assessed}/{due} ({cells.counts_only(_small(report))})"
        else:
            completeness = f"{assessed}/{due} ({tp['completeness'] * 100:.1f} %)"
        if tp.get("flagged"):
            completeness += f" FLAGGED: under {flag * 100:.0f} %"
        window = tp["window_days"]
        rows.append(
            (
                tp["name"],
                f"day {window[0]}-{window[1]}",
                due,
                assessed,
                tp["missed"],
                tp["withdrawn"],
                tp["died"],
                tp["not_yet_due"],
                completeness,
            )
        )
    headers = (
        "Time point",
        "Window",
        "Due",
        "Assessed",
        "Missed",
        "Withdrawn",
        "Died",
        "Not yet due",
        "Completeness (assessed/due)",
    )
    follow = report.get("follow_up") or {}
    clark = follow.get("clarks_c")
    lines = [
        f"Clark's C (observed / potential follow-up time): {number(follow.get('observed_days'))}"
        f" / {number(follow.get('potential_days'))} days"
        + (f" = {clark * 100:.1f} %" if clark is not None else ""),
        "Median follow-up (reverse Kaplan-Meier): "
        + estimate(
            follow.get("median_follow_up_days"),
            follow.get("median_follow_up_ci95"),
            None,
            _small(report),
            0,
        )
        + " days",
        "Died are not due; due = assessed + missed + withdrawn. A patient who missed a visit "
        "is missing at that time point even when an earlier value exists.",
    ]
    return [
        _heading(2, style),
        table(headers, rows, style, (18, 20, 10, 16, 14, 18, 10, 17, 57)),
        *[Paragraph(text(line), style["note"]) for line in lines],
    ]


def baseline_section(report: dict, style) -> list:
    base = report["baseline"] or {}
    small = _small(report)

    def described(part: dict | None) -> str:
        part = part or {}
        return f"n = {number(part.get('n'))}; median (IQR) " + spread(
            part.get("median"), part.get("iqr"), part.get("n"), small
        )

    def counted(part: dict | None) -> str:
        return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in (part or {}).items()) or DASH

    rows = [
        ("Patients", number(base.get("n"))),
        ("Age (years)", described(base.get("age"))),
        ("Sex", counted(base.get("sex"))),
        (
            "Disease duration or time since injury (years)",
            described(base.get("disease_duration_years")),
        ),
        ("Prior therapy", counted(base.get("prior_therapy"))),
        *(
            (f"  prior {c['category']}", number(c["n"]))
            for c in base.get("prior_therapy_by_category") or []
        ),
    ]
    labels = {o["instrument"]: o["label"] for o in report.get("outcomes") or []}
    for score in base.get("scores") or []:
        rows.append(
            (f"Baseline {labels.get(score['instrument'], score['instrument'])}", described(score))
        )
    return [_heading(3, style), table(("Characteristic", "Value"), rows, style, (70, 110))]


def change_section(report: dict, style) -> list:
    small = _small(report)
    rows = []
    for o in report.get("outcomes") or []:
        classes = (
            DASH
            if o.get("improved") is None
            else " / ".join(
                f"{o[key]}/{o['n']}" for key in ("improved", "no_clear_change", "worsened")
            )
        )
        if o.get("not_classifiable"):  # a share of a zero baseline: no threshold
            classes += f" ({o['not_classifiable']} not classifiable, baseline 0)"
        rows.append(
            (
                f"{o['label']} ({o['unit']})" if o.get("unit") else o["label"],
                o["timepoint"],
                f"{o['assessed']}/{o['due']}",
                number(o.get("no_baseline")),
                number(o["n"]),
                _mean_change(o, small),
                _withheld(o) or spread(o.get("median_change"), o.get("iqr"), o["n"], small, 2),
                spread(o.get("median_change"), o.get("range"), o["n"], small, 2)
                if o.get("range")
                else (cells.counts_only(small) if o["n"] < small else DASH),
                classes,
            )
        )
    headers = (
        "Instrument",
        "Time point",
        "Assessed/due",
        "No baseline",
        "n paired",
        "Mean change (95 % CI, paired t)",
        "Median change (IQR)",
        "Median (range)",
        "Improved / no clear change / worse (by the MCID)",
    )
    note = (
        "Each time point on its own, never pooled into a latest value; "
        "no p-values against baseline."
    )
    return [
        _heading(4, style),
        table(headers, rows, style, (25, 16, 16, 14, 12, 30, 24, 22, 21)),
        Paragraph(text(note), style["note"]),
        *(part for o in report.get("outcomes") or [] for part in _transitions(o, style)),
    ]


def _withheld(o: dict) -> str | None:
    """Why a median (and mean) is not computed at all: an ordinal grade."""
    reason = o.get("withheld_reason")
    return reason if reason and o.get("median_change") is None else None


def _transitions(o: dict, style) -> list:
    """An ordinal grade's result: baseline grade x grade at the time point, in counts."""
    found = o.get("transitions")
    if not found:
        return []
    title = f"{o['label']}, baseline to {o['timepoint']}: grade transitions (counts)"
    note = (
        "An ordinal grade: no mean or median change is computed. Rows: baseline grade; "
        f"columns: the grade at {o['timepoint']}, no data when due without a grade, died "
        f"before it. Of those graded at both: {found['better']} better, {found['same']} "
        f"unchanged, {found['worse']} worse."
    )
    rows = [(line["baseline"], *line["counts"]) for line in found["rows"]]
    headers = ("Baseline grade", *found["columns"])
    widths = (30, *(18 for _ in found["columns"]))
    return [
        Paragraph(text(title), style["subheading"]),
        table(headers, rows, style, widths),
        Paragraph(text(note), style["note"]),
    ]


def _mean_change(o: dict, small: int) -> str:
    """The mean change and its CI, or why they are withheld (no spread; an ordinal grade)."""
    reason = o.get("withheld_reason")
    if reason and o.get("mean_change") is None:
        return reason
    shown = estimate(o.get("mean_change"), o.get("ci95"), o["n"], small, 2)
    return f"{shown} (no CI: {reason})" if reason else shown


def _case(part: dict | None, small: int) -> str:
    """A worst or best case's k/n, and how it counted those without a pair."""
    counted = case_counts(part)
    return f"{proportion(part, small)} ({counted})" if counted else proportion(part, small)


def responders_section(report: dict, style) -> list:
    small = _small(report)
    rows = []
    for o in report.get("outcomes") or []:
        mcid = (o.get("mcid") or {}).get("text") or DASH
        found = o.get("responders")
        if not found:
            rows.append((o["label"], o["timepoint"], mcid, "no MCID: not classified", DASH, DASH))
            continue
        rows.append(
            (
                o["label"],
                o["timepoint"],
                mcid,
                proportion(found.get("completers"), small),
                _case(found.get("worst_case"), small),
                _case(found.get("best_case"), small),
            )
        )
    headers = (
        "Instrument",
        "Time point",
        "MCID",
        "Completers",
        "All treated, missing or died = non-responder (worst case)",
        "All treated, missing = responder, died = non-responder (best case)",
    )
    return [_heading(5, style), table(headers, rows, style, (24, 16, 35, 35, 35, 35))]


def _free_of_event(a: dict, small: int) -> str:
    """The estimate with its CI; before any event, with the one-sided lower bound instead."""
    bound = a.get("ci95_lower_one_sided")
    if bound is not None:
        return f"{number(a['survival'], 2)} (>= {number(bound, 3)}: {a['interval_note']})"
    return estimate(a.get("survival"), a.get("ci95"), a["at_risk"], small, 2)


def time_to_event_section(report: dict, style) -> list:
    small = _small(report)
    story = [_heading(6, style)]
    outcomes = report.get("time_to_event") or []
    if not outcomes:
        story.append(
            Paragraph("No time-to-event outcome is planned for this condition.", style["body"])
        )
    for o in outcomes:
        story.append(
            Paragraph(
                text(
                    f"{o['label']}: {o['patients']} patients, {o['events']} with the event, "
                    f"{o['censored']} censored (Kaplan-Meier, 95 % CI Greenwood log-log)."
                ),
                style["subheading"],
            )
        )
        rows = [
            (
                a["day"],
                a["at_risk"],
                _free_of_event(a, small),
            )
            for a in o.get("at_days") or []
        ]
        story.append(
            table(("Day", "At risk", "Free of the event (95 % CI)"), rows, style, (30, 30, 120))
        )
        story += neda_status(o, style, small)
    return story


def benchmarks_section(report: dict, style) -> list:
    small = _small(report)
    story = [_heading(7, style)]
    found = report.get("benchmarks") or []
    if not found:
        story.append(
            Paragraph(
                "No published natural-history benchmark is planned for this condition.",
                style["body"],
            )
        )
        return story
    story.append(
        Paragraph(
            text(
                "The comparison says only where the whole observed 95 % CI lies against the "
                "expected range: these patients were not compared with a control group."
            ),
            style["note"],
        )
    )
    for b in found:
        observed = b.get("observed") or {}
        title = f"{b['label']}, at {observed.get('timepoint', DASH)}"
        if b.get("stratified_by"):
            title += f", by {b['stratified_by']}"
        groups = [(s["label"], s) for s in b.get("strata") or []]
        if groups and b.get("observed_all"):
            everyone = {"observed": b["observed_all"], "expected": None, "comparison": NOT_COMPARED}
            groups.append((EVERYONE, everyone))
        if not groups:
            groups = [(observed.get("stratum") or EVERYONE, b)]
        rows = [
            (
                group,
                _observed(part.get("observed") or {}, small),
                _expected(part.get("expected")),
                part.get("comparison") or DASH,
            )
            for group, part in groups
        ]
        texts = " ".join(s["text"] for s in b.get("strata") or [] if s.get("text"))
        story.append(
            KeepTogether(
                [
                    Paragraph(text(title), style["subheading"]),
                    table(
                        ("Patients", "Observed (95 % CI)", "Expected", "Comparison"),
                        rows,
                        style,
                        (40, 55, 40, 45),
                    ),
                    Paragraph(
                        text(f"{b.get('text', '')} {texts} Source: {b.get('source', '')}."),
                        style["note"],
                    ),
                ]
            )
        )
    return story


EVERYONE = "every patient together"
NOT_COMPARED = "not compared: the groups differ in what to expect"


def _observed(part: dict, small: int) -> str:
    """k/n with its exact CI, or n and the mean change with its t interval."""
    if "k" in part:
        return proportion(part, small)
    return f"n = {number(part.get('n'))}; mean change " + estimate(
        part.get("mean_change"), part.get("ci95"), part.get("n"), small, 2
    )


def _expected(part: dict | None) -> str:
    if not part:
        return DASH
    if "low" in part:
        if not part["low"]:
            return f"at most {number(part['high'] * 100)} %"
        return f"{number(part['low'] * 100)} to {number(part['high'] * 100)} %"
    return "mean change " + estimate(part.get("mean_change"), part.get("ci95"), None, 10, 2)


def subgroups_section(report: dict, style) -> list:
    story = [
        _heading(9, style),
        Paragraph(
            "Pre-specified subgroups only. Exploratory: they describe, they test nothing.",
            style["note"],
        ),
    ]
    small = _small(report)
    for group in report.get("subgroups") or []:
        rows = group.get("rows") or []
        keys = list(dict.fromkeys(k for row in rows for k in row))
        shown = [tuple(_subgroup_cell(row, k, small) for k in keys) for row in rows]
        title = f"By {group['name'].replace('_', ' ')} (exploratory)"
        story.append(
            KeepTogether(
                [
                    Paragraph(text(title), style["subheading"]),
                    table([k.replace("_", " ") for k in keys], shown, style),
                ]
            )
        )
    return story


def _subgroup_cell(row: dict, key: str, small: int) -> str:
    """A withheld estimate in a small row says why; other nulls are a dash."""
    n = row.get("n")
    if row.get(key) is None and key not in ("value", "n") and n is not None and n < small:
        return cells.counts_only(small)
    return cell(row.get(key))


def limitations_section(report: dict, style) -> list:
    return [
        _heading(10, style),
        *[Paragraph(text(f"• {line}"), style["body"]) for line in report.get("limitations") or []],
    ]


def _safety(report: dict, style) -> list:
    return [_heading(8, style), *safety_section(report, style)]


SECTIONS = (
    flow_section,
    timepoints_section,
    baseline_section,
    change_section,
    responders_section,
    time_to_event_section,
    benchmarks_section,
    _safety,
    subgroups_section,
    limitations_section,
)
