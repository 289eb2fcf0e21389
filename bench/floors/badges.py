"""The badge floor: bare reportlab and the QR matrix, outside the product. One A6 page per
badge: the name, organization, category and short code at fixed sizes (no fitting, no
wrapping, no languages), the QR as one filled path of module rectangles in integers (a grid
of one unit a module: the least drawing), the PDF saved."""
from __future__ import annotations

import io

import qrcode
from qrcode.constants import ERROR_CORRECT_Q
from reportlab.lib.pagesizes import A6
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from bench.floors import register_fonts


def qr_modules(text: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, mask_pattern=4, border=0)
    code.add_data(text)
    code.make(fit=True)
    return code.modules


def render(rows) -> bytes:
    """rows: (name, organization, category, code, secret) tuples, any iterable."""
    register_fonts()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A6, pageCompression=1)
    width, height = A6
    size = 54 * mm
    for name, organization, category, code, secret in rows:
        canvas.setFillColorRGB(0.1, 0.5, 0.2)
        canvas.rect(0, 0, width, 17 * mm, stroke=0, fill=1)
        canvas.setFillColorRGB(1, 1, 1)
        canvas.setFont("FloorSans-Bold", 20)
        canvas.drawCentredString(width / 2, 6 * mm, category.upper())
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont("FloorSans-Bold", 18)
        canvas.drawCentredString(width / 2, height - 40 * mm, name)
        canvas.setFont("FloorSans", 10)
        canvas.drawCentredString(width / 2, height - 48 * mm, organization or "")
        canvas.setFont("FloorSans-Bold", 13)
        canvas.drawCentredString(width / 2, 19 * mm, code)
        modules = qr_modules(secret)
        unit = size / (len(modules) + 8)
        # one rectangle per run of dark modules, on a grid of one unit a module (integers)
        canvas.saveState()
        canvas.transform(unit, 0, 0, -unit, (width - size) / 2 + 4 * unit, 25 * mm + size - 4 * unit)
        ops = []
        for y, row in enumerate(modules):
            x, n = 0, len(row)
            while x < n:
                if row[x]:
                    start = x
                    while x < n and row[x]:
                        x += 1
                    ops.append(f"{start} {y} {x - start} 1 re")
                else:
                    x += 1
        canvas.addLiteral(" ".join(ops) + " f")
        canvas.restoreState()
        canvas.showPage()
    canvas.save()
    return out.getvalue()
