"""Employers, their vacancies, job seekers' interest, booths in the job-fair tent and the
interview times employers offer there.

Vetting is held by the database too: a vacancy cannot be pending or approved unless its
employer declared that candidates pay no fee and get a written contract, and what a job
seeker shares with an employer is limited by their consent in a CHECK constraint.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db import TimestampMixin, enum_check, utcnow
from forum.extensions import Model

if TYPE_CHECKING:  # other packages' models, named in relationships
    from forum.auth.models import User
    from forum.events.models import Area, Forum
    from forum.people.models import Organization, Registration

EMPLOYER_KINDS = ("employer", "agency")  # a direct employer, or a licensed recruitment agency
EMPLOYER_STATUSES = ("pending", "approved", "rejected")
SECTORS = ("agriculture", "construction", "textile", "manufacturing", "trade", "hospitality", "transport",
           "services", "education", "health", "other")
VACANCY_STATUSES = ("draft", "pending", "approved", "rejected", "closed")
REVISION_STATUSES = ("pending", "rejected")  # an edit of an approved vacancy: waiting, or turned down
LOCATIONS = ("tajikistan", "abroad")
CURRENCIES = ("TJS", "RUB", "USD", "EUR", "KZT")
CONTRACT_TYPES = ("permanent", "fixed_term", "seasonal", "part_time")
WORK_LANGUAGES = ("tg", "ru", "uz", "en")
# Destinations of labour migration from Sughd, for vacancies abroad (ISO 3166 codes).
COUNTRIES = ("RU", "KZ", "KR", "TR", "AE", "PL", "LT", "LV", "DE", "GB", "QA", "SA", "UZ", "KG", "BY", "CN")
STAGES = ("interested", "contacted", "interviewed", "offered", "hired", "declined")
SHARES = ("name_phone", "name", "nothing")  # what a seeker lets the employer see
INTEREST_SOURCES = ("personal", "booth")  # their private page, or a walk-in at the booth


class Employer(TimestampMixin, Model):
    """An employer or a recruitment agency with its login; nothing it writes is public before
    organizers approve it."""

    __tablename__ = "employer"
    __table_args__ = (
        enum_check("kind", EMPLOYER_KINDS),
        enum_check("status", EMPLOYER_STATUSES),
        enum_check("sector", SECTORS),
        sa.CheckConstraint("length(tax_number) = 9", name="tax_number_nine_digits"),
        sa.CheckConstraint("kind <> 'agency' OR licence_number <> ''", name="agency_has_licence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), unique=True)  # the account that logs in
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), unique=True)  # name and contacts
    forum_id: Mapped[int | None] = mapped_column(  # the forum whose job fair it signed up at
        sa.ForeignKey("forum.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(10), default="employer")  # one of EMPLOYER_KINDS
    sector: Mapped[str] = mapped_column(sa.String(20))  # one of SECTORS
    tax_number: Mapped[str] = mapped_column(sa.String(9), unique=True)  # INN: 9 digits in Tajikistan
    licence_number: Mapped[str] = mapped_column(sa.String(60), default="")  # recruitment licence (agencies)
    city: Mapped[str] = mapped_column(sa.String(100))  # where the employer is based
    status: Mapped[str] = mapped_column(sa.String(10), default="pending")  # one of EMPLOYER_STATUSES
    decision_reason: Mapped[str] = mapped_column(sa.Text, default="")  # told to the employer with the decision
    decided_at: Mapped[datetime | None]  # when an organizer approved or rejected
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])  # noqa: F821
    organization: Mapped[Organization] = relationship()  # noqa: F821
    forum: Mapped[Forum | None] = relationship()  # noqa: F821
    vacancies: Mapped[list[Vacancy]] = relationship(back_populates="employer", order_by="Vacancy.id")

    @property
    def name(self) -> str:
        return self.organization.name


class Vacancy(TimestampMixin, Model):
    """A job offered at one forum's fair; public only when approved, open and its employer approved."""

    __tablename__ = "vacancy"
    __table_args__ = (
        enum_check("status", VACANCY_STATUSES),
        enum_check("location", LOCATIONS),
        enum_check("currency", CURRENCIES),
        enum_check("contract_type", CONTRACT_TYPES),
        sa.CheckConstraint("positions > 0", name="positions_positive"),
        sa.CheckConstraint("wage_min >= 0 AND wage_max >= wage_min", name="wage_range"),
        sa.CheckConstraint("(location = 'tajikistan' AND country = 'TJ') OR (location = 'abroad' AND country <> 'TJ')",
                           name="country_matches_location"),
        # Never in front of organizers, let alone the public, without both promises.
        sa.CheckConstraint("status NOT IN ('pending', 'approved') OR (no_fee AND written_contract)",
                           name="submitted_with_declarations"),
        sa.Index("ix_vacancy_forum_status", "forum_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forum.id", ondelete="CASCADE"))
    employer_id: Mapped[int] = mapped_column(sa.ForeignKey("employer.id", ondelete="CASCADE"), index=True)
    title: Mapped[dict[str, Any]]  # translated; at least one language
    description: Mapped[dict[str, Any]]  # translated: the work, hours, housing…
    requirements: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)  # translated, may be empty
    location: Mapped[str] = mapped_column(sa.String(12))  # one of LOCATIONS
    country: Mapped[str] = mapped_column(sa.String(2), default="TJ")  # ISO 3166; TJ exactly when in Tajikistan
    city: Mapped[str] = mapped_column(sa.String(100))  # where the work is
    positions: Mapped[int]  # people wanted
    wage_min: Mapped[int]  # per month, in `currency`
    wage_max: Mapped[int]
    currency: Mapped[str] = mapped_column(sa.String(3))  # one of CURRENCIES
    contract_type: Mapped[str] = mapped_column(sa.String(12))  # one of CONTRACT_TYPES
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # WORK_LANGUAGES the work needs
    closes_on: Mapped[date]  # last day to apply (the forum's local date)
    no_fee: Mapped[bool] = mapped_column(default=False)  # employer declares candidates pay no fee
    written_contract: Mapped[bool] = mapped_column(default=False)  # employer declares a written contract is offered
    status: Mapped[str] = mapped_column(sa.String(10), default="draft")  # one of VACANCY_STATUSES
    decision_reason: Mapped[str] = mapped_column(sa.Text, default="")  # why it was rejected, told to the employer
    submitted_at: Mapped[datetime | None]  # last sent for approval
    approved_at: Mapped[datetime | None]  # last approved; kept when closed, so figures count what was offered
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))

    forum: Mapped[Forum] = relationship()  # noqa: F821
    employer: Mapped[Employer] = relationship(back_populates="vacancies")
    interests: Mapped[list[Interest]] = relationship(back_populates="vacancy", cascade="all, delete-orphan",
                                                     passive_deletes=True, order_by="Interest.id")
    revision: Mapped[VacancyRevision | None] = relationship(back_populates="vacancy", cascade="all, delete-orphan",
                                                            passive_deletes=True)

    @property
    def pending_revision(self) -> VacancyRevision | None:
        """The employer's edit waiting for the organizers while this text stays public."""
        return self.revision if self.revision is not None and self.revision.status == "pending" else None


