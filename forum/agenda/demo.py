"""The agenda of the two demo forums, from the press release: Isfara's day is planned here and
B. Gafurov reuses it two days later through the copy service. Idempotent."""
from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from forum.agenda import copying, service
from forum.agenda.models import AgendaItem
from forum.extensions import db
from forum.people.models import Organization

# (start, end, area key, kind, public, audience, host organizations (short names), title, description)
ISFARA_PLAN = [
    ("09:00", "09:45", "main-stage", "opening", True, 350, ["АЖО", "Хукумат Исфары", "МОМ"],
     {"ru": "Открытие форума", "tg": "Ифтитоҳи форум", "en": "Opening of the forum"},
     {"ru": "Приветствие организаторов, хукумата и партнёров; итоги полугода проекта «Социальная мобилизация "
            "членов семей трудовых мигрантов».",
      "tg": "Саломи ташкилкунандагон, ҳукумат ва шарикон; ҷамъбасти нимсолаи лоиҳаи «Сафарбаркунии иҷтимоии "
            "аъзои оилаҳои муҳоҷирони меҳнатӣ».",
      "en": "Welcome by the organizers, the local government and the partners; six months of the project "
            "\"Social mobilization of labour migrants' family members\"."}),
    ("09:00", "09:30", "entrance", "other", False, None, [],
     {"ru": "Регистрация участников и выдача бейджей", "tg": "Бақайдгирии иштирокчиён ва додани бейҷҳо",
      "en": "Registration of participants and badges"}, {}),
    ("09:45", "16:30", "exhibition", "exhibition", True, None, [],
     {"ru": "Выставка изделий групп взаимопомощи", "tg": "Намоишгоҳи маҳсулоти гурӯҳҳои худёрӣ",
      "en": "Exhibition of the self-help groups' products"},
     {"ru": "Стенды ГВП: рукоделие, швейные изделия, сухофрукты, выпечка.",
      "tg": "Стендҳои гурӯҳҳои худёрӣ: дастдӯзӣ, маҳсулоти дӯзандагӣ, меваи хушк, нонпазӣ.",
      "en": "The groups' stands: handicrafts, sewing, dried fruit, baking."}),
    ("09:45", "16:30", "drawings", "drawings", True, 60, [],
     {"ru": "Выставка детских рисунков «Трудовая миграция глазами детей»",
      "tg": "Намоишгоҳи расмҳои кӯдакон «Муҳоҷирати меҳнатӣ аз нигоҳи кӯдакон»",
      "en": "Children's drawings: \"Labour migration through children's eyes\""}, {}),
    ("10:00", "11:15", "round-table", "round_table", True, 40, ["АЖО", "МОМ", "UN Women"],
     {"ru": "Круглый стол: проблемы и трудности ГВП", "tg": "Мизи мудаввар: мушкилоти гурӯҳҳои худёрӣ",
      "en": "Round table: the problems the groups face"},
     {"ru": "Лидеры ГВП, координаторы и мобилизаторы, госструктуры, международные организации и МФО "
            "обмениваются опытом создания и работы ГВП.",
      "tg": "Роҳбарони гурӯҳҳо, ҳамоҳангсозон ва сафарбаркунандагон, сохторҳои давлатӣ, ташкилотҳои "
            "байналмилалӣ ва ТМХ таҷрибаи таъсис ва фаъолияти гурӯҳҳоро мубодила мекунанд.",
      "en": "Group leaders, coordinators and mobilizers, government bodies, international organisations and "
            "microfinance institutions share what they learnt setting up and running the groups."}),
    ("10:00", "10:40", "theatre", "theatre", True, 120, [],
     {"ru": "Мобильный театр: «Письмо из России»", "tg": "Театри сайёр: «Мактуб аз Русия»",
      "en": "Mobile theatre: \"A letter from Russia\""}, {}),
    ("10:00", "15:00", "job-fair", "job_fair", True, 180, ["Миграционная служба"],
     {"ru": "Ярмарка вакансий", "tg": "Ярмаркаи ҷойҳои корӣ", "en": "Job fair"},
     {"ru": "Работодатели и лицензированные агентства предлагают работу дома и за рубежом.",
      "tg": "Корфармоён ва агентиҳои иҷозатномадор кор дар ватан ва хориҷа пешниҳод мекунанд.",
      "en": "Employers and licensed agencies offer work at home and abroad."}),
    ("11:15", "11:30", "round-table", "break", True, 40, [],
     {"ru": "Кофе-брейк", "tg": "Танаффуси қаҳва", "en": "Coffee break"}, {}),
    ("11:30", "12:30", "round-table", "round_table", True, 40, ["АЖО", "IMON International", "ЦПЧ", "Джовид"],
     {"ru": "Круглый стол: рекомендации — сети и кооперативы ГВП",
      "tg": "Мизи мудаввар: тавсияҳо — шабакаҳо ва кооперативҳои гурӯҳҳо",
      "en": "Round table: recommendations — networks and cooperatives of groups"},
     {"ru": "Выработка рекомендаций по повышению потенциала и устойчивости ГВП через объединение в сети и "
            "кооперативы.",
      "tg": "Таҳияи тавсияҳо барои баланд бардоштани иқтидор ва устувории гурӯҳҳо тавассути муттаҳидшавӣ ба "
            "шабакаҳо ва кооперативҳо.",
      "en": "Recommendations to make the groups stronger and lasting by joining them in networks and cooperatives."}),
    ("11:30", "12:10", "theatre", "theatre", True, 120, [],
     {"ru": "Мобильный театр: «Дом, где ждут»", "tg": "Театри сайёр: «Хонае, ки интизор аст»",
      "en": "Mobile theatre: \"The home that waits\""}, {}),
    ("12:30", "13:30", "main-stage", "break", True, None, [],
     {"ru": "Обеденный перерыв", "tg": "Танаффуси нисфирӯзӣ", "en": "Lunch break"}, {}),
    ("13:30", "14:15", "main-stage", "training", True, 200, ["IMON International"],
     {"ru": "Мини-тренинг: как получить кредит и управлять им",
      "tg": "Тренинги кӯтоҳ: чӣ тавр қарз гирифтан ва онро идора кардан",
      "en": "Short training: getting and managing a loan"}, {}),
    ("14:00", "14:40", "theatre", "theatre", True, 120, [],
     {"ru": "Мобильный театр: «Мифы и реалии за рубежом»", "tg": "Театри сайёр: «Афсона ва воқеият дар хориҷа»",
      "en": "Mobile theatre: \"Myths and realities abroad\""}, {}),
    ("14:30", "15:15", "main-stage", "training", True, 200, ["АЖО"],
     {"ru": "Мини-тренинг: планирование семейного бюджета и денежные переводы",
      "tg": "Тренинги кӯтоҳ: банақшагирии буҷаи оила ва интиқоли пул",
      "en": "Short training: family budget and remittances"}, {}),
    ("15:15", "15:55", "theatre", "theatre", True, 120, [],
     {"ru": "Мобильный театр: «Письмо из России» (повтор)", "tg": "Театри сайёр: «Мактуб аз Русия» (такрор)",
      "en": "Mobile theatre: \"A letter from Russia\" (again)"}, {}),
    ("16:00", "16:30", "main-stage", "other", True, 350, ["АЖО"],
     {"ru": "Оглашение рекомендаций круглого стола", "tg": "Эълони тавсияҳои мизи мудаввар",
      "en": "The round table's recommendations"}, {}),
    ("16:30", "17:00", "main-stage", "other", True, 350, ["АЖО"],
     {"ru": "Закрытие форума, награждение юных художников", "tg": "Хотимаи форум, тақдири рассомони хурдсол",
      "en": "Closing of the forum and prizes for the young artists"}, {}),
]

