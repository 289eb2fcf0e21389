"""Demo drawings for the Isfara forum: a dozen pictures painted with Pillow (houses, planes,
suns, words), some approved, scored by the demo juror and awarded, some still pending.
Idempotent: a forum that already has drawings is left as it is."""
from __future__ import annotations

import io
import math
import random
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from PIL import Image, ImageDraw, ImageFont

from forum.auth.service import find_user
from forum.demo.names import phone
from forum.drawings import scoring, service
from forum.drawings.models import Drawing
from forum.extensions import db

FONT = Path(__file__).resolve().parent.parent / "static" / "fonts" / "DejaVuSans-Bold.ttf"
JUROR_EMAIL = "jury@forum.example"

# (title, first name, age, place, guardian, scene, words, status, scores or None, award)
DRAWINGS = [
    ("Падарам ба Русия парвоз мекунад", "Мадина", 8, "Ҷамоати Чоркӯҳ", "Раҳимова Гулнора", "plane_house",
     "", "approved", (9, 8, 8), "first"),
    ("Папа, возвращайся!", "Фаррух", 7, "Школа № 5, Исфара", "Каримова Зарина", "words", "ПАПА, ВОЗВРАЩАЙСЯ!",
     "approved", (7, 7, 6), None),
    ("Хонаи мо", "Нигина", 9, "Ҷамоати Сурх", "Сафарова Малика", "sun_house", "", "approved", (7, 6, 7), "second"),
    ("Самолёт над горами", "Умед", 11, "Ҷамоати Навгилем", "Юсуфова Саодат", "plane_mountains", "",
     "approved", (9, 9, 8), "first"),
    ("Модарам дар интизор", "Шаҳноза", 12, "Мактаби № 12, Ғончӣ", "Назарова Мунира", "mother_window", "",
     "approved", (8, 7, 8), "second"),
    ("Наврӯз бо падар", "Ҷамшед", 13, "Ҷамоати Шаҳрак", "Қодирова Зебо", "sun_tree", "НАВРӮЗ",
     "approved", (8, 7, 8), None),
    ("Роҳи дароз", "Малика", 15, "Ҷамоати Муҷун", "Ғафурова Нодира", "road", "", "approved", (9, 8, 9), "first"),
    ("Письмо отцу", "Зафар", 16, "Школа № 2, Калининобод", "Шарипова Манижа", "words", "ДАДА, МЫ ЖДЁМ ТЕБЯ",
     "approved", None, "special"),
    ("Оилаи мо", "Фотима", 6, "Ҷамоати Чоркӯҳ", "Мирзоева Ҳафиза", "family", "", "pending", None, None),
    ("Поезд в Москву", "Исмоил", 10, "Ҷамоати Сурх", "Холова Дилноза", "plane_mountains", "", "pending", None, None),
    ("Боғи бобо", "Зарина", 14, "Ҷамоати Ғончӣ", "Ҷӯраева Парвина", "sun_tree", "", "pending", None, None),
    ("Орзу", "Сӯҳроб", 17, "Мактаби № 1, Исфара", "Абдуллоева Озода", "words", "ОРЗУИ МАН — ХОНАИ НАВ",
     "pending", None, None),
]


def load(forums: dict) -> None:
    forum = forums.get("isfara-2011")
    if forum is None or db.session.scalar(sa.select(sa.func.count(Drawing.id)).where(Drawing.forum_id == forum.id)):
        return
    rng = random.Random(20110505)
    upload_dir = current_app.config["UPLOAD_DIR"]
    settings = service.settings_for(forum)
    juror = find_user(JUROR_EMAIL)
    organizer = find_user("organizer@forum.example")
    taken: set[str] = set()
    for index, (title, name, age, place, guardian, scene, words, status, scores, award) in enumerate(DRAWINGS):
        data = service.Submission(child_first_name=name, place=place, title=title, guardian_name=guardian,
                                  guardian_phone=phone(rng, taken), language="tg" if index % 3 else "ru",
                                  child_age=age)
        drawing = service.submit_drawing(forum, data, paint(scene, words, rng), upload_dir, send_link=False)
        drawing.consent_at = forum.starts_at - timedelta(days=3 + index % 5, hours=index)
        if status == "approved" and organizer is not None:
            service.approve(drawing, organizer)
            if scores and juror is not None:
                scoring.save_scores(drawing, juror, dict(zip((c["key"] for c in settings.criteria), scores,
                                                             strict=False)))
            drawing.award = award
        db.session.commit()


