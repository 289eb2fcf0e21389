"""The job fair in figures: employers, vacancies, positions, interested seekers, interviews,
offers and hires, in total, by sector and by location; and the same as a CSV for the report.

Hires are what employers record in their pipeline, usually in the weeks after the fair.
No job seeker's name or phone is in any figure or in the export.
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from forum.db import translated
from forum.events.models import Forum
from forum.extensions import db
from forum.jobfair.models import Employer, Interest, Vacancy
from forum.jobfair.service import taking_part
from forum.people.export import neutralize  # the people export's guard against formula injection
from forum.people.models import Organization


@dataclass
class Row:
    employers: set = field(default_factory=set)  # ids of approved employers with an offered vacancy
    vacancies: int = 0  # approved (or closed after approval)
    positions: int = 0
    seekers: set = field(default_factory=set)  # distinct people interested
    interviews: int = 0
    offers: int = 0
    hires: int = 0

    def add(self, vacancy, stats: dict) -> None:
        self.employers.add(vacancy.employer_id)
        self.vacancies += 1
        self.positions += vacancy.positions
        self.seekers |= stats["seekers"]
        self.interviews += stats["interviews"]
        self.offers += stats["offers"]
        self.hires += stats["hires"]

    def as_dict(self) -> dict[str, int]:
        return {"employers": len(self.employers), "vacancies": self.vacancies, "positions": self.positions,
                "seekers": len(self.seekers), "interviews": self.interviews, "offers": self.offers,
                "hires": self.hires}


def offered(vacancy) -> bool:
    """A vacancy that was on the public list: approved now, or closed after an approval."""
    return vacancy.status == "approved" or (vacancy.status == "closed" and vacancy.approved_at is not None)


def _empty() -> dict:
    return {"seekers": set(), "interviews": 0, "offers": 0, "hires": 0}


def _vacancy_stats(forum: Forum) -> dict[int, dict]:
    """Per vacancy: the set of interested people and the counts of interviews, offers, hires."""
    stats: dict[int, dict] = defaultdict(_empty)
    rows = db.session.execute(
        sa.select(Interest.vacancy_id, Interest.registration_id, Interest.shared_phone, Interest.id,
                  Interest.interviewed_at.is_not(None), Interest.offered_at.is_not(None),
                  Interest.hired_at.is_not(None))
        .join(Interest.vacancy).where(Vacancy.forum_id == forum.id))
    for vacancy_id, registration_id, phone, interest_id, interviewed, offer, hired in rows:
        entry = stats[vacancy_id]
        # One person, however many vacancies: by registration, else by the phone left at a booth.
        entry["seekers"].add(("r", registration_id) if registration_id else ("p", phone or interest_id))
        entry["interviews"] += bool(interviewed)
        entry["offers"] += bool(offer)
        entry["hires"] += bool(hired)
    return stats


def forum_figures(forum: Forum) -> dict:
    """{"total", "by_sector", "by_location", "by_employer", "employers", "vacancies"} for the organizers' page.

    Reads only the columns it counts (no texts), so a fair of thousands of interests stays quick."""
    stats = _vacancy_stats(forum)
    vacancies = db.session.execute(
        sa.select(Vacancy.id, Vacancy.status, Vacancy.approved_at, Vacancy.positions, Vacancy.location,
                  Vacancy.city, Vacancy.country, Vacancy.employer_id, Employer.sector,
                  Employer.status.label("employer_status"))
        .join(Vacancy.employer).where(Vacancy.forum_id == forum.id)).all()
    total = Row()
    by_sector: defaultdict[str, Row] = defaultdict(Row)
    by_location: defaultdict[tuple[str, str], Row] = defaultdict(Row)
    by_employer: defaultdict[int, Row] = defaultdict(Row)
    vacancy_counts = {s: 0 for s in ("draft", "pending", "approved", "rejected", "closed")}
    for vacancy in vacancies:
        vacancy_counts[vacancy.status] += 1
        if not offered(vacancy) or vacancy.employer_status != "approved":
            continue
        entry = stats.get(vacancy.id) or _empty()
        total.add(vacancy, entry)
        by_sector[vacancy.sector].add(vacancy, entry)
        key = ("tajikistan", vacancy.city) if vacancy.location == "tajikistan" else ("abroad", vacancy.country)
        by_location[key].add(vacancy, entry)
        by_employer[vacancy.employer_id].add(vacancy, entry)
    employer_counts = {"approved": 0, "pending": 0, "rejected": 0}
    employer_counts.update(db.session.execute(
        sa.select(Employer.status, sa.func.count(Employer.id)).where(taking_part(forum)).group_by(Employer.status)
    ).tuples().all())
    return {
        "total": total.as_dict(),
        "by_sector": sorted(((k, r.as_dict()) for k, r in by_sector.items()), key=lambda kv: -kv[1]["positions"]),
        "by_location": sorted(((k, r.as_dict()) for k, r in by_location.items()),
                              key=lambda kv: (kv[0][0] != "tajikistan", -kv[1]["positions"])),
        "by_employer": sorted(((k, r.as_dict()) for k, r in by_employer.items()),
                              key=lambda kv: (-kv[1]["positions"], kv[0])),
        "employers": employer_counts,
        "vacancies": vacancy_counts,
    }


def employer_names(forum: Forum) -> dict[int, tuple[str, str]]:
    """Employer id -> (name, sector) of those taking part in the forum's fair."""
    return {row.id: (row.name, row.sector) for row in db.session.execute(
        sa.select(Employer.id, Organization.name, Employer.sector).join(Employer.organization)
        .where(taking_part(forum)))}


CSV_COLUMNS = ("vacancy_id", "employer", "employer_kind", "sector", "tax_number", "title", "location", "country",
               "city", "positions", "wage_min", "wage_max", "currency", "contract_type", "closes_on", "status",
               "interested", "interviews", "offers", "hires")


def to_csv(forum: Forum, lang: str) -> bytes:
    """Every vacancy of the forum's fair with its figures; UTF-8 with BOM and `;` as Excel expects
    in Russian and Tajik locales. Every cell employers wrote is neutralized against formulas."""
    stats = _vacancy_stats(forum)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    vacancies = db.session.scalars(
        sa.select(Vacancy).options(joinedload(Vacancy.employer).joinedload(Employer.organization))
        .where(Vacancy.forum_id == forum.id).order_by(Vacancy.id))
    for vacancy in vacancies:
        entry = stats.get(vacancy.id) or _empty()
        employer = vacancy.employer
        writer.writerow([neutralize(value) for value in (
            vacancy.id, employer.name, employer.kind, employer.sector, employer.tax_number,
            translated(vacancy.title, lang), vacancy.location, vacancy.country, vacancy.city, vacancy.positions,
            vacancy.wage_min, vacancy.wage_max, vacancy.currency, vacancy.contract_type,
            vacancy.closes_on.isoformat(), vacancy.status, len(entry["seekers"]), entry["interviews"],
            entry["offers"], entry["hires"],
        )])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
