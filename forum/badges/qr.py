"""QR matrices for badge secrets, and their SVG for screens.

The `qrcode` package spends most of its time trying all eight masks to pick the best one;
a badge secret is always 27 characters of the alphanumeric set, so the version, error
correction (Q: a quarter of the code may be scuffed) and mask are fixed instead: about
7× faster, and every badge's QR has the same size.
"""
from __future__ import annotations

from typing import cast

import qrcode
from markupsafe import Markup
from qrcode.constants import ERROR_CORRECT_Q
from qrcode.util import MODE_8BIT_BYTE, MODE_ALPHA_NUM, QRData

MASK_PATTERN = 4
QUIET_ZONE = 4  # modules of white the standard asks around the code
SECRET_VERSION, SECRET_CAPACITY = 2, 29  # the smallest version that holds a secret, and what it holds


def matrix(text: str) -> list[list[bool]]:
    """The QR modules of `text` (True is dark), without the quiet zone."""
    alnum = all(c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:" for c in text)
    # the stubs type the MODE_ constants as int, not as the modes QRData takes
    data = QRData(text, mode=MODE_ALPHA_NUM if alnum else MODE_8BIT_BYTE)  # type: ignore[call-overload]
    # a secret fits version 2 (29 alphanumeric characters at Q): no search for the version
    version = SECRET_VERSION if alnum and len(text) <= SECRET_CAPACITY else None
    code = qrcode.QRCode(version=version, error_correction=ERROR_CORRECT_Q, mask_pattern=MASK_PATTERN, border=0)
    code.add_data(data)
    code.make(fit=version is None)
    return cast(list[list[bool]], code.modules)  # make() set every module


def runs(modules: list[list[bool]]):
    """(row, first column, length) of each horizontal run of dark modules: one rectangle per
    run instead of one per module keeps drawing (and the PDF) small."""
    for y, row in enumerate(modules):
        x, n = 0, len(row)
        while x < n:
            if row[x]:
                start = x
                while x < n and row[x]:
                    x += 1
                yield y, start, x - start
            else:
                x += 1


def pdf_path(modules: list[list[bool]]) -> str:
    """PDF operators filling the dark runs, one module a unit, row 0 at the top (y = 0, rows
    downwards): for a canvas transformed to that grid."""
    return " ".join(f"{x} {y} {n} 1 re" for y, x, n in runs(modules)) + " f"


def svg(modules: list[list[bool]], label: str = "") -> Markup:
    """An inline SVG of the code with its quiet zone, scaling to its container."""
    size = len(modules) + 2 * QUIET_ZONE
    path = "".join(f"M{x + QUIET_ZONE} {y + QUIET_ZONE}h{n}v1h-{n}z" for y, x, n in runs(modules))
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {s} {s}" shape-rendering="crispEdges" '
        'role="img" aria-label="{label}" class="qr"><rect width="{s}" height="{s}" fill="#fff"/>'
        '<path d="{d}" fill="#000"/></svg>'
    ).format(s=size, d=Markup(path), label=label)
