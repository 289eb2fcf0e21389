"""The dashboard and the forum report on the demo forums: the dashboard, the PDF and the XLSX
show the same figures because all three read `reports.figures.collect`; the report comes in
three languages, compares forums when asked, refuses bad requests clearly and names nobody
who did not agree to be named."""
from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from openpyxl import load_workbook

from forum.drawings.models import Drawing
from forum.events.service import forum_by_slug
from forum.exhibition.models import ExhibitorApplication
from forum.extensions import db
from forum.jobfair.models import Interest
from forum.reports import figures, tables, xlsx
from forum.reports.pdf import cell_text
from tests.checkin_fixtures import pdf_text

DEMO_LOGIN = {"email": "organizer@forum.example", "password": "isfara-2011"}


FORUM_EN = ["forum", "--lang", "en"]  # these tests read the command line in English


@pytest.fixture
def organizer(demo_client):
    assert demo_client.post("/auth/login", data=DEMO_LOGIN).status_code == 302
    return demo_client


def _dashboard_figures(html: str) -> dict[str, int]:
    return {key: int(value) for key, value in re.findall(
        r'<div data-figure="(\w+)"><dt>[^<]*</dt><dd>(\d+)</dd></div>', html)}


def _sheets(data: bytes) -> list[list[list]]:
    book = load_workbook(io.BytesIO(data))
    return [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets]


def _summary_from_xlsx(data: bytes, lang: str) -> dict[str, int]:
    with force_locale(lang):
        by_label = {label: key for key, label in tables.headline_labels().items()}
    summary = _sheets(data)[0]
    return {by_label[label]: value for label, value in summary[2:]}


def test_dashboard_pdf_and_xlsx_show_the_same_figures(organizer, demo_app):
    isfara = forum_by_slug("isfara-2011")
    expected = dict(figures.collect(isfara).headline())
    assert expected["registered"] == 419 and expected["arrived"] > 300 and expected["hires"] > 0

    dashboard = organizer.get("/manage/isfara-2011/").get_data(as_text=True)
    assert _dashboard_figures(dashboard) == expected
    assert dashboard.count('<svg class="chart"') == 3  # arrivals, by district, by category

    for lang in ("ru", "tg", "en"):
        pdf = organizer.get(f"/manage/isfara-2011/report.pdf?lang={lang}")
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        text = pdf_text(pdf.data)
        with force_locale(lang):
            labels = tables.headline_labels()
        for key, value in expected.items():
            assert f"{labels[key]}\n{value}\n" in text, (lang, key)
        book = organizer.get(f"/manage/isfara-2011/report.xlsx?lang={lang}")
        assert book.status_code == 200
        assert _summary_from_xlsx(book.data, lang) == expected


def test_every_report_table_is_in_the_pdf_and_the_xlsx_cell_for_cell(organizer, demo_app):
    isfara = forum_by_slug("isfara-2011")
    found = figures.collect(isfara)
    with force_locale("ru"):
        report_tables = xlsx.workbook_tables(found, "ru")
    assert {t.key for t in report_tables} >= {"summary", "by_category", "by_district", "by_jamoat", "by_gender",
                                               "arrivals", "exhibitors", "performances", "awards", "recommendations",
                                               "employers", "sectors"}
    sheets = _sheets(organizer.get("/manage/isfara-2011/report.xlsx?lang=ru").data)
    assert len(sheets) == len(report_tables)
    text = pdf_text(organizer.get("/manage/isfara-2011/report.pdf?lang=ru").data)
    flat = re.sub(r"\s+", "", text)
    for table, sheet in zip(report_tables, sheets, strict=True):
        rows = sheet[2:]
        body = table.rows + ([table.total] if table.total else [])
        assert len(rows) == len(body), table.key
        for row, cells in zip(rows, body, strict=True):
            for value, cell in zip(row, cells, strict=True):
                if isinstance(cell, int):
                    assert value == cell, table.key  # numbers stay numbers
                else:
                    assert cell_text(value if not hasattr(value, "date") else value.date()) == cell_text(cell) \
                        or (value is None and cell in ("", None)), (table.key, value, cell)
            for cell in cells:  # and the PDF prints each cell (wrapped lines joined)
                assert re.sub(r"\s+", "", cell_text(cell)) in flat, (table.key, cell)


