"""Small bar charts for the dashboards, drawn as inline SVG by web/_bar_chart.html (no script).

A glance at a bar chart beats a table for a few counts (a doctor's load over two weeks,
requests by age, adverse events by grade); the numbers are always printed too, in the
chart and beside it, for readers who do not see it.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 360, 140
LEFT, RIGHT, TOP, BOTTOM = 8, 8, 16, 22
GAP = 0.25  # of each bar's slot left empty


@dataclass(frozen=True)
class Bar:
    label: str  # under the bar, short
    value: int
    x: float
    y: float
    width: float
    height: float
    over: bool  # above the chart's limit line
    title: str  # the bar's label in full and its value

    @property
    def center(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class BarChart:
    key: str  # unique on the page: the id of the chart's <title>
    title: str
    width: int
    height: int
    bars: list[Bar]
    baseline: float
    limit_y: float | None
    limit: int | None

    @property
    def text(self) -> str:
        """The chart's numbers in words, for the page beside it."""
        return ", ".join(bar.title for bar in self.bars)


def bar_chart(
    key: str,
    title: str,
    values: Sequence[tuple[str, int]],
    *,
    limit: int | None = None,
    long_labels: Sequence[str] = (),
    width: int = WIDTH,
    height: int = HEIGHT,
) -> BarChart:
    """Place one bar per (label, count); a `limit` draws a line and marks the bars above it.

    `long_labels`, one per bar, name the bars in their titles and the text when the short
    label under a bar is not enough ("12" under the bar, "Mon 12 May" in words).
    """
    names = list(long_labels) or [label for label, _value in values]
    top = max([value for _label, value in values] + [limit or 0, 1])
    plot_height = height - TOP - BOTTOM
    slot = (width - LEFT - RIGHT) / max(len(values), 1)
    baseline = height - BOTTOM

    def y(value: float) -> float:
        return round(baseline - value / top * plot_height, 1)

    bars = [
        Bar(
            label=label,
            value=value,
            x=round(LEFT + i * slot + slot * GAP / 2, 1),
            y=y(value),
            width=round(slot * (1 - GAP), 1),
            height=round(baseline - y(value), 1),
            over=limit is not None and value > limit,
            title=f"{names[i]}: {value}",
        )
        for i, (label, value) in enumerate(values)
    ]
    return BarChart(
        key=key,
        title=title,
        width=width,
        height=height,
        bars=bars,
        baseline=baseline,
        limit_y=None if limit is None else y(limit),
        limit=limit,
    )


# A consultation request's wait, in the buckets the manager watches: (label, upper bound).
AGE_BUCKETS = (
    ("under 1 day", dt.timedelta(days=1)),
    ("1-3 days", dt.timedelta(days=3)),
    ("3-7 days", dt.timedelta(days=7)),
    ("over 7 days", None),
)


def age_bucket(age: dt.timedelta) -> str:
    """Name the bucket of a wait; a bound belongs to the older bucket (exactly 1 day: 1-3)."""
    for label, below in AGE_BUCKETS:
        if below is None or age < below:
            return label
    raise AssertionError("the last bucket has no bound")


def count_by_age(created: Iterable[dt.datetime], now: dt.datetime) -> list[tuple[str, int]]:
    """Count the waits in each bucket, every bucket listed, youngest first."""
    counts = {label: 0 for label, _below in AGE_BUCKETS}
    for moment in created:
        counts[age_bucket(now - moment)] += 1
    return list(counts.items())
