"""The drawings floors: bare Pillow, bare Flask and bare sqlite3, outside the product.

- clean(data): the least Pillow work that gives the product's two files byte for byte. libjpeg
  decodes straight at the smallest 1/2, 1/4 or 1/8 scale still at least 2000 px (draft, as the
  product asks), the rest of the way is a LANCZOS resize if any is left, the picture is turned
  upright per EXIF, saved as the product saves it (quality 85, optimized, progressive, no
  metadata), shrunk in place to 400 px and saved again. No format, size or damage checks.
- submit_app(): a bare Flask app with the public form's one POST route: the multipart form (the
  fields and the photo), clean(), the two files in a temporary folder, one INSERT of the form's
  fields into a bare sqlite3 table, the commit, a 302. No validation, duplicate check, rate
  limits, session, translations, ORM or extensions.
"""
from __future__ import annotations

import io
import math
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from flask import Flask, redirect, request
from PIL import Image, ImageOps

FULL_SIZE, THUMB_SIZE = 2000, 400  # the product's longest sides, pixels
JPEG = {"quality": 85, "optimize": True, "progressive": True}  # the product's encoding: the same bytes
FIELDS = ("child_first_name", "child_age", "place", "title", "guardian_name", "guardian_phone", "consent")
INSERT = f"INSERT INTO drawing ({', '.join(FIELDS)}) VALUES ({', '.join('?' for _ in FIELDS)})"


def clean(data: bytes) -> tuple[bytes, bytes]:
    """The picture (≤ 2000 px) and its thumbnail (≤ 400 px): upright JPEGs without metadata."""
    picture = Image.open(io.BytesIO(data))
    shrink = FULL_SIZE / max(picture.size)
    picture.draft("RGB", (math.ceil(picture.width * shrink), math.ceil(picture.height * shrink)))
    picture.thumbnail((FULL_SIZE, FULL_SIZE), Image.Resampling.LANCZOS)
    ImageOps.exif_transpose(picture, in_place=True)  # in place: no copy of a picture already upright
    picture.info.clear()  # Pillow's JPEG writer carries the upload's comment over from info
    full = _jpeg(picture)
    picture.thumbnail((THUMB_SIZE, THUMB_SIZE), Image.Resampling.LANCZOS)  # in place: the picture is saved
    return full, _jpeg(picture)


def _jpeg(picture: Image.Image) -> bytes:
    out = io.BytesIO()
    picture.save(out, "JPEG", **JPEG)
    return out.getvalue()


@contextmanager
def submit_app() -> Iterator[Flask]:
    """The bare app, its folder and its database, for the time of the with-block."""
    with tempfile.TemporaryDirectory() as tmp, closing(sqlite3.connect(Path(tmp) / "floor.sqlite3")) as database:
        database.execute(f"CREATE TABLE drawing (id INTEGER PRIMARY KEY, {', '.join(FIELDS)})")
        app = Flask(__name__)

        @app.post("/f/<slug>/drawings/submit")
        def submit(slug: str):
            full, thumb = clean(request.files["image"].read())
            row = database.execute(INSERT, [request.form.get(name) for name in FIELDS]).lastrowid
            # named by the row: a fresh name per drawing with no more work
            (Path(tmp) / f"{row}.jpg").write_bytes(full)
            (Path(tmp) / f"{row}.thumb.jpg").write_bytes(thumb)
            database.commit()
            return redirect(f"/f/{slug}/drawings/sent")

        yield app
