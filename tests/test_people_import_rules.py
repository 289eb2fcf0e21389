"""The importer's rules at their edges, as an organizer with a spreadsheet meets them: the
longest name that fits, two-letter names, short rows, jamoats of one name in two districts,
a known person's details kept, and a report that counts exactly what happened.

Mutants of forum/people/import_check.py and import_apply.py left alive by `make mutate`, and why:
- `start + LOOKUP_CHUNK` → `start + LOOKUP_CHUNK + 1` in `_known_persons` (the phones and the names): the chunks then
  overlap by one value, which the query finds twice and the dict keeps once: nothing changes.
- `issue.line or 0` → `issue.line or 1` when sorting the notes: a note without a line (unknown
  columns, other sheets) still comes before the first row's (line 2; the one-row import's
  row is line 1 and its notes keep the order they were made in).
- `issue.line or 0` → `issue.line or 1` when sorting the errors: an error without a line (a
  column missing or doubled) ends the check before the rows are read, so every error sorted
  there has a line.
- `range(0, len(phones), LOOKUP_CHUNK)` → `LOOKUP_CHUNK + 1`, and the same for the names: differs only for a file
  with more than 500 phones (or names) of people already known; the chunks exist for SQLite's
  limit of bound values, and a test of 501 known people is not worth its minutes here.
- `BATCH = 1000` → `1001` (rows per INSERT): the batches only bound a statement's size; the
  rows, their ids and the report are the same (tests/test_people_import_batches.py counts the
  statements at sizes where 1000 and 1001 give the same number).
- `strict=True` → `strict=False` on the zips of `apply_rows`: the lists are made from the same
  rows, one value per row, so they always have one length; `strict` only guards that promise.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from forum.extensions import db
from forum.people import import_apply, importer
from forum.people.import_report import ImportReport
from forum.people.models import Jamoat, Person, Registration
from tests.factories import make_forum, make_organization, make_person, make_registration
from tests.people_fixtures import counts, csv_bytes, places_fixture  # noqa: F401

pytestmark = pytest.mark.both_dbs

SHORT = "full_name;phone;email;organization;category"
WITH_KIND = "full_name;phone;email;organization;organization_kind;category"


def _import(forum, *lines: str, header: str = SHORT, **options) -> ImportReport:
    return importer.import_registrations(forum, "list.csv", csv_bytes(*lines, header=header), **options)


def _codes(report) -> list[tuple[int | None, str]]:
    return [(issue.line, issue.code) for issue in report.errors]


def test_the_longest_name_email_and_organization_that_fit_are_imported_and_one_more_letter_is_not(app, forum):
    name, org = "Ш" * 200, "О" * 300
    email = "a" * 64 + "@" + ("b" * 60 + ".") * 3 + "c" * 6  # 254 characters, a valid address
    assert len(email) == 254
    fits = _import(forum, f"{name};;{email};{org};shg;guest", header=WITH_KIND)
    assert fits.ok, _codes(fits)
    db.session.rollback()
    too_long = _import(forum, f"{name}Ш;;{email}x;{org}О;shg;guest", header=WITH_KIND)
    assert [i.params["column"] for i in too_long.errors if i.code == "too_long"] == [
        "full_name", "email", "organization"]


def test_a_two_letter_name_is_a_name_and_one_letter_is_not(app, forum):
    assert _import(forum, "Ли;;;;guest").ok
    db.session.rollback()
    assert _codes(_import(forum, "Л;;;;guest")) == [(2, "missing_name")]


def test_a_row_shorter_than_the_header_has_its_last_columns_empty(app, forum):
    report = _import(forum, "Каримова Зарина;92 770 11 22;guest", "Рахимов Далер;92 770 11 23",
                     header="full_name;phone;category;email;gender")
    assert _codes(report) == [(3, "missing_category")]


def test_an_empty_header_cell_is_not_an_unknown_column_and_a_doubled_one_is_refused(app, forum):
    report = _import(forum, "Каримова Зарина;;92 770 11 22;guest", header="full_name;;phone;category")
    assert report.ok and report.notes == []
    doubled = _import(forum, "Каримова Зарина;92 770 11 22;guest;Зарина", header="full_name;phone;category;ФИО")
    assert _codes(doubled) == [(None, "duplicate_column")]


def test_a_jamoat_named_alike_in_two_districts_needs_its_district(app, forum, places):
    db.session.add(Jamoat(key="surkh-ghonchi", district=places["ghonchi"], name={"ru": "Сурх", "tg": "Сурх"}))
    db.session.commit()
    header = "full_name;phone;district;jamoat;category"
    assert _codes(_import(forum, "Каримова Зарина;92 770 11 22;;Сурх;guest", header=header)) == [
        (2, "ambiguous_jamoat")]
    db.session.rollback()
    report = _import(forum, "Каримова Зарина;92 770 11 22;Гончи;Сурх;guest", header=header)
    assert report.ok and report.imported
    person = db.session.scalar(sa.select(Person))
    assert (person.district_id, person.jamoat_id) == (places["ghonchi"].id, places["ghonchi"].jamoats[-1].id)
    db.session.rollback()
    assert _codes(_import(forum, "Каримова Зарина;92 770 11 22;;Нет такого;guest", header=header)) == [
        (2, "bad_jamoat")]


def test_organizations_of_one_name_need_a_kind_and_one_alone_is_taken(app, forum):
    make_organization("Умед", kind="shg")
    make_organization("Умед", kind="ngo")
    assert _codes(_import(forum, "Каримова Зарина;;;Умед;guest")) == [(2, "ambiguous_organization")]
    db.session.rollback()
    only = make_organization("Ситора", kind="ngo")
    report = _import(forum, "Каримова Зарина;;;Ситора;guest")
    assert report.ok and report.new_organizations == 0
    assert db.session.scalar(sa.select(Person)).organization_id == only.id


def test_a_known_persons_email_gender_and_place_are_kept_when_the_file_says_otherwise(app, forum, places):
    known = make_person("Каримова Зарина", phone="+992927701122", email="zarina@example.org", gender="f",
                        district_id=places["isfara"].id)
    report = importer.import_registrations(forum, "list.csv", csv_bytes(
        "Каримова Зарина;92 770 11 22;other@example.org;;m;;;Гончи;Муджун;guest;"))
    db.session.commit()
    assert report.imported and report.known_people == 1
    db.session.refresh(known)
    assert (known.email, known.gender) == ("zarina@example.org", "f")
    assert (known.district_id, known.jamoat_id) == (places["isfara"].id, None)  # a place it had is kept


def test_the_report_counts_exactly_what_was_done(app, forum, places):
    make_registration(make_forum(slug="b-gafurov-test"), make_person("Рахимов Далер", phone="+992935550011"))
    report = importer.import_registrations(forum, "list.csv", csv_bytes(
        "Каримова Зарина;92 770 11 22;;;;ГВП «Нур»;shg;;;guest;",
        "Рахимов Далер;+992 93 555 00 11;;;;;;;;guest;"))
    db.session.commit()
    assert (report.rows, report.registered, report.new_people, report.known_people) == (2, 2, 1, 1)
    assert (report.new_organizations, report.skipped, report.imported, report.notes) == (1, 0, True, [])
    checked = importer.import_registrations(forum, "list.csv", csv_bytes("Саидова Мавлуда;;;;;;;;;guest;"),
                                            check_only=True)
    assert checked.ok and not checked.imported and checked.registered == 0


def test_an_empty_report_has_nothing_counted():
    report = ImportReport()
    assert (report.rows, report.registered, report.new_people, report.known_people, report.new_organizations,
            report.skipped, report.imported, report.ok) == (0, 0, 0, 0, 0, 0, False, True)


def test_errors_are_listed_by_line_whatever_found_them(app, forum):
    # Line 2 names a new organization without a kind, lines 3 and 4 with two kinds: found after
    # every row is read. Line 5 has a bad phone: found while reading it, so first.
    report = _import(forum, "Каримова Зарина;;;Нур;;guest", "Саидова Мавлуда;;;Нур;shg;guest",
                     "Азизова Ойша;;;Нур;ngo;guest", "Бобоева Нигина;12345;;;;guest",
                     header="full_name;phone;email;organization;organization_kind;category")
    assert _codes(report) == [(2, "ambiguous_organization"), (5, "bad_phone")]


def test_notes_are_listed_by_line_after_the_file_notes(app, forum):
    make_person("Каримова Зарина Ахмедовна", phone="+992927701122")
    report = _import(forum, "Саидова Мавлуда;;;;guest", "Каримова Зарина;92 770 11 22;;;guest",
                     header="full_name;phone;email;organization;category;remarks")
    assert report.ok
    assert [(n.line, n.code) for n in report.notes] == [(None, "unknown_columns"), (3, "known_phone")]


def test_a_known_person_without_a_place_gets_the_files_and_a_registered_one_is_skipped_when_asked(
        app, forum, places):
    make_person("Каримова Зарина", phone="+992927701122")
    make_registration(forum, make_person("Рахимов Далер", phone="+992935550011"))
    report = importer.import_registrations(forum, "list.csv", csv_bytes(
        "Каримова Зарина;92 770 11 22;;;;;;Исфара;Чоркух;guest;",
        "Рахимов Далер;+992 93 555 00 11;;;;;;;;guest;"), skip_existing=True)
    db.session.commit()
    assert (report.registered, report.skipped, report.known_people) == (1, 1, 1)
    person = db.session.scalar(sa.select(Person).where(Person.phone == "+992927701122"))
    assert (person.district_id, person.jamoat_id) == (places["isfara"].id, places["chorkuh"].id)
    assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 2


def test_a_row_without_a_phone_is_the_known_person_of_that_name_without_a_phone(app, forum):
    known = make_person("Саидова Мавлуда", phone=None)
    make_person("Саидова Мавлуда", phone="+992927705566")  # a namesake with a phone is someone else
    report = _import(forum, "саидова  мавлуда;;;;guest", "Каримова Зарина;92 770 11 22;;;guest")
    db.session.commit()
    assert report.imported and (report.known_people, report.new_people) == (1, 1)
    registered = db.session.scalars(sa.select(Registration.person_id).where(Registration.forum_id == forum.id)).all()
    assert known.id in registered


def test_a_clash_while_writing_counts_nothing_as_done(app, forum, monkeypatch):
    apply = import_apply.apply_rows

    def racing_apply(forum_, rows, report):
        apply(forum_, rows, report)
        db.session.add(Person(full_name="Параллельная", phone="+992927701122"))

    monkeypatch.setattr(import_apply, "apply_rows", racing_apply)
    report = _import(forum, "Каримова Зарина;92 770 11 22;;Нур;shg;guest", header=WITH_KIND)
    assert [i.code for i in report.errors] == ["conflict"]
    assert (report.registered, report.new_people, report.known_people, report.new_organizations) == (0, 0, 0, 0)
    assert report.created == [] and not report.imported


def test_personal_links_go_out_only_when_the_organizer_asks(app, forum):
    from forum.messaging.models import Message

    report = _import(forum, "Каримова Зарина;92 770 11 22;zarina@example.org;;guest")
    one = importer.register_one(forum, {"full_name": "Рахимов Далер", "phone": "+992935550011", "category": "guest"})
    db.session.commit()
    assert report.imported and one.imported and report.links_sent == one.links_sent == 0
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 0
    asked = _import(forum, "Саидова Мавлуда;92 770 55 66;;;guest", send_links=True)
    db.session.commit()
    assert asked.links_sent == 1 and db.session.scalar(sa.select(sa.func.count(Message.id))) >= 1


def test_a_known_person_without_an_organization_joins_the_one_the_file_names(app, forum):
    known = make_person("Каримова Зарина", phone="+992927701122")
    assert _import(forum, "Каримова Зарина;92 770 11 22;;ГВП «Ситора»;shg;guest", header=WITH_KIND).imported
    db.session.commit()
    db.session.refresh(known)
    assert known.organization is not None and known.organization.name == "ГВП «Ситора»"


def test_a_bad_row_given_to_the_partners_import_is_its_line_1(app, forum):
    report = importer.register_one(forum, {"full_name": "Л", "category": "guest"})
    assert _codes(report) == [(1, "missing_name")] and not report.imported


def test_a_partner_registering_the_same_person_twice_is_told_so_not_silently_skipped(app, forum):
    row = {"full_name": "Рахимов Далер", "phone": "+992935550011", "category": "guest"}
    first = importer.register_one(forum, row)
    db.session.commit()
    again = importer.register_one(forum, row)
    assert first.imported and first.created_ids
    assert _codes(again) == [(1, "already_registered")] and not again.imported and again.skipped == 0
    assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 1