class VacancyRevision(Model):
    """An employer's edit of an approved vacancy, kept aside while the approved text stays
    public (list, offers, booth tablet, API); approving it copies it into the vacancy.

    One per vacancy: a further edit rewrites it. A rejected one keeps its reason for the
    employer until their next edit; the vacancy itself is untouched either way.
    """

    __tablename__ = "vacancy_revision"
    __table_args__ = (enum_check("status", REVISION_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(sa.ForeignKey("vacancy.id", ondelete="CASCADE"), unique=True)
    proposed: Mapped[dict[str, Any]]  # the edited vacancy's columns, as VacancyData.cleaned() gives them (dates ISO)
    status: Mapped[str] = mapped_column(sa.String(10), default="pending")  # one of REVISION_STATUSES
    decision_reason: Mapped[str] = mapped_column(sa.Text, default="")  # why it was rejected, told to the employer
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)  # last edited by the employer
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))

    vacancy: Mapped[Vacancy] = relationship(back_populates="revision")


class Interest(Model):
    """A job seeker's interest in a vacancy and where the employer has got with them.

    `shared_name` and `shared_phone` are copies made at consent of exactly what the seeker
    agreed to show this employer; nothing else about them reaches the employer.
    """

    __tablename__ = "interest"
    __table_args__ = (
        enum_check("stage", STAGES),
        enum_check("share", SHARES),
        enum_check("source", INTEREST_SOURCES),
        sa.UniqueConstraint("vacancy_id", "registration_id"),
        sa.UniqueConstraint("vacancy_id", "shared_phone"),
        sa.CheckConstraint("share = 'name_phone' OR shared_phone IS NULL", name="phone_only_with_consent"),
        sa.CheckConstraint("share <> 'nothing' OR shared_name IS NULL", name="name_only_with_consent"),
        sa.CheckConstraint("registration_id IS NOT NULL OR source = 'booth'", name="walk_ins_only_without_registration"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(sa.ForeignKey("vacancy.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int | None] = mapped_column(  # the participant; None for a walk-in not registered
        sa.ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(sa.String(10), default="personal")  # one of INTEREST_SOURCES
    share: Mapped[str] = mapped_column(sa.String(12))  # one of SHARES, as the seeker chose
    shared_name: Mapped[str | None] = mapped_column(sa.String(200))  # shown to the employer, if consented
    shared_phone: Mapped[str | None] = mapped_column(sa.String(20))  # E.164, shown to the employer, if consented
    consent_at: Mapped[datetime] = mapped_column(default=utcnow)  # when the seeker agreed to share
    stage: Mapped[str] = mapped_column(sa.String(12), default="interested")  # one of STAGES
    # When each stage was first reached; figures count offers and interviews even if declined later.
    contacted_at: Mapped[datetime | None]
    interviewed_at: Mapped[datetime | None]
    offered_at: Mapped[datetime | None]
    hired_at: Mapped[datetime | None]
    declined_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    vacancy: Mapped[Vacancy] = relationship(back_populates="interests")
    registration: Mapped[Registration | None] = relationship()  # noqa: F821
    slot: Mapped[InterviewSlot | None] = relationship(back_populates="interest", uselist=False)


class Booth(Model):
    """A numbered place in the job-fair area, for one employer at most."""

    __tablename__ = "booth"
    __table_args__ = (
        sa.UniqueConstraint("forum_id", "label"),
        sa.UniqueConstraint("forum_id", "employer_id"),  # one booth per employer per forum
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forum.id", ondelete="CASCADE"))
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("area.id"), index=True)  # the job-fair area; blocks its deletion
    label: Mapped[str] = mapped_column(sa.String(20))  # painted on the booth: "1", "A-3"…
    employer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("employer.id", ondelete="SET NULL"), index=True)
    assigned_at: Mapped[datetime | None]  # when the current employer was given it
    assigned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))

    forum: Mapped[Forum] = relationship()  # noqa: F821
    area: Mapped[Area] = relationship()  # noqa: F821
    employer: Mapped[Employer | None] = relationship()


class InterviewSlot(Model):
    """A time an employer can interview at its booth; given to one interested seeker at most."""

    __tablename__ = "interview_slot"
    __table_args__ = (
        sa.UniqueConstraint("employer_id", "forum_id", "starts_at"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(sa.ForeignKey("employer.id", ondelete="CASCADE"))
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime]  # UTC
    ends_at: Mapped[datetime]  # UTC
    interest_id: Mapped[int | None] = mapped_column(  # the seeker invited at this time
        sa.ForeignKey("interest.id", ondelete="SET NULL"), unique=True)
    offered_at: Mapped[datetime | None]  # when the time was given to the seeker

    employer: Mapped[Employer] = relationship()
    interest: Mapped[Interest | None] = relationship(back_populates="slot")


class EmployerStaff(Model):
    """A person an employer brings to a forum: their registration (category employer) gets a badge."""

    __tablename__ = "employer_staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(sa.ForeignKey("employer.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registration.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    employer: Mapped[Employer] = relationship()
    registration: Mapped[Registration] = relationship()  # noqa: F821
