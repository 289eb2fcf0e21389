"""Every upload is decoded within a memory budget: the largest picture of each kind we accept
costs at most 150 MB, and a 59-megapixel PNG of 7 kB (issue 17) is refused from its header.

Memory is measured as the peak resident size of a separate Python process (Pillow's pixels
live outside Python's allocator, where tracemalloc cannot see them), before and after
cleaning one picture. The pictures are made in another process so that this one stays small."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUDGET_MB = 150

MAKE = """
import sys
from PIL import Image, ImageDraw
kind, path = sys.argv[1], sys.argv[2]

def drawing(mode, size):
    im = Image.new(mode, size, "white" if mode != "1" else 1)
    pen = ImageDraw.Draw(im)
    for x in range(0, size[0], 97):
        pen.line([(x, 0), (size[0] - x, size[1])], fill=0 if mode in ("1", "L") else "red", width=9)
    return im

if kind == "issue_png":  # 7680 x 7680 = 59 megapixels of black in a few kB
    Image.new("1", (7680, 7680)).save(path, "PNG")
elif kind == "rgb_png":
    drawing("RGB", (6000, 4000)).save(path, "PNG")
elif kind == "rgba_png":
    drawing("RGBA", (4900, 3260)).save(path, "PNG")
elif kind == "palette_png":
    drawing("RGB", (4600, 3050)).convert("P", palette=Image.Palette.ADAPTIVE, colors=16).save(
        path, "PNG", transparency=0)
elif kind == "photo_jpeg":  # a 50-megapixel phone photo
    drawing("RGB", (8160, 6120)).save(path, "JPEG", quality=80)
elif kind == "iphone_heic":
    import pillow_heif
    pillow_heif.register_heif_opener()
    drawing("RGB", (4032, 3024)).save(path, "HEIF", quality=60)
"""

MEASURE = """
import io, json, resource, sys
from PIL import Image
from forum import images
for fmt in ("JPEG", "PNG"):  # every decoder and encoder loaded once before measuring
    warm = io.BytesIO()
    Image.new("RGB", (64, 64), "red").save(warm, fmt)
    images.clean_image(warm.getvalue())
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    clean = images.clean_image(data)
    outcome = [clean.width, clean.height]
except images.ImageRefused as refusal:
    outcome = refusal.code
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"outcome": outcome, "mb": (after - before) / 1024, "bytes": len(data)}))
"""


def _run(code: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=True)
    return done.stdout


def cost(tmp_path, kind: str) -> dict:
    path = tmp_path / kind
    _run(MAKE, kind, str(path))
    return json.loads(_run(MEASURE, str(path)))


def test_the_59_megapixel_png_of_the_issue_is_refused_before_decoding(tmp_path):
    found = cost(tmp_path, "issue_png")
    assert found["bytes"] < 16 * 1024
    assert found["outcome"] == "too_big"
    assert found["mb"] < 10


@pytest.mark.parametrize("kind, size", [
    ("photo_jpeg", [2000, 1500]), ("rgb_png", [2000, 1334]), ("rgba_png", [2000, 1331]),
    ("palette_png", [2000, 1326]), ("iphone_heic", [2000, 1500]),
])
def test_the_largest_accepted_pictures_stay_within_the_budget(tmp_path, kind, size):
    found = cost(tmp_path, kind)
    assert found["outcome"] == size
    assert found["mb"] <= BUDGET_MB, found
