"""Spaghetti plot: each patient's course from baseline through the time points.

One line per patient, the median where a time point has at least `small_cell` values,
and every missed, withdrawn or died visit marked in a band under the data, not dropped.
"""

from __future__ import annotations

import statistics

from matplotlib.lines import Line2D

from celltrace.outcomes.figures import cohort, render

BASELINE = "Baseline"
# Not colour alone: each status has its own marker and legend entry.
STATUS_MARKERS = {
    cohort.MISSED: ("x", render.BLACK),
    cohort.WITHDRAWN: ("v", render.VERMILLION),
    cohort.DIED: ("P", render.PURPLE),
}


def spaghetti_figure(report: dict, rows: cohort.PatientRows, instrument: str):
    """The figure for one instrument, or None when no patient has a value of it."""
    patients = rows.by_patient(instrument)
    order = rows.timepoint_names(report)
    columns = [BASELINE, *order]
    courses = {p: _course(visits, order) for p, visits in patients.items()}
    drawn = {p: c for p, c in courses.items() if any(v is not None for v in c)}
    if not drawn:
        return None
    small_cell = report["rules"]["small_cell"]
    label, unit = cohort.label_of(report, instrument)
    per_column = [[c[i] for c in courses.values() if c[i] is not None] for i in range(len(columns))]
    medians = [statistics.median(v) if len(v) >= small_cell else None for v in per_column]

    figure = render.new_figure(4.2)
    axes = figure.add_subplot()
    values = [v for c in drawn.values() for v in c if v is not None]
    low, high = min(values), max(values)
    pad = (high - low) * 0.08 or 1.0
    band = low - 2 * pad
    lines = dict(cohort.evenly_spaced(list(drawn.items())))
    for patient, course in lines.items():
        xs = [i for i, v in enumerate(course) if v is not None]
        (line,) = axes.plot(
            xs,
            [course[i] for i in xs],
            color=render.BLUE,
            alpha=0.55,
            linewidth=1,
            marker="o",
            markersize=3,
        )
        line.set_gid(f"patient-{patient}")
    marked = _mark_not_assessed(axes, patients, order, band)
    median_xs = [i for i, m in enumerate(medians) if m is not None]
    if median_xs:
        (line,) = axes.plot(
            median_xs,
            [medians[i] for i in median_xs],
            color=render.VERMILLION,
            linewidth=2.5,
            linestyle="--",
            marker="D",
            markersize=6,
            zorder=4,
        )
        line.set_gid("median")
    axes.set_xticks(
        range(len(columns)),
        [f"{c}\nn = {len(per_column[i])}" for i, c in enumerate(columns)],
    )
    axes.set_xlim(-0.4, len(columns) - 0.6)
    axes.set_ylim(band - pad, high + pad)
    axes.axhline(band + pad, color=render.GREY, linewidth=0.5)
    axes.text(-0.35, band, "not assessed", va="center", fontsize=7)
    axes.set_ylabel(f"{label} ({unit})" if unit else label)
    if grades := cohort.grades_of(report, instrument):  # letters, the worst one = 0
        axes.set_yticks(range(len(grades)), grades)
    else:  # no value ticks in the band of visits not assessed
        axes.set_yticks([t for t in axes.get_yticks() if band + pad <= t <= high + pad])
    axes.set_title(f"{label}: each patient's course", loc="left", fontsize=10)
    figure.legend(
        handles=_legend(bool(median_xs), small_cell, marked),
        fontsize=7,
        loc="outside lower center",
        ncols=5,
    )
    table = _table(patients, order)
    tabled = cohort.evenly_spaced(table)
    alt = _alt(label, columns, per_column, medians, table, small_cell)
    alt += cohort.sample_note(len(lines), len(drawn), "The lines are those of")
    alt += cohort.sample_note(len(tabled), len(table), "The table lists")
    return render.finish(
        figure,
        name=f"spaghetti-{instrument}",
        title=f"{label}: each patient's course from baseline",
        alt=alt,
        headers=("Patient", BASELINE, *order),
        table=tabled,
    )


def _missing_value(row: dict) -> bool:
    """Assessed at the visit, but this instrument was not measured: missing for it."""
    return row["status"] == cohort.ASSESSED and row.get("value") is None


def _course(visits: dict[str, dict], order: list[str]) -> list[float | None]:
    values = [cohort.baseline_of(visits)]
    for name in order:
        row = visits.get(name)
        values.append(row.get("value") if row and row["status"] == cohort.ASSESSED else None)
    return values


def _mark_not_assessed(axes, patients: dict, order: list[str], band: float) -> set[str]:
    """One marker per status and time point in the band, with how many patients it holds."""
    marked = set()
    shifts = dict(zip(STATUS_MARKERS, (-0.2, 0, 0.2), strict=True))
    for status, (marker, colour) in STATUS_MARKERS.items():
        for x, name in enumerate(order, start=1):
            n = sum(
                1
                for visits in patients.values()
                if name in visits and _status(visits[name]) == status
            )
            if n:
                axes.scatter([x + shifts[status]], [band], marker=marker, color=colour, s=30)
                axes.text(x + shifts[status] + 0.04, band, str(n), va="center", fontsize=7)
                marked.add(status)
    return marked


def _status(row: dict) -> str:
    return cohort.MISSED if _missing_value(row) else row["status"]


def _legend(with_median: bool, small_cell: int, marked: set[str]) -> list[Line2D]:
    handles = [Line2D([], [], color=render.BLUE, marker="o", markersize=3, label="a patient")]
    if with_median:
        label = f"median (where n ≥ {small_cell})"
        handles.append(
            Line2D([], [], color=render.VERMILLION, linestyle="--", marker="D", label=label)
        )
    for status, (marker, colour) in STATUS_MARKERS.items():
        if status not in marked:
            continue
        word = cohort.STATUS_WORDS[status]
        handles.append(Line2D([], [], color=colour, marker=marker, linestyle="", label=word))
    return handles


def _table(patients: dict[str, dict[str, dict]], order: list[str]) -> list[tuple]:
    table = []
    for patient, visits in patients.items():
        cells = [patient, cohort.number(cohort.baseline_of(visits))]
        for name in order:
            row = visits.get(name)
            if row is None:
                cells.append("—")
            elif row["status"] == cohort.ASSESSED and row.get("value") is not None:
                cells.append(cohort.number(row["value"]))
            elif _missing_value(row):
                cells.append("missed")
            else:
                cells.append(cohort.STATUS_WORDS[row["status"]])
        table.append(tuple(cells))
    return table


def _alt(label, columns, per_column, medians, table, small_cell) -> str:
    parts = []
    for i, column in enumerate(columns):
        n = len(per_column[i])
        median = medians[i]
        if median is not None:
            parts.append(f"{column}: {n} values, median {cohort.number(median)}")
        else:
            parts.append(f"{column}: {n} values" + (" (counts only)" if n else ""))
    missed = sum(1 for row in table for cell in row[2:] if cell == "missed")
    withdrawn = sum(1 for row in table for cell in row[2:] if cell == "withdrawn")
    died = sum(1 for row in table for cell in row[2:] if cell == "died")
    return (
        f"{label} of {len(table)} patients, one line each. " + "; ".join(parts) + ". "
        f"Marked, not dropped: {missed} missed, {withdrawn} withdrawn and {died} died visits. "
        f"No median is drawn where fewer than {small_cell} values exist."
    )
