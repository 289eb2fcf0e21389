"""Importing a forum's registrations from CSV and XLSX: all rows or none, with a report."""
import io

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from forum.extensions import db
from forum.people import import_apply, importer, sheets
from forum.people.import_report import describe
from forum.people.models import Organization, Person, Registration
from tests.factories import make_forum, make_organization, make_person, make_registration
from tests.people_fixtures import counts, csv_bytes, places_fixture, xlsx_bytes  # noqa: F401

pytestmark = pytest.mark.both_dbs

GOOD = [
    "Каримова Зарина;92 770 11 22;zarina@example.org;tg;ж;ГВП «Умед», Чоркӯҳ;shg;Исфара;Чоркух;Член ГВП;",
    "Рахимов Далер;+992 93 555 00 11;;ru;m;;;Isfara;surkh;mobilizer;invited",
    "Odina Saidova;0 92 770 33 44;;en;;Международная организация по миграции;international;;;international;confirmed",
]


def said(issue) -> str:
    """What the report says about an issue, in English."""
    with force_locale("en"):
        return describe(issue)


def _upload(client, slug: str, data: bytes, filename: str, **fields):
    form = {"file": (io.BytesIO(data), filename), **fields}
    return client.post(f"/manage/{slug}/registrations/import", data=form, content_type="multipart/form-data")


def _registrations(forum):
    return db.session.scalars(sa.select(Registration).where(Registration.forum_id == forum.id)).all()


def test_a_good_csv_registers_everyone_with_places_and_organizations(app, client, auth, forum, places):
    auth.login("organizer")
    response = _upload(client, "isfara-test", csv_bytes(*GOOD), "list.csv", submit="y")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert "Импортировано регистраций: 3; новых людей: 3" in page
    found = {r.person.full_name: r for r in _registrations(forum)}
    zarina = found["Каримова Зарина"]
    assert zarina.person.phone == "+992927701122" and zarina.person.language == "tg" and zarina.person.gender == "f"
    assert zarina.person.organization.name == "ГВП «Умед», Чоркӯҳ" and zarina.person.organization.kind == "shg"
    assert zarina.person.jamoat_id == places["chorkuh"].id and zarina.person.district_id == places["isfara"].id
    assert (zarina.category, zarina.status, zarina.source) == ("shg_member", "confirmed", "import")
    daler = found["Рахимов Далер"]
    assert (daler.category, daler.status, daler.person.jamoat_id) == ("mobilizer", "invited", places["surkh"].id)
    assert found["Odina Saidova"].person.organization.kind == "international"
    assert len({r.badge_secret for r in found.values()}) == 3 and all(r.token for r in found.values())


def test_russian_headers_and_commas_without_bom_work_too(app, forum, places):
    data = csv_bytes("Саидова Мавлуда,92 770 55 66,Член ГВП,Гончи,Муджун",
                     header="ФИО,Телефон,Категория,Район,Джамоат", bom=False, delimiter=",")
    report = importer.import_registrations(forum, "список.csv", data)
    assert report.ok and report.imported and report.registered == 1
    person = db.session.scalar(sa.select(Person))
    assert person.phone == "+992927705566" and person.jamoat_id == places["mujun"].id


