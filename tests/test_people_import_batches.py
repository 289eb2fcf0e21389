"""The import inserts in batches: the statements do not grow with the rows, every
registration gets its person, organization and a short code of its own, and a file is still
imported whole or not at all. Counted, never timed."""
import pytest
import sqlalchemy as sa

from forum.badges.models import BadgeCode
from forum.extensions import db
from forum.people import import_apply, importer, sheets
from forum.people.models import Organization, Person, Registration
from tests.agenda_fixtures import QueryCounter
from tests.factories import make_person
from tests.people_fixtures import counts, csv_bytes

pytestmark = pytest.mark.both_dbs


def _lines(count: int, start: int = 0) -> list[str]:
    # every third without a phone (found by name), organizations shared by ten people
    return [f"Раҳимова Гулнора {n};{'' if n % 3 == 0 else f'+99292{n:07d}'};;tg;ж;ГВП «Умед-{n // 10}»;shg;;;shg_member;"
            for n in range(start, start + count)]


def test_statements_do_not_grow_with_the_rows(app, forum, monkeypatch):
    monkeypatch.setattr(import_apply, "BATCH", 100)
    statements = []
    for start, count in ((0, 150), (1000, 450)):
        with QueryCounter(db.engine) as queries:
            report = importer.import_registrations(forum, "a.csv", csv_bytes(*_lines(count, start)))
            db.session.commit()
        assert report.imported and report.registered == count, report.errors
        inserts = [s for s in queries.statements if s.lstrip().upper().startswith("INSERT")]
        statements.append(len(inserts))
        # organizations, people, registrations, codes: one statement per batch of each
        assert len(inserts) <= 4 * (count // 100 + 1)
    assert statements[1] < 450  # not a statement per row


def test_each_imported_registration_has_its_person_organization_and_own_code(app, forum):
    known = make_person("Раҳимова Гулнора 1", phone="+992920000001")  # known by phone: completed, not doubled
    report = importer.import_registrations(forum, "a.csv", csv_bytes(*_lines(25)))
    db.session.commit()
    assert report.imported and (report.new_people, report.known_people, report.new_organizations) == (24, 1, 3)
    rows = db.session.execute(
        sa.select(Person.full_name, Person.phone, Organization.name, BadgeCode.code, Registration.source)
        .join(Registration, Registration.person_id == Person.id).join(Organization, Organization.id == Person.organization_id)
        .join(BadgeCode, BadgeCode.registration_id == Registration.id).where(Registration.forum_id == forum.id)).all()
    assert len(rows) == 25 and len({r.code for r in rows}) == 25 and {r.source for r in rows} == {"import"}
    by_name = {r.full_name: r for r in rows}
    assert by_name["Раҳимова Гулнора 0"].phone is None and by_name["Раҳимова Гулнора 0"].name == "ГВП «Умед-0»"
    assert by_name["Раҳимова Гулнора 24"].name == "ГВП «Умед-2»"
    db.session.refresh(known)
    assert known.organization.name == "ГВП «Умед-0»"  # what was missing is completed
    assert counts() == (25, 3, 25)
    # the folded name is written too (plain inserts pass no validator): the searches find them
    from forum.people.folding import fold
    folded = dict(db.session.execute(sa.select(Person.full_name, Person.name_folded)).tuples().all())
    assert all(folded[name] == fold(name) for name in folded)


def test_a_bad_row_late_in_a_big_file_imports_nothing(app, forum, monkeypatch):
    monkeypatch.setattr(import_apply, "BATCH", 100)
    lines = _lines(300) + ["Без категории;;;;;;;;;;"]
    report = importer.import_registrations(forum, "a.csv", csv_bytes(*lines))
    assert not report.imported and [i.line for i in report.errors] == [302]
    db.session.rollback()
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize("rows", [20, 150])  # 150: by COPY on PostgreSQL (forum.db.COPY_FROM)
def test_a_clash_while_inserting_rolls_everything_back(app, forum, monkeypatch, rows):
    """Another request took a phone between the check and the insert: nothing of the file stays."""
    taken = []

    def clash(model, values, *keys):
        if model is Person and not taken:
            taken.append(db.session.execute(sa.insert(Person).values(full_name="Другая", phone=values[-1]["phone"])))
        return original(model, values, *keys)

    original = import_apply.insert_rows
    monkeypatch.setattr(import_apply, "insert_rows", clash)
    report = importer.import_registrations(forum, "a.csv", csv_bytes(*_lines(rows)))
    assert not report.imported and report.errors[0].code == "conflict" and report.registered == 0
    assert counts() == (0, 0, 0)


def test_the_row_limit_is_100000():
    assert sheets.MAX_ROWS == 100_000
    assert sheets.MAX_BYTES < 16 * 1024 * 1024  # under the upload limit: the import's own message says why


def test_a_big_file_is_written_as_a_small_one(app, forum):
    """150 rows (by COPY on PostgreSQL, forum.db.COPY_FROM) get the same values as rows sent by
    INSERT: the columns the import leaves out take their defaults, times are UTC, and each
    registration is in the history as created."""
    from forum.history.models import ChangeRecord

    report = importer.import_registrations(forum, "a.csv", csv_bytes(*_lines(150)))
    db.session.commit()
    assert report.imported and report.registered == 150 and report.new_organizations == 15
    org = db.session.scalars(sa.select(Organization).order_by(Organization.id)).first()
    assert (org.names, org.aliases, org.short_name, org.kind) == ({}, [], "", "shg")
    assert org.created_at.tzinfo is not None and org.created_at == org.updated_at
    person = db.session.scalar(sa.select(Person).where(Person.full_name == "Раҳимова Гулнора 1"))
    assert (person.phone, person.position, person.language, person.gender) == ("+992920000001", "", "tg", "f")
    registration = db.session.scalar(sa.select(Registration).where(Registration.person_id == person.id))
    assert (registration.notes, registration.source, registration.consent_at) == ("", "import", None)
    history = db.session.scalars(sa.select(ChangeRecord).where(ChangeRecord.entity_type == "registration")).all()
    assert sorted(r.entity_id for r in history) == sorted(report.created_ids)
    assert {(r.action, r.forum_id) for r in history} == {("created", forum.id)} and all(r.changes == {} for r in history)


def test_a_big_import_leaves_the_planner_knowing_the_new_rows(app, db_backend, forum, monkeypatch):
    """On PostgreSQL the import renews the statistics (ANALYZE) in its transaction: the planner
    counts the imported people at once, not after autovacuum's next round (or never, where it
    is off); a small import leaves them alone."""
    monkeypatch.setattr(import_apply, "ANALYZE_FROM", 40)
    if db_backend == "sqlite":  # plans these searches from its indexes alone: nothing to renew
        assert importer.import_registrations(forum, "big.csv", csv_bytes(*_lines(40))).imported
        db.session.commit()
        assert db.session.scalar(sa.text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")) == 0
        return

    def planned_people() -> float:
        return db.session.scalar(sa.text("SELECT reltuples FROM pg_class WHERE relname = 'person'"))

    assert importer.import_registrations(forum, "small.csv", csv_bytes(*_lines(39))).imported
    db.session.commit()
    assert planned_people() != 39  # not analyzed after 39 rows
    assert importer.import_registrations(forum, "big.csv", csv_bytes(*_lines(40, 100))).imported
    db.session.commit()
    assert planned_people() == 79
