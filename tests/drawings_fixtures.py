"""Helpers for the drawings tests: a forum holding the contest, real images made with Pillow
(and pillow-heif), a guardian's submission, and a look into the upload directory."""
from __future__ import annotations

import io
import random
from pathlib import Path

import sqlalchemy as sa
from PIL import ExifTags, Image

from forum.drawings import service
from forum.drawings.models import Drawing
from forum.extensions import db

CHILD = "Мадина"
GUARDIAN = "Раҳмонова Гулчеҳра"
PHONE = "92 777 12 34"
PHONE_E164 = "+992927771234"
PLACE = "Ҷамоати Чоркӯҳ"
TITLE = "Падарам ба Русия парвоз мекунад"

FORM = {"child_first_name": CHILD, "child_age": "8", "birth_year": "", "place": PLACE, "title": TITLE,
        "guardian_name": GUARDIAN, "guardian_phone": PHONE, "consent": "y"}


def open_contest(forum):
    """The forum with the drawings activity switched on (each test module wraps it in a
    `contest` fixture over conftest's `forum`)."""
    forum.activities = [*forum.activities, "drawings"]
    db.session.commit()
    return forum


def jpeg(size=(300, 200), gps: bool = True, orientation: int | None = None, colours=("red", "blue"),
         quality: int = 90) -> bytes:
    """A real phone-like JPEG: left half one colour, right half another, with EXIF (GPS, camera
    make, orientation) built with Pillow's own Image.Exif."""
    picture = Image.new("RGB", size, colours[0])
    picture.paste(Image.new("RGB", (size[0] // 2, size[1]), colours[1]), (size[0] // 2, 0))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Samsung"
    exif[ExifTags.Base.Model] = "Galaxy J2"
    exif[ExifTags.Base.Artist] = GUARDIAN
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if gps:
        ifd = exif.get_ifd(ExifTags.IFD.GPSInfo)
        ifd[ExifTags.GPS.GPSLatitudeRef] = "N"
        ifd[ExifTags.GPS.GPSLatitude] = (40.0, 7.0, 37.5)
        ifd[ExifTags.GPS.GPSLongitudeRef] = "E"
        ifd[ExifTags.GPS.GPSLongitude] = (70.0, 37.0, 12.25)
    out = io.BytesIO()
    picture.save(out, "JPEG", exif=exif, quality=quality, icc_profile=b"\0" * 8, comment=b"Chorkuh, house 12")
    return out.getvalue()


def noisy(fmt: str = "JPEG", size=(400, 300)) -> bytes:
    """An image of random pixels (compresses badly, so cutting it really truncates image data)."""
    rng = random.Random(7)
    picture = Image.frombytes("RGB", size, bytes(rng.randrange(256) for _ in range(size[0] * size[1] * 3)))
    out = io.BytesIO()
    picture.save(out, fmt)
    return out.getvalue()


def heic(size=(320, 240)) -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    picture = Image.new("RGB", size, "green")
    exif = Image.Exif()
    ifd = exif.get_ifd(ExifTags.IFD.GPSInfo)
    ifd[ExifTags.GPS.GPSLatitudeRef] = "N"
    ifd[ExifTags.GPS.GPSLatitude] = (40.0, 7.0, 37.5)
    out = io.BytesIO()
    picture.save(out, "HEIF", exif=exif.tobytes(), quality=80)
    return out.getvalue()


def submit(client, slug: str, image: bytes | None = None, filename: str = "IMG_20110501_101010.jpg",
           content_type: str = "image/jpeg", **fields):
    data = dict(FORM, **fields)
    if image is not None:
        data["image"] = (io.BytesIO(image), filename, content_type)
    return client.post(f"/f/{slug}/drawings/submit", data=data, content_type="multipart/form-data")


def stored_files(app) -> list[Path]:
    root = Path(app.config["UPLOAD_DIR"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def drawing_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Drawing.id)))


def make_drawing(app, forum, status: str = "approved", child: str = CHILD, guardian: str = GUARDIAN,
                 phone: str = PHONE_E164, place: str = PLACE, title: str = TITLE, age: int = 8,
                 image: bytes | None = None) -> Drawing:
    """A drawing through the same service the form uses, then moderated as asked."""
    from tests.factories import make_user

    data = service.Submission(child_first_name=child, place=place, title=title, guardian_name=guardian,
                              guardian_phone=phone, language="tg", child_age=age)
    drawing = service.submit_drawing(forum, data, image or jpeg(), app.config["UPLOAD_DIR"])
    if status == "approved":
        service.approve(drawing, make_user("organizer"))
    elif status == "rejected":
        service.reject(drawing, make_user("organizer"), "Расм хира аст")
    db.session.commit()
    return drawing


def no_metadata(data: bytes) -> bool:
    """True when a JPEG carries no EXIF (so no GPS), no XMP, no ICC profile, no comment."""
    picture = Image.open(io.BytesIO(data))
    return (picture.format == "JPEG" and len(picture.getexif()) == 0
            and not {"exif", "xmp", "icc_profile", "comment", "photoshop"} & set(picture.info)
            and b"Exif\0\0" not in data and b"Samsung" not in data and b"http://ns.adobe.com/xap" not in data)
