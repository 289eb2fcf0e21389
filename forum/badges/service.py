"""Badges: finding a registration by what is printed on its badge, reissuing a lost badge,
choosing which badges to print and preparing their contents for the renderer."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from babel import dates as babel_dates
from flask_babel import force_locale
from sqlalchemy.orm import joinedload

from forum.badges import codes
from forum.badges.models import BadgeCode, RetiredBadge
from forum.db import translated, utcnow
from forum.events.models import Forum
from forum.extensions import db
from forum.people.codes import new_badge_secret
from forum.people.models import Person, Registration

# Badges are printed for people expected at the door; declined and cancelled ones are not.
PRINTABLE_STATUSES = ("invited", "confirmed")
PRINT_BATCH = 500  # rows read at a time while a PDF of many badges is drawn

# The colour band of each category (RGB 0–1), grouped as people at the door tell them apart.
BAND_COLOURS = {
    "participant": (0.18, 0.49, 0.20),  # green: self-help group members and leaders
    "team": (0.78, 0.16, 0.16),  # red: organizers' staff, coordinators, mobilizers
    "guest": (0.42, 0.11, 0.60),  # purple: round-table guests (government, donors, MFIs)
    "exhibitor": (0.94, 0.42, 0.0),  # orange
    "employer": (0.08, 0.40, 0.75),  # blue
    "performer": (0.68, 0.08, 0.34),  # magenta
    "press": (0.15, 0.20, 0.22),  # near-black
}
CATEGORY_BANDS = {
    "shg_member": "participant", "shg_leader": "participant",
    "coordinator": "team", "mobilizer": "team", "staff": "team",
    "government": "guest", "international": "guest", "mfi": "guest", "guest": "guest",
    "exhibitor": "exhibitor", "employer": "employer", "performer": "performer", "press": "press",
}


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# --- finding a registration by its badge --------------------------------------------------


def registration_by_short_code(forum: Forum, code: str) -> Registration | None:
    if not codes.looks_like_short_code(code):
        return None
    return db.session.scalar(
        sa.select(Registration).join(BadgeCode, BadgeCode.registration_id == Registration.id)
        .where(BadgeCode.forum_id == forum.id, BadgeCode.code == code)
    )


def retired_badge(forum_id: int, value: str) -> RetiredBadge | None:
    """The reissue record when `value` (a normalized secret or short code) was on a badge of
    the forum `forum_id` that has been replaced, with its owner and who reissued it loaded."""
    if codes.looks_like_secret(value):
        where = RetiredBadge.secret_hash == secret_hash(value)
    elif codes.looks_like_short_code(value):
        where = RetiredBadge.code_hash == secret_hash(value)
    else:
        return None
    return db.session.scalar(
        sa.select(RetiredBadge).join(Registration, Registration.id == RetiredBadge.registration_id)
        .options(joinedload(RetiredBadge.registration).joinedload(Registration.person), joinedload(RetiredBadge.retired_by))
        .where(where, Registration.forum_id == forum_id).order_by(RetiredBadge.retired_at.desc()).limit(1))


def retired_badges(forum: Forum, since: datetime | None = None) -> list[RetiredBadge]:
    """The forum's replaced badges (reissued after `since`, when given), with who reissued them."""
    stmt = (sa.select(RetiredBadge).join(Registration, Registration.id == RetiredBadge.registration_id)
            .options(joinedload(RetiredBadge.retired_by)).where(Registration.forum_id == forum.id))
    if since is not None:
        stmt = stmt.where(RetiredBadge.retired_at > since)
    return list(db.session.scalars(stmt.order_by(RetiredBadge.id)))


def short_code(registration: Registration) -> str:
    """The registration's short code, issuing one if it has none yet (registrations made
    before badges existed); the caller commits."""
    found = db.session.get(BadgeCode, registration.id)
    if found is None:
        ensure_codes([registration])
        found = db.session.get_one(BadgeCode, registration.id)
    return found.code