def test_several_bad_rows_are_each_reported_and_nothing_is_imported(app, client, auth, forum, places):
    auth.login("organizer")
    make_organization("ГВП «Ватан»", kind="shg")
    before = counts()
    data = csv_bytes(
        GOOD[0],
        ";92 770 00 01;;;;;;;;guest;",  # line 3: no name
        "Бобоева Нигина;12345;;;;;;;;guest;",  # line 4: a phone nobody can call
        "Юсупова Малика;92 770 00 02;не почта;fr;x;;;Хатлон;;гость;",  # line 5: email, language, gender, district
        "Азизова Ойша;92 770 00 03;;;;;;Исфара;Муджун;;ушёл",  # line 6: jamoat elsewhere, no category, bad status
        "Наимова Шоира;92 770 00 04;;;;ГВП «Ватан»;clan;;;vip;",  # line 7: kind and category unknown
    )
    response = _upload(client, "isfara-test", data, "list.csv", submit="y")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ничего не импортировано" in page
    for expected in ("Строка 3: Имя не указано.",
                     "Строка 4: «12345» — не номер телефона",
                     "Строка 5: «не почта» — не адрес эл. почты.",
                     "Строка 5: Неизвестный язык «fr»",
                     "Строка 5: Неизвестный пол «x»",
                     "Строка 5: Неизвестный район «Хатлон». Напишите один из: «Исфара», «Гончи».",
                     "Строка 6: Джамоат «Муджун» не находится в районе «Исфара».",
                     "Строка 6: Категория не указана. Напишите одну из: «Член ГВП», ",
                     "Строка 6: Неизвестный статус «ушёл».",
                     "Строка 7: Неизвестный тип организации «clan». Напишите один из: «",
                     "Строка 7: Неизвестная категория «vip». Напишите одну из: «Член ГВП», "):
        assert expected in page, expected
    assert "Строка 2" not in page  # the good row is not blamed
    assert counts() == before


def test_report_comes_in_tajik(app, client, auth, forum):
    auth.login("organizer")
    client.get("/lang/tg")
    page = _upload(client, "isfara-test", csv_bytes("Каримова Зарина;12;;;;;;;;guest;"), "a.csv",
                   submit="y").get_data(as_text=True)
    assert "Сатри 2: «12» рақами телефоне нест, ки ба он занг задан мумкин бошад." in page
    assert "Ҳеҷ чиз ворид карда нашуд" in page


def test_duplicates_in_the_file_are_reported_with_both_lines(app, forum):
    data = csv_bytes("Каримова Зарина;92 770 11 22;;;;;;;;guest;",
                     "Зарина Каримова;+992927701122;;;;;;;;guest;",
                     "Без Телефона;;;;;;;;;guest;",
                     "без  телефона;;;;;;;;;guest;")
    before = counts()
    report = importer.import_registrations(forum, "a.csv", data)
    assert not report.imported
    messages = [said(issue) for issue in report.errors]
    assert messages == ["Line 3: The phone +992927701122 is already on line 2: one person, one row.",
                        "Line 5: «без телефона» without a phone is already on line 4."]
    assert counts() == before


def test_people_already_registered_at_the_forum_are_refused_or_skipped(app, forum, places):
    make_registration(forum, make_person("Каримова Зарина", phone="+992927701122"))
    data = csv_bytes(GOOD[0], GOOD[1])
    before = counts()
    refused = importer.import_registrations(forum, "a.csv", data)
    assert [said(i) for i in refused.errors] == [
        "Line 2: Каримова Зарина is already registered at this forum."]
    db.session.rollback()
    assert counts() == before
    skipped = importer.import_registrations(forum, "a.csv", data, skip_existing=True)
    db.session.commit()
    assert skipped.imported and skipped.registered == 1 and skipped.skipped == 1
    assert "row skipped" in said(skipped.notes[0])
    assert len(_registrations(forum)) == 2


def test_a_known_phone_reuses_the_person_and_only_fills_gaps(app, forum, places):
    other = make_forum(slug="b-gafurov-test")
    org = make_organization("ГВП «Ситора»")
    known = make_person("Каримова Зарина Ахмедовна", phone="+992927701122", language="ru", organization=org)
    make_registration(other, known)
    report = importer.import_registrations(forum, "a.csv", csv_bytes(GOOD[0]))
    db.session.commit()
    assert report.imported and (report.new_people, report.known_people) == (0, 1)
    assert "Каримова Зарина Ахмедовна" in said(report.notes[0])
    db.session.refresh(known)
    assert known.full_name == "Каримова Зарина Ахмедовна" and known.language == "ru"  # kept
    assert known.organization_id == org.id  # kept, not replaced by the file's group
    assert known.email == "zarina@example.org" and known.jamoat_id == places["chorkuh"].id  # filled
    assert db.session.scalar(sa.select(sa.func.count(Person.id))) == 1


