"""The public's doors to the job fair's vacancies, and the organizers' list of them.

`public_vacancies` and `public_vacancy` are the only ways vacancies reach the public (pages,
the API, the booth tablet via `is_public`), and they read the Vacancy's own columns: the text
an organizer approved. An edit waiting for approval (forum.jobfair.revisions) is not there.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from forum.db import utcnow
from forum.events.models import Forum
from forum.extensions import db
from forum.jobfair.models import CURRENCIES, LOCATIONS, SECTORS, WORK_LANGUAGES, Booth, Employer, Vacancy, VacancyRevision


def local_today(forum: Forum, now: datetime | None = None) -> date:
    """Today's date where the forum is held: a vacancy closing on the 5th is open all that day there."""
    return (now or utcnow()).astimezone(ZoneInfo(forum.timezone)).date()


def is_public(vacancy: Vacancy, today: date) -> bool:
    return (vacancy.status == "approved" and vacancy.employer.status == "approved" and vacancy.closes_on >= today
            and vacancy.forum.is_public)


def _public_condition(forum: Forum, today: date):
    return sa.and_(Vacancy.forum_id == forum.id, Vacancy.status == "approved", Employer.status == "approved",
                   Vacancy.closes_on >= today)


@dataclass
class JobFilters:
    location: str = ""  # "tajikistan", "abroad" or "" for both
    sector: str = ""
    language: str = ""  # a WORK_LANGUAGES code the work may be done in
    currency: str = ""
    min_wage: int | None = None  # at least this much a month, in `currency`


def public_vacancies(forum: Forum, filters: JobFilters | None = None, now: datetime | None = None) -> list[Vacancy]:
    """Approved, open vacancies of approved employers at a public forum's fair, filtered."""
    if not forum.is_public:
        return []
    filters = filters or JobFilters()
    stmt = (sa.select(Vacancy).join(Vacancy.employer)
            .options(joinedload(Vacancy.employer).joinedload(Employer.organization))
            .where(_public_condition(forum, local_today(forum, now))))
    if filters.location in LOCATIONS:
        stmt = stmt.where(Vacancy.location == filters.location)
    if filters.sector in SECTORS:
        stmt = stmt.where(Employer.sector == filters.sector)
    if filters.currency in CURRENCIES:
        stmt = stmt.where(Vacancy.currency == filters.currency)
        if filters.min_wage:
            stmt = stmt.where(Vacancy.wage_max >= filters.min_wage)
    vacancies = list(db.session.scalars(stmt.order_by(Vacancy.closes_on, Vacancy.id)).unique())
    if filters.language in WORK_LANGUAGES:
        # A short JSON list per vacancy: filtered here, the same on SQLite and PostgreSQL.
        vacancies = [v for v in vacancies if not v.languages or filters.language in v.languages]
    return vacancies


def public_vacancy(forum: Forum, vacancy_id: int, now: datetime | None = None) -> Vacancy | None:
    if not forum.is_public:
        return None
    return db.session.scalar(sa.select(Vacancy).join(Vacancy.employer).where(
        Vacancy.id == vacancy_id, _public_condition(forum, local_today(forum, now))))


def booths_by_employer(forum: Forum) -> dict[int, Booth]:
    booths = db.session.scalars(sa.select(Booth).where(Booth.forum_id == forum.id, Booth.employer_id.is_not(None)))
    return {b.employer_id: b for b in booths if b.employer_id is not None}  # all are: the query asks


def forum_vacancies(forum: Forum, status: str = "") -> list[Vacancy]:
    """All vacancies of a forum's fair, for organizers: pending first, then by submission."""
    stmt = (sa.select(Vacancy).options(joinedload(Vacancy.employer).joinedload(Employer.organization),
                                       selectinload(Vacancy.revision))
            .where(Vacancy.forum_id == forum.id))
    # An approved vacancy with an edit waiting counts as waiting for a decision too.
    revised = sa.select(VacancyRevision.vacancy_id).where(VacancyRevision.status == "pending")
    waiting = sa.or_(Vacancy.status == "pending", sa.and_(Vacancy.status == "approved", Vacancy.id.in_(revised)))
    if status == "pending":
        stmt = stmt.where(waiting)
    elif status:
        stmt = stmt.where(Vacancy.status == status)
    order = sa.case((waiting, 0), else_=1)
    return list(db.session.scalars(stmt.order_by(order, Vacancy.submitted_at, Vacancy.id)))