# Invited to the round table beyond the public: the people the press release names, guests first.
ROUND_TABLE_GUESTS = ("government", "international", "mfi", "coordinator", "mobilizer", "shg_leader")
ROUND_TABLE_SEATS = 40


def _has_agenda(forum) -> bool:
    return db.session.execute(sa.select(sa.func.count(AgendaItem.id)).where(AgendaItem.forum_id == forum.id)).scalar_one() > 0


def _organizations() -> dict[str, int]:
    return {o.short_name: o.id for o in db.session.scalars(sa.select(Organization).where(Organization.short_name != ""))}


def _plan(forum) -> None:
    zone = ZoneInfo(forum.timezone)
    day = forum.starts_at.astimezone(zone).date()
    areas = {area.key: area for area in forum.areas}
    orgs = _organizations()
    for start, end, key, kind, public, audience, hosts, title, description in ISFARA_PLAN:
        service.create_item(forum, service.ItemData(
            kind=kind, title=title, description=description, area_id=areas[key].id, is_public=public,
            starts_at=datetime.combine(day, time.fromisoformat(start), tzinfo=zone),
            ends_at=datetime.combine(day, time.fromisoformat(end), tzinfo=zone),
            expected_audience=audience, host_organization_ids=[orgs[h] for h in hosts if h in orgs],
        ))


def _invite_round_table(forum) -> None:
    from forum.people.models import Registration

    tables = db.session.scalars(sa.select(AgendaItem).where(AgendaItem.forum_id == forum.id,
                                                            AgendaItem.kind == "round_table"))
    guests = sorted(db.session.scalars(sa.select(Registration).where(
        Registration.forum_id == forum.id, Registration.category.in_(ROUND_TABLE_GUESTS))),
        key=lambda r: (ROUND_TABLE_GUESTS.index(r.category), r.id))
    for item in tables:
        for registration in guests[:ROUND_TABLE_SEATS]:
            service.add_attendee(item, registration, "invited")


def load(forums: dict) -> None:
    isfara, gafurov = forums["isfara-2011"], forums["b-gafurov-2011"]
    if not _has_agenda(isfara):
        _plan(isfara)
        _invite_round_table(isfara)
    if not _has_agenda(gafurov):
        copying.copy_agenda(isfara, gafurov)
        # The local government of B. Gafurov opens its own forum.
        orgs = _organizations()
        opening = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.forum_id == gafurov.id,
                                                                AgendaItem.kind == "opening"))
        if opening is not None and "Хукумат Б. Гафурова" in orgs:
            data = service.item_data(opening)
            data.host_organization_ids = [orgs["Хукумат Б. Гафурова"] if i == orgs.get("Хукумат Исфары") else i
                                          for i in data.host_organization_ids]
            service.update_item(opening, data)
        _invite_round_table(gafurov)
    db.session.flush()
