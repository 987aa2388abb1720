"""Draw a matplotlib figure to inline-safe SVG and PNG, the same bytes on every run.

Figures are made with `matplotlib.figure.Figure` and never with pyplot: pyplot keeps a
global list of open figures and a current backend, which is not safe in a threaded server.
A `Figure` saves itself through the Agg (PNG) and SVG canvases without a display.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

import matplotlib
from matplotlib.figure import Figure

# Read by the SVG writer at save time. Set once, when the module is first imported, to
# constants (never changed per call): the ids of clip paths and markers are then hashes
# of their content instead of random, and text stays text (searchable, read aloud,
# drawn in the page's font) instead of glyph outlines.
matplotlib.rcParams["svg.hashsalt"] = "celltrace-report"
matplotlib.rcParams["svg.fonttype"] = "none"

# Okabe & Ito 2008, "Color Universal Design": told apart with every common colour-vision
# deficiency. Colour is never the only cue: markers, line styles, hatches and labels differ.
BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#999999"

WIDTH_INCHES = 7.0
PNG_DPI = 150


@dataclass(frozen=True)
class ReportFigure:
    """One figure of the report, with the data behind it and what it says in words."""

    name: str  # unique in the report, e.g. "waterfall-edss"; prefixes the SVG's ids
    title: str
    svg: str  # inline-safe: no prolog, no script, no external reference, a viewBox
    png: bytes  # for the PDF
    alt: str  # the figure's message in numbers, for a screen reader and the PDF caption
    headers: tuple[str, ...]
    table: tuple[tuple[str, ...], ...]


def new_figure(height_inches: float) -> Figure:
    figure = Figure(figsize=(WIDTH_INCHES, height_inches), layout="constrained")
    figure.set_facecolor("white")
    return figure


def finish(figure: Figure, *, name: str, title: str, alt: str, headers, table) -> ReportFigure:
    """Save the figure both ways and pack it with its table and alt text."""
    png = io.BytesIO()
    figure.savefig(png, format="png", dpi=PNG_DPI, metadata={"Software": None})
    svg = io.BytesIO()
    figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    return ReportFigure(
        name=name,
        title=title,
        svg=inline_svg(svg.getvalue().decode(), name=name, title=title, alt=alt),
        png=png.getvalue(),
        alt=alt,
        headers=tuple(headers),
        table=tuple(tuple(str(cell) for cell in row) for row in table),
    )


_PROLOG = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_BLOCK = re.compile(r"<(metadata|style)\b.*?</\1>\s*", re.DOTALL)
_SIZE = re.compile(r'\s(width|height)="[^"]*"')
_ID = re.compile(r'\bid="([^"]+)"')
_STYLE = re.compile(r'\sstyle="([^"]*)"')


def _presentation_attributes(match: re.Match) -> str:
    """`style="fill: #fff; stroke: #000"` as `fill="#fff" stroke="#000"`: the same drawing,
    allowed by the pages' Content-Security-Policy, which refuses inline style attributes."""
    pairs = (part.split(":", 1) for part in match.group(1).split(";") if ":" in part)
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in pairs)


def inline_svg(svg: str, *, name: str, title: str, alt: str) -> str:
    """Make matplotlib's SVG safe to paste into a page beside other figures.

    Drop the XML prolog and doctype, the RDF metadata (external vocabularies) and the
    `*{...}` style rule (it would reach every SVG on the page); keep the viewBox but no fixed
    size, so the figure scales to its column; prefix every id with the figure's name, so
    two figures on one page never share one; give it a title and description to be read.
    """
    svg = _BLOCK.sub("", _PROLOG.sub("", svg, count=1))
    svg = _STYLE.sub(_presentation_attributes, svg)
    head_end = svg.index(">")
    head = _SIZE.sub("", svg[:head_end])
    label = f"{name}-title {name}-desc"
    head += f' role="img" aria-labelledby="{label}"'
    described = (
        f'<title id="{name}-title">{escape(title)}</title>'
        f'<desc id="{name}-desc">{escape(alt)}</desc>'
    )
    svg = head + ">" + described + svg[head_end + 1 :]
    for old in sorted(set(_ID.findall(svg)), key=len, reverse=True):
        if old.startswith(f"{name}-"):
            continue
        new = f"{name}-{old}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"')
        svg = svg.replace(f"url(#{old})", f"url(#{new})")
        svg = svg.replace(f'href="#{old}"', f'href="#{new}"')
    return svg.strip() + "\n"
