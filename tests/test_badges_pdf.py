"""Badge PDFs, checked as a printer and a door would: rasterised, every QR decoded with
zxing-cpp and checked in, and the text extracted with pypdf."""
from __future__ import annotations

import pytest
from pypdf import PdfReader

from forum.badges import service
from forum.badges.pdf import fit_text, render
from forum.pdf import BOLD, register_fonts
from tests import factories
from tests.checkin_fixtures import arrivals, decode_qr_codes, make_checkpoint, pdf_text, scan

NAMES = [
    ("Қурбонова Ҷамила Ғайратовна", "tg"),  # Tajik letters ғ қ ҷ
    ("Ҳасанов Ӯрунбой Ӣсоевич", "tg"),  # ҳ ӯ ӣ
    ("Абдуллоҷонова-Зарифбекова Муҳаббатхон Ҳикматуллоевна", "ru"),  # long: shrunk, never cut
    ("Иванова Мария Петровна", "ru"),
    ("Sarah O'Connor", "en"),
]


@pytest.fixture
def registrations(forum):
    org = factories.make_organization("ГВП «Ҳамкорӣ», Ғончӣ")
    return [factories.make_registration(forum, factories.make_person(name, language=lang, organization=org))
            for name, lang in NAMES]


def _render(forum, registrations, sheet):
    return render(service.badges_for(forum, registrations), sheet)


def test_every_qr_on_the_sheets_decodes_and_checks_the_person_in(app, forum, registrations):
    make_checkpoint(forum, "entrance")
    pdf = _render(forum, registrations, "a4")
    assert len(PdfReader(__import__("io").BytesIO(pdf)).pages) == 2  # 4 badges a page
    decoded = decode_qr_codes(pdf)
    assert sorted(decoded) == sorted(r.badge_secret for r in registrations)
    for secret in decoded:
        assert scan(forum, secret).status == "ok"
    assert arrivals() == len(registrations)


@pytest.mark.parametrize("sheet, pages", [("a6", 5), ("labels", 1)])
def test_single_badges_and_label_sheets_decode_too(app, forum, registrations, sheet, pages):
    pdf = _render(forum, registrations, sheet)
    assert len(PdfReader(__import__("io").BytesIO(pdf)).pages) == pages
    assert sorted(decode_qr_codes(pdf)) == sorted(r.badge_secret for r in registrations)


def test_page_sizes_are_a6_and_a4(app, forum, registrations):
    import io

    a6 = PdfReader(io.BytesIO(_render(forum, registrations[:1], "a6"))).pages[0].mediabox
    a4 = PdfReader(io.BytesIO(_render(forum, registrations[:1], "a4"))).pages[0].mediabox
    assert (round(float(a6.width) / 72 * 25.4), round(float(a6.height) / 72 * 25.4)) == (105, 148)
    assert (round(float(a4.width) / 72 * 25.4), round(float(a4.height) / 72 * 25.4)) == (210, 297)


def test_cyrillic_and_tajik_names_are_printed_whole(app, forum, registrations):
    text = pdf_text(_render(forum, registrations, "a4"))
    words = " ".join(text.split())
    for name, _lang in NAMES:
        for part in name.split():
            assert part in words, part
    assert "ГВП «Ҳамкорӣ», Ғончӣ" in words


def test_badge_speaks_the_persons_language(app, forum, registrations):
    text = " ".join(pdf_text(_render(forum, registrations, "a6")).split())
    assert forum.title["tg"] in text and forum.title["ru"] in text and forum.title["en"] in text
    assert "АЪЗОИ ГУРӮҲИ ХУДЁРӢ" in text  # the category in Tajik
    assert "ЧЛЕН ГВП" in text  # in Russian
    assert "SELF-HELP GROUP MEMBER" in text  # in English
    assert "5 мая 2011" in text and "Хонаи фарҳанг" in text and "House of Culture" in text


def test_short_code_is_printed_under_the_qr(app, forum, registrations):
    text = pdf_text(_render(forum, registrations[:1], "a6"))
    code = service.short_code(registrations[0])
    assert f"{code[:3]}-{code[3:]}" in text


def test_long_names_shrink_to_fit_and_are_never_cut():
    register_fonts()
    size, lines = fit_text("Абдуллоҷонова-Зарифбекова Муҳаббатхон Ҳикматуллоевна", BOLD, 24, 11, 250, 60, 2)
    assert size < 24 and " ".join(lines) == "Абдуллоҷонова-Зарифбекова Муҳаббатхон Ҳикматуллоевна"
    from reportlab.pdfbase.pdfmetrics import stringWidth

    assert all(stringWidth(line, BOLD, size) <= 250 for line in lines)
    # one impossible word still prints whole, just smaller
    size, lines = fit_text("Ҳ" * 60, BOLD, 24, 11, 250, 60, 2)
    assert lines == ["Ҳ" * 60] and stringWidth(lines[0], BOLD, size) <= 250
    assert fit_text("Али", BOLD, 24, 11, 250, 60, 2) == (24, ["Али"])
