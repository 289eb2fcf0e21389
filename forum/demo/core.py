"""The core of the demo: districts and jamoats, organizations, people, the two forums,
their areas and registrations, and demo user accounts."""
from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date, time
from typing import cast

import sqlalchemy as sa

from forum.auth import service as auth_service
from forum.auth.models import FORUM_ROLES
from forum.demo import texts
from forum.demo.names import person_name, phone
from forum.events.models import Area, Forum
from forum.events.service import local_span
from forum.extensions import db
from forum.people.models import District, Jamoat, Organization, Person
from forum.people.service import new_registration

DEMO_ORGANIZER_EMAIL = "organizer@forum.example"
DEMO_ORGANIZER_PASSWORD = "isfara-2011"  # printed by `make run`; a demo, never a real deployment
DEMO_USERS = [
    (DEMO_ORGANIZER_EMAIL, "organizer", DEMO_ORGANIZER_PASSWORD, "Расулова Хайриниссо"),
    ("staff@forum.example", "staff", "door-2011", "Дежурный у входа"),
    ("jury@forum.example", "jury", "jury-2011", "Член жюри"),
    ("admin@forum.example", "admin", "admin-2011", "Администратор сайта"),
]

# 11 jamoats in the three target districts; groups per jamoat add up to 91.
GEOGRAPHY = [
    ("isfara", {"ru": "Исфара", "tg": "Исфара", "en": "Isfara"}, [
        ("chorkuh", {"ru": "Чоркух", "tg": "Чоркӯҳ", "en": "Chorkuh"}, 9),
        ("surkh", {"ru": "Сурх", "tg": "Сурх", "en": "Surkh"}, 9),
        ("navgilem", {"ru": "Навгилем", "tg": "Навгилем", "en": "Navgilem"}, 9),
        ("shahrak", {"ru": "Шахрак", "tg": "Шаҳрак", "en": "Shahrak"}, 8),
    ]),
    ("ghonchi", {"ru": "Гончи", "tg": "Ғончӣ", "en": "Ghonchi"}, [
        ("ghonchi", {"ru": "Гончи", "tg": "Ғончӣ", "en": "Ghonchi"}, 9),
        ("mujun", {"ru": "Муджун", "tg": "Муҷун", "en": "Mujun"}, 8),
        ("kalininobod", {"ru": "Калининобод", "tg": "Калининобод", "en": "Kalininobod"}, 9),
    ]),
    ("b-gafurov", {"ru": "Б. Гафуров", "tg": "Б. Ғафуров", "en": "B. Gafurov"}, [
        ("yova", {"ru": "Ёва", "tg": "Ёва", "en": "Yova"}, 8),
        ("ispisor", {"ru": "Исписор", "tg": "Исписор", "en": "Ispisor"}, 7),
        ("khistevarz", {"ru": "Хистеварз", "tg": "Хистеварз", "en": "Khistevarz"}, 8),
        ("ovchi-kalacha", {"ru": "Овчи-Калъача", "tg": "Овчӣ-Қалъача", "en": "Ovchi-Kalacha"}, 7),
    ]),
]
TOTAL_MEMBERS = 525

GROUP_WORDS = [
    "Умед", "Ташаббус", "Ватан", "Меҳр", "Баракат", "Ҳамкорӣ", "Наврӯз", "Ситора", "Гулистон", "Бахт",
    "Иттиҳод", "Дӯстӣ", "Зарафшон", "Ободӣ", "Рушд", "Нур", "Ояндасоз", "Сарчашма", "Хирман", "Шукуфа",
    "Ҳаёт", "Зиёд", "Офтоб", "Модар", "Ганҷ", "Дилафрӯз", "Гулрез", "Сомон", "Пайванд", "Ҳиммат",
]


def load_core() -> dict[str, Forum]:
    found = {slug: db.session.scalar(sa.select(Forum).where(Forum.slug == slug))
             for slug in ("isfara-2011", "b-gafurov-2011")}
    if all(found.values()):
        _ensure_users(cast(dict[str, Forum], found).values())
        return cast(dict[str, Forum], found)  # all found
    rng = random.Random(20110505)  # the same demo on every machine
    phones = set(db.session.scalars(sa.select(Person.phone).where(Person.phone.is_not(None))))
    jamoats = _geography()
    orgs = _organizations()
    groups = _self_help_groups(rng, jamoats, phones)
    staff = _project_staff(rng, jamoats, orgs, phones)
    guests = _round_table_guests(rng, orgs, phones)
    forums = {
        "isfara-2011": found["isfara-2011"] or _forum("isfara-2011", date(2011, 5, 5), texts.ISFARA, orgs),
        "b-gafurov-2011": found["b-gafurov-2011"] or _forum("b-gafurov-2011", date(2011, 5, 7), texts.GAFUROV, orgs),
    }
    _register(forums, groups, staff, guests)
    _ensure_users(forums.values())
    db.session.flush()
    return forums


