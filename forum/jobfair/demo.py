"""The job fair of the demo, played through the same services people use: employers sign
themselves up, organizers approve (and reject one vacancy that asked candidates to pay),
members of self-help groups express interest, employers move them through their pipeline.

Idempotent: an employer whose tax number is known is left as it is. Closing dates are set
from today, so the replayed 2011 fair still shows open vacancies.
"""
from __future__ import annotations

import random
from datetime import date, time, timedelta
from typing import Any

import sqlalchemy as sa

from forum.auth.service import find_user
from forum.demo.core import DEMO_ORGANIZER_EMAIL
from forum.demo.names import person_name, phone
from forum.extensions import db
from forum.jobfair import booths, pipeline, service, staff
from forum.jobfair.models import Booth
from forum.people.models import Person, Registration

PASSWORD = "jobs-2011"  # demo employers' password; printed nowhere but the README of the demo


def _t(ru: str, tg: str = "", en: str = "") -> dict:
    return {k: v for k, v in {"ru": ru, "tg": tg, "en": en}.items() if v}


EMPLOYERS = [
    # (email, name, kind, sector, tax number, city, licence, contact, status)
    ("employer@forum.example", "ООО «Исфара Текстиль»", "employer", "textile", "520011234", "Исфара", "",
     "Каримова Дилноза", "approved"),
    ("kadr@bogi-isfara.example", "ООО «Боғи Исфара»", "employer", "agriculture", "520022345", "Исфара", "",
     "Назаров Илҳом", "approved"),
    ("hr@binokor-sughd.example", "ООО «Бинокор-Сугд»", "employer", "construction", "510033456", "Худжанд", "",
     "Сафаров Рустам", "approved"),
    ("info@rohi-rost.example", "Частное агентство занятости «Роҳи Рост»", "agency", "services", "510044567", "Худжанд",
     "ЛЗ-0417", "Юсуфова Мадина", "approved"),
    ("hotel@sitora.example", "Гостиница «Ситора»", "employer", "hospitality", "510055678", "Худжанд", "",
     "Ҳакимова Нигина", "approved"),
    ("nur-trade@nur.example", "ООО «Нур-Трейд»", "employer", "trade", "520066789", "Исфара", "",
     "Шарипов Далер", "pending"),
]