def paint(scene: str, words: str, rng: random.Random) -> bytes:
    """A child-like picture as PNG bytes: crayon colours on paper."""
    width, height = 1200, 900
    picture = Image.new("RGB", (width, height), (250, 247, 236))
    draw = ImageDraw.Draw(picture)
    ground = 640 + rng.randint(-30, 30)
    draw.rectangle([0, 0, width, ground], fill=(196, 226, 250))
    draw.rectangle([0, ground, width, height], fill=(140, 200, 110))
    painters = {
        "plane_house": lambda: (_sun(draw, 1020, 130), _house(draw, 220, ground), _plane(draw, 700, 200)),
        "sun_house": lambda: (_sun(draw, 200, 150), _house(draw, 520, ground), _tree(draw, 950, ground)),
        "plane_mountains": lambda: (_mountains(draw, ground, width), _plane(draw, 420, 160), _sun(draw, 1050, 110)),
        "mother_window": lambda: (_house(draw, 380, ground, big=True), _person(draw, 840, ground, (200, 60, 120)),
                                  _sun(draw, 1050, 120)),
        "sun_tree": lambda: (_sun(draw, 600, 170), _tree(draw, 250, ground), _tree(draw, 950, ground),
                             _person(draw, 600, ground, (40, 90, 200))),
        "road": lambda: (_mountains(draw, ground, width), _road(draw, ground, width, height),
                         _person(draw, 560, ground + 120, (120, 60, 30)), _sun(draw, 160, 130)),
        "family": lambda: (_house(draw, 180, ground), *(_person(draw, x, ground, c) for x, c in
                           ((620, (200, 60, 120)), (760, (40, 90, 200)), (880, (230, 150, 30))))),
        "words": lambda: (_sun(draw, 1060, 120), _heart(draw, 180, 780), _heart(draw, 1020, 780)),
    }
    painters[scene]()
    if words:
        _words(draw, words, width, 330 if scene == "words" else 70)
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def _sun(draw, x, y):
    for angle in range(0, 360, 30):
        dx, dy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        draw.line([x + 80 * dx, y + 80 * dy, x + 130 * dx, y + 130 * dy], fill=(245, 180, 20), width=10)
    draw.ellipse([x - 70, y - 70, x + 70, y + 70], fill=(255, 210, 40), outline=(240, 160, 0), width=6)


def _house(draw, x, ground, big=False):
    w, h = (420, 300) if big else (320, 230)
    draw.rectangle([x, ground - h, x + w, ground], fill=(220, 120, 80), outline=(120, 60, 30), width=6)
    draw.polygon([(x - 30, ground - h), (x + w // 2, ground - h - 170), (x + w + 30, ground - h)],
                 fill=(170, 40, 40), outline=(100, 20, 20))
    draw.rectangle([x + w // 2 - 40, ground - 140, x + w // 2 + 40, ground], fill=(110, 70, 40))
    for wx in (x + 40, x + w - 110):
        draw.rectangle([wx, ground - h + 50, wx + 70, ground - h + 120], fill=(250, 240, 150), outline=(60, 60, 60), width=4)


def _plane(draw, x, y):
    draw.ellipse([x - 160, y - 35, x + 160, y + 35], fill=(235, 235, 245), outline=(80, 80, 110), width=5)
    draw.polygon([(x - 30, y), (x + 40, y), (x - 60, y + 130)], fill=(190, 190, 215), outline=(80, 80, 110))
    draw.polygon([(x - 30, y), (x + 40, y), (x - 60, y - 120)], fill=(190, 190, 215), outline=(80, 80, 110))
    draw.polygon([(x - 150, y - 10), (x - 190, y - 90), (x - 120, y - 20)], fill=(200, 40, 40))
    for wx in range(x - 80, x + 120, 40):
        draw.ellipse([wx, y - 15, wx + 20, y + 5], fill=(90, 150, 220))


def _tree(draw, x, ground):
    draw.rectangle([x - 20, ground - 200, x + 20, ground], fill=(120, 80, 40))
    draw.ellipse([x - 110, ground - 380, x + 110, ground - 170], fill=(60, 150, 60), outline=(30, 100, 30), width=5)
    for fx, fy in ((x - 50, ground - 300), (x + 40, ground - 260), (x, ground - 330)):
        draw.ellipse([fx - 14, fy - 14, fx + 14, fy + 14], fill=(220, 50, 50))


def _person(draw, x, ground, colour):
    draw.ellipse([x - 35, ground - 290, x + 35, ground - 220], fill=(245, 205, 170), outline=(90, 60, 40), width=4)
    draw.polygon([(x, ground - 220), (x - 70, ground - 60), (x + 70, ground - 60)], fill=colour)
    for dx in (-25, 25):
        draw.line([x + dx, ground - 60, x + dx, ground], fill=(60, 40, 30), width=8)
    draw.line([x - 60, ground - 170, x + 60, ground - 170], fill=(245, 205, 170), width=10)


def _mountains(draw, ground, width):
    for left, peak, colour in ((-100, 300, (140, 130, 160)), (300, 240, (120, 115, 150)), (700, 320, (150, 140, 170))):
        draw.polygon([(left, ground), (left + 300, peak), (left + 600, ground)], fill=colour)
        draw.polygon([(left + 240, peak + 60), (left + 300, peak), (left + 360, peak + 60)], fill=(255, 255, 255))


def _road(draw, ground, width, height):
    draw.polygon([(width // 2 - 30, ground), (width // 2 + 30, ground), (width // 2 + 260, height),
                  (width // 2 - 260, height)], fill=(150, 150, 150))


def _heart(draw, x, y):
    draw.ellipse([x - 60, y - 60, x, y], fill=(220, 40, 80))
    draw.ellipse([x, y - 60, x + 60, y], fill=(220, 40, 80))
    draw.polygon([(x - 58, y - 20), (x + 58, y - 20), (x, y + 60)], fill=(220, 40, 80))


def _words(draw, text, width, top):
    font = ImageFont.truetype(str(FONT), 64)
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) > width - 160 and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    for number, text_line in enumerate(lines):
        x = (width - draw.textlength(text_line, font=font)) / 2
        draw.text((x, top + number * 90), text_line, font=font, fill=(40, 60, 160))
