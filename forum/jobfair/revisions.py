"""Edits of approved vacancies: kept aside as a revision while the approved text stays public.

The public reads only the Vacancy's own columns (forum.jobfair.service.public_vacancies, the
booth tablet, seekers' offers, the API), so an edit that waits in a VacancyRevision cannot
reach anyone before an organizer approves it; approving copies it into the vacancy at once.
These functions are called by the service (save_vacancy, decide_vacancy), which checks who
may act; they hold what a revision is and how it is swapped in.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from forum.db import utcnow
from forum.extensions import db
from forum.jobfair.models import Vacancy, VacancyRevision

# The columns an employer edits, in the order the organizer reads the differences.
FIELDS = ("title", "description", "requirements", "location", "country", "city", "positions", "wage_min",
          "wage_max", "currency", "contract_type", "languages", "closes_on", "no_fee", "written_contract")


def _stored(values: dict) -> dict[str, Any]:
    """Values as JSON keeps them: the closing date as an ISO string."""
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items() if k in FIELDS}


def proposed_values(revision: VacancyRevision) -> dict[str, Any]:
    """The revision's columns as the vacancy holds them (the closing date a date again)."""
    values = dict(revision.proposed)
    if isinstance(values.get("closes_on"), str):
        values["closes_on"] = date.fromisoformat(values["closes_on"])
    return values


def same_as_public(vacancy: Vacancy, values: dict) -> bool:
    return all(getattr(vacancy, k) == v for k, v in values.items() if k in FIELDS)


def propose(vacancy: Vacancy, values: dict) -> VacancyRevision | None:
    """Keep `values` (cleaned) as the vacancy's pending revision, replacing an earlier one; an
    edit back to the approved text withdraws it (None). The vacancy's columns are not touched."""
    if same_as_public(vacancy, values):
        if vacancy.revision is not None:
            withdraw(vacancy)
        return None
    revision = vacancy.revision
    if revision is None:
        revision = VacancyRevision(vacancy=vacancy, proposed={})
        db.session.add(revision)
    revision.proposed = _stored(values)
    revision.status, revision.decision_reason, revision.submitted_at = "pending", "", utcnow()
    revision.decided_at = revision.decided_by_id = None
    db.session.flush()
    return revision


def withdraw(vacancy: Vacancy) -> None:
    """Forget the vacancy's revision (closed, or edited back to the approved text)."""
    if vacancy.revision is not None:
        db.session.delete(vacancy.revision)
        vacancy.revision = None
        db.session.flush()


def version_of(revision: VacancyRevision) -> str:
    """Changes with the revision's text: an organizer's decision names the text they read."""
    text = json.dumps(revision.proposed, sort_keys=True, ensure_ascii=False)
    return "r" + hashlib.sha256(text.encode()).hexdigest()[:16]


def approve(revision: VacancyRevision, by) -> None:
    """Swap the revision in: the vacancy's public text becomes the revision's, in one flush."""
    vacancy = revision.vacancy
    for key, value in proposed_values(revision).items():
        setattr(vacancy, key, value)
    vacancy.decision_reason = ""
    vacancy.decided_at = vacancy.approved_at = utcnow()
    vacancy.decided_by_id = by.id if by is not None else None
    db.session.delete(revision)
    vacancy.revision = None
    db.session.flush()


def reject(revision: VacancyRevision, reason: str, by) -> None:
    """Turn the revision down with a reason for the employer; the approved text stays public."""
    revision.status, revision.decision_reason = "rejected", reason
    revision.decided_at = utcnow()
    revision.decided_by_id = by.id if by is not None else None
    db.session.flush()


@dataclass(frozen=True)
class Difference:
    field: str
    public: Any  # the approved value, on the public list now
    proposed: Any  # the employer's edit


def differences(revision: VacancyRevision) -> list[Difference]:
    """The fields the revision changes, in FIELDS order, with both values."""
    vacancy, values = revision.vacancy, proposed_values(revision)
    return [Difference(k, getattr(vacancy, k), values[k]) for k in FIELDS
            if k in values and getattr(vacancy, k) != values[k]]
