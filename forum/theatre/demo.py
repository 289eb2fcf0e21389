"""Demo: four troupes with seven short plays on Isfara's theatre stage, a full stage day
without conflicts. The agenda's demo placed placeholder theatre items on that stage; the
theatre now owns the stage, so they give way to real performances. Idempotent."""
from __future__ import annotations

import random
from datetime import time

import sqlalchemy as sa

from forum.agenda import service as agenda
from forum.agenda.models import AgendaItem
from forum.demo.names import person_name, phone
from forum.extensions import db
from forum.people.models import Person
from forum.theatre import booking, service, slots
from forum.theatre.models import Performance

# (troupe, play title, theme, minutes, actors)
PLAYS = [
    ("Театр «Ойина»", {"ru": "Письмо из России", "tg": "Мактуб аз Русия", "en": "A letter from Russia"},
     {"ru": "Жена мигранта ждёт вестей и денег; письмо приносит другое.",
      "tg": "Зани муҳоҷир хабар ва пулро интизор аст; мактуб чизи дигар меорад.",
      "en": "A migrant's wife waits for news and money; the letter brings something else."}, 25, 4),
    ("Мобильный театр «Умед»", {"ru": "Дом, где ждут", "tg": "Хонае, ки интизор аст", "en": "The home that waits"},
     {"ru": "Дети, бабушка и хозяйство, пока отец на заработках.",
      "tg": "Кӯдакон, бибӣ ва хоҷагӣ, вақте ки падар дар муҳоҷират аст.",
      "en": "Children, a grandmother and a farm while the father works abroad."}, 30, 5),
    ("Молодёжный театр «Наврӯз»", {"ru": "Мифы и реалии за рубежом", "tg": "Афсона ва воқеият дар хориҷа",
                                    "en": "Myths and realities abroad"},
     {"ru": "Что обещают вербовщики и что ждёт на месте.", "tg": "Ваъдаҳои ҷалбкунандагон ва воқеият.",
      "en": "What recruiters promise and what waits at the other end."}, 30, 4),
    ("Театральная группа «Сарчашма»", {"ru": "Деньги домой", "tg": "Пул ба хона", "en": "Money home"},
     {"ru": "Как переводить деньги без потерь и копить на дело.",
      "tg": "Чӣ тавр пулро бе зиён интиқол додан ва барои кор ҷамъ кардан.",
      "en": "Sending money without losses and saving for a business."}, 25, 3),
    ("Театр «Ойина»", {"ru": "Мать и сын", "tg": "Модар ва писар", "en": "Mother and son"},
     {"ru": "Сын уезжает на заработки впервые.", "tg": "Писар бори аввал ба муҳоҷират меравад.",
      "en": "A son leaves to work abroad for the first time."}, 20, 2),
    ("Мобильный театр «Умед»", {"ru": "Долг", "tg": "Қарз", "en": "The debt"},
     {"ru": "Кредит на дорогу и что делать, если работы нет.", "tg": "Қарз барои роҳ ва агар кор набошад.",
      "en": "A loan for the journey, and what if there is no work."}, 30, 4),
    ("Молодёжный театр «Наврӯз»", {"ru": "Патент", "tg": "Патент", "en": "The work permit"},
     {"ru": "Документы в порядке: патент, регистрация, права мигранта.",
      "tg": "Ҳуҷҷатҳо дар тартиб: патент, бақайдгирӣ, ҳуқуқи муҳоҷир.",
      "en": "Papers in order: the permit, registration and a migrant's rights."}, 25, 5),
]


def _clear_placeholders(forum, stage) -> None:
    for item in list(db.session.scalars(sa.select(AgendaItem).where(
            AgendaItem.forum_id == forum.id, AgendaItem.area_id == stage.id, AgendaItem.kind == "theatre",
            AgendaItem.source == "agenda"))):
        agenda.delete_item(item)


def load(forums: dict) -> None:
    forum = forums["isfara-2011"]
    if db.session.scalar(sa.select(Performance.id).where(Performance.forum_id == forum.id).limit(1)):
        return
    stage = next((a for a in forum.areas if a.key == "theatre"), None)
    if stage is None:
        return
    _clear_placeholders(forum, stage)
    made = slots.generate(forum, slots.SlotPlan(area_id=stage.id, start=time(10, 0), end=time(16, 30),
                                                slot_minutes=30, buffer_minutes=15))
    db.session.commit()
    rng = random.Random(20110550)
    taken = {p for p in db.session.scalars(sa.select(Person.phone).where(Person.phone.is_not(None))) if p}
    for slot, (troupe, title, theme, minutes, actors) in zip(made, PLAYS, strict=False):
        cast = [(person_name(rng, rng.random() < 0.6), phone(rng, taken) if n % 2 == 0 else None)
                for n in range(actors - 1)]
        requested = service.request_slot(forum, service.RequestData(
            troupe_name=troupe, title=title, theme=theme, duration_minutes=minutes, cast_size=actors,
            contact_name=person_name(rng, rng.random() < 0.5), contact_phone=phone(rng, taken), language="tg",
            technical_needs="Два микрофона, стулья" if minutes >= 30 else "", preferred_times="до обеда",
            cast=cast))
        performance = requested.performance
        service.decide(performance, approve=True)
        booking.book(performance, slot)
        db.session.commit()
