"""Waterfall: each due patient's change at one time point, sorted, with the MCID lines.

One bar per patient due at the time point (assessed, missed or withdrawn); a patient
without a change there is a hatched "no data" bar with the reason, never left out. The
time point is the one with the most patients assessed (the earlier on a tie).

Each bar's class, the direction of improvement and the MCID lines are the row's own
(`verdict`, `lower_is_better`, `improvement_needed`, `worsening_needed`: classified once,
in celltrace.clinical.registry.mcid); nothing is classified here.
"""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from celltrace.outcomes.figures import cohort, render

IMPROVED, NO_CLEAR_CHANGE, WORSENED, NOT_CLASSIFIABLE, UNCLASSIFIED = (
    "improved",
    "no clear change",
    "worsened",
    "not classifiable",
    "change",
)
# Colour, hatch and legend word differ for each class (never colour alone).
STYLES = {
    IMPROVED: (render.GREEN, ""),
    NO_CLEAR_CHANGE: (render.GREY, ".."),
    WORSENED: (render.VERMILLION, "//"),
    NOT_CLASSIFIABLE: (render.ORANGE, "++"),
    UNCLASSIFIED: (render.BLUE, ""),
}
# The row's verdict (the CSV's words) -> the bar's class; "no_mcid" pairs are UNCLASSIFIED.
KINDS = {
    "improved": IMPROVED,
    "no_clear_change": NO_CLEAR_CHANGE,
    "worsened": WORSENED,
    "not_classifiable": NOT_CLASSIFIABLE,
}
NO_MCID = "no_mcid"


# Above this many bars the patients are named in the data table, not under each bar.
LABELLED_BARS = 60


@dataclass(frozen=True)
class Bar:
    patient: str
    change: float | None  # in the plotted unit; None: no data
    why: str  # "" or the reason there is no change ("missed", "no baseline", ...)
    improve_at: float | None  # the MCID, as changes in the plotted unit (signed)
    worsen_at: float | None
    kind: str  # IMPROVED, NO_CLEAR_CHANGE, WORSENED, NOT_CLASSIFIABLE or UNCLASSIFIED


def waterfall_bars(
    report: dict, rows: cohort.PatientRows, instrument: str
) -> tuple[str, list[Bar]]:
    """The time point and its bars: changes sorted, then the patients without one.

    ("", []) when no patient due at any time point has a change.
    """
    timepoint = rows.busiest_timepoint(instrument, rows.timepoint_names(report))
    if timepoint is None:
        return "", []
    relative = cohort.mcid_of(report, instrument).get("kind") == "relative"
    due = [
        visits[timepoint]
        for visits in rows.by_patient(instrument).values()
        if timepoint in visits and visits[timepoint]["status"] in cohort.DUE
    ]
    bars = [_bar(row, relative) for row in due]
    shown = sorted((b for b in bars if b.change is not None), key=lambda b: b.change)
    if not shown:
        return "", []
    return timepoint, shown + [b for b in bars if b.change is None]


def waterfall_figure(report: dict, rows: cohort.PatientRows, instrument: str):
    """The figure for one instrument, or None when no patient has a change to show."""
    timepoint, bars = waterfall_bars(report, rows, instrument)
    if not bars:
        return None
    shown = [b for b in bars if b.change is not None]
    mcid = cohort.mcid_of(report, instrument)
    label, unit = cohort.label_of(report, instrument)
    relative = mcid.get("kind") == "relative"
    axis_unit = "% of baseline" if relative else unit

    figure = render.new_figure(4.0)
    axes = figure.add_subplot()
    extent = max(max(abs(b.change) for b in shown), *_thresholds(bars), 1e-9)
    labelled = len(bars) <= LABELLED_BARS
    drawn = cohort.evenly_spaced(bars)  # sorted: a sample keeps the changes' quantiles
    for i, bar in enumerate(drawn):
        _draw(axes, i, bar, extent, labelled=labelled)
    _draw_mcid(axes, drawn)
    axes.axhline(0, color=render.BLACK, linewidth=0.8)
    if labelled:
        axes.set_xticks(range(len(bars)), [b.patient for b in bars], rotation=90, fontsize=6)
    elif len(drawn) < len(bars):  # a sample: the alt text and the CSV count everyone
        axes.set_xticks([])
        axes.set_xlabel(f"{len(bars)} patients, sorted by change ({len(drawn)} evenly spaced)")
        _label_no_data(axes, drawn, extent)
    else:  # too many to name: the data table names them
        axes.set_xticks([])
        axes.set_xlabel(f"{len(bars)} patients, sorted by change (named in the data table)")
        _label_no_data(axes, bars, extent)
    axes.set_xlim(-0.6, len(drawn) - 0.4)
    axes.set_ylim(-extent * 1.25, extent * 1.25)
    axes.set_ylabel(f"change at {timepoint} ({axis_unit})" if axis_unit else "change")
    axes.set_title(f"{label}: change from baseline at {timepoint}", loc="left", fontsize=10)
    figure.legend(handles=_legend(bars), fontsize=7, loc="outside lower center", ncols=5)
    headers = ("Patient", "Status", "Change" + (" (%)" if relative else ""), "Class")
    table = [
        (
            b.patient,
            b.why or "assessed",
            cohort.number(b.change),
            b.kind or "no data",
        )
        for b in drawn
    ]
    alt = _alt(label, timepoint, bars, mcid)
    alt += cohort.sample_note(len(drawn), len(bars), "The bars and the table are those of")
    return render.finish(
        figure,
        name=f"waterfall-{instrument}",
        title=f"{label}: change from baseline at {timepoint}, one bar per patient due",
        alt=alt,
        headers=headers,
        table=table,
    )


