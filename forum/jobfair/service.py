"""Employers and vacancies: self sign-up, vetting by organizers, posting and the public list.

The rule the whole package keeps: nothing an employer writes reaches the public before an
organizer approved both the employer and that version of the vacancy. `public_vacancies`
and `public_vacancy` (forum.jobfair.listing, re-exported here) are the only doors to the
public, and both check it in SQL; an edit of an approved vacancy waits aside
(forum.jobfair.revisions) until approved.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from forum.auth import recovery
from forum.auth.service import create_user, find_user
from forum.db import utcnow
from forum.events.models import Forum
from forum.events.service import accepts_public_forms
from forum.extensions import db
from forum.jobfair import notify, revisions
from forum.jobfair.listing import JobFilters as JobFilters  # re-exported: callers read the lists here
from forum.jobfair.listing import booths_by_employer as booths_by_employer
from forum.jobfair.listing import forum_vacancies as forum_vacancies
from forum.jobfair.listing import is_public as is_public
from forum.jobfair.listing import local_today as local_today
from forum.jobfair.listing import public_vacancies as public_vacancies
from forum.jobfair.listing import public_vacancy as public_vacancy
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


def _existing_organization(tax_number: str, name: str) -> tuple[str, Employer | None] | None:
    """(field, employer) of the organization a new sign-up would duplicate, or None. The
    email is not asked here: whether it has an account is told only to its mailbox."""
    existing = employer_by_tax_number(tax_number)
    if existing is not None:
        return "tax_number", existing
    org = db.session.scalar(sa.select(Organization).where(sa.func.lower(Organization.name) == name.lower(),
                                                          Organization.kind == "employer"))
    if org is not None:
        return "organization_name", db.session.scalar(sa.select(Employer).where(Employer.organization_id == org.id))
    return None


def accepts_signups(forum: Forum) -> bool:
    return "job_fair" in (forum.activities or []) and accepts_public_forms(forum)


def register_employer(forum: Forum, data: EmployerSignup, confirmed: bool = False) -> Employer | None:
    """Sign an employer up at a forum's job fair: a pending Employer with its own login, and
    an email (queued) with the link that confirms the address.

    Promises: nothing is created when the tax number or the organization's name is already
    known (JobFairError "duplicate" naming the field and the existing employer), including
    when two sign-ups race (the database's unique keys decide); an agency must give its
    licence; the employer stays pending until an organizer decides. An email that already
    has an account creates nothing and gives no error: that mailbox is told it has an
    account and how to reset its password, and None is returned, after the same work, so
    that the caller answers as for a new account and a visitor cannot tell the two apart.
    `confirmed` (the demo's employers) takes the email as confirmed and mails no link.
    """
    if not accepts_signups(forum):
        raise JobFairError("fair_closed")
    tax_number = clean_tax_number(data.tax_number)
    if data.kind not in EMPLOYER_KINDS or data.sector not in SECTORS:
        raise JobFairError("bad_choice")
    licence = data.licence_number.strip()
    if data.kind == "agency" and not licence:
        raise JobFairError("licence_required", field="licence_number")
    name, email = data.organization_name.strip(), data.email.strip().lower()
    duplicate = _existing_organization(tax_number, name)
    if duplicate:
        raise JobFairError("duplicate", field=duplicate[0], existing=duplicate[1])
    if _told_already_registered(email, forum, data.password):
        return None
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
        duplicate = _existing_organization(tax_number, name)
        if duplicate is None and _told_already_registered(email, forum, None):
            return None
        duplicate = duplicate or ("tax_number", None)
        raise JobFairError("duplicate", field=duplicate[0], existing=duplicate[1]) from None
    if confirmed:
        recovery.confirm_email(user)
    else:
        recovery.queue_confirmation(user, forum)
    return employer


def _told_already_registered(email: str, forum: Forum, password: str | None) -> bool:
    """When `email` has an account: mail it so (with a reset link) and say True."""
    known = find_user(email)
    if known is None:
        return False
    if password is not None:
        recovery.spend_hashing_time(password)  # as long as creating the account would take
    recovery.queue_already_registered(known, forum)
    return True


def may_publish(employer: Employer) -> bool:
    """Whether the employer may send vacancies to the organizers: approved, and its email
    confirmed (organizers and seekers must be able to reach it; a typo'd address cannot)."""
    return employer.status == "approved" and employer.user.email_confirmed_at is not None


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


def _check_submittable(values: dict, today: date) -> None:
    """Both declarations and a closing date not past, in `values` (columns of a vacancy)."""
    if not (values["no_fee"] and values["written_contract"]):
        raise JobFairError("declarations_required", field="no_fee")
    if values["closes_on"] < today:
        raise JobFairError("closing_date_past", field="closes_on")


def _columns(vacancy: Vacancy) -> dict:
    return {k: getattr(vacancy, k) for k in ("no_fee", "written_contract", "closes_on")}


def save_vacancy(employer: Employer, forum: Forum, data: VacancyData, vacancy: Vacancy | None = None,
                 submit: bool = False, now: datetime | None = None) -> Vacancy:
    """Create or edit a vacancy; with `submit` it is sent for approval.

    Promises: only an approved employer posts, to an open fair, and only one whose email is
    confirmed sends anything to the organizers (drafts are fine before). A change to an
    approved vacancy is kept as its pending revision (forum.jobfair.revisions) while the
    approved text stays public, until an organizer approves the revision; an edit back to the
    approved text withdraws it. A change to a pending vacancy sends it back to the organizers
    (pending, or draft when not submitted): a vacancy is never public in a version nobody
    vetted. A vacancy or revision is only submitted with both declarations (no fee, written
    contract) and a closing date not past; otherwise nothing is changed. Saving without a
    change keeps the status.
    """
    if employer.status != "approved":
        raise JobFairError("employer_not_approved")
    if vacancy is None and forum not in open_fairs():
        raise JobFairError("fair_closed")
    values = data.cleaned()
    today = local_today(forum, now)
    if vacancy is not None and vacancy.status == "closed" and not submit:
        raise JobFairError("vacancy_closed")
    if vacancy is not None and vacancy.status == "approved":
        if not revisions.same_as_public(vacancy, values):
            if not may_publish(employer):
                raise JobFairError("email_unconfirmed")
            _check_submittable(values, today)
        revisions.propose(vacancy, values)
        return vacancy
    changed = vacancy is None or any(getattr(vacancy, k) != v for k, v in values.items())
    if not changed and not submit:
        assert vacancy is not None  # a new vacancy is always a change
        return vacancy
    if submit and not may_publish(employer):
        raise JobFairError("email_unconfirmed")
    if submit:
        _check_submittable(values, today)
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
    if not may_publish(vacancy.employer):
        raise JobFairError("email_unconfirmed")
    _check_submittable(_columns(vacancy), local_today(vacancy.forum, now))
    vacancy.status, vacancy.submitted_at, vacancy.decision_reason = "pending", utcnow(), ""
    db.session.flush()


def close_vacancy(vacancy: Vacancy) -> None:
    """The employer stops the vacancy (filled, or given up): off the public list at once, and
    an edit waiting for the organizers is dropped with it."""
    vacancy.status = "closed"
    revisions.withdraw(vacancy)
    db.session.flush()


def version_of(vacancy: Vacancy) -> str:
    """Changes with every save (of the vacancy, or of its pending revision): an organizer's
    decision names the version they read."""
    if vacancy.status == "approved" and vacancy.pending_revision is not None:
        return revisions.version_of(vacancy.pending_revision)
    return vacancy.updated_at.isoformat() if vacancy.updated_at else ""


def decide_vacancy(vacancy: Vacancy, approve: bool, reason: str, by, now: datetime | None = None,
                   seen_version: str | None = None) -> None:
    """An organizer approves or rejects a pending vacancy; the employer is told through the outbox.

    Refused: a vacancy not pending, or changed since the organizer opened it (`seen_version`:
    nobody approves a text they did not read), an approval while the employer itself is not
    approved, a rejection without a reason. An approved vacancy with a pending revision is
    decided through the revision: approval swaps it in, rejection drops it with the reason,
    and the approved text stays public meanwhile either way.
    """
    reason = (reason or "").strip()
    if vacancy.status == "approved" and vacancy.pending_revision is not None:
        _decide_revision(vacancy, approve, reason, by, now, seen_version)
        return
    if vacancy.status != "pending" or (seen_version is not None and seen_version != version_of(vacancy)):
        raise JobFairError("not_pending")
    if approve:
        if vacancy.employer.status != "approved":
            raise JobFairError("employer_not_approved")
        _check_submittable(_columns(vacancy), local_today(vacancy.forum, now))
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


def _decide_revision(vacancy: Vacancy, approve: bool, reason: str, by, now: datetime | None,
                     seen_version: str | None) -> None:
    revision = vacancy.pending_revision
    assert revision is not None  # the caller asked
    if seen_version is not None and seen_version != revisions.version_of(revision):
        raise JobFairError("not_pending")
    if approve:
        if vacancy.employer.status != "approved":
            raise JobFairError("employer_not_approved")
        _check_submittable(revisions.proposed_values(revision), local_today(vacancy.forum, now))
        revisions.approve(revision, by)
    elif not reason:
        raise JobFairError("reason_required", field="reason")
    else:
        revisions.reject(revision, reason, by)
    notify.revision_decided(vacancy, approve, reason)
