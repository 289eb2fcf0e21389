"""The file an organizer brings: a CSV saved by Russian Excel (Windows-1251, `;`), the Tajik
letters that encoding loses, a checked file kept on the server for the import (theirs only,
for an hour, deleted once imported), and row errors that name the values a column accepts."""
import io
import os
import stat
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from forum.extensions import db
from forum.people import import_uploads, importer
from forum.people.import_report import describe
from forum.people.models import Person
from tests.factories import make_forum, make_user
from tests.people_fixtures import HEADER, counts, csv_bytes, places_fixture  # noqa: F401

pytestmark = pytest.mark.both_dbs

ROWS = ["Каримова Зарина;92 770 11 22;;ru;ж;ГВП «Умед»;shg;Исфара;Сурх;Член ГВП;",
        "Рахимов Далер;93 555 00 11;;ru;м;;;;;гость;"]


def said(issue, lang: str = "en") -> str:
    with force_locale(lang):
        return describe(issue)


def _cp1251(*lines: str) -> bytes:
    """As Excel in a Russian Windows saves «CSV (разделители - запятые)»: 1251, `;`, no BOM;
    a letter 1251 lacks becomes "?"."""
    return "\r\n".join([HEADER, *lines, ""]).encode("cp1251", errors="replace")


def test_a_csv_of_russian_excel_in_windows_1251_is_read(app, forum, places):
    report = importer.import_registrations(forum, "список.csv", _cp1251(*ROWS))
    db.session.commit()
    assert report.imported and report.registered == 2, [said(e) for e in report.errors]
    names = db.session.scalars(sa.select(Person.full_name).order_by(Person.full_name)).all()
    assert names == ["Каримова Зарина", "Рахимов Далер"]
    assert "Windows-1251" in said(report.notes[0]) and "«CSV UTF-8»" in said(report.notes[0])


def test_tajik_letters_lost_by_windows_1251_refuse_the_row_and_say_how_to_save(app, forum, places):
    data = _cp1251("Раҳимова Гулнора;92 770 11 22;;tg;ж;ГВП «Ҳамдилон»;shg;;;Член ГВП;", ROWS[1])
    assert b"\xd0\xe0?\xe8\xec\xee\xe2\xe0" in data  # Ра?имова: what Excel writes
    report = importer.import_registrations(forum, "список.csv", data)
    assert not report.imported and counts() == (0, 0, 0)
    assert [(e.line, e.code) for e in report.errors] == [(2, "question_marks"), (2, "question_marks")]
    assert said(report.errors[0]).startswith("Line 2: «Ра?имова Гулнора» has «?» where a letter should be")
    assert "«CSV UTF-8» or «Excel workbook (.xlsx)»" in said(report.errors[0])
    assert "Сохраните файл как «CSV UTF-8»" in said(report.errors[1], "ru")


def test_a_question_mark_in_a_utf8_file_is_left_alone(app, forum):
    report = importer.import_registrations(forum, "a.csv", csv_bytes("Кто? Неизвестно;;;;;;;;;guest;"))
    assert report.imported and not report.notes


def test_row_errors_name_the_values_a_column_accepts_in_the_readers_language(app, forum, places):
    report = importer.import_registrations(forum, "a.csv", csv_bytes(
        "Каримова Зарина;;;;;;clan;Хатлон;;vip;"))
    category, district, kind = sorted(report.errors, key=lambda e: e.code)[:3]
    assert said(district) == "Line 2: Unknown district «Хатлон». Write one of: «Isfara», «Ghonchi»."
    assert said(district, "tg") == "Сатри 2: Ноҳияи номаълум «Хатлон». Яке аз инҳоро нависед: «Исфара», «Ғончӣ»."
    assert said(category).startswith("Line 2: Unknown category «vip». Write one of: «Self-help group member», "
                                     "«Self-help group leader», ")
    assert "«Член ГВП»" in said(category, "ru")
    assert "«Self-help group», «NGO»" in said(kind)


def _post(client, slug: str = "isfara-test", data: bytes | None = None, **fields):
    form = dict(fields)
    if data is not None:
        form["file"] = (io.BytesIO(data), "список.csv")
    return client.post(f"/manage/{slug}/registrations/import", data=form, content_type="multipart/form-data")