def _bar(row: dict, relative: bool) -> Bar:
    """The row's bar: its change (in % of baseline for a relative MCID), class and lines."""
    patient, baseline, value = row["patient"], row.get("baseline"), row.get("value")
    if row["status"] != cohort.ASSESSED or value is None:
        why = "missed" if row["status"] == cohort.ASSESSED else row["status"]
        return Bar(patient, None, cohort.STATUS_WORDS.get(why, why), None, None, "")
    if baseline is None:
        return Bar(patient, None, "no baseline", None, None, "")
    verdict = row.get("verdict")
    if verdict is None or row.get("verdict_reason") == NO_MCID:
        kind = UNCLASSIFIED
    else:
        kind = KINDS[verdict]
    if relative and baseline == 0:  # no percentage of nothing; the row says why
        return Bar(patient, None, "baseline 0, not classifiable", None, None, kind)
    scale = 100 / abs(baseline) if relative else 1
    change = (value - baseline) * scale
    improve, worsen = row.get("improvement_needed"), row.get("worsening_needed")
    if kind not in (IMPROVED, NO_CLEAR_CHANGE, WORSENED) or improve is None or worsen is None:
        return Bar(patient, change, "", None, None, kind)
    better = -1 if row["lower_is_better"] else 1
    return Bar(patient, change, "", better * improve * scale, -better * worsen * scale, kind)


def _thresholds(bars: list[Bar]) -> list[float]:
    return [abs(t) for b in bars for t in (b.improve_at, b.worsen_at) if t is not None]


def _draw(axes, i: int, bar: Bar, extent: float, *, labelled: bool) -> None:
    if bar.change is None:
        (patch,) = axes.bar(
            i,
            extent * 0.5,
            bottom=-extent * 0.25,
            color="white",
            edgecolor=render.BLACK,
            hatch="xx",
            linewidth=0.6,
        )
        patch.set_gid(f"nodata-{bar.patient}")
        if not labelled:
            return
        axes.text(
            i,
            extent * 0.3,
            f"no data: {bar.why}",
            rotation=90,
            ha="center",
            va="bottom",
            fontsize=6,
        )
        return
    colour, hatch = STYLES[bar.kind]
    (patch,) = axes.bar(
        i, bar.change, color=colour, hatch=hatch, edgecolor=render.BLACK, linewidth=0.4
    )
    patch.set_gid(f"bar-{bar.patient}")
    if bar.change == 0 and labelled:  # a bar of height 0 is invisible: say it
        axes.text(i, extent * 0.03, "0", ha="center", va="bottom", fontsize=7)


def _draw_mcid(axes, bars: list[Bar]) -> None:
    """One dashed line per side when the MCID is one number; else a dash over each bar."""
    for side in ("improve_at", "worsen_at"):
        levels = [getattr(b, side) for b in bars if b.change is not None]
        if all(level is None for level in levels):
            continue
        if len(set(levels)) == 1:
            axes.axhline(levels[0], color=render.BLACK, linestyle="--", linewidth=1)
            continue
        for i, level in enumerate(levels):
            if level is not None:
                axes.hlines(level, i - 0.5, i + 0.5, colors=render.BLACK, linestyles="dashed")


def _label_no_data(axes, bars: list[Bar], extent: float) -> None:
    missing = [i for i, b in enumerate(bars) if b.change is None]
    if missing:
        middle = (missing[0] + missing[-1]) / 2
        axes.text(middle, extent * 0.3, f"no data: {len(missing)}", ha="center", fontsize=7)


def _legend(bars: list[Bar]) -> list[Patch]:
    kinds = dict.fromkeys(b.kind for b in bars if b.change is not None)
    handles = [
        Patch(facecolor=STYLES[k][0], hatch=STYLES[k][1], edgecolor=render.BLACK, label=k)
        for k in kinds
    ]
    if any(b.change is None for b in bars):
        handles.append(
            Patch(facecolor="white", hatch="xx", edgecolor=render.BLACK, label="no data")
        )
    if _thresholds(bars):
        handles.append(Line2D([], [], color=render.BLACK, linestyle="--", label="MCID"))
    return handles


def _alt(label: str, timepoint: str, bars: list[Bar], mcid: dict) -> str:
    changes = [b for b in bars if b.change is not None]
    missing = [b for b in bars if b.change is None]
    text = f"{label} at {timepoint}: {len(bars)} patients due, {len(changes)} with a change"
    counts = {
        k: sum(1 for b in bars if b.kind == k)
        for k in (IMPROVED, NO_CLEAR_CHANGE, WORSENED, NOT_CLASSIFIABLE)
    }
    if any(counts.values()):
        text += f" ({counts[IMPROVED]} improved, {counts[NO_CLEAR_CHANGE]} no clear change, "
        text += f"{counts[WORSENED]} worsened by the MCID, {mcid.get('text', '')}"
        if counts[NOT_CLASSIFIABLE]:
            text += f"; {counts[NOT_CLASSIFIABLE]} not classifiable from a baseline of 0"
        text += ")"
    else:
        down = sum(1 for b in changes if b.change < 0)
        up = sum(1 for b in changes if b.change > 0)
        text += f" ({down} lower, {up} higher, {len(changes) - down - up} unchanged; no MCID)"
    reasons: dict[str, int] = {}
    for b in missing:
        reasons[b.why] = reasons.get(b.why, 0) + 1
    detail = ", ".join(f"{n} {why}" for why, n in reasons.items())
    text += f", {len(missing)} with no data" + (f" ({detail})" if detail else "") + "."
    return text
