"""The export is streamed from a column-only query: the statements do not grow with the list,
no registration becomes an object, and the file leaves in pieces. Counted, never timed."""
import csv
import io

import pytest
from openpyxl import load_workbook

from forum.extensions import db
from forum.people import export
from forum.people.models import Registration
from tests.agenda_fixtures import QueryCounter
from tests.factories import make_organization, make_person, make_registration
from tests.people_fixtures import places_fixture  # noqa: F401

pytestmark = pytest.mark.both_dbs
URL = "/manage/isfara-test/registrations/export?format="


def _add(forum, count: int, start: int) -> None:
    for n in range(start, start + count):
        make_registration(forum, make_person(f"Участник {n:03d}", phone=f"+99292{n:07d}"))


def test_statements_stay_the_same_and_no_registration_is_loaded(client, auth, forum):
    auth.login("organizer")
    counts = []
    for start, count in ((0, 3), (3, 30)):
        _add(forum, count, start)
        db.session.expire_all()
        for kind in ("csv", "xlsx"):
            with QueryCounter(db.engine) as queries:
                response = client.get(URL + kind)
                streamed = response.is_streamed
                body = response.get_data()  # the stream runs while it is read
            assert response.status_code == 200 and streamed
            counts.append(queries.count)
            assert not [o for o in db.session.identity_map.values() if isinstance(o, Registration)]
        rows = list(csv.reader(io.StringIO(client.get(URL + "csv").get_data().decode("utf-8-sig")), delimiter=";"))
        assert len(rows) == 1 + start + count
        assert len(load_workbook(io.BytesIO(body)).active["A"]) == 1 + start + count
    assert counts[:2] == counts[2:]


def test_the_csv_leaves_in_pieces_of_the_stream_batch(client, auth, forum, monkeypatch):
    monkeypatch.setattr(export, "STREAM_BATCH", 10)
    auth.login("organizer")
    _add(forum, 25, 0)
    response = client.get(URL + "csv")
    pieces = [piece for piece in response.response if piece]
    assert len(pieces) == 3  # rows 1–10 (with the header), 11–20, the rest
    assert pieces[0].startswith("\ufeff".encode())
    assert b"".join(pieces).decode("utf-8-sig").count("\r\n") == 26


def test_a_persons_own_place_wins_over_the_groups(client, auth, forum, places):
    auth.login("organizer")
    group = make_organization("ГВП «Умед»", district_id=places["isfara"].id, jamoat_id=places["chorkuh"].id)
    person = make_person("Назарова Ойша", organization=group)
    person.district_id = places["ghonchi"].id  # her own district; no jamoat of her own
    db.session.commit()
    make_registration(forum, person)
    rows = list(csv.reader(io.StringIO(client.get(URL + "csv").get_data().decode("utf-8-sig")), delimiter=";"))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["district"], row["jamoat"]) == ("Гончи", "Чоркух")  # each place on its own, as the list shows it


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_first_piece_leaves_before_the_rows_are_all_read(app, kind, monkeypatch):
    monkeypatch.setattr(export, "STREAM_BATCH", 10)
    read = []

    def table():
        yield list(export.COLUMNS)
        for n in range(45):
            read.append(n)
            yield [f"Участник {n}", "", "", "ru", "", "", "", "", "", "", "", "", ""]

    stream = export.stream_xlsx(table()) if kind == "xlsx" else export.stream_csv(table())
    assert next(stream) and len(read) <= 10  # one batch read (with the header, for CSV), the rest not yet
    body = next(stream) + b"".join(stream)
    assert len(read) == 45 and body


def test_the_xlsx_is_a_workbook_as_excel_shows_it(client, auth, forum):
    auth.login("organizer")
    make_registration(forum, make_person("  Пробел <b>&amp;", phone="+992927701122", email="a@example.org"))
    sheet = load_workbook(io.BytesIO(client.get(URL + "xlsx").get_data())).active
    assert sheet.title == "isfara-test" and sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    assert [sheet.column_dimensions[c].width for c in "ABM"] == [32, 18, 17]
    header, row = [[cell.value for cell in r] for r in sheet.iter_rows()]
    assert header == list(export.COLUMNS)
    assert row[:4] == ["  Пробел <b>&amp;", "'+992 92 770 1122", "a@example.org", "ru"]
    assert row[5] is None and row[12] is None  # empty cells keep the columns after them in place


def test_phones_are_shown_as_display_phone_shows_them():
    from forum.people.phones import display_phone

    numbers = ["+992927701122", "+992927701123", "+992372212345", "+992344155555", "+992501234567",
               "+79161234567", "+79161234568", "+4915123456789", "+12025550123", None, ""]
    shown = export._Phones()
    assert [shown(n) for n in numbers + numbers] == [display_phone(n) for n in numbers + numbers]


def test_a_row_of_the_sheet_is_its_cells_one_by_one():
    for row in (["Раҳимова Гулнора", "'+992 93 720 0123", "", "ru"], ["  a&b<", "\x01x\r", "", "q ", "\x02"]):
        assert export._row(row) == "<row>" + "".join(export._cell(v) if v.strip("\x01\x02") else "<c/>"
                                                     for v in row) + "</row>"


def test_each_registration_once_with_its_own_group_with_or_without_a_district_filter(client, auth, forum, places):
    auth.login("organizer")
    for n, place in enumerate(("isfara", "ghonchi", "isfara")):
        group = make_organization(f"ГВП «Гурӯҳ-{n}»", district_id=places[place].id)
        make_registration(forum, make_person(f"Аъзо {n}", organization=group))
    make_registration(forum, make_person("Бе гурӯҳ"))
    for query, expected in (("", {"Аъзо 0": "ГВП «Гурӯҳ-0»", "Аъзо 1": "ГВП «Гурӯҳ-1»", "Аъзо 2": "ГВП «Гурӯҳ-2»",
                                  "Бе гурӯҳ": ""}),
                            (f"&district={places['isfara'].id}", {"Аъзо 0": "ГВП «Гурӯҳ-0»", "Аъзо 2": "ГВП «Гурӯҳ-2»"})):
        rows = list(csv.reader(io.StringIO(client.get(URL + "csv" + query).get_data().decode("utf-8-sig")),
                               delimiter=";"))
        assert len(rows) == 1 + len(expected)
        assert {row[0]: row[5] for row in rows[1:]} == expected
