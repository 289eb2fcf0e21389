"""Demo: the Isfara round table of the press release. Invitees from every stakeholder group,
their answers (some accepted, one declined and a waitlisted leader promoted, some waitlisted),
a mixed seating plan, problems grouped into topics, and recommendations with owners and
deadlines. The hall's checkpoint admits only confirmed invitees. Idempotent."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from forum.checkin.models import Checkpoint
from forum.extensions import db
from forum.messaging.invitations import respond
from forum.people.models import Organization, Registration
from forum.roundtable import recommendations, seating, service
from forum.roundtable.hooks import RULE

QUOTAS = {"shg_leader": 6, "coordinator": 2, "mobilizer": 2, "government": 2, "international": 3, "mfi": 2}
EXTRA_INVITED = 3  # per group beyond its quota: answers after the seats are gone go to the waitlist
TOPICS = [
    {"ru": "Доступ ГВП к кредитам", "tg": "Дастрасии гурӯҳҳо ба қарз", "en": "Access of the groups to credit"},
    {"ru": "Сбыт продукции ГВП", "tg": "Фурӯши маҳсулоти гурӯҳҳо", "en": "Selling the groups' products"},
    {"ru": "Устойчивость ГВП: сети и кооперативы", "tg": "Устувории гурӯҳҳо: шабакаҳо ва кооперативҳо",
     "en": "Lasting groups: networks and cooperatives"},
]
PROBLEMS = ["Нет залога для кредита в МФО", "Некуда продавать сухофрукты зимой",
            "Группа распадается, когда лидер уезжает на заработки", "Не знаем, как зарегистрировать кооператив"]
# (text, topic index, addressed to, owner, deadline, status, notes)
RECOMMENDATIONS = [
    ({"ru": "Объединить ГВП в сети и кооперативы", "tg": "Гурӯҳҳои худёриро ба шабакаҳо ва кооперативҳо муттаҳид кардан",
      "en": "Unite the self-help groups into networks and cooperatives"},
     2, "Хукумат Исфары", "АЖО", date(2011, 12, 31), "in_progress",
     [(date(2011, 7, 15), "Проведены встречи лидеров ГВП в 4 джамоатах; создана инициативная группа сети.")]),
    ({"ru": "Разработать для ГВП кредитный продукт без залога с групповой гарантией",
      "tg": "Барои гурӯҳҳо маҳсулоти қарзии бе гарав бо кафолати гурӯҳӣ таҳия кардан",
      "en": "Design a loan product for the groups without collateral, on a group guarantee"},
     0, "IMON International", "IMON International", date(2011, 9, 30), "agreed", []),
    ({"ru": "Выделить места на районном рынке для продукции ГВП",
      "tg": "Дар бозори ноҳиявӣ барои маҳсулоти гурӯҳҳо ҷой ҷудо кардан",
      "en": "Set aside places at the district market for the groups' products"},
     1, "Хукумат Исфары", "Хукумат Исфары", date(2011, 8, 31), "done",
     [(date(2011, 8, 20), "На рынке Исфары выделено 6 торговых мест для ГВП.")]),
    ({"ru": "Проводить ежегодный форум ГВП в каждом районе", "tg": "Ҳар сол дар ҳар ноҳия форуми гурӯҳҳо гузаронидан",
      "en": "Hold a forum of the groups in every district each year"},
     2, None, "АЖО", date(2012, 5, 31), "proposed", []),
]


def load(forums: dict) -> None:
    forum = forums["isfara-2011"]
    items = service.round_table_items(forum)
    if not items or service.round_table_of(forum, items[0].id) is not None:
        return
    table = service.set_up(forum, items[0], capacity=sum(QUOTAS.values()), tables=4, seats_per_table=6,
                           quotas=QUOTAS)
    invited = _invite(forum, table)
    db.session.commit()
    _answers(invited)
    seating.mix(table)
    _checkpoint(forum, table)
    _topics(table, invited)
    _recommendations(table)
    db.session.commit()


def _invite(forum, table) -> dict[str, list]:
    invited = {}
    for group, seats in QUOTAS.items():
        people = list(db.session.scalars(sa.select(Registration).where(
            Registration.forum_id == forum.id, Registration.category == group).order_by(Registration.id)
            .limit(seats + EXTRA_INVITED)))
        invited[group] = service.invite(table, people, group)
    return invited


def _answers(invited: dict[str, list]) -> None:
    """Everyone but the last of each group accepts, in order (the last ones past the quota wait);
    then the first SHG leader and the first MFI guest decline, and the waitlist moves up."""
    for invitees in invited.values():
        for invitee in invitees[:-1]:
            respond(invitee.invitation, "accepted", via="link")
            db.session.commit()
    for group in ("shg_leader", "mfi"):
        if invited[group]:
            respond(invited[group][0].invitation, "declined", via="phone")
            db.session.commit()


def _checkpoint(forum, table) -> None:
    hall = db.session.scalar(sa.select(Checkpoint).where(Checkpoint.forum_id == forum.id,
                                                         Checkpoint.key == "round-table"))
    if hall is not None:
        hall.rule, hall.area_id = RULE, table.item.area_id


def _topics(table, invited) -> None:
    topics = [service.add_topic(table, title) for title in TOPICS]
    leaders = [i for i in invited["shg_leader"] if i.state != "declined"]
    for index, (text, invitee) in enumerate(zip(PROBLEMS, leaders, strict=False)):
        problem = service.submit_problem(invitee, text)
        problem.topic_id = topics[[0, 1, 2, 2][index]].id


def _recommendations(table) -> None:
    orgs: dict[str | None, int] = {
        o.short_name: o.id for o in db.session.scalars(sa.select(Organization).where(Organization.short_name != ""))}
    topics = service.topics(table)
    for text, topic, addressed, owner, deadline, status, notes in RECOMMENDATIONS:
        rec = recommendations.save(table, recommendations.RecommendationData(
            text=text, status=status, topic_id=topics[topic].id, addressed_to_id=orgs.get(addressed),
            owner_organization_id=orgs.get(owner), deadline=deadline))
        for day, note in notes:
            recommendations.add_note(rec, day, note)