def test_a_row_naming_a_known_ngo_without_a_kind_column_joins_that_ngo(app, forum):
    ngo = make_organization("Центр по правам человека", kind="ngo")
    data = csv_bytes("Каримова Зарина;92 770 11 22;центр  по правам человека;guest",
                     header="full_name;phone;organization;category")
    report = importer.import_registrations(forum, "a.csv", data)
    db.session.commit()
    assert report.imported and report.new_organizations == 0
    assert db.session.scalar(sa.select(Person)).organization_id == ngo.id
    assert db.session.scalars(sa.select(Organization.kind)).all() == ["ngo"]  # no second, self-help one


def test_a_kind_in_the_file_picks_among_organizations_of_one_name(app, forum):
    make_organization("Джовид", kind="shg")
    ngo = make_organization("Джовид", kind="ngo")
    data = csv_bytes("Каримова Зарина;92 770 11 22;;;;Джовид;ngo;;;guest;",
                     "Рахимов Далер;92 770 11 23;;;;Джовид;;;;guest;")
    report = importer.import_registrations(forum, "a.csv", data)
    assert [said(i) for i in report.errors] == [
        "Line 3: Several organizations are called «Джовид»: fill in organization_kind."]
    db.session.rollback()
    report = importer.import_registrations(forum, "a.csv", csv_bytes(data.decode("utf-8-sig").splitlines()[1]))
    db.session.commit()
    assert report.imported and db.session.scalar(sa.select(Person)).organization_id == ngo.id


def test_a_new_organization_named_with_and_without_its_kind_is_made_once(app, forum):
    data = csv_bytes("Каримова Зарина;92 770 11 22;;;;Центр «Джовид»;;;;guest;",
                     "Рахимов Далер;92 770 11 23;;;;центр «джовид»;ngo;;;guest;",
                     "Саидова Мавлуда;92 770 11 24;;;;ГВП «Нур»;shg;;;guest;")
    report = importer.import_registrations(forum, "a.csv", data)
    db.session.commit()
    assert report.imported and report.new_organizations == 2
    kinds = dict(db.session.execute(sa.select(Organization.name, Organization.kind)).tuples().all())
    assert kinds == {"Центр «Джовид»": "ngo", "ГВП «Нур»": "shg"}
    people = db.session.scalars(sa.select(Person).order_by(Person.phone)).all()
    assert people[0].organization_id == people[1].organization_id != people[2].organization_id


def test_a_new_organization_named_with_two_kinds_in_one_file_is_refused(app, forum):
    before = counts()
    data = csv_bytes("Каримова Зарина;92 770 11 22;;;;Джовид;ngo;;;guest;",
                     "Рахимов Далер;92 770 11 23;;;;Джовид;shg;;;guest;",
                     "Саидова Мавлуда;92 770 11 24;;;;Джовид;;;;guest;")
    report = importer.import_registrations(forum, "a.csv", data)
    assert [said(i) for i in report.errors] == [
        "Line 4: Several organizations are called «Джовид»: fill in organization_kind."]
    assert counts() == before


def test_an_xlsx_with_numbers_for_phones_imports(app, forum, places):
    data = xlsx_bytes([["ФИО", "Телефон", "Категория", "Организация", "Тип организации", "Статус"],
                       ["Саидова Мавлуда", 927705566, "Лидер ГВП", "ГВП «Нур»", "shg", "Приглашён"],
                       [None, None, None, None, None, None],
                       ["Назаров Фирдавс", "93 555 00 12", "Гость", "", "", ""]])
    report = importer.import_registrations(forum, "list.xlsx", data)
    db.session.commit()
    assert report.imported and report.registered == 2 and report.new_organizations == 1
    leader = db.session.scalar(sa.select(Registration).join(Person).where(Person.phone == "+992927705566"))
    assert (leader.category, leader.status) == ("shg_leader", "invited")


def test_excel_sep_hint_line_is_understood(app, forum):
    data = b"sep=,\r\n" + csv_bytes("Саидова Мавлуда,92 770 55 66,guest", header="full_name,phone,category",
                                      bom=False, delimiter=",")
    report = importer.import_registrations(forum, "a.csv", data)
    assert report.imported and report.registered == 1