# (employer tax number, forum slug, data, outcome): outcome is approved, pending, rejected or draft.
VACANCIES: list[tuple[str, str, dict[str, Any], str]] = [
    ("520011234", "isfara-2011", dict(
        title=_t("Швея-мотористка", "Дӯзанда", "Sewing machine operator"),
        description=_t("Пошив спецодежды и школьной формы. Смена с 8:00 до 17:00, обед за счёт предприятия, "
                       "обучение на месте.", "Дӯхтани либоси корӣ ва мактабӣ. Аз соати 8:00 то 17:00, хӯроки нисфирӯзӣ "
                       "аз ҳисоби корхона.", "Sewing workwear and school uniforms, 8:00–17:00, lunch provided."),
        requirements=_t("Опыт не обязателен.", "Таҷриба ҳатмӣ нест."),
        location="tajikistan", city="Исфара", positions=15, wage_min=1200, wage_max=1800, currency="TJS",
        contract_type="permanent", languages=["tg", "ru"]), "approved"),
    ("520011234", "isfara-2011", dict(
        title=_t("Технолог швейного производства"),
        description=_t("Контроль качества и раскрой, работа с заказчиками."),
        location="tajikistan", city="Исфара", positions=1, wage_min=2500, wage_max=3000, currency="TJS",
        contract_type="permanent", languages=["ru"]), "pending"),
    ("520022345", "isfara-2011", dict(
        title=_t("Сезонные работники на сушку абрикосов", "Коргарони мавсимӣ барои хушк кардани зардолу",
                 "Seasonal workers, apricot drying"),
        description=_t("Сбор, сортировка и сушка абрикосов с июня по август. Доставка из джамоатов Чоркух и Сурх.",
                       "Ҷамъоварӣ, ҷудокунӣ ва хушк кардани зардолу аз июн то август."),
        location="tajikistan", city="Исфара, джамоат Чоркух", positions=40, wage_min=900, wage_max=1300,
        currency="TJS", contract_type="seasonal", languages=["tg"]), "approved"),
    ("510033456", "isfara-2011", dict(
        title=_t("Каменщик", "Сангтарош", "Bricklayer"),
        description=_t("Строительство жилых домов в Худжанде. Общежитие предоставляется."),
        requirements=_t("Опыт от одного года."),
        location="tajikistan", city="Худжанд", positions=8, wage_min=2500, wage_max=3500, currency="TJS",
        contract_type="fixed_term", languages=["tg", "ru"]), "approved"),
    ("510033456", "isfara-2011", dict(
        title=_t("Электрик", "Барқчӣ"),
        description=_t("Электромонтаж на строящихся объектах."),
        location="tajikistan", city="Худжанд", positions=2, wage_min=3000, wage_max=4000, currency="TJS",
        contract_type="fixed_term", languages=["ru"]), "pending"),
    ("510044567", "isfara-2011", dict(
        title=_t("Монтажник фасадов (Россия, организованный набор)", "Васлкунандаи фасад (Русия)",
                 "Facade fitter (Russia, organised recruitment)"),
        description=_t("Работа в Москве по договору с работодателем, патент оформляет работодатель, жильё "
                       "предоставляется. Предвыездная ориентация в агентстве бесплатно."),
        requirements=_t("Русский язык на бытовом уровне, заграничный паспорт."),
        location="abroad", country="RU", city="Москва", positions=20, wage_min=60000, wage_max=80000,
        currency="RUB", contract_type="fixed_term", languages=["ru"]), "approved"),
    ("510044567", "isfara-2011", dict(
        title=_t("Работа на фабрике в Южной Корее"),
        description=_t("Фабрика электроники. Медосмотр и перелёт кандидат оплачивает сам, деньги возвращаются "
                       "с первой зарплаты."),
        location="abroad", country="KR", city="Ансан", positions=10, wage_min=1500, wage_max=1800,
        currency="USD", contract_type="fixed_term", languages=["en"]), "rejected"),
    ("510055678", "isfara-2011", dict(
        title=_t("Горничная", "Хонашӯй", "Housekeeper"),
        description=_t("Уборка номеров в гостинице, график 2/2, питание."),
        location="tajikistan", city="Худжанд", positions=4, wage_min=1000, wage_max=1400, currency="TJS",
        contract_type="permanent", languages=["tg", "ru"]), "approved"),
    ("510033456", "b-gafurov-2011", dict(
        title=_t("Подсобный рабочий на стройке", "Коргари ёрирасон дар сохтмон"),
        description=_t("Стройка в Гафурове, ежедневная оплата раз в неделю, обед."),
        location="tajikistan", city="Гафуров", positions=12, wage_min=1500, wage_max=2000, currency="TJS",
        contract_type="seasonal", languages=["tg"]), "approved"),
]
REJECTION = ("Кандидаты не должны платить ни за что: в описании сказано, что медосмотр и перелёт оплачивает "
             "кандидат. Исправьте условия и отправьте снова.")
# Pipelines employers recorded, in order of the Isfara textile and other approved vacancies.
STAGES = ["hired", "offered", "interviewed", "interviewed", "contacted", "contacted", "declined", "interested"]


