"""Employers and vacancies: self sign-up, vetting by organizers, posting and the public list.

The rule the whole package keeps: nothing an employer writes reaches the public before an
organizer approved both the employer and that version of the vacancy. `public_vacancies`
and `public_vacancy` are the only doors to the public, and both check it in SQL.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from forum.auth.service import create_user, find_user
from forum.db import utcnow
from forum.events.models import Forum
from forum.extensions import db
from forum.jobfair import notify
from forum.jobfair.models import (
    COUNTRIES,
    CURRENCIES,
    EMPLOYER_KINDS,
    LOCATIONS,
    SECTORS,
    WORK_LANGUAGES,
    Booth,
    Employer,
    Vacancy,
)
from forum.people.models import Organization


class JobFairError(Exception):
    """A job-fair action was refused; `code` for programs (forms.ERRORS gives the message)."""

    def __init__(self, code: str, field: str | None = None, existing: Employer | None = None):
        super().__init__(code)
        self.code = code
        self.field = field  # the form field the error belongs to, when there is one
        self.existing = existing  # the employer a duplicate sign-up points to


def local_today(forum: Forum, now: datetime | None = None) -> date:
    """Today's date where the forum is held: a vacancy closing on the 5th is open all that day there."""
    return (now or utcnow()).astimezone(ZoneInfo(forum.timezone)).date()


# --- employers --------------------------------------------------------------------------------

def clean_tax_number(raw: str | None) -> str:
    """A Tajik tax number (INN) as 9 digits; spaces and dashes people type are dropped."""
    text = "".join(c for c in (raw or "") if c not in " -\u00a0")
    if len(text) != 9 or not text.isascii() or not text.isdigit() or text == "0" * 9:
        raise JobFairError("bad_tax_number", field="tax_number")
    return text


@dataclass
class EmployerSignup:
    organization_name: str
    kind: str  # one of EMPLOYER_KINDS
    sector: str
    tax_number: str
    city: str
    contact_person: str
    phone: str  # E.164
    email: str
    password: str
    licence_number: str = ""
    language: str = "ru"


def employer_by_tax_number(tax_number: str) -> Employer | None:
    return db.session.scalar(sa.select(Employer).where(Employer.tax_number == tax_number))


def employer_for_user(user) -> Employer | None:
    if user is None or not getattr(user, "is_authenticated", False) or user.role != "employer":
        return None
    return db.session.scalar(sa.select(Employer).options(joinedload(Employer.organization))
                             .where(Employer.user_id == user.id))


def _existing_signup(tax_number: str, email: str, name: str) -> tuple[str, Employer | None] | None:
    """(field, employer) of an account a new sign-up would duplicate, or None."""
    existing = employer_by_tax_number(tax_number)
    if existing is not None:
        return "tax_number", existing
    user = find_user(email)
    if user is not None:
        return "email", db.session.scalar(sa.select(Employer).where(Employer.user_id == user.id))
    org = db.session.scalar(sa.select(Organization).where(sa.func.lower(Organization.name) == name.lower(),
                                                          Organization.kind == "employer"))
    if org is not None:
        return "organization_name", db.session.scalar(sa.select(Employer).where(Employer.organization_id == org.id))
    return None


def register_employer(forum: Forum, data: EmployerSignup) -> Employer:
    """Sign an employer up at a forum's job fair: a pending Employer with its own login.

    Promises: nothing is created when the tax number, the email or the organization's name
    is already known (JobFairError "duplicate" naming the field and the existing employer),
    including when two sign-ups race (the database's unique keys decide); an agency must
    give its licence; the employer stays pending until an organizer decides.
    """
    if "job_fair" not in forum.activities or forum.status != "published":
        raise JobFairError("fair_closed")
    tax_number = clean_tax_number(data.tax_number)
    if data.kind not in EMPLOYER_KINDS or data.sector not in SECTORS:
        raise JobFairError("bad_choice")
    licence = data.licence_number.strip()
    if data.kind == "agency" and not licence:
        raise JobFairError("licence_required", field="licence_number")
    name, email = data.organization_name.strip(), data.email.strip().lower()
    duplicate = _existing_signup(tax_number, email, name)
    if duplicate:
        raise JobFairError("duplicate", field=duplicate[0], existing=duplicate[1])
    try:
        with db.session.begin_nested():
            user, _password = create_user(email, "employer", password=data.password,
                                          name=data.contact_person.strip(), language=data.language)
            org = Organization(name=name, kind="employer", contact_person=data.contact_person.strip(),
                               phone=data.phone, email=email)
            employer = Employer(user=user, organization=org, forum=forum, kind=data.kind, sector=data.sector,
                                tax_number=tax_number, licence_number=licence, city=data.city.strip(),
                                status="pending")
            db.session.add_all([org, employer])
            db.session.flush()
    except sa.exc.IntegrityError:
        # Another sign-up with the same tax number, email or name won the race.
        duplicate = _existing_signup(tax_number, email, name) or ("tax_number", None)
        raise JobFairError("duplicate", field=duplicate[0], existing=duplicate[1]) from None
    return employer