def test_only_the_open_sheet_of_a_workbook_is_read_and_that_is_said(app, forum):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Участники"
    workbook.active.append(["full_name", "category"])
    workbook.active.append(["Саидова Мавлуда", "guest"])
    workbook.create_sheet("Черновик").append(["full_name", "category"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = importer.import_registrations(forum, "list.xlsx", buffer.getvalue())
    assert report.imported and report.registered == 1
    assert [said(n) for n in report.notes] == ["Only the sheet «Участники» was read; the other sheets are ignored."]


def test_the_upload_form_asks_for_a_file(app, client, auth, forum):
    auth.login("organizer")
    page = client.post("/manage/isfara-test/registrations/import", data={"submit": "y"}).get_data(as_text=True)
    assert "Выберите файл." in page
    assert counts() == (0, 0, 0)


def test_a_broken_row_in_xlsx_names_its_row_number(app, forum):
    data = xlsx_bytes([["full_name", "phone", "category"], ["Саидова Мавлуда", "927705566", "guest"],
                       [None, None, None], ["Назаров Фирдавс", "555", "guest"]])
    report = importer.import_registrations(forum, "list.xlsx", data)
    assert [i.line for i in report.errors] == [4]


@pytest.mark.parametrize("filename, data, message", [
    ("photo.pdf", b"%PDF-1.4 fake", "Only CSV and XLSX files can be imported."),
    ("list.docx", b"PK\x03\x04 not a table", "Only CSV and XLSX files can be imported."),
    ("list.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Old Excel files (.xls) cannot be read."),
    ("list.xlsx", b"PK\x03\x04 broken", "The XLSX file could not be read."),
    ("list.csv", "ФИО\n".encode("utf-16"), "The file is not in UTF-8"),
    ("list.csv", b"", "The file has no participants"),
    ("list.csv", csv_bytes(), "The file has no participants"),
    ("list.csv", csv_bytes("Каримова;927701122", header="name;phone"), "The column «category» is missing."),
    ("list.csv", csv_bytes("A;B;guest", header="name;ФИО;category"), "The column «ФИО» appears twice."),
])
def test_files_that_cannot_be_read_are_refused_clearly(app, forum, filename, data, message):
    report = importer.import_registrations(forum, filename, data)
    assert not report.imported
    assert message in said(report.errors[0])
    assert counts() == (0, 0, 0)


def test_too_large_and_too_long_files_are_refused(app, client, auth, forum, monkeypatch):
    auth.login("organizer")
    big = csv_bytes(*[f"Участник номер {n} {'из очень длинного списка ' * 12};;;;;;;;;guest;" for n in range(22000)])
    assert len(big) > sheets.MAX_BYTES
    page = _upload(client, "isfara-test", big, "big.csv", submit="y").get_data(as_text=True)
    assert "Файл больше 12 МБ" in page
    monkeypatch.setattr(sheets, "MAX_ROWS", 3)
    report = importer.import_registrations(forum, "a.csv", csv_bytes(*[f"Человек {n};;;;;;;;;guest;" for n in range(4)]))
    assert "more than 3 participants" in said(report.errors[0])
    assert counts() == (0, 0, 0)


def test_unknown_columns_are_named_and_the_export_extra_column_is_ignored(app, forum):
    data = csv_bytes("Каримова Зарина;guest;x;2011-05-01 10:00", header="full_name;category;Примечание;registered_at")
    report = importer.import_registrations(forum, "a.csv", data)
    assert report.imported
    assert [said(n) for n in report.notes] == ["These columns are not used: Примечание."]


def test_check_only_reports_and_imports_nothing(app, client, auth, forum, places):
    auth.login("organizer")
    page = _upload(client, "isfara-test", csv_bytes(*GOOD), "list.csv", check="y").get_data(as_text=True)
    assert "Все 3 строки в порядке" in page
    assert counts() == (0, 0, 0)


def test_a_clash_while_writing_leaves_nothing_behind(app, forum, places, monkeypatch):
    """Someone adds the same phone between the check and the write: the unique key refuses
    the whole import, and what was already added in this transaction is gone too."""
    apply = import_apply.apply_rows

    def racing_apply(forum_, rows, report):
        apply(forum_, rows, report)
        db.session.add(Person(full_name="Параллельная", phone="+992935550011"))

    monkeypatch.setattr(import_apply, "apply_rows", racing_apply)
    report = importer.import_registrations(forum, "a.csv", csv_bytes(*GOOD))
    assert not report.imported and report.errors[0].code == "conflict"
    db.session.commit()
    assert counts() == (0, 0, 0)


def test_the_command_imports_and_prints_the_report(app, runner, forum, tmp_path, places):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(*GOOD))
    result = runner.invoke(args=["forum", "import", "isfara-test", str(good), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Imported registrations: 3; new people: 3" in result.output
    assert len(_registrations(forum)) == 3


def test_the_command_refuses_a_bad_file_with_a_non_zero_exit(app, runner, forum, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes("Каримова Зарина;12;;;;;;;;guest;", ";;;;;;;;;guest;"))
    result = runner.invoke(args=["forum", "import", "isfara-test", str(bad)])
    assert result.exit_code == 1
    assert "Строка 2: «12» — не номер телефона" in result.output
    assert "Строка 3: Имя не указано." in result.output
    assert counts() == (0, 0, 0)
    other = tmp_path / "list.pdf"
    other.write_bytes(b"%PDF")
    refused = runner.invoke(args=["forum", "import", "isfara-test", str(other), "--lang", "en"])
    assert refused.exit_code == 1 and "Only CSV and XLSX files can be imported." in refused.output
    missing = runner.invoke(args=["forum", "import", "no-such-forum", str(good_file(tmp_path))])
    assert missing.exit_code != 0 and "no-such-forum" in missing.output


def good_file(tmp_path):
    path = tmp_path / "one.csv"
    path.write_bytes(csv_bytes(GOOD[1]))
    return path


def test_the_command_check_option_imports_nothing(app, runner, forum, tmp_path, places):
    path = good_file(tmp_path)
    result = runner.invoke(args=["forum", "import", "isfara-test", str(path), "--check", "--lang", "en"])
    assert result.exit_code == 0 and "1 row is good" in result.output
    assert counts() == (0, 0, 0)
    assert db.session.scalar(sa.select(sa.func.count(Organization.id))) == 0


def test_the_check_step_shows_a_known_persons_email_before_it_is_saved(app, client, auth, forum, places):
    auth.login("organizer")
    make_person("Каримова Зарина", phone="+992927701122")
    make_person("Рахимов Далер", phone="+992935550011", email="daler@example.tj")
    rows = [GOOD[0], "Рахимов Далер;+992 93 555 00 11;daler@other.tj;ru;m;;;;;mobilizer;"]
    page = _upload(client, "isfara-test", csv_bytes(*rows), "list.csv", check="y").get_data(as_text=True)
    assert "Каримова Зарина, уже в списке, получит email zarina@example.org" in page
    assert "Рахимов Далер, уже в списке, сохраняет email daler@example.tj; в файле: daler@other.tj" in page
    assert db.session.scalar(sa.select(Person.email).where(Person.phone == "+992927701122")) is None
    assert _registrations(forum) == []


def test_an_import_sends_the_links_only_when_the_organizer_ticks_it(app, client, auth, forum, places):
    from forum.messaging.models import Message

    auth.login("organizer")
    _upload(client, "isfara-test", csv_bytes(GOOD[0]), "list.csv", submit="y")
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 0
    page = _upload(client, "isfara-test", csv_bytes(*GOOD[1:]), "list.csv", submit="y",
                   send_links="y").get_data(as_text=True)
    assert "2 личные ссылки отправляются." in page
    sent = db.session.scalars(sa.select(Message).order_by(Message.recipient)).all()
    assert [(m.channel, m.recipient, m.language) for m in sent] == [("sms", "+992927703344", "en"),
                                                                    ("sms", "+992935550011", "ru")]
    assert not any(m.urgent for m in sent)  # organizer's sending: inside the SMS hours
    daler = db.session.scalar(sa.select(Registration).join(Registration.person).where(
        Person.phone == "+992935550011"))
    assert f"/l/{daler.short_code}" in sent[1].body
