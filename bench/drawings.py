"""Drawings benchmarks: cleaning a phone photo, and a guardian's whole submission.

- clean a 12 MP phone photo: decode every byte, turn upright, strip metadata, resize to
  2000 px, thumbnail, re-encode (forum.images, the shared pipeline drawings use). Floor: the
  bare Pillow way (open, load, turn upright, resize, save twice) with no checks. Bound: at
  most 1.5× the floor.
- submit a drawing: the public form's POST (validation, duplicate check, the cleaning, the row,
  the two files, the redirect). Floor: the cleaning alone. Bound: at most 1.5× the floor.
"""
from __future__ import annotations

import io
import tempfile
from pathlib import Path

from PIL import ExifTags, Image, ImageOps

from bench import Row, best_of


def _phone_photo(width: int = 4000, height: int = 3000) -> bytes:
    """A photo-like JPEG (gradients and sensor noise) with GPS and orientation, as a phone makes it."""
    gradient = Image.linear_gradient("L").resize((width, height))
    picture = Image.merge("RGB", (gradient, gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
                                  Image.effect_noise((width, height), 40)))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] = (40.0, 7.0, 30.0)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=88, exif=exif)
    return out.getvalue()


def _bare(data: bytes) -> None:
    picture = Image.open(io.BytesIO(data))
    picture.load()
    picture = ImageOps.exif_transpose(picture)
    picture.thumbnail((2000, 2000), Image.Resampling.LANCZOS)
    picture.save(io.BytesIO(), "JPEG", quality=85)
    picture.thumbnail((400, 400), Image.Resampling.LANCZOS)
    picture.save(io.BytesIO(), "JPEG", quality=85)


def run() -> list[Row]:
    from forum.drawings.images import clean_image

    photo = _phone_photo()
    size_note = f"{len(photo) / 1e6:.1f} MB, 4000×3000"
    floor = best_of(lambda: _bare(photo))
    clean = best_of(lambda: clean_image(photo))
    rows = [Row("drawings: clean a 12 MP phone photo", clean, floor, "s", "≤ 1.5× floor", clean <= 1.5 * floor,
                size_note)]
    submit, clean_3mp = _submission()
    rows.append(Row("drawings: submit a drawing (3 MP photo)", submit, clean_3mp, "s", "≤ 1.5× floor",
                    submit <= 1.5 * clean_3mp, "form POST → row + 2 files; floor: cleaning alone"))
    return rows


def _submission() -> tuple[float, float]:
    from config import TestConfig
    from forum import create_app
    from forum.drawings.images import clean_image
    from forum.events.models import Forum
    from forum.events.service import local_span
    from forum.extensions import db

    photo = _phone_photo(2000, 1500)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(TestConfig(database_url=f"sqlite:///{Path(tmp) / 'bench.db'}", upload_dir=f"{tmp}/up"))
        with app.app_context():
            db.create_all()
            from datetime import date, time

            starts, ends = local_span(date(2011, 5, 5), time(9), time(17), "Asia/Dushanbe")
            names = {"ru": "Бенч", "tg": "Бенч", "en": "Bench"}
            db.session.add(Forum(slug="bench", status="published", title=names, city=names, venue=names,
                                 address={}, goals={}, description={}, contacts={}, activities=["drawings"],
                                 starts_at=starts, ends_at=ends))
            db.session.commit()
            client = app.test_client()
            counter = iter(range(10_000))

            def post():
                n = next(counter)
                response = client.post("/f/bench/drawings/submit", content_type="multipart/form-data", data={
                    "child_first_name": f"Ребёнок {n}", "child_age": "9", "place": "Ҷамоати Сурх", "title": "Хона",
                    "guardian_name": "Опекун", "guardian_phone": "92 777 12 34", "consent": "y",
                    "image": (io.BytesIO(photo), "IMG.jpg", "image/jpeg")})
                assert response.status_code == 302, response.status_code

            submit = best_of(post, repeat=5)
            floor = best_of(lambda: clean_image(photo), repeat=5)
            db.session.remove()
            db.engine.dispose()
    return submit, floor
