"""Job-fair test data, built through the job fair's own services."""
from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from forum.auth.service import find_user
from forum.events.models import Area
from forum.extensions import db
from forum.jobfair import service
from tests.factories import PASSWORD, make_user

_seq = itertools.count(1)
FAR = date.today() + timedelta(days=60)  # a closing date still ahead whenever the tests run


def signup(n: int | None = None, **changes) -> service.EmployerSignup:
    n = n or next(_seq)
    values = dict(organization_name=f"ООО «Работодатель-{n}»", kind="employer", sector="textile",
                  tax_number=f"{520000000 + n:09d}", city="Исфара", contact_person=f"Каримова Дилноза {n}",
                  phone=f"+99292{8000000 + n:07d}", email=f"hr{n}@employer{n}.example", password=PASSWORD,
                  language="ru")
    values.update(changes)
    return service.EmployerSignup(**values)


def make_employer(forum, status: str = "approved", **changes):
    employer = service.register_employer(forum, signup(**changes), confirmed=True)
    assert employer is not None
    if status != "pending":
        service.decide_employer(employer, status == "approved", "" if status == "approved" else "Нет лицензии",
                                make_user("organizer"))
    db.session.commit()
    return employer


def vacancy_data(**changes) -> service.VacancyData:
    values = dict(title={"ru": "Швея", "tg": "Дӯзанда"}, description={"ru": "Пошив спецодежды, смена 8:00–17:00."},
                  location="tajikistan", city="Исфара", positions=5, wage_min=1200, wage_max=1800, currency="TJS",
                  contract_type="permanent", closes_on=FAR, languages=["tg", "ru"], no_fee=True,
                  written_contract=True)
    values.update(changes)
    return service.VacancyData(**values)


def make_vacancy(employer, forum, status: str = "approved", **changes):
    """A vacancy in `status` (draft, pending, approved, rejected, closed) reached the way people reach it."""
    vacancy = service.save_vacancy(employer, forum, vacancy_data(**changes), submit=status != "draft")
    if status in ("approved", "rejected", "closed"):
        service.decide_vacancy(vacancy, status != "rejected", "Кандидат платит за билет" if status == "rejected" else "",
                               make_user("organizer"))
    if status == "closed":
        service.close_vacancy(vacancy)
    db.session.commit()
    return vacancy


def login_as(client, user) -> None:
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.data[:300]


def new_locale() -> None:
    """Tests hold one app context, so Flask-Babel's per-context locale would outlive a request;
    in the app each request has its own. Call between requests that change the language."""
    from flask_babel import refresh

    refresh()


def organizer():
    return find_user("organizer@forum.example") or make_user("organizer")


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch):
    """Real password hashes, with fewer rounds: scrypt's 0.3 s per employer account would
    dominate these tests. Logins still check the hash for real."""
    from functools import partial

    from werkzeug.security import generate_password_hash

    monkeypatch.setattr("forum.auth.models.generate_password_hash",
                        partial(generate_password_hash, method="pbkdf2:sha256:1000"))


@pytest.fixture(autouse=True)
def job_fair(forum):
    """Every job-fair test's forum (conftest's `forum`) holds a job fair and its "job-fair" area."""
    forum.activities = [*forum.activities, "job_fair"]
    forum.areas.append(Area(key="job-fair", name={"ru": "Шатёр ярмарки вакансий", "en": "Job-fair tent"},
                            kind="tent", capacity=200, position=5))
    db.session.commit()
    return forum
