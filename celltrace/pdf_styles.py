"""The styles of every PDF that can show a patient's name or words.

reportlab's standard fonts (Helvetica) have no Cyrillic glyphs: a Russian name would come out
as black boxes and could not be searched or copied. DejaVu Sans writes Latin, Cyrillic and
Greek; matplotlib (a pinned dependency) ships it, so it is found through matplotlib's own
data path, never a system one that a server may not have.
"""

from functools import cache
from pathlib import Path

import matplotlib
from reportlab.lib.fonts import addMapping
from reportlab.lib.styles import ParagraphStyle, StyleSheet1, getSampleStyleSheet
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"


@cache
def _register_fonts() -> None:
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    for bold, italic in ((0, 0), (0, 1), (1, 0), (1, 1)):  # <b> and <i> in a paragraph
        addMapping(FONT, bold, italic, BOLD if bold else FONT)


def stylesheet() -> StyleSheet1:
    """Return reportlab's sample styles, written in a font with Cyrillic glyphs."""
    _register_fonts()
    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        if isinstance(style, ParagraphStyle):
            style.fontName = BOLD if "Bold" in style.fontName else FONT
    return styles
