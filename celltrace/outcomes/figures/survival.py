"""Kaplan-Meier step curve with its 95 % CI band and the numbers at risk under it.

Drawn from the report's `time_to_event` entry (lifelines computed it); the curve stops
where fewer than `small_cell` patients remain at risk, as the estimate is suppressed there.
Before the first event there is no two-sided band (the report gives a one-sided lower
bound there instead, listed in the table).
"""

from __future__ import annotations

import math

from celltrace.outcomes.figures import render


def survival_figure(report: dict, outcome: dict):
    """The figure for one time-to-event outcome, or None when it has no patients."""
    if not outcome.get("patients"):
        return None
    small_cell = report["rules"]["small_cell"]
    (times, survival, lower, upper), stopped = _drawn(outcome, small_cell)
    at_days = [{"day": 0, "at_risk": outcome["patients"]}] + list(outcome.get("at_days") or [])
    last_day = max([a["day"] for a in at_days] + list(outcome.get("times_days") or []))
    label = outcome.get("label") or outcome["name"]

    figure = render.new_figure(4.2)
    grid = figure.add_gridspec(2, 1, height_ratios=(5, 1))
    axes = figure.add_subplot(grid[0])
    risk = figure.add_subplot(grid[1], sharex=axes)
    if len(times) > 1:
        axes.fill_between(
            times,
            lower,
            upper,
            step="post",
            color=render.SKY_BLUE,
            alpha=0.4,
            hatch="..",
            linewidth=0,
            label="95 % CI (log-log)",
        )
        (line,) = axes.step(
            times,
            survival,
            where="post",
            color=render.BLUE,
            linewidth=2,
            label="Kaplan-Meier estimate",
        )
        line.set_gid("km-curve")
        if stopped:
            axes.axvline(times[-1], color=render.GREY, linestyle=":", linewidth=1)
            axes.text(
                times[-1],
                0.5,
                f"  estimate stops: fewer than {small_cell} at risk",
                fontsize=7,
                va="bottom",
            )
        axes.legend(fontsize=7, loc="upper right")
    else:
        axes.text(
            0.5,
            0.5,
            f"fewer than {small_cell} at risk: counts only",
            transform=axes.transAxes,
            ha="center",
        )
    axes.set_ylim(0, 1.05)
    axes.set_xlim(0, last_day * 1.05 or 1)
    axes.set_ylabel("free of the event")
    axes.set_title(label, loc="left", fontsize=10)
    risk.set_axis_off()
    risk.text(-0.04, 0.5, "at risk", transform=risk.transAxes, ha="right", va="center", fontsize=7)
    for entry in at_days:
        risk.text(entry["day"], 0.5, str(entry["at_risk"]), ha="center", va="center", fontsize=8)
    axes.set_xticks([a["day"] for a in at_days])
    axes.set_xlabel("days after the first administration")
    return render.finish(
        figure,
        name=f"km-{outcome['name']}",
        title=f"{label}: Kaplan-Meier estimate with 95 % CI and numbers at risk",
        alt=_alt(label, outcome, small_cell),
        headers=("Day", "At risk", "Free of the event", "95 % CI"),
        table=[_row(a) for a in at_days],
    )


def _drawn(outcome: dict, small_cell: int):
    """The curve's points up to where fewer than `small_cell` remain at risk; cut short?"""
    points = list(
        zip(
            outcome.get("times_days") or [],
            outcome.get("survival") or [],
            outcome.get("ci95_lower") or [],
            outcome.get("ci95_upper") or [],
            outcome.get("at_risk") or [],
            strict=False,
        )
    )
    if points and points[0][0] > 0:
        points.insert(0, (0, 1.0, None, None, outcome["patients"]))
    kept = []
    for time, s, lo, hi, at_risk in points:
        if at_risk < small_cell or s is None:
            break
        # no band before the first event: NaN leaves a gap in fill_between
        kept.append((time, s, math.nan if lo is None else lo, math.nan if hi is None else hi))
    columns = tuple(list(c) for c in zip(*kept, strict=True)) if kept else ([], [], [], [])
    return columns, len(kept) < len(points)


def _row(entry: dict) -> tuple:
    if entry["day"] == 0:
        return (0, entry["at_risk"], "1", "—")
    survival, ci = entry.get("survival"), entry.get("ci95")
    if survival is None:
        return (entry["day"], entry["at_risk"], "n < 10: counts only", "—")
    bound = entry.get("ci95_lower_one_sided")
    ci_text = f"{ci[0]:.2f}-{ci[1]:.2f}" if ci else "—"
    if bound is not None:
        ci_text = f">= {bound:.2f} ({entry['interval_note']})"
    return (entry["day"], entry["at_risk"], f"{survival:.2f}", ci_text)


def _alt(label: str, outcome: dict, small_cell: int) -> str:
    text = (
        f"{label}: {outcome['patients']} patients, {outcome.get('events', 0)} with the event, "
        f"{outcome.get('censored', 0)} censored."
    )
    for entry in outcome.get("at_days") or []:
        survival, ci = entry.get("survival"), entry.get("ci95")
        if survival is None:
            text += (
                f" Day {entry['day']}: {entry['at_risk']} at risk, no estimate (n < {small_cell})."
            )
        else:
            ci_text = f" (95 % CI {ci[0]:.0%} to {ci[1]:.0%})" if ci else ""
            if entry.get("ci95_lower_one_sided") is not None:
                ci_text = (
                    f" (no event yet: at least {entry['ci95_lower_one_sided']:.0%}, "
                    "one-sided 95 % exact bound)"
                )
            text += (
                f" Day {entry['day']}: {survival:.0%} free of the event{ci_text}, "
                f"{entry['at_risk']} at risk."
            )
    return text