def _geography() -> dict[str, tuple[Jamoat, int]]:
    jamoats = {}
    for key, name, parts in GEOGRAPHY:
        district = db.session.scalar(sa.select(District).where(District.key == key)) or District(key=key, name=name)
        db.session.add(district)
        for jkey, jname, groups in parts:
            jamoat = next((j for j in district.jamoats if j.key == jkey), None) or Jamoat(key=jkey, name=jname)
            if jamoat not in district.jamoats:
                district.jamoats.append(jamoat)
            jamoats[jkey] = (jamoat, groups)
    db.session.flush()
    return jamoats


def _org(name: str, kind: str, short: str = "", **extra) -> Organization:
    org = db.session.scalar(sa.select(Organization).where(Organization.name == name, Organization.kind == kind))
    if org is None:
        org = Organization(name=name, kind=kind, short_name=short, **extra)
        db.session.add(org)
    return org


def _organizations() -> dict[str, Organization]:
    return {
        "aws": _org("Общественная организация «Ассоциация Женщина и Общество»", "ngo", "АЖО",
                    names={"en": "Public organization «Association Woman and Society»",
                           "tg": "Ташкилоти ҷамъиятии «Ассотсиатсияи Зан ва Ҷомеа»"},
                    phone="+992927701806", email="aws95@mail.ru", contact_person="Рахимов Ислом"),
        "iom": _org("Международная организация по миграции", "international", "МОМ",
                    names={"en": "International Organization for Migration", "tg": "Созмони байналмилалии муҳоҷират"},
                    aliases=["IOM"]),
        "unwomen": _org("ООН-Женщины", "international", "UN Women", names={"en": "UN Women"},
                        aliases=["Структура ООН-женщины", "Структура ООН по вопросам гендерного равенства"]),
        "worldbank": _org("Всемирный банк", "international", "World Bank",
                          names={"en": "World Bank", "tg": "Бонки ҷаҳонӣ"}),
        "dfid": _org("Департамент международного развития Правительства Великобритании", "international", "DFID",
                     names={"en": "UK Department for International Development"}),
        "imon": _org("ООО МЗО «ИМОН Интернешнл»", "mfi", "IMON International"),
        "arvand": _org("ЗАО МДО «Арванд»", "mfi", "Арванд"),
        "humo": _org("МДО «Хумо»", "mfi", "Хумо"),
        "rights": _org("Центр по правам человека", "ngo", "ЦПЧ"),
        "jovid": _org("Общественная организация «Джовид»", "ngo", "Джовид"),
        "hukumat-isfara": _org("Хукумат города Исфара", "government", "Хукумат Исфары"),
        "hukumat-ghonchi": _org("Хукумат района Гончи", "government", "Хукумат Гончи"),
        "hukumat-gafurov": _org("Хукумат района Бободжон Гафуров", "government", "Хукумат Б. Гафурова"),
        "migration": _org("Миграционная служба по Согдийской области", "government", "Миграционная служба"),
        "media": _org("Телевидение и радио Согдийской области", "media", "ТРК Согд"),
    }


def _member_counts(rng: random.Random, groups: int) -> list[int]:
    """Group sizes from 4 to 8 that add up to TOTAL_MEMBERS."""
    sizes = [rng.randint(4, 7) for _ in range(groups)]
    while sum(sizes) != TOTAL_MEMBERS:
        i = rng.randrange(groups)
        if sum(sizes) < TOTAL_MEMBERS and sizes[i] < 8:
            sizes[i] += 1
        elif sum(sizes) > TOTAL_MEMBERS and sizes[i] > 4:
            sizes[i] -= 1
    return sizes


def _self_help_groups(rng, jamoats, phones) -> list[tuple[Organization, list[Person]]]:
    existing = list(db.session.scalars(sa.select(Organization).where(Organization.kind == "shg")))
    if existing:
        return [(g, list(g.members)) for g in existing]
    plan = [(jamoat, n) for jamoat, n in jamoats.values() for _ in range(n)]
    sizes = _member_counts(rng, len(plan))
    used: dict[str, int] = {}
    groups = []
    for (jamoat, _count), size in zip(plan, sizes, strict=True):
        word = rng.choice(GROUP_WORDS)
        used[word] = used.get(word, 0) + 1
        suffix = f"-{used[word]}" if used[word] > 1 else ""
        group = Organization(name=f"ГВП «{word}{suffix}», {jamoat.name['tg']}", kind="shg",
                             district_id=jamoat.district_id, jamoat_id=jamoat.id)
        members = []
        for index in range(size):
            woman = rng.random() < 0.85  # members are mostly wives and mothers of migrants
            members.append(Person(
                full_name=person_name(rng, woman), phone=phone(rng, phones), gender="f" if woman else "m",
                language="tg" if rng.random() < 0.7 else "ru", organization=group,
                district_id=jamoat.district_id, jamoat_id=jamoat.id,
                position="лидер ГВП" if index == 0 else "член ГВП",
            ))
        db.session.add(group)
        db.session.add_all(members)
        groups.append((group, members))
    db.session.flush()
    return groups


