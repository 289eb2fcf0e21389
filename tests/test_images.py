"""The shared photo pipeline (forum.images): real pictures come out upright and without any
metadata; anything that is not a complete JPEG/PNG picture of sane size is refused."""
from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from forum import images

JPEG_PNG = ("JPEG", "PNG")


def _exif_with_gps(orientation: int) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (40.0, 7.0, 30.0), 3: "E", 4: (70.0, 38.0, 12.0)})
    return exif


def _two_colour_jpeg(orientation: int) -> bytes:
    """200 × 100: left half red, right half blue; the camera says how to turn it."""
    picture = Image.new("RGB", (200, 100), (220, 0, 0))
    picture.paste((0, 0, 220), (100, 0, 200, 100))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=95, exif=_exif_with_gps(orientation).tobytes())
    return out.getvalue()


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares width × height pixels but carries almost no data (a decompression bomb)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def test_phone_jpeg_loses_its_gps_and_stays_upright():
    upload = _two_colour_jpeg(orientation=6)  # "turn 90° clockwise to view"
    assert Image.open(io.BytesIO(upload)).getexif().get_ifd(0x8825)  # the upload really carries GPS
    clean = images.clean_image(upload, formats=JPEG_PNG)
    for data in (clean.full, clean.thumb):
        out = Image.open(io.BytesIO(data))
        assert out.format == "JPEG"
        assert not out.getexif() and not out.getexif().get_ifd(0x8825)
        assert b"Exif" not in data and b"PhoneMaker" not in data
        assert "exif" not in out.info and "icc_profile" not in out.info
    full = Image.open(io.BytesIO(clean.full)).convert("RGB")
    assert full.size == (100, 200) == (clean.width, clean.height)  # turned to portrait
    top, bottom = full.getpixel((50, 20)), full.getpixel((50, 180))
    assert top[0] > 150 and top[2] < 80  # the left (red) half is now on top
    assert bottom[2] > 150 and bottom[0] < 80


def test_orientation_one_keeps_the_picture_as_it_is():
    clean = images.clean_image(_two_colour_jpeg(orientation=1), formats=JPEG_PNG)
    assert (clean.width, clean.height) == (200, 100)


def test_transparent_png_comes_out_on_white_paper():
    picture = Image.new("RGBA", (60, 40), (0, 0, 0, 0))
    picture.paste((0, 150, 0, 255), (30, 0, 60, 40))
    out = io.BytesIO()
    picture.save(out, "PNG")
    clean = images.clean_image(out.getvalue(), formats=JPEG_PNG)
    result = Image.open(io.BytesIO(clean.full)).convert("RGB")
    assert all(channel > 240 for channel in result.getpixel((5, 20)))  # transparent → white, not black
    green = result.getpixel((50, 20))
    assert green[1] > 120 and green[0] < 60


def test_big_photo_is_shrunk_and_has_a_thumbnail():
    out = io.BytesIO()
    Image.new("RGB", (3000, 2000), (10, 10, 10)).save(out, "JPEG")
    clean = images.clean_image(out.getvalue(), formats=JPEG_PNG, full_size=1600, thumb_size=480)
    assert (clean.width, clean.height) == (1600, 1067)
    assert max(Image.open(io.BytesIO(clean.thumb)).size) == 480


@pytest.mark.parametrize("data", [
    pytest.param(b"Hello, this is a text file named photo.jpg\n" * 20, id="renamed text file"),
    pytest.param(b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                 b"<script>alert(1)</script><rect width=\"10\" height=\"10\"/></svg>", id="svg"),
    pytest.param(b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>", id="html"),
    pytest.param(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", id="pdf"),
])
def test_files_that_are_not_pictures_are_refused(data):
    with pytest.raises(images.ImageRefused) as refused:
        images.clean_image(data, formats=JPEG_PNG)
    assert refused.value.code == "not_image"


def test_truncated_jpeg_is_refused():
    out = io.BytesIO()
    Image.effect_noise((600, 400), 60).convert("RGB").save(out, "JPEG", quality=90)
    whole = out.getvalue()
    images.clean_image(whole, formats=JPEG_PNG)  # the whole file is fine
    with pytest.raises(images.ImageRefused) as refused:
        images.clean_image(whole[: len(whole) // 2], formats=JPEG_PNG)
    assert refused.value.code == "not_image"


def test_gif_is_refused_when_only_jpeg_and_png_are_accepted():
    out = io.BytesIO()
    Image.new("P", (20, 20)).save(out, "GIF")
    with pytest.raises(images.ImageRefused) as refused:
        images.clean_image(out.getvalue(), formats=JPEG_PNG)
    assert refused.value.code == "not_image"


def test_decompression_bomb_is_refused_before_decoding():
    bomb = _png_header_only(30000, 30000)
    assert len(bomb) < 200  # tiny on the wire, 2.7 GB once decoded
    with pytest.raises(images.ImageRefused) as refused:
        images.clean_image(bomb, formats=JPEG_PNG)
    assert refused.value.code == "too_big"


def test_size_limit_is_checked_while_reading():
    with pytest.raises(images.ImageRefused) as refused:
        images.read_limited(io.BytesIO(b"\xff" * 1001), limit=1000)
    assert refused.value.code == "too_large"
    assert images.read_limited(io.BytesIO(b"\xff" * 1000), limit=1000) == b"\xff" * 1000
    with pytest.raises(images.ImageRefused) as refused:
        images.read_limited(io.BytesIO(b""))
    assert refused.value.code == "empty"


def test_too_large_and_empty_data_are_refused():
    with pytest.raises(images.ImageRefused) as refused:
        images.clean_image(b"\xff" * (images.MAX_UPLOAD_BYTES + 1), formats=JPEG_PNG)
    assert refused.value.code == "too_large"
    with pytest.raises(images.ImageRefused) as refused:
        images.clean_image(b"", formats=JPEG_PNG)
    assert refused.value.code == "empty"


def test_files_are_written_under_a_random_key_and_deleted_together(tmp_path):
    clean = images.clean_image(_two_colour_jpeg(1), formats=JPEG_PNG)
    key = images.new_image_key()
    assert len(key) == 32 and key != images.new_image_key()
    written = images.write_images(tmp_path / "exhibition" / "7", key, clean)
    assert sorted(p.name for p in written) == sorted([f"{key}.jpg", f"{key}.thumb.jpg"])
    assert written[0].read_bytes() == clean.full
    assert not list((tmp_path / "exhibition" / "7").glob("*.part"))
    images.delete_images(tmp_path / "exhibition" / "7", key)
    assert not list((tmp_path / "exhibition" / "7").iterdir())
