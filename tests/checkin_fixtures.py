"""Helpers for badge and check-in tests: checkpoints, API tokens, scans, QR decoding of
rendered PDFs, and a fake camera video of a badge."""
from __future__ import annotations

import uuid
from pathlib import Path

from forum.auth.service import create_token
from forum.checkin import service
from forum.checkin.checkpoints import CheckpointData, save_checkpoint
from forum.extensions import db
from tests import factories


def make_checkpoint(forum, key: str = "entrance", rule: str = "all", categories=(), reentry: bool = False,
                    name: str | None = None, active: bool = True):
    checkpoint = save_checkpoint(forum, CheckpointData(
        key=key, name={"ru": name or f"Вход {key}", "en": name or f"Door {key}"}, rule=rule,
        categories=list(categories), reentry=reentry, active=active))
    db.session.commit()
    return checkpoint


def api_token(role: str = "staff", email: str | None = None) -> tuple[object, str]:
    user = factories.make_user(role, email=email)
    _token, plain = create_token(user, name="door phone")
    db.session.commit()
    return user, plain


def scan(forum, value=None, checkpoint: str = "entrance", nonce: str | None = None, user=None, **extra):
    return service.scan(forum, checkpoint, nonce or uuid.uuid4().hex, value=value, user=user, **extra)


def rasterise(pdf: bytes, dpi: int = 150):
    """Every page of a PDF as a Pillow image (pypdfium2: PDFium, as in Chrome)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return [document[i].render(scale=dpi / 72).to_pil() for i in range(len(document))]
    finally:
        document.close()


def decode_qr_codes(pdf: bytes, dpi: int = 150) -> list[str]:
    """The text of every QR code printed in the PDF, page by page (zxing-cpp)."""
    import zxingcpp

    found = []
    for image in rasterise(pdf, dpi):
        found.extend(result.text for result in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode))
    return found


def pdf_text(pdf: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def write_y4m(path: Path, text: str, width: int = 640, height: int = 480, frames: int = 10) -> Path:
    """A Y4M video (what Chromium's fake camera plays) showing the QR of `text` on white."""
    from PIL import Image

    from forum.badges import qr

    modules = qr.matrix(text)
    scale = 8
    size = (len(modules) + 2 * qr.QUIET_ZONE) * scale
    code = Image.new("L", (size, size), 255)
    pixels = code.load()
    for y, row in enumerate(modules):
        for x, dark in enumerate(row):
            if dark:
                for dy in range(scale):
                    for dx in range(scale):
                        pixels[(x + qr.QUIET_ZONE) * scale + dx, (y + qr.QUIET_ZONE) * scale + dy] = 0
    frame = Image.new("L", (width, height), 255)
    frame.paste(code, ((width - size) // 2, (height - size) // 2))
    luma = frame.tobytes()
    chroma = bytes([128]) * ((width // 2) * (height // 2))
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + luma + chroma + chroma)
    return path


def arrivals(registration=None) -> int:
    """Check-ins that count a person in (first entries not undone), of one registration or all."""
    import sqlalchemy as sa

    from forum.checkin.models import Checkin
    from forum.checkin.service import first_entry_of

    db.session.expire_all()
    stmt = sa.select(sa.func.count()).select_from(Checkin).where(first_entry_of())
    if registration is not None:
        stmt = stmt.where(Checkin.registration_id == registration.id)
    return db.session.scalar(stmt)


def entries() -> int:
    """Successful scans not undone, re-entries included."""
    import sqlalchemy as sa

    from forum.checkin.models import Checkin

    return db.session.scalar(sa.select(sa.func.count()).select_from(Checkin).where(
        Checkin.result == "ok", Checkin.undone_at.is_(None)))


REISSUER = "Саидова Мавзуна"


def lost_badge(forum, name: str = "Раҳимова Гулнора", at=None):
    """A registration whose badge was lost and reissued by the organizer REISSUER (at `at`):
    (registration, old secret, old short code)."""
    from forum.badges import service as badges

    registration = factories.make_registration(forum, factories.make_person(name))
    organizer = factories.make_user("organizer")
    organizer.name = REISSUER
    old_secret, old_code = registration.badge_secret, badges.short_code(registration)
    badges.reissue(registration, at=at, by=organizer)
    db.session.commit()
    return registration, old_secret, old_code