def test_figures_come_from_one_place(organizer, demo_app, monkeypatch):
    """Change the one source and the dashboard, the PDF and the XLSX all change with it."""
    real = figures.participation

    def doctored(forum):
        p = real(forum)
        return replace(p, total=figures.Pair(7777, 6543))

    monkeypatch.setattr(figures, "participation", doctored)
    dashboard = _dashboard_figures(organizer.get("/manage/isfara-2011/").get_data(as_text=True))
    assert dashboard["registered"] == 7777 and dashboard["arrived"] == 6543
    text = pdf_text(organizer.get("/manage/isfara-2011/report.pdf?lang=en").data)
    assert "Registered (expected)\n7777\n" in text and "Came (checked in)\n6543\n" in text
    summary = _summary_from_xlsx(organizer.get("/manage/isfara-2011/report.xlsx?lang=en").data, "en")
    assert summary["registered"] == 7777 and summary["arrived"] == 6543


def test_report_in_tajik_with_charts_and_the_other_forum_beside_it(organizer, demo_app):
    response = organizer.get("/manage/isfara-2011/report.pdf?lang=tg&compare=b-gafurov-2011")
    assert response.status_code == 200
    assert 'filename="isfara-2011-report-tg-compared.pdf"' in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    for words in ("Ҳисобот дар бораи форум", "Форум дар рақамҳо", "Муқоисаи форумҳо",
                  "Иштирокчиён аз рӯи ноҳияҳо",  # a chart's title, drawn with the chart
                  "Омадан дар давоми рӯз", "Ғафуров", "Ҷамоат"):
        assert words in text, words
    gafurov = dict(figures.collect(forum_by_slug("b-gafurov-2011")).headline())
    isfara = dict(figures.collect(forum_by_slug("isfara-2011")).headline())
    assert gafurov["arrived"] > 100  # the demo's second forum took place too
    with force_locale("tg"):
        label = tables.headline_labels()["arrived"]
    assert f"{label}\n{isfara['arrived']}\n{gafurov['arrived']}\n" in text

    sheets = _sheets(organizer.get("/manage/isfara-2011/report.xlsx?lang=tg&compare=b-gafurov-2011").data)
    comparison = sheets[1]
    assert [row[1:] for row in comparison[2:] if row[0] == label] == [[isfara["arrived"], gafurov["arrived"]]]