def decide_employer(employer: Employer, approve: bool, reason: str, by) -> None:
    """Approve or reject an employer and tell them through the outbox, in the same transaction.

    A rejection needs a reason (the employer reads it). Rejecting an approved employer hides
    all its vacancies from the public at once.
    """
    reason = (reason or "").strip()
    if not approve and not reason:
        raise JobFairError("reason_required", field="reason")
    employer.status = "approved" if approve else "rejected"
    employer.decision_reason = reason
    employer.decided_at = utcnow()
    employer.decided_by_id = by.id if by is not None else None
    db.session.flush()
    notify.employer_decided(employer)


def taking_part(forum: Forum):
    """The SQL condition of employers taking part in a forum's fair: signed up there, posting
    or holding a booth there."""
    posting = sa.select(Vacancy.employer_id).where(Vacancy.forum_id == forum.id)
    booth = sa.select(Booth.employer_id).where(Booth.forum_id == forum.id, Booth.employer_id.is_not(None))
    return sa.or_(Employer.forum_id == forum.id, Employer.id.in_(posting), Employer.id.in_(booth))


def employers_at(forum: Forum, status: str = "") -> list[Employer]:
    """Employers taking part in a forum's fair, by name."""
    stmt = (sa.select(Employer).join(Employer.organization).options(joinedload(Employer.organization))
            .where(taking_part(forum)))
    if status:
        stmt = stmt.where(Employer.status == status)
    return list(db.session.scalars(stmt.order_by(Organization.name)))


def open_fairs() -> list[Forum]:
    """Forums an approved employer may post vacancies for: published, with a job fair."""
    forums = db.session.scalars(sa.select(Forum).where(Forum.status == "published").order_by(Forum.starts_at))
    return [f for f in forums if "job_fair" in (f.activities or [])]


# --- vacancies --------------------------------------------------------------------------------

@dataclass
class VacancyData:
    title: dict
    description: dict
    location: str
    city: str
    positions: int
    wage_min: int
    wage_max: int
    currency: str
    contract_type: str
    closes_on: date
    country: str = "TJ"
    requirements: dict = field(default_factory=dict)
    languages: list[str] = field(default_factory=list)
    no_fee: bool = False
    written_contract: bool = False

    def cleaned(self) -> dict:
        """The columns to store, checked; JobFairError names the first field that is wrong."""
        texts = {name: {k: v.strip() for k, v in (getattr(self, name) or {}).items() if v and v.strip()}
                 for name in ("title", "description", "requirements")}
        if not texts["title"]:
            raise JobFairError("title_required", field="title")
        if not texts["description"]:
            raise JobFairError("description_required", field="description")
        if self.location not in LOCATIONS:
            raise JobFairError("bad_choice", field="location")
        country = "TJ" if self.location == "tajikistan" else (self.country or "")
        if self.location == "abroad" and country not in COUNTRIES:
            raise JobFairError("country_required", field="country")
        if not self.city.strip():
            raise JobFairError("city_required", field="city")
        if not self.positions or self.positions < 1:
            raise JobFairError("bad_positions", field="positions")
        if self.wage_min is None or self.wage_max is None or self.wage_min < 0 or self.wage_max < self.wage_min:
            raise JobFairError("bad_wage", field="wage_max")
        if self.currency not in CURRENCIES:
            raise JobFairError("bad_choice", field="currency")
        languages = [code for code in WORK_LANGUAGES if code in (self.languages or [])]
        return dict(texts, location=self.location, country=country, city=self.city.strip(),
                    positions=self.positions, wage_min=self.wage_min, wage_max=self.wage_max, currency=self.currency,
                    contract_type=self.contract_type, languages=languages, closes_on=self.closes_on,
                    no_fee=bool(self.no_fee), written_contract=bool(self.written_contract))


def _check_submittable(vacancy: Vacancy, today: date) -> None:
    if not (vacancy.no_fee and vacancy.written_contract):
        raise JobFairError("declarations_required", field="no_fee")
    if vacancy.closes_on < today:
        raise JobFairError("closing_date_past", field="closes_on")


