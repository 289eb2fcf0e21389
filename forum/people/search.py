"""Finding people by what someone types: a name (folded, see people.folding), a phone number or
their organization's name. The organizers' lists and the door's search share these conditions,
so "Рахимова" finds the same people everywhere.

A match is: every folded word of the query inside the person's folded name; or the query
(any case) inside their organization's name; or, with three digits or more, those digits
inside their phone. The conditions are on Person alone, so a search over a forum's 50,000
registrations reads each person's row once: the organizations are matched first, in their own
small table, and the person's is looked up in that short list (not joined and lowered for
every registration). The list is of ids, not a subquery: inside the OR a subquery keeps
PostgreSQL from using any index (the trigram index of the folded names, see Person) and
from estimating how many match, so it read every person and joined every registration.
"""
from __future__ import annotations

import sqlalchemy as sa

from forum.extensions import db
from forum.people.folding import fold
from forum.people.models import Organization, Person


def typed_like(q: str) -> str:
    """A LIKE pattern for "contains `q`", in lower case, where "%" and "_" are no wildcards
    (what was typed is looked for as typed); use with escape="\\"."""
    return "%" + q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def folded_name_matches(q: str, folded=None) -> sa.ColumnElement | None:
    """Every word of `q`, folded (see people.folding), inside the person's folded name:
    "Рахимова", "rahimova" and "Раҳимова" find "Раҳимова Гулнора"; "гул рах" finds her too.
    None when `q` has no letters or digits."""
    words = fold(q).split()
    if not words:
        return None
    column = Person.name_folded if folded is None else folded
    # fold() leaves only [0-9a-z ], so no word carries a LIKE wildcard.
    return sa.and_(*(column.like(f"%{word}%") for word in words))


def folded_name_first(q: str):
    """An ORDER BY term putting names that start with the folded query first."""
    start = fold(q)
    return sa.case((Person.name_folded.like(f"{start}%"), 0), else_=1) if start else sa.literal(1)


def phone_digits(q: str) -> str | None:
    """The digits of `q` when there are enough of them to look for in phone numbers."""
    digits = "".join(c for c in q if c.isdigit())
    return digits if len(digits) >= 3 else None


def person_matches(q: str) -> sa.ColumnElement | None:
    """Persons matching `q` (see the module), as a condition on Person; None for an empty query."""
    q = (q or "").strip()
    if not q:
        return None
    organizations = sa.select(Organization.id).where(sa.func.lower(Organization.name).like(typed_like(q), escape="\\"))
    conditions: list[sa.ColumnElement[bool]] = []
    if organization_ids := db.session.scalars(organizations).all():
        # written into the SQL (integers), so no number of organizations meets a limit of parameters
        conditions.append(Person.organization_id.in_(sa.bindparam(None, organization_ids,
                                                                  expanding=True, literal_execute=True)))
    if (by_name := folded_name_matches(q)) is not None:
        conditions.append(by_name)
    if (digits := phone_digits(q)) is not None:
        conditions.append(Person.phone.like(f"%{digits}%"))
    return sa.or_(*conditions) if conditions else sa.false()
