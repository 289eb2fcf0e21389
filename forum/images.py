"""Uploaded photos (children's drawings, products on stands) made safe to keep and to show.

A phone photo is decoded for real (only the formats the caller accepts, whatever its name
or declared type says), turned upright per its EXIF orientation, stripped of every metadata
field (GPS first of all), shrunk and re-encoded as a fresh JPEG, with a thumbnail. Anything
that does not decode completely is refused before a byte is written to disk.
"""
from __future__ import annotations

import io
import math
import os
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

import pillow_heif
from PIL import ExifTags, Image, UnidentifiedImageError

MAX_UPLOAD_MB = 12
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
# Memory, not time, is what a big picture costs: every upload is decoded within this budget
# (about 150 MB with the shrunk copies and the JPEG encoders), whatever its header claims.
DECODE_BUDGET = 128 * 1024 * 1024  # bytes of decoded pixels and their working copies held at once
# JPEG decodes at 1/2, 1/4 or 1/8 scale (draft): a 50-megapixel phone photo costs ~10 MB.
MAX_PIXELS = 60_000_000
# PNG and HEIC have no reduced decoding: every pixel is held, so fewer of them (a 12 MP
# iPhone HEIC or a scan of an A4 drawing passes; a 59 MP PNG is refused from its header).
MAX_FULL_DECODE_PIXELS = 24_000_000
# Bytes Pillow holds per pixel of a decoded mode (RGB is stored in 4).
_STORED = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2}
FULL_SIZE = 2000  # longest side of the stored image, pixels
THUMB_SIZE = 400  # longest side of the thumbnail
JPEG_QUALITY = 85
# Pillow's names of what phones make ("JPEG" also opens MPO: a JPEG with a second, depth picture).
PHONE_FORMATS = ("JPEG", "PNG", "HEIF")

pillow_heif.register_heif_opener()
# Pillow's own guard, for any other code path: it warns above this and refuses at twice it; the
# warning is turned into a refusal below. Our per-format limits, checked first, are lower.
if Image.MAX_IMAGE_PIXELS is None or Image.MAX_IMAGE_PIXELS > MAX_PIXELS:
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class ImageRefused(ValueError):
    """The upload is not a picture we can keep; `code` says why (empty, too_large, not_image, too_big)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class CleanImage:
    full: bytes  # JPEG, no metadata, longest side ≤ FULL_SIZE
    thumb: bytes  # JPEG, no metadata, longest side ≤ THUMB_SIZE
    width: int
    height: int


def read_limited(stream, limit: int = MAX_UPLOAD_BYTES) -> bytes:
    """The stream's bytes, refusing more than `limit` without reading them all into memory."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ImageRefused("too_large")
    if not data:
        raise ImageRefused("empty")
    return data


def clean_image(data: bytes, formats: tuple[str, ...] = PHONE_FORMATS, full_size: int = FULL_SIZE,
                thumb_size: int = THUMB_SIZE) -> CleanImage:
    """Decode `data` completely (only `formats`) and re-encode it without any metadata.
    Raises ImageRefused."""
    if not data:
        raise ImageRefused("empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImageRefused("too_large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Not `with`: closing would drop the decoded pixels that _shrink may hand back as they are.
            opened = Image.open(io.BytesIO(data), formats=formats)
            # Only the header is read so far: the size and mode decide the cost before decoding.
            width, height = opened.size
            reduced = opened.format in ("JPEG", "MPO")
            limit = MAX_PIXELS if reduced else MAX_FULL_DECODE_PIXELS
            if width < 1 or height < 1 or width * height > limit:
                raise ImageRefused("too_big")
            ratio = full_size / max(width, height)
            if reduced and ratio <= 0.5:
                # libjpeg decodes at 1/2, 1/4 or 1/8 scale: a 12 MP photo shrunk to 2000 px decodes
                # about three times faster and in a fraction of the memory; every byte is still read.
                opened.draft("RGB", (math.ceil(width * ratio), math.ceil(height * ratio)))
            transparent = "transparency" in opened.info
            if _peak_bytes(opened.mode, opened.size, full_size, transparent) > DECODE_BUDGET:
                raise ImageRefused("too_big")
            opened.load()  # decodes every byte: a truncated or corrupt file fails here
            orientation = opened.getexif().get(ExifTags.Base.Orientation, 1)
            picture = _shrink(opened, full_size)  # before any full-size copy is made
            del opened  # the full-size picture goes as soon as nothing needs it
    except ImageRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRefused("too_big") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, TypeError, EOFError,
            IndexError, KeyError, RuntimeError, MemoryError):
        # Pillow's decoders report damaged files through any of these.
        raise ImageRefused("not_image") from None
    picture = _flatten(picture)
    picture.thumbnail((full_size, full_size), Image.Resampling.LANCZOS)
    if orientation in _TURN:
        picture = picture.transpose(_TURN[orientation])  # upright, as the phone showed it
    thumb = picture.copy()
    thumb.thumbnail((thumb_size, thumb_size), Image.Resampling.LANCZOS)
    return CleanImage(full=_jpeg(picture), thumb=_jpeg(thumb), width=picture.width, height=picture.height)


