"""Writing what `import_check` accepted: new organizations, new people, registrations and
their badge codes, in batched multi-row INSERTs (no object built per row), and known people
completed (never overwritten). The caller commits, or rolls back on a clash.
"""
from __future__ import annotations

import sqlalchemy as sa

from forum.db import insert_many, utcnow
from forum.events.models import Forum
from forum.extensions import db
from forum.people.codes import BADGE_SECRET_LENGTH, SHORT_CODE_LENGTH, new_private_token, random_codes
from forum.people.folding import fold
from forum.people.import_check import Row
from forum.people.import_orgs import insert_new_organizations, organization_key
from forum.people.import_report import ImportReport
from forum.people.models import Person, Registration
from forum.people.signals import registrations_imported

ANALYZE_FROM = 1000  # rows from which an import on PostgreSQL renews the planner's statistics
BATCH = 1000  # rows per INSERT statement on SQLite: a 50,000-row file is some 150 statements, not 100,000


def insert_rows(model, values: list[dict], *keys: str) -> dict[tuple, int]:
    """Rows inserted without objects built: on SQLite in batches of BATCH (one multi-row
    statement each), on PostgreSQL by `forum.db.insert_many` (one COPY for a big file); returns
    {the row's values of `keys`: its id}. The keys are unique among the rows: ids are matched by
    them, not by the order RETURNING gives (asking for that order would make SQLAlchemy send one
    statement per row on SQLite)."""
    if not values:
        return {}
    now = utcnow()  # the timestamps once, not a default called per row
    table = model.__table__
    stamps = {name: now for name in ("created_at", "updated_at", "issued_at") if name in table.columns}
    rows = [dict(stamps, **row) for row in values]
    # The table, not the mapped class: Core's executemany without the ORM's bookkeeping per
    # row. Every row names the same columns, so each batch stays one statement.
    keys_and_ids: dict[tuple, int] = {}
    if db.session.get_bind().dialect.name == "postgresql":
        # PostgreSQL plans a 1,000-row INSERT … RETURNING slowly (some 12,000 parameters);
        # the ids are drawn from the table's sequence in one statement instead, and the rows
        # sent with them by `insert_many` (one COPY for a big file)
        if keys:
            ids = db.session.execute(sa.text(f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id')) "
                                             "FROM generate_series(1, :count)"), {"count": len(rows)}).scalars().all()
            for row, new_id in zip(rows, ids, strict=True):
                row["id"] = new_id
            keys_and_ids = {tuple(row[key] for key in keys): row["id"] for row in rows}
        insert_many(db.session.connection(), table, rows)
        return keys_and_ids
    stmt = sa.insert(table)
    if keys:
        stmt = stmt.returning(table.c.id, *(table.c[key] for key in keys))
    for start in range(0, len(rows), BATCH):
        found = db.session.execute(stmt, rows[start:start + BATCH])
        if keys:
            keys_and_ids.update((tuple(row[1:]), row[0]) for row in found)
    return keys_and_ids


def apply_rows(forum: Forum, rows: list[Row], report: ImportReport) -> None:
    """Insert what the checked rows need: new organizations, new people, registrations and
    their short codes, in batches; known people are completed (never overwritten)."""
    from forum.badges import codes
    from forum.badges.models import BadgeCode

    new_orgs = insert_new_organizations(rows, insert_rows)

    def org_id(row: Row) -> int | None:
        if row.new_organization:
            return new_orgs[organization_key(row)]
        return row.organization.id if row.organization is not None else None

    people = []
    with db.session.no_autoflush:
        for row in rows:
            person = row.person
            if person is None:
                people.append({"full_name": row.full_name, "name_folded": fold(row.full_name), "phone": row.phone,
                               "email": row.email, "language": row.language, "gender": row.gender,
                               "position": "", "organization_id": org_id(row), "district_id": row.district_id,
                               "jamoat_id": row.jamoat_id})
                report.new_people += 1
            else:  # complete what we did not know, never overwrite
                person.email = person.email or row.email
                person.gender = person.gender or row.gender
                if person.organization_id is None and org_id(row) is not None:
                    person.organization_id = org_id(row)
                if person.district_id is None and person.jamoat_id is None:
                    person.district_id, person.jamoat_id = row.district_id, row.jamoat_id
                report.known_people += 1
    db.session.flush()  # the known people's changes, before the plain inserts
    # a file has each phone once, and each name once among the rows without a phone
    new_ids = insert_rows(Person, people, "phone", "full_name")
    person_ids = [row.person.id if row.person is not None else new_ids[(row.phone, row.full_name)] for row in rows]
    secrets = random_codes(len(rows), BADGE_SECRET_LENGTH)
    short_codes = random_codes(len(rows), SHORT_CODE_LENGTH)
    registration_ids = list(insert_rows(Registration, [
        {"forum_id": forum.id, "person_id": person_id, "category": row.category, "status": row.status,
         "source": "import", "badge_secret": secret, "token": new_private_token(), "short_code": short_code,
         "notes": "", "consent_at": None, "badge_printed_at": None}
        for row, person_id, secret, short_code in zip(rows, person_ids, secrets, short_codes, strict=True)],
        "badge_secret").values())
    taken = codes.codes_of_forum(db.session(), forum.id)
    badge_codes = codes.new_short_codes(taken, len(registration_ids))
    insert_rows(BadgeCode, [{"registration_id": registration_id, "forum_id": forum.id, "code": code}
                            for registration_id, code in zip(registration_ids, badge_codes, strict=True)])
    if len(rows) >= ANALYZE_FROM and db.session.get_bind().dialect.name == "postgresql":
        # What autovacuum would do a while later (and a server with it off never): the planner
        # then knows the tables as they now are, so the door's and the list's searches use the
        # trigram index from the first request after a big import, not a probe per registration.
        # In the import's transaction: it sees the new rows, and a failed import undoes it.
        db.session.execute(sa.text("ANALYZE person, registration, badge_code"))
    db.session.expire(forum, ["registrations"])  # inserted behind the session's back
    report.registered += len(registration_ids)
    report.created_ids = registration_ids
    report.new_organizations = len(new_orgs)
    if registrations_imported.receivers:
        registrations_imported.send(forum, registration_ids=registration_ids)