def _project_staff(rng, jamoats, orgs, phones) -> list[tuple[Person, str, str]]:
    """(person, category, district key) for the project team: coordinators, mobilizers, press."""
    aws = orgs["aws"]
    team = [(_person("Расулова Хайриниссо", "+992951854527", "f", "ru", aws, "координатор программ"), "coordinator", "*"),
            (_person("Рахимов Ислом", "+992927701806", "m", "ru", aws, "PR-специалист", email="aws95@mail.ru"), "staff", "*")]
    phones.update({"+992951854527", "+992927701806"})
    for key, _name, parts in GEOGRAPHY:
        team.append((_person(person_name(rng, True), phone(rng, phones), "f", "tg", aws, "координатор"), "coordinator", key))
        for jkey, _jname, _n in parts:
            jamoat = jamoats[jkey][0]
            person = _person(person_name(rng, rng.random() < 0.7), phone(rng, phones), None, "tg", aws, "мобилизатор")
            person.district_id, person.jamoat_id = jamoat.district_id, jamoat.id
            team.append((person, "mobilizer", key))
    return team


def _person(name, number, gender, language, org, position, email=None) -> Person:
    person = db.session.scalar(sa.select(Person).where(Person.phone == number)) if number else None
    if person is None:
        person = Person(full_name=name, phone=number, gender=gender, language=language, organization=org,
                        position=position, email=email)
        db.session.add(person)
    return person


def _round_table_guests(rng, orgs, phones) -> list[tuple[Person, str, str]]:
    """Guests of each kind the press release names, for both forums ("*") or one district."""
    plan = [
        ("hukumat-isfara", "government", "isfara", "заместитель председателя"),
        ("hukumat-ghonchi", "government", "ghonchi", "главный специалист"),
        ("hukumat-gafurov", "government", "b-gafurov", "заместитель председателя"),
        ("migration", "government", "*", "начальник отдела"),
        ("iom", "international", "*", "координатор проекта"),
        ("unwomen", "international", "*", "специалист программы"),
        ("worldbank", "international", "*", "консультант"),
        ("dfid", "international", "*", "представитель"),
        ("imon", "mfi", "*", "кредитный специалист"),
        ("arvand", "mfi", "*", "менеджер филиала"),
        ("humo", "mfi", "*", "кредитный специалист"),
        ("rights", "guest", "*", "юрист"),
        ("jovid", "guest", "*", "координатор"),
        ("media", "press", "*", "корреспондент"),
    ]
    guests: list[tuple[Person, str, str]] = []
    for org_key, category, district, position in plan:
        woman = rng.random() < 0.5
        person = _person(person_name(rng, woman), phone(rng, phones), "f" if woman else "m",
                         rng.choice(["ru", "tg", "en"]) if category == "international" else "ru",
                         orgs[org_key], position)
        if category == "international":
            person.email = f"{org_key}.{len(guests) + 1}@example.org"
        guests.append((person, category, district))
    return guests


def _forum(slug: str, day: date, text: dict, orgs: dict[str, Organization]) -> Forum:
    starts_at, ends_at = local_span(day, time(9, 0), time(17, 0), "Asia/Dushanbe")
    forum = Forum(
        slug=slug, status="published", registration_open=True, timezone="Asia/Dushanbe",
        starts_at=starts_at, ends_at=ends_at, organizer=orgs["aws"],
        partners=[orgs[k] for k in ("iom", "unwomen", "worldbank", "dfid", "imon", "rights", "jovid")],
        activities=["exhibition", "theatre", "drawings", "round_table", "job_fair"],
        **{k: text[k] for k in ("title", "city", "venue", "address", "goals", "description", "contacts")},
    )
    for position, (key, kind, capacity, name) in enumerate(texts.AREAS):
        forum.areas.append(Area(key=key, kind=kind, capacity=capacity, name=name, position=position))
    db.session.add(forum)
    db.session.flush()
    return forum


def _register(forums, groups, staff, guests) -> None:
    """Isfara's forum gathers the Isfara and Ghonchi groups; B. Gafurov's its own district."""
    home = {"isfara-2011": ("isfara", "ghonchi"), "b-gafurov-2011": ("b-gafurov",)}
    district_keys = {d.id: d.key for d in db.session.scalars(sa.select(District))}
    for slug, forum in forums.items():
        if forum.registrations:
            continue
        for group, members in groups:
            if district_keys[group.district_id] in home[slug]:
                for index, person in enumerate(members):
                    _add(forum, person, "shg_leader" if index == 0 else "shg_member")
        for person, category, district in staff + guests:
            if district == "*" or district in home[slug]:
                _add(forum, person, category)


def _add(forum: Forum, person: Person, category: str) -> None:
    registration = new_registration(forum, person, category, status="confirmed", source="demo")
    registration.consent_at = forum.starts_at


def _ensure_users(forums: Iterable[Forum]) -> None:
    """The demo's team, holding their roles at both demo forums (the administrator at all)."""
    forums = list(forums)
    for email, role, password, name in DEMO_USERS:
        user = auth_service.find_user(email)
        if user is None:
            user, _password = auth_service.create_user(email, role, password=password, name=name)
        if role in FORUM_ROLES:
            for forum in forums:
                auth_service.set_member(user, forum, role)
