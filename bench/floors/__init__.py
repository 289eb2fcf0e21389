"""Floors: the least work that gives the user the same result, written outside the product
(nothing here imports `forum`), so a bench row can catch the product's waste."""
from __future__ import annotations

from pathlib import Path

FONTS = Path(__file__).resolve().parents[2] / "forum" / "static" / "fonts"
REGULAR, BOLD = "FloorSans", "FloorSans-Bold"  # the product's DejaVu files (Cyrillic and Tajik letters)


def register_fonts() -> None:
    """The floors' two fonts, registered with reportlab once per process."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(FONTS / "DejaVuSans-Bold.ttf")))
