"""Grade transitions on an ordinal scale (the AIS grade in SCI): baseline grade against the
grade at one time point.

Drawn from the transitions the report states (clinical/registry/change.py), so the figure
and the report's table cannot disagree. A grid of counts, every cell written as a number
(the shade only repeats it); the columns "no data" (due, no grade) and "died" (before the
time point) hold everyone else whose time point came, so none is left out. The time point
is the one with the most patients graded (the earlier on a tie).
"""

from __future__ import annotations

from matplotlib.colors import LinearSegmentedColormap

from celltrace.clinical.registry.change import DIED_COLUMN as DIED
from celltrace.clinical.registry.change import NO_DATA
from celltrace.outcomes.figures import render

SHADES = LinearSegmentedColormap.from_list("okabe-ito-blue", ["#FFFFFF", render.BLUE])


def transition_figures(report: dict) -> list[render.ReportFigure]:
    """One grid per measure the report gives transitions for, at its busiest time point."""
    by_instrument: dict[str, list[dict]] = {}
    for outcome in report.get("outcomes") or []:
        if outcome.get("transitions"):
            by_instrument.setdefault(outcome["instrument"], []).append(outcome)
    figures = (_grid(_busiest(outcomes)) for outcomes in by_instrument.values())
    return [figure for figure in figures if figure is not None]


def _graded(outcome: dict) -> int:
    """Patients graded at baseline and at the time point."""
    table = outcome["transitions"]
    grades = table["grades"]
    return sum(sum(r["counts"][: len(grades)]) for r in table["rows"] if r["baseline"] in grades)


def _busiest(outcomes: list[dict]) -> dict:
    """The time point with the most patients graded; the earlier (the report's order) on a tie
    (max keeps the first of equals)."""
    return max(outcomes, key=_graded)


def _grid(outcome: dict):
    """The grid, or None when no patient has a grade at baseline and after."""
    table, timepoint, label = outcome["transitions"], outcome["timepoint"], outcome["label"]
    if not _graded(outcome):
        return None
    grades, columns = table["grades"], table["columns"]
    starts = [r["baseline"] for r in table["rows"]]
    counts = [r["counts"] for r in table["rows"]]

    figure = render.new_figure(1.2 + 0.45 * len(starts))
    axes = figure.add_subplot()
    most = max(map(max, counts)) or 1
    axes.pcolormesh(
        counts,
        cmap=SHADES,
        vmin=0,
        vmax=most,
        edgecolors=render.GREY,
        linewidth=0.5,
    )
    for i, line in enumerate(counts):
        for j, n in enumerate(line):
            same = starts[i] in grades and starts[i] == columns[j]
            text = axes.text(
                j + 0.5,
                i + 0.5,
                f"{n}" + (" =" if same and n else ""),
                ha="center",
                va="center",
                fontsize=9,
                fontweight="bold" if same else "normal",
                color="white" if n / most > 0.55 else render.BLACK,
            )
            text.set_gid(f"cell-{starts[i]}-{columns[j]}".replace(" ", "_"))
    axes.set_xticks([j + 0.5 for j in range(len(columns))], columns)
    axes.set_yticks([i + 0.5 for i in range(len(starts))], starts)
    axes.invert_yaxis()
    axes.set_xlabel(f"{label} at {timepoint}")
    axes.set_ylabel(f"{label} at baseline")
    axes.set_title(
        f"{label} transitions, baseline to {timepoint} (counts; '=' unchanged)",
        loc="left",
        fontsize=10,
    )
    rows = [(start, *map(str, line)) for start, line in zip(starts, counts, strict=True)]
    return render.finish(
        figure,
        name=f"{outcome['instrument']}-transitions",
        title=f"{label} at baseline and at {timepoint}: counts of patients",
        alt=_alt(outcome),
        headers=("Baseline grade", *columns),
        table=rows,
    )


def _alt(outcome: dict) -> str:
    """The grid in words: the report's better / same / worse, and who has no grade."""
    table, timepoint, label = outcome["transitions"], outcome["timepoint"], outcome["label"]
    grades, columns = table["grades"], table["columns"]
    column_total = [sum(r["counts"][j] for r in table["rows"]) for j in range(len(columns))]
    died = column_total[columns.index(DIED)]
    missing = column_total[columns.index(NO_DATA)]
    due = sum(column_total) - died
    text = (
        f"Of {due} patients due at {timepoint}, {table['better']} reached a better "
        f"{label}, {table['same']} kept their grade, {table['worse']} had a worse grade and "
        f"{missing} have no data."
    )
    no_baseline = next((r for r in table["rows"] if r["baseline"] not in grades), None)
    if no_baseline:
        text += f" {sum(no_baseline['counts'])} had no baseline grade."
    if died:
        text += f" {died} died before {timepoint}."
    first = next((r for r in table["rows"] if r["baseline"] == grades[0]), None)
    if first:
        graded = first["counts"][: len(grades)]
        converted = f"{sum(graded[1:])} of {sum(graded)} graded converted"
        text += f" {label} {grades[0]} at baseline: {converted}."
    return text