@pytest.mark.parametrize("query, message", [
    ("report.doc", "The report is made as PDF or XLSX."),
    ("report.pdf?lang=de", "Choose the report's language: Russian, Tajik or English."),
    ("report.pdf?compare=nowhere-2011", "Choose forums to compare from the list"),
    ("report.xlsx?compare=isfara-2011", "a forum is not compared with itself"),
])
def test_a_bad_report_request_is_refused_with_a_clear_message(organizer, query, message):
    organizer.get("/lang/en")
    response = organizer.get(f"/manage/isfara-2011/{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True).replace("&#39;", "'")


def test_a_bad_report_request_is_explained_in_tajik(organizer):
    organizer.get("/lang/tg")
    response = organizer.get("/manage/isfara-2011/report.pdf?compare=nowhere-2011")
    assert response.status_code == 400 and "Форумҳоро барои муқоиса" in response.get_data(as_text=True)


def test_report_page_offers_languages_and_forums_to_compare(organizer):
    page = organizer.get("/manage/isfara-2011/report").get_data(as_text=True)
    assert 'value="b-gafurov-2011"' in page and 'value="isfara-2011"' not in page
    assert page.count('name="lang"') == 3 and 'formaction="/manage/isfara-2011/report.xlsx"' in page


@pytest.mark.parametrize("role", ["staff", "jury", "employer"])
def test_only_organizers_see_the_dashboard_and_the_report(demo_app, role):
    from tests.factories import PASSWORD, make_user

    client = demo_app.test_client()
    user = make_user(role, email=f"{role}-report@forum.example")
    assert client.post("/auth/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    for url in ("/manage/isfara-2011/", "/manage/isfara-2011/report", "/manage/isfara-2011/report.pdf"):
        assert client.get(url).status_code == 403, url


def test_the_report_names_no_seeker_guardian_contact_or_unconsented_child(organizer, demo_app):
    isfara = forum_by_slug("isfara-2011")
    private = set()
    private |= {n for n in db.session.scalars(sa.select(Interest.shared_name)) if n}
    drawings = db.session.scalars(sa.select(Drawing).where(Drawing.forum_id == isfara.id)).all()
    private |= {d.guardian_name for d in drawings}
    private |= {d.child_first_name for d in drawings if d.status != "approved"}
    private |= {a.contact_name for a in db.session.scalars(sa.select(ExhibitorApplication))}
    assert len(private) > 10
    shown = {d.child_first_name for d in drawings if d.status == "approved" and d.award}
    private -= shown  # a common first name may belong to an awarded child too
    pdf = pdf_text(organizer.get("/manage/isfara-2011/report.pdf?lang=ru").data)
    cells = " ".join(str(v) for sheet in _sheets(organizer.get("/manage/isfara-2011/report.xlsx").data)
                     for row in sheet for v in row if v is not None)
    dashboard = organizer.get("/manage/isfara-2011/").get_data(as_text=True)
    for text in (pdf, cells, dashboard):
        assert not re.search(r"\+?992\s?\d{2}\s?\d{3}", text)  # no phone number at all
        for name in private:
            assert name not in text, name


def test_a_cell_typed_by_the_public_is_text_in_the_xlsx_never_a_formula(organizer, demo_app):
    application = db.session.scalars(sa.select(ExhibitorApplication).where(
        ExhibitorApplication.status == "approved")).first()
    application.group_name = '=HYPERLINK("http://evil.example","ГВП")'
    db.session.commit()
    book = load_workbook(io.BytesIO(organizer.get("/manage/isfara-2011/report.xlsx").data))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row
             if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" and c.value.startswith("'=") for c in cells)


def test_report_command_writes_pdf_or_xlsx_by_suffix(demo_app, tmp_path):
    runner = demo_app.test_cli_runner()
    pdf = tmp_path / "isfara.pdf"
    result = runner.invoke(args=[*FORUM_EN, "report", "isfara-2011", "-o", str(pdf), "--lang", "tg",
                                 "--compare", "b-gafurov-2011"])
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes().startswith(b"%PDF") and "Муқоисаи форумҳо" in pdf_text(pdf.read_bytes())
    book = tmp_path / "isfara.xlsx"
    assert runner.invoke(args=[*FORUM_EN, "report", "isfara-2011", "-o", str(book)]).exit_code == 0
    assert _summary_from_xlsx(book.read_bytes(), "ru") == dict(figures.collect(forum_by_slug("isfara-2011")).headline())

    wrong = runner.invoke(args=[*FORUM_EN, "report", "isfara-2011", "-o", str(tmp_path / "isfara.docx")])
    assert wrong.exit_code == 1 and "The report is made as PDF or XLSX." in wrong.output
    assert not (tmp_path / "isfara.docx").exists()
    missing = runner.invoke(args=[*FORUM_EN, "report", "nowhere-2011", "-o", str(pdf)])
    assert missing.exit_code == 1 and "There is no forum with the address nowhere-2011." in missing.output


def test_a_new_forum_without_activities_still_has_a_report(app, client, auth):
    """A draft forum with nobody registered yet: no charts, no sections of activities it lacks."""
    from tests.factories import make_forum

    forum = make_forum(slug="khujand-2012")
    forum.activities = []
    db.session.commit()
    auth.login("organizer")
    page = client.get("/manage/khujand-2012/").get_data(as_text=True)
    assert _dashboard_figures(page) == {"registered": 0, "arrived": 0, "women_arrived": 0, "districts": 0, "groups": 0}
    assert '<svg class="chart"' not in page
    text = pdf_text(client.get("/manage/khujand-2012/report.pdf?lang=en").data)
    assert "Participation" in text and "Exhibition" not in text and "Job fair" not in text
