"""Factories: build test data through the same services the app uses."""
from __future__ import annotations

import itertools
from datetime import date, time

from forum.auth.models import FORUM_ROLES, User
from forum.auth.service import create_user, find_user, set_member
from forum.events.models import Area, Forum
from forum.events.service import local_span
from forum.extensions import db
from forum.people.models import Organization, Person, Registration
from forum.people.service import new_registration

_seq = itertools.count(1)
PASSWORD = "correct horse battery"


def make_forum(slug: str | None = None, status: str = "published", registration_open: bool = True,
               day: date = date(2011, 5, 5), start: time = time(9), end: time = time(17),
               areas: tuple[str, ...] = ("main-stage", "round-table"), team: list[User] | None = None,
               **texts) -> Forum:
    """A forum; `team` (default: every organizer, staff and jury user there is, as an install
    upgraded from global roles) holds their own roles at it."""
    starts_at, ends_at = local_span(day, start, end, "Asia/Dushanbe")
    n = next(_seq)
    forum = Forum(
        slug=slug or f"forum-{n}", status=status, registration_open=registration_open,
        title=texts.get("title", {"ru": f"Форум {n}", "tg": f"Форуми {n}", "en": f"Forum {n}"}),
        city={"ru": "Исфара", "tg": "Исфара", "en": "Isfara"},
        venue={"ru": "Дом культуры", "tg": "Хонаи фарҳанг", "en": "House of Culture"},
        address={}, goals=texts.get("goals", {"ru": "Цели", "en": "Goals"}), description={}, contacts={},
        activities=["exhibition", "round_table"], starts_at=starts_at, ends_at=ends_at,
    )
    for position, key in enumerate(areas):
        forum.areas.append(Area(key=key, name={"ru": key, "en": key}, kind="hall", capacity=50, position=position))
    db.session.add(forum)
    if team is None:
        team = list(db.session.scalars(db.select(User).where(User.role.in_(FORUM_ROLES))))
    for user in team:
        set_member(user, forum, user.role)
    db.session.commit()
    return forum


def make_organization(name: str | None = None, kind: str = "shg", **extra) -> Organization:
    org = Organization(name=name or f"ГВП «Умед-{next(_seq)}»", kind=kind, **extra)
    db.session.add(org)
    db.session.commit()
    return org


def make_person(full_name: str | None = None, phone: str | None = "auto", **extra) -> Person:
    n = next(_seq)
    if phone == "auto":
        phone = f"+99292{n:07d}"
    person = Person(full_name=full_name or f"Раҳимова Гулнора {n}", phone=phone, **extra)
    db.session.add(person)
    db.session.commit()
    return person


def make_registration(forum: Forum, person: Person | None = None, category: str = "shg_member",
                      status: str = "confirmed") -> Registration:
    registration = new_registration(forum, person or make_person(), category, status=status)
    db.session.commit()
    return registration


def make_user(role: str = "organizer", email: str | None = None, password: str = PASSWORD,
              forums: list[Forum] | None = None):
    """A user with `role` at `forums` (default: at every forum there is, for the roles held at
    a forum; tests of per-forum roles name the forums)."""
    email = email or f"{role}@forum.example"
    user = find_user(email)
    if user is None:
        if forums is None:
            forums = list(db.session.scalars(db.select(Forum))) if role in FORUM_ROLES else []
        user, _ = create_user(email, role, password=password, forums=forums)
        db.session.commit()
    return user