def save_vacancy(employer: Employer, forum: Forum, data: VacancyData, vacancy: Vacancy | None = None,
                 submit: bool = False, now: datetime | None = None) -> Vacancy:
    """Create or edit a vacancy; with `submit` it is sent for approval.

    Promises: only an approved employer posts, to an open fair; a change to a pending or an
    approved vacancy takes it off the public and back to the organizers (pending, or draft
    when not submitted): a vacancy is never public in a version nobody vetted. A vacancy
    is only submitted with both declarations (no fee, written contract) and a closing date
    not past; otherwise nothing is changed. Saving without a change keeps the status.
    """
    if employer.status != "approved":
        raise JobFairError("employer_not_approved")
    if vacancy is None and forum not in open_fairs():
        raise JobFairError("fair_closed")
    values = data.cleaned()
    today = local_today(forum, now)
    if vacancy is not None and vacancy.status == "closed" and not submit:
        raise JobFairError("vacancy_closed")
    changed = vacancy is None or any(getattr(vacancy, k) != v for k, v in values.items())
    if not changed and not submit:
        return vacancy
    if submit and not (values["no_fee"] and values["written_contract"]):
        raise JobFairError("declarations_required", field="no_fee")
    if submit and values["closes_on"] < today:
        raise JobFairError("closing_date_past", field="closes_on")
    if vacancy is None:
        vacancy = Vacancy(employer=employer, forum=forum, status="draft")
        db.session.add(vacancy)
    for key, value in values.items():
        setattr(vacancy, key, value)
    if submit:
        if changed or vacancy.status in ("draft", "rejected", "closed"):
            vacancy.status, vacancy.submitted_at = "pending", utcnow()
            vacancy.decision_reason = ""
    elif vacancy.status != "draft":
        vacancy.status = "draft"
    db.session.flush()
    return vacancy


def submit_vacancy(vacancy: Vacancy, now: datetime | None = None) -> None:
    """Send a draft (or a rejected, corrected) vacancy for approval; refused without the declarations."""
    if vacancy.employer.status != "approved":
        raise JobFairError("employer_not_approved")
    if vacancy.status in ("pending", "approved"):
        return
    _check_submittable(vacancy, local_today(vacancy.forum, now))
    vacancy.status, vacancy.submitted_at, vacancy.decision_reason = "pending", utcnow(), ""
    db.session.flush()


def close_vacancy(vacancy: Vacancy) -> None:
    """The employer stops the vacancy (filled, or given up): off the public list at once."""
    vacancy.status = "closed"
    db.session.flush()


def version_of(vacancy: Vacancy) -> str:
    """Changes with every save: an organizer's decision names the version they read."""
    return vacancy.updated_at.isoformat() if vacancy.updated_at else ""


def decide_vacancy(vacancy: Vacancy, approve: bool, reason: str, by, now: datetime | None = None,
                   seen_version: str | None = None) -> None:
    """An organizer approves or rejects a pending vacancy; the employer is told through the outbox.

    Refused: a vacancy not pending, or changed since the organizer opened it (`seen_version`:
    nobody approves a text they did not read), an approval while the employer itself is not
    approved, a rejection without a reason.
    """
    reason = (reason or "").strip()
    if vacancy.status != "pending" or (seen_version is not None and seen_version != version_of(vacancy)):
        raise JobFairError("not_pending")
    if approve:
        if vacancy.employer.status != "approved":
            raise JobFairError("employer_not_approved")
        _check_submittable(vacancy, local_today(vacancy.forum, now))
    elif not reason:
        raise JobFairError("reason_required", field="reason")
    vacancy.status = "approved" if approve else "rejected"
    vacancy.decision_reason = reason
    vacancy.decided_at = utcnow()
    vacancy.decided_by_id = by.id if by is not None else None
    if approve:
        vacancy.approved_at = vacancy.decided_at
    db.session.flush()
    notify.vacancy_decided(vacancy)


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
    return {b.employer_id: b for b in booths}


def forum_vacancies(forum: Forum, status: str = "") -> list[Vacancy]:
    """All vacancies of a forum's fair, for organizers: pending first, then by submission."""
    stmt = (sa.select(Vacancy).options(joinedload(Vacancy.employer).joinedload(Employer.organization))
            .where(Vacancy.forum_id == forum.id))
    if status:
        stmt = stmt.where(Vacancy.status == status)
    order = sa.case((Vacancy.status == "pending", 0), else_=1)
    return list(db.session.scalars(stmt.order_by(order, Vacancy.submitted_at, Vacancy.id)))