# EXIF orientation → the turn that makes the picture upright (as ImageOps.exif_transpose does).
_TURN = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
         5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
         8: Image.Transpose.ROTATE_90}


def _peak_bytes(mode: str, size: tuple[int, int], full_size: int, transparent: bool) -> int:
    """The most memory the decoded picture and its working copies take at once (see _shrink and
    _flatten; measured in tests/test_images_budget.py), known from the header before decoding."""
    pixels = size[0] * size[1]
    stored = _STORED.get(mode, 4)
    if max(size) // full_size >= 2:  # shrunk by whole blocks first
        if mode == "P":  # to RGB, or RGBA that Image.reduce() averages through a premultiplied copy
            return pixels * (stored + (8 if transparent else 4))
        working = {"1": 1, "RGBA": 4, "LA": 4, "I;16": 4, "I;16B": 4}
        return pixels * (stored + working.get(mode, 0))
    flattening = {"RGB": 0, "RGBA": 5, "LA": 5, "P": 9}.get(mode, 4)  # an RGB copy, an alpha mask
    return pixels * (stored + flattening)


def _shrink(picture: Image.Image, size: int) -> Image.Image:
    """The picture, or for one at least twice `size` on its longest side a smaller copy made by
    averaging whole blocks of pixels (Image.reduce), so the full-size picture is never converted
    or resampled. Palette and 1-bit pictures become RGBA or greyscale first (they cannot be
    averaged as they are); 16-bit greyscale is scaled to 8 bits."""
    factor = max(picture.size) // size
    if factor < 2:
        return picture
    if picture.mode == "1":
        picture = picture.convert("L")
    elif picture.mode == "P":
        picture = picture.convert("RGBA" if "transparency" in picture.info else "RGB")
    elif picture.mode.startswith("I;16"):
        return picture.convert("I").reduce(factor).point(lambda v: v / 256).convert("L")
    return picture.reduce(factor)


def _flatten(picture: Image.Image) -> Image.Image:
    """An RGB image; transparent parts (PNG) become white paper, not black."""
    if picture.mode == "RGB":
        return picture
    if picture.mode in ("RGBA", "LA", "PA") or (picture.mode == "P" and "transparency" in picture.info):
        rgba = picture if picture.mode == "RGBA" else picture.convert("RGBA")
        paper = Image.new("RGB", rgba.size, "white")
        paper.paste(rgba, mask=rgba.getchannel("A"))
        return paper
    if picture.mode.startswith("I;16"):  # 16-bit greyscale PNG: scale to 8 bits, do not clip to white
        picture = picture.convert("I").point(lambda v: v / 256).convert("L")
    return picture.convert("RGB")


def _jpeg(picture: Image.Image) -> bytes:
    picture = picture.copy()
    picture.info = {}  # nothing of the upload's EXIF, XMP, ICC or comments travels on
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


# --- files on disk ---------------------------------------------------------------------------

def new_image_key() -> str:
    """A random file stem: stored files never carry the uploaded name or anything about a person."""
    return secrets.token_hex(16)


def image_path(folder: str | Path, key: str, size: str = "full") -> Path:
    return Path(folder) / (f"{key}.jpg" if size == "full" else f"{key}.thumb.jpg")


def write_images(folder: str | Path, key: str, image: CleanImage) -> list[Path]:
    """Write both files (each atomically: a reader never sees half a file); returns their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True, mode=0o750)
    written = []
    try:
        for size, content in (("full", image.full), ("thumb", image.thumb)):
            path = image_path(folder, key, size)
            partial = path.with_name(path.name + ".part")
            partial.write_bytes(content)
            os.replace(partial, path)
            written.append(path)
    except OSError:
        delete_images(folder, key)
        raise
    return written


def delete_images(folder: str | Path, key: str) -> None:
    for size in ("full", "thumb"):
        path = image_path(folder, key, size)
        for candidate in (path, path.with_name(path.name + ".part")):
            candidate.unlink(missing_ok=True)


def send_image(path: Path, download_name: str, private: bool, max_age: int = 600):
    """A stored JPEG as a response: never sniffed or run as anything else, never cached by
    shared caches when it is private (a guardian's or exhibitor's own view)."""
    from flask import abort, send_file

    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype="image/jpeg", download_name=download_name, conditional=True,
                         max_age=0 if private else max_age)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if private:
        response.headers["Cache-Control"] = "private, no-store"
    return response
