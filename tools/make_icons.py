"""Draw the scanner's web-app icons (forum/static/checkin/icons/*.png) with Pillow: a white
check mark over a QR-like corner pattern on the board's green. Run once; the PNGs are kept
in the repository (`python tools/make_icons.py`)."""
from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

GREEN, WHITE, DARK = (27, 138, 47), (255, 255, 255), (15, 80, 28)
OUT = Path(__file__).resolve().parent.parent / "forum" / "static" / "checkin" / "icons"


def draw(size: int, maskable: bool) -> Image.Image:
    """The icon at `size` px; a maskable one keeps its mark inside the middle 80% (the safe zone)."""
    scale = 4  # drawn large and scaled down: smooth edges without anti-aliasing primitives
    big = size * scale
    image = Image.new("RGB", (big, big), GREEN)
    pen = ImageDraw.Draw(image)
    inset = big * (0.2 if maskable else 0.12)
    card = (inset, inset, big - inset, big - inset)
    if not maskable:  # a rounded tile on transparent corners would need RGBA; a full square reads fine
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 0.18, fill=GREEN)
    pen.rounded_rectangle(card, radius=(card[2] - card[0]) * 0.12, fill=WHITE)
    span = card[2] - card[0]
    finder = span * 0.26
    for fx, fy in ((0, 0), (1, 0), (0, 1)):  # the three corner squares of a QR code
        x0 = card[0] + span * 0.08 + fx * (span * 0.84 - finder)
        y0 = card[1] + span * 0.08 + fy * (span * 0.84 - finder)
        pen.rectangle((x0, y0, x0 + finder, y0 + finder), fill=DARK)
        pen.rectangle((x0 + finder * 0.18, y0 + finder * 0.18, x0 + finder * 0.82, y0 + finder * 0.82), fill=WHITE)
        pen.rectangle((x0 + finder * 0.34, y0 + finder * 0.34, x0 + finder * 0.66, y0 + finder * 0.66), fill=DARK)
    width = span * 0.1
    points = [(card[0] + span * 0.38, card[1] + span * 0.68), (card[0] + span * 0.55, card[1] + span * 0.84),
              (card[0] + span * 0.9, card[1] + span * 0.42)]
    pen.line(points, fill=GREEN, width=int(width), joint="curve")
    for x, y in (points[0], points[-1]):
        pen.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=GREEN)
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    draw(192, False).save(OUT / "icon-192.png", optimize=True)
    draw(512, False).save(OUT / "icon-512.png", optimize=True)
    draw(512, True).save(OUT / "maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
