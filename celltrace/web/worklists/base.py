"""What a dashboard section is: a titled list of rows, drawn by the partial of its kind."""

from dataclasses import dataclass, field

from django.urls import reverse

# The most rows a section shows; its link opens the full list.
SHOWN = 50


@dataclass
class Queue:
    title: str
    rows: list = field(default_factory=list)
    link: str = ""
    kind: str = "links"  # rendered by web/worklists/_<kind>.html
    note: str = ""
    charts: list = field(default_factory=list)  # web.charts.BarChart, drawn above the rows
    empty: str = "Nothing waiting."
    counted: bool = True  # a list of work items, counted in a badge (not a glance at figures)
    served: object = None  # figures from a snapshot (celltrace.snapshots.Served): their time

    @property
    def template(self) -> str:
        return f"web/worklists/_{self.kind}.html"


def links_queue(title: str, rows, url_name: str = "", **fields) -> Queue:
    """A plain list of records, each a link to its own page."""
    return Queue(title, list(rows[:SHOWN]), reverse(url_name) if url_name else "", **fields)