def ensure_codes(registrations: Sequence[Registration] | Sequence[sa.Row]) -> dict[int, str]:
    """Short codes of these registrations (or rows with their id and forum_id) by id, issuing
    the missing ones; the caller commits."""
    db.session.flush()
    ids = [r.id for r in registrations]
    known: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        known.update(db.session.execute(
            sa.select(BadgeCode.registration_id, BadgeCode.code).where(BadgeCode.registration_id.in_(chunk))).tuples().all())
    missing = [r for r in registrations if r.id not in known]
    taken: dict[int, set[str]] = {}
    for registration in missing:
        if registration.forum_id not in taken:
            taken[registration.forum_id] = set(db.session.scalars(
                sa.select(BadgeCode.code).where(BadgeCode.forum_id == registration.forum_id)))
        code = codes.new_short_code(taken[registration.forum_id])
        db.session.add(BadgeCode(registration_id=registration.id, forum_id=registration.forum_id, code=code))
        known[registration.id] = code
    if missing:
        db.session.flush()
    return known


def reissue(registration: Registration, at: datetime | None = None, by=None) -> None:
    """A new badge for a lost one: a new secret and a new short code. The old badge stops
    admitting anyone as soon as the caller commits (a scan of it names its owner, when and by
    whom it was replaced); the badge is marked not printed."""
    at = at or utcnow()
    code = db.session.get(BadgeCode, registration.id)
    db.session.add(RetiredBadge(registration_id=registration.id, secret_hash=secret_hash(registration.badge_secret),
                                code_hash=secret_hash(code.code) if code is not None else None,
                                retired_at=at, retired_by_id=by.id if by is not None else None))
    registration.badge_secret = new_badge_secret()
    registration.badge_printed_at = None
    taken = set(db.session.scalars(sa.select(BadgeCode.code).where(BadgeCode.forum_id == registration.forum_id)))
    new_code = codes.new_short_code(taken)
    if code is None:
        db.session.add(BadgeCode(registration_id=registration.id, forum_id=registration.forum_id, code=new_code,
                                 issued_at=at))
    else:
        code.code, code.issued_at = new_code, at
    db.session.flush()


# --- which badges to print ----------------------------------------------------------------

@dataclass
class BadgeFilter:
    categories: list[str] = field(default_factory=list)  # empty: every category
    organization_id: int | None = None
    not_printed: bool = False  # only badges not yet marked printed
    registration_ids: list[int] = field(default_factory=list)  # empty: every registration

    def as_args(self) -> dict:
        """The filter as URL query arguments (for download links)."""
        args: dict = {}
        if self.categories:
            args["category"] = self.categories
        if self.organization_id:
            args["organization"] = self.organization_id
        if self.not_printed:
            args["not_printed"] = 1
        return args


def badge_query(forum: Forum, chosen: BadgeFilter) -> sa.Select:
    """Registrations whose badges match the filter, in print order (organization, name)."""
    from forum.people.models import Organization

    stmt = (
        sa.select(Registration).join(Registration.person).outerjoin(Person.organization)
        .options(joinedload(Registration.person).joinedload(Person.organization))
        .where(Registration.forum_id == forum.id, Registration.status.in_(PRINTABLE_STATUSES))
    )
    if chosen.categories:
        stmt = stmt.where(Registration.category.in_(chosen.categories))
    if chosen.organization_id:
        stmt = stmt.where(Person.organization_id == chosen.organization_id)
    if chosen.not_printed:
        stmt = stmt.where(Registration.badge_printed_at.is_(None))
    if chosen.registration_ids:
        stmt = stmt.where(Registration.id.in_(chosen.registration_ids))
    return stmt.order_by(Organization.name, Person.full_name, Registration.id)


def registrations_to_print(forum: Forum, chosen: BadgeFilter) -> list[Registration]:
    return list(db.session.scalars(badge_query(forum, chosen)).unique())


def count_to_print(forum: Forum, chosen: BadgeFilter) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(
        badge_query(forum, chosen).with_only_columns(Registration.id).order_by(None).subquery())) or 0


def mark_printed(registrations: list[Registration], at: datetime | None = None) -> int:
    """Mark these badges printed; returns how many were not marked before. The caller commits."""
    at = at or utcnow()
    changed = 0
    for registration in registrations:
        if registration.badge_printed_at is None:
            changed += 1
        registration.badge_printed_at = at
    return changed


