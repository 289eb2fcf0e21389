"""Drawings benchmarks: cleaning a phone photo, and a guardian's whole submission. Each figure is
the median of runs alternating with its floor's, with min and max.

- clean a 12 MP phone photo: decode at the reduced JPEG scale, turn upright, strip metadata,
  resize to 2000 px, thumbnail, re-encode (forum.images, the shared pipeline drawings use).
  Floor (bench/floors/drawings.py, clean): bare Pillow making the same two files byte for byte,
  with the same reduced decoding (draft) and no checks. Bound: at most 1.5× the floor.
- submit a drawing: the public form's POST through the test client (validation, duplicate check,
  the cleaning, the row, the two files, the redirect). Floor (bench/floors/drawings.py,
  submit_app): a bare Flask app taking the same multipart form through its own test client, with
  the bare Pillow cleaning, the two files, one INSERT into a bare sqlite3 table, the commit and a
  302. Bound: at most 1.5× the floor.
"""
from __future__ import annotations

import io
import itertools
import tempfile
from collections.abc import Iterator
from pathlib import Path

from PIL import ExifTags, Image

from bench import Figure, Row, alternate, new_forum
from bench.floors.drawings import clean, submit_app

SUBMIT_URL = "/f/bench/drawings/submit"


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


def run() -> Iterator[Row]:
    from forum.drawings.images import clean_image

    photo = _phone_photo()
    product, floor = alternate(lambda: clean_image(photo), lambda: clean(photo), runs=7)
    yield Row("drawings: clean a 12 MP phone photo", product, floor, "s", "≤ 1.5× floor",
              product.median <= 1.5 * floor.median, f"{len(photo) / 1e6:.1f} MB, 4000×3000",
              floor_name="bare Pillow, draft decode")
    product, floor = _submission()
    yield Row("drawings: submit a drawing (3 MP photo)", product, floor, "s", "≤ 1.5× floor",
              product.median <= 1.5 * floor.median, "form POST → row + 2 files",
              floor_name="bare Flask: multipart, Pillow, 2 files, INSERT")


def _submission() -> tuple[Figure, Figure]:
    """The product's POST and the bare app's, in turns, each through its own test client."""
    from config import TestConfig
    from forum import create_app
    from forum.extensions import db

    photo = _phone_photo(2000, 1500)
    names = itertools.count()  # a new child per post: after the first, a duplicate stores nothing

    def post(client) -> None:
        n = next(names)
        response = client.post(SUBMIT_URL, content_type="multipart/form-data", data={
            "child_first_name": f"Ребёнок {n}", "child_age": "9", "place": "Ҷамоати Сурх", "title": "Хона",
            "guardian_name": "Опекун", "guardian_phone": "92 777 12 34", "consent": "y",
            "image": (io.BytesIO(photo), "IMG.jpg", "image/jpeg")})
        assert response.status_code == 302, response.status_code

    with tempfile.TemporaryDirectory() as tmp, submit_app() as bare:
        app = create_app(TestConfig(database_url=f"sqlite:///{Path(tmp) / 'bench.db'}", upload_dir=f"{tmp}/up"))
        with app.app_context():
            db.create_all()
            new_forum(["drawings"])
            product, floor = app.test_client(), bare.test_client()
            try:
                return alternate(lambda: post(product), lambda: post(floor), runs=5, repeat=2)
            finally:
                db.session.remove()
                db.engine.dispose()
