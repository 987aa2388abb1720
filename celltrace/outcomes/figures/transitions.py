"""AIS grade transitions (SCI): baseline grade against the grade at one time point.

A grid of counts, every cell written as a number (the shade only repeats it); a column
"no data" holds the patients due there without a grade, so none is left out. The time
point is the one with the most patients graded (the earlier on a tie).
"""

from __future__ import annotations

from matplotlib.colors import LinearSegmentedColormap

from celltrace.outcomes.figures import cohort, render

INSTRUMENT = "ais"
GRADES = ("A", "B", "C", "D", "E")
NO_DATA = "no data"
SHADES = LinearSegmentedColormap.from_list("okabe-ito-blue", ["#FFFFFF", render.BLUE])


def transition_figure(report: dict, rows: list[dict]):
    """The grid, or None when no patient has an AIS grade at baseline and after."""
    order = cohort.timepoint_names(report, rows)
    timepoint = cohort.busiest_timepoint(rows, INSTRUMENT, order)
    if timepoint is None:
        return None
    due = [
        visits[timepoint]
        for visits in cohort.by_patient(rows, INSTRUMENT).values()
        if timepoint in visits and visits[timepoint]["status"] in cohort.DUE
    ]
    starts = [g for g in GRADES if any(r.get("baseline_category") == g for r in due)]
    if not starts:
        return None
    if any(r.get("baseline_category") not in GRADES for r in due):
        starts.append(NO_DATA)
    columns = [*GRADES, NO_DATA]
    counts = [[0] * len(columns) for _ in starts]
    for row in due:
        start = row.get("baseline_category") if row.get("baseline_category") in GRADES else NO_DATA
        graded = row["status"] == cohort.ASSESSED and row.get("category") in GRADES
        counts[starts.index(start)][columns.index(row["category"] if graded else NO_DATA)] += 1

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
            same = starts[i] in GRADES and starts[i] == columns[j]
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
    axes.set_xlabel(f"AIS grade at {timepoint}")
    axes.set_ylabel("baseline AIS grade")
    axes.set_title(
        f"AIS grade transitions, baseline to {timepoint} (counts; '=' unchanged)",
        loc="left",
        fontsize=10,
    )
    table = [(start, *line) for start, line in zip(starts, counts, strict=True)]
    return render.finish(
        figure,
        name="ais-transitions",
        title=f"AIS grade at baseline and at {timepoint}: counts of patients",
        alt=_alt(timepoint, starts, columns, counts),
        headers=("Baseline grade", *columns),
        table=table,
    )


def _alt(timepoint: str, starts, columns, counts) -> str:
    better = same = worse = 0
    for i, start in enumerate(starts):
        for j, column in enumerate(columns):
            if start in GRADES and column in GRADES:
                step = GRADES.index(column) - GRADES.index(start)
                better += counts[i][j] if step > 0 else 0
                same += counts[i][j] if step == 0 else 0
                worse += counts[i][j] if step < 0 else 0
    missing = sum(line[-1] for line in counts)
    total = sum(map(sum, counts))
    text = (
        f"Of {total} patients due at {timepoint}, {better} reached a better AIS grade, "
        f"{same} kept their grade, {worse} had a worse grade and {missing} have no data."
    )
    if "A" in starts:
        line = counts[starts.index("A")]
        converted = sum(line[1 : len(GRADES)])
        text += f" AIS A at baseline: {converted} of {sum(line[: len(GRADES)])} graded converted."
    return text
