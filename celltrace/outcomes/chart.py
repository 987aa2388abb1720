"""Geometry of the EDSS course chart, drawn as inline SVG by the template (no script)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from celltrace.clinical.edss_course import EdssCourse

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 32, 16, 36
EDSS_MAX = 10.0


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    label: str
    title: str


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    line: str  # the points of the polyline
    dots: list[Mark]
    worsening: list[Mark]
    improvement: list[Mark]
    relapses: list[Mark]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    plot_top: int
    plot_bottom: int
    plot_left: int
    plot_right: int


def course_chart(course: EdssCourse) -> Chart | None:
    """Place the readings, relapses and events of a course on the chart (None without data)."""
    if not course.points:
        return None
    dates = [p.measured_on for p in course.points] + list(course.relapses)
    first, last = min(dates), max(dates)
    span = max((last - first).days, 30)

    def x(day: dt.date) -> float:
        return round(LEFT + (day - first).days / span * (WIDTH - LEFT - RIGHT), 1)

    def y(edss: float) -> float:
        return round(HEIGHT - BOTTOM - edss / EDSS_MAX * (HEIGHT - TOP - BOTTOM), 1)

    def event_mark(e) -> Mark:
        title = f"{e.label} on {e.on}: EDSS {e.baseline_edss:g} to {e.edss:g}"
        return Mark(x(e.on), y(e.edss), e.label, title)

    return Chart(
        width=WIDTH,
        height=HEIGHT,
        line=" ".join(f"{x(p.measured_on)},{y(p.edss)}" for p in course.points),
        dots=[
            Mark(x(p.measured_on), y(p.edss), f"{p.edss:g}", f"{p.measured_on}: EDSS {p.edss:g}")
            for p in course.points
        ],
        worsening=[event_mark(e) for e in course.events if e.kind == "CDW"],
        improvement=[event_mark(e) for e in course.events if e.kind == "CDI"],
        relapses=[Mark(x(d), TOP, "R", f"Relapse from {d}") for d in course.relapses],
        x_ticks=_date_ticks(first, span, x),
        y_ticks=[Tick(y(v), f"{v:g}") for v in range(0, 11, 2)],
        plot_top=TOP,
        plot_bottom=HEIGHT - BOTTOM,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
    )


def _date_ticks(first: dt.date, span: int, x) -> list[Tick]:
    count = 5
    days = [first + dt.timedelta(days=round(span * i / count)) for i in range(count + 1)]
    return [Tick(x(day), day.strftime("%Y-%m")) for day in days]