def _kept_token(page: str) -> str:
    start = page.index('name="kept"')
    tag = page[page.rindex("<input", 0, start):page.index(">", start)]
    return tag.split('value="', 1)[1].split('"', 1)[0]


def test_a_checked_file_is_imported_without_choosing_it_again(app, client, auth, forum, places):
    auth.login("organizer")
    page = _post(client, data=csv_bytes(*ROWS), check="y").get_data(as_text=True)
    assert "Все 2 строки в порядке" in page and "Файл «список.csv» сохранён на час" in page
    token = _kept_token(page)
    folder = app.config["KEPT_IMPORTS_DIR"]
    kept = [name for name in os.listdir(folder)]
    assert sorted(kept) == [f"{token}.data", f"{token}.json"]
    for name in kept:  # people's phones: nobody else on the server reads them
        assert stat.S_IMODE(os.stat(os.path.join(folder, name)).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert counts() == (0, 0, 0)

    response = _post(client, kept=token, submit="y")  # no file this time
    assert response.status_code == 200 and "Импортировано регистраций: 2;" in response.get_data(as_text=True)
    assert counts()[2] == 2
    assert os.listdir(folder) == []  # deleted once imported
    again = _post(client, kept=token, submit="y")
    assert again.status_code == 422 and "Проверенный файл больше не хранится" in again.get_data(as_text=True)


def test_a_kept_file_serves_only_its_user_and_forum_and_only_for_an_hour(app, client, auth, forum, places):
    other_forum = make_forum(slug="gafurov-test")
    organizer = auth.login("organizer")
    token = _kept_token(_post(client, data=csv_bytes(*ROWS), check="y").get_data(as_text=True))
    assert _post(client, "gafurov-test", kept=token, submit="y").status_code == 422  # another forum's page
    colleague = make_user("organizer", email="colleague@forum.example")
    assert import_uploads.take(forum.id, colleague.id, token) is None  # another organizer
    assert import_uploads.take(forum.id, organizer.id, token) is not None
    app.config["CLOCK"] = app.config["CLOCK"] + timedelta(hours=1, minutes=1)
    assert import_uploads.take(forum.id, organizer.id, token) is None  # expired
    import_uploads.sweep()
    assert os.listdir(app.config["KEPT_IMPORTS_DIR"]) == []
    assert counts()[2] == 0 and other_forum.registrations == []


def test_a_new_check_replaces_the_file_kept_before(app, client, auth, forum, places):
    auth.login("organizer")
    first = _kept_token(_post(client, data=csv_bytes(ROWS[0]), check="y").get_data(as_text=True))
    second = _kept_token(_post(client, data=csv_bytes(*ROWS), check="y").get_data(as_text=True))
    assert first != second
    assert sorted(os.listdir(app.config["KEPT_IMPORTS_DIR"])) == [f"{second}.data", f"{second}.json"]


def test_only_a_file_that_can_be_imported_as_it_is_is_kept(app, client, auth, forum, places):
    auth.login("organizer")
    assert _kept_token(_post(client, data=b"%PDF", check="y").get_data(as_text=True)) == ""
    bad = _post(client, data=csv_bytes("Каримова Зарина;;;;;;;;;vip;"), check="y").get_data(as_text=True)
    assert _kept_token(bad) == "" and "сохранён на час" not in bad  # to be fixed first
    assert not os.path.exists(app.config["KEPT_IMPORTS_DIR"])  # nothing was ever kept

    _post(client, data=csv_bytes(ROWS[1]), submit="y")  # Далер is registered already
    token = _kept_token(_post(client, data=csv_bytes(*ROWS), check="y").get_data(as_text=True))
    refused = _post(client, kept=token, submit="y")
    assert refused.status_code == 422 and _kept_token(refused.get_data(as_text=True)) == token
    skipped = _post(client, kept=token, submit="y", skip_existing="y")
    assert skipped.status_code == 200 and counts()[2] == 2
    assert os.listdir(app.config["KEPT_IMPORTS_DIR"]) == []