# --- badge contents -----------------------------------------------------------------------

@dataclass(frozen=True)
class BadgeHeader:
    """The forum's lines at the top of a badge, in one language."""

    title: str
    place: str
    date: str


@dataclass(frozen=True)
class Badge:
    """Everything printed on one badge, as plain text: the renderer knows no models."""

    header: BadgeHeader
    name: str
    organization: str
    category: str  # the word in the person's language
    colour: tuple[float, float, float]  # the band's RGB
    secret: str  # encoded in the QR
    code: str  # the short code, as printed ("K7M-Q4X")


def badge_header(forum: Forum, language: str) -> BadgeHeader:
    day = forum.starts_at.astimezone(ZoneInfo(forum.timezone))
    place = ", ".join(p for p in (translated(forum.city, language), translated(forum.venue, language)) if p)
    return BadgeHeader(title=translated(forum.title, language), place=place,
                       date=babel_dates.format_date(day.date(), "d MMMM y", locale=language))


def category_word(category: str, language: str) -> str:
    from forum.people.forms import CATEGORY_LABELS

    with force_locale(language):
        return str(CATEGORY_LABELS[category])


class _Contents:
    """Badge contents of one forum, the header and category words made once per language."""

    def __init__(self, forum: Forum) -> None:
        self.forum = forum
        self.headers: dict[str, BadgeHeader] = {}
        self.words: dict[tuple[str, str], str] = {}

    def badge(self, name: str, organization: str | None, language: str | None, category: str, secret: str,
              code: str) -> Badge:
        language = language or "ru"
        if language not in self.headers:
            self.headers[language] = badge_header(self.forum, language)
        key = (category, language)
        if key not in self.words:
            self.words[key] = category_word(*key)
        return Badge(header=self.headers[language], name=name, organization=organization or "",
                     category=self.words[key], colour=BAND_COLOURS[CATEGORY_BANDS[category]], secret=secret,
                     code=codes.display(code))


def badges_for(forum: Forum, registrations: Iterable[Registration]) -> Iterator[Badge]:
    """The contents of these registrations' badges, each in the person's own language, made
    as the renderer takes them. The missing short codes are issued now, not when drawn: the
    caller commits, before or after drawing."""
    registrations = list(registrations)
    short_codes = ensure_codes(registrations)
    return _badges_of(_Contents(forum), registrations, short_codes)


def _badges_of(contents: _Contents, registrations: list[Registration], short_codes: dict[int, str]) -> Iterator[Badge]:
    for registration in registrations:
        person = registration.person
        yield contents.badge(person.full_name, person.organization.name if person.organization else "",
                             person.language, registration.category, registration.badge_secret,
                             short_codes[registration.id])


def badges_to_print(forum: Forum, chosen: BadgeFilter) -> Iterator[Badge]:
    """Every badge the filter chooses, in print order, made as the renderer takes them from a
    column-only query read in batches: thousands of registrations are never objects, nor
    their badges a list. Short codes missing (registrations older than badges) are issued
    first, when this is called: the caller commits, then draws."""
    from forum.people.models import Organization

    stmt = badge_query(forum, chosen)
    missing = db.session.execute(stmt.with_only_columns(Registration.id, Registration.forum_id)
                                 .outerjoin(BadgeCode, BadgeCode.registration_id == Registration.id)
                                 .where(BadgeCode.code.is_(None))).all()
    if missing:
        ensure_codes(missing)  # only their id and forum_id are read
    rows = (stmt.with_only_columns(Person.full_name, Organization.name, Person.language, Registration.category,
                                   Registration.badge_secret, BadgeCode.code)
            .join(BadgeCode, BadgeCode.registration_id == Registration.id)
            .execution_options(yield_per=PRINT_BATCH))
    return _badges(forum, rows)


def _badges(forum: Forum, rows: sa.Select) -> Iterator[Badge]:
    """Run only when the first badge is taken: after the caller's commit of the codes, so the
    cursor (server-side on PostgreSQL) lives in the transaction that reads it."""
    contents = _Contents(forum)
    for row in db.session.execute(rows):
        yield contents.badge(*row)