def load(forums: dict) -> None:
    isfara = forums["isfara-2011"]
    organizer = find_user(DEMO_ORGANIZER_EMAIL)
    rng = random.Random(20110580)
    if service.employer_by_tax_number(EMPLOYERS[0][4]) is not None:
        return  # the demo fair is there already
    closes_on = max(date(2011, 5, 31), service.local_today(isfara) + timedelta(days=90))
    employers = {}
    for email, name, kind, sector, tax, city, licence, contact, status in EMPLOYERS:
        employer = service.register_employer(isfara, service.EmployerSignup(
            organization_name=name, kind=kind, sector=sector, tax_number=tax, city=city, contact_person=contact,
            phone=phone(rng, _phones()), email=email, password=PASSWORD, licence_number=licence,
            language="ru" if kind == "agency" else "tg"), confirmed=True)
        assert employer is not None  # the demo loads once: its emails are new
        if status == "approved":
            service.decide_employer(employer, True, "", organizer)
        employers[tax] = employer
    for forum in forums.values():
        if booths.job_fair_area(forum) is not None and not db.session.scalar(
                sa.select(sa.func.count(Booth.id)).where(Booth.forum_id == forum.id)):
            booths.add_booths(forum, 8)
    vacancies = []
    for tax, slug, data, outcome in VACANCIES:
        forum = forums[slug]
        vacancy = service.save_vacancy(employers[tax], forum, service.VacancyData(
            closes_on=closes_on, no_fee=True, written_contract=True, **data), submit=outcome != "draft")
        if outcome in ("approved", "rejected"):
            service.decide_vacancy(vacancy, outcome == "approved", REJECTION if outcome == "rejected" else "", organizer)
        vacancies.append(vacancy)
    _booths_and_staff(forums, employers, rng)
    _seekers(isfara, [v for v in vacancies if v.status == "approved" and v.forum_id == isfara.id], rng)
    db.session.flush()


def _phones() -> set[str]:
    return set(db.session.scalars(sa.select(Person.phone).where(Person.phone.is_not(None))))


def _booths_and_staff(forums, employers, rng) -> None:
    for forum in forums.values():
        free = [b for b in booths.booths_of(forum) if b.employer_id is None]
        taking_part = [e for e in service.employers_at(forum, "approved")]
        for booth, employer in zip(free, taking_part, strict=False):
            booths.assign_booth(booth, employer)
            for _ in range(1 + rng.randrange(2)):
                woman = rng.random() < 0.5
                staff.add_staff(employer, forum, person_name(rng, woman), phone(rng, _phones()), "представитель")


def _seekers(forum, vacancies, rng) -> None:
    members = list(db.session.scalars(
        sa.select(Registration).where(Registration.forum_id == forum.id,
                                      Registration.category.in_(("shg_member", "shg_leader")))
        .order_by(Registration.id)))
    chosen = rng.sample(members, min(36, len(members)))
    shares = ["name_phone"] * 6 + ["name"] * 3 + ["nothing"]
    for number, registration in enumerate(chosen):
        for vacancy in rng.sample(vacancies, 1 + (number % 3 == 0)):
            try:
                pipeline.express_interest(registration, vacancy, rng.choice(shares))
            except service.JobFairError:
                continue
    for vacancy in vacancies:
        interests = pipeline.vacancy_interests(vacancy)
        for interest, stage in zip(interests, STAGES, strict=False):
            for step in pipeline.ORDER[1:pipeline.ORDER.index(stage) + 1] if stage != "declined" else ["contacted"]:
                pipeline.set_stage(interest, step)
            if stage == "declined":
                pipeline.set_stage(interest, "declined")
    textile = vacancies[0]
    pipeline.add_slots(textile.employer, forum, time(10, 0), time(12, 0), 20)
    booth = booths.booth_of(forum, textile.employer)
    waiting = [i for i in pipeline.vacancy_interests(textile) if i.stage in ("contacted", "interested")]
    for interest, slot in zip(waiting, pipeline.slots_of(textile.employer, forum), strict=False):
        pipeline.offer_interview(interest, slot, booth.label if booth else None)
    if booth is not None:  # two walk-ins at the booth on the day
        for _ in range(2):
            pipeline.record_walk_in(booth, pipeline.WalkIn(
                full_name=person_name(rng, True), phone=phone(rng, _phones()), vacancy_ids=[textile.id]))
