"""Organizer pages, seating and documents of the round table, the invitee's panel, and the
public recommendations page (agreed ones only, no contacts)."""
from __future__ import annotations

from datetime import date
from io import BytesIO

import sqlalchemy as sa
from pypdf import PdfReader

from forum.extensions import db
from forum.messaging.invitations import respond
from forum.roundtable import recommendations, seating, service
from forum.roundtable.models import Invitee, Problem
from tests import factories
from tests.roundtable_fixtures import invite_people, make_round_table


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def _confirmed_table(forum):
    table = make_round_table(forum, {"shg_leader": 3, "government": 2, "mfi": 2}, tables=2, seats=4)
    people = []
    for group, n in (("shg_leader", 3), ("government", 2), ("mfi", 2)):
        people += invite_people(table, forum, group, n)
    for invitee in people:
        respond(invitee.invitation, "accepted")
    db.session.commit()
    return table


def test_mixing_puts_different_groups_at_every_table(app, forum):
    table = _confirmed_table(forum)
    assert seating.mix(table) == 7
    db.session.commit()
    for seats in seating.plan(table):
        groups = {i.group for i in seats if i}
        assert len(groups) >= 2


def test_a_seat_taken_by_hand_is_refused_for_a_second_person(app, forum, auth, client):
    table = _confirmed_table(forum)
    a, b = service.invitees(table, state="confirmed")[:2]
    auth.login("organizer")
    url = f"/manage/{forum.slug}/roundtable/{table.item_id}/seating"
    client.post(url, data={"action": "assign", "invitee": a.id, "table_no": 1, "seat_no": 1})
    response = client.post(url, data={"action": "assign", "invitee": b.id, "table_no": 1, "seat_no": 1},
                           follow_redirects=True)
    assert "Это место уже занято." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Invitee, b.id).table_no is None


def test_name_cards_and_seating_chart_print_names_and_organizations(app, forum, auth, client):
    table = _confirmed_table(forum)
    seating.mix(table)
    db.session.commit()
    auth.login("organizer")
    cards = client.get(f"/manage/{forum.slug}/roundtable/{table.item_id}/name-cards.pdf")
    reader = PdfReader(BytesIO(cards.data))
    assert len(reader.pages) == 7 and reader.pages[0].mediabox.width > reader.pages[0].mediabox.height
    first = service.invitees(table, state="confirmed")[0].registration.person.full_name
    assert _text(cards.data).count(first) == 2  # both faces
    chart = client.get(f"/manage/{forum.slug}/roundtable/{table.item_id}/seating.pdf?lang=tg")
    assert "Мизи 1" in _text(chart.data) and first in _text(chart.data)


def _recommendations(forum, table):
    aws = factories.make_organization("Ассоциация Женщина и Общество", kind="ngo", short_name="АЖО")
    owner = service.invitees(table)[0].registration.person
    data = recommendations.RecommendationData
    recommendations.save(table, data(text={"ru": "Объединить ГВП в сети и кооперативы",
                                           "tg": "Гурӯҳҳоро ба шабакаҳо ва кооперативҳо муттаҳид кардан",
                                           "en": "Unite the groups into networks and cooperatives"},
                                     status="agreed", owner_organization_id=aws.id, addressed_to_id=aws.id,
                                     deadline=date(2011, 12, 31)))
    recommendations.save(table, data(text={"ru": "Тайное предложение"}, status="proposed",
                                     owner_person_id=owner.id))
    recommendations.save(table, data(text={"ru": "Отброшенная идея"}, status="dropped"))
    db.session.commit()
    return owner


def test_the_resolution_prints_in_russian_tajik_and_english(app, forum, auth, client):
    table = _confirmed_table(forum)
    _recommendations(forum, table)
    auth.login("organizer")
    url = f"/manage/{forum.slug}/roundtable/{table.item_id}/resolution.pdf"
    ru, tg, en = (_text(client.get(f"{url}?lang={lang}").data) for lang in ("ru", "tg", "en"))
    assert "Резолюция круглого стола" in ru and "Объединить ГВП в сети и кооперативы" in ru
    assert "Қатъномаи мизи мудаввар" in tg and "муттаҳид" in tg and "Мӯҳлат" in tg and "Масъул: АЖО" in tg
    assert "Resolution of the round table" in en and "networks and cooperatives" in en
    assert "Тайное предложение" not in ru and "Отброшенная идея" not in ru


def test_the_public_page_shows_agreed_recommendations_and_no_contacts(app, forum, client):
    table = _confirmed_table(forum)
    owner = _recommendations(forum, table)
    rec = recommendations.of_table(table)[0]
    recommendations.add_note(rec, date(2011, 7, 1), "Создана инициативная группа")
    db.session.commit()
    landing = client.get(f"/f/{forum.slug}/").get_data(as_text=True)
    assert f"/f/{forum.slug}/recommendations" in landing
    page = client.get(f"/f/{forum.slug}/recommendations").get_data(as_text=True)
    assert "Объединить ГВП в сети и кооперативы" in page and "Создана инициативная группа" in page
    assert "Принята" in page and "2011-12-31" in page
    assert "Тайное предложение" not in page and "Отброшенная идея" not in page
    for invitee in service.invitees(table):
        person = invitee.registration.person
        assert person.phone not in page and person.email not in page and person.full_name not in page
    assert owner.phone not in page


def test_an_invitee_sends_a_problem_and_the_organizer_groups_it_into_a_topic(app, forum, auth, client):
    table = make_round_table(forum, {"shg_leader": 1})
    [invitee] = invite_people(table, forum, "shg_leader", 1)
    token = invitee.registration.token
    page = client.get(f"/r/{token}").get_data(as_text=True)
    assert 'id="roundtable"' in page
    client.post(f"/r/{token}/roundtable/{invitee.id}/problems", data={"text": "Нет залога для кредита"})
    empty = client.post(f"/r/{token}/roundtable/{invitee.id}/problems", data={"text": "  "}, follow_redirects=True)
    assert "Опишите проблему." in empty.get_data(as_text=True)
    assert client.post(f"/r/wrong-token/roundtable/{invitee.id}/problems", data={"text": "x"}).status_code == 404
    [problem] = db.session.scalars(sa.select(Problem)).all()
    auth.login("organizer")
    url = f"/manage/{forum.slug}/roundtable/{table.item_id}/topics"
    client.post(url, data={"action": "topic", "title-ru": "Доступ к кредитам"})
    topic = service.topics(table)[0]
    client.post(url, data={"action": "group", "problem": problem.id, "topic": topic.id})
    db.session.expire_all()
    assert db.session.get(Problem, problem.id).topic_id == topic.id
    assert "Нет залога для кредита" in client.get(url).get_data(as_text=True)


def test_organizer_sets_up_invites_by_group_and_sees_the_list(app, forum, auth, client):
    from datetime import datetime

    from forum.agenda import service as agenda
    from tests.roundtable_fixtures import ZONE

    area = next(a for a in forum.areas if a.key == "round-table")
    item = agenda.create_item(forum, agenda.ItemData(kind="round_table", title={"ru": "Круглый стол"}, area_id=area.id,
                              starts_at=datetime(2011, 5, 5, 10, tzinfo=ZONE),
                              ends_at=datetime(2011, 5, 5, 11, tzinfo=ZONE))).item
    db.session.commit()
    guest = factories.make_registration(forum, factories.make_person("Саидов Фаррух"), category="government")
    auth.login("organizer")
    base = f"/manage/{forum.slug}/roundtable"
    refused = client.post(f"{base}/{item.id}/setup", data={"capacity": 2, "tables": 1, "seats_per_table": 4,
                                                          "quota_government": 3}, follow_redirects=True)
    assert "Сумма квот больше числа мест" in refused.get_data(as_text=True)
    client.post(f"{base}/{item.id}/setup", data={"capacity": 4, "tables": 1, "seats_per_table": 4,
                                                 "quota_government": 2})
    client.post(f"{base}/{item.id}/invite", data={"registration": [guest.id], "group": "", "channels": ["sms"]})
    client.post(f"{base}/{item.id}/invite-new", data={"full_name": "Karimov Jamshed", "phone": "92 555 12 34",
                                                      "language": "en", "organization_id": 0, "category": "international",
                                                      "group": "international", "channels": ["sms"]})
    page = client.get(f"{base}?item={item.id}").get_data(as_text=True)
    assert "Саидов Фаррух" in page and "Karimov Jamshed" in page and "Госструктуры" in page
    invitee = db.session.scalar(sa.select(Invitee).where(Invitee.registration_id == guest.id))
    client.post(f"{base}/{item.id}/answer/{invitee.id}", data={"answer": "accepted"})
    db.session.expire_all()
    assert db.session.get(Invitee, invitee.id).state == "confirmed"
    assert invitee.invitation.response_via == "phone"


def test_the_isfara_demo_has_a_round_table_with_every_group_and_recommendations(demo_app):
    from forum.events.models import Forum
    from forum.roundtable import demo as roundtable_demo

    isfara = db.session.scalar(sa.select(Forum).where(Forum.slug == "isfara-2011"))
    [table] = service.round_tables(isfara)
    states = {(i.group, i.state) for i in service.invitees(table)}
    for group in ("shg_leader", "coordinator", "mobilizer", "government", "international", "mfi"):
        assert (group, "confirmed") in states
    assert {s for _g, s in states} >= {"confirmed", "declined", "waitlisted"}
    assert all(i.table_no for i in service.invitees(table, state="confirmed"))
    recs = recommendations.of_table(table)
    assert any(r.text["ru"] == "Объединить ГВП в сети и кооперативы" and r.deadline for r in recs)
    assert {recommendations.owner_name(r) for r in recs} >= {"АЖО", "IMON International", "Хукумат Исфары"}
    roundtable_demo.load({"isfara-2011": isfara,
                          "b-gafurov-2011": db.session.scalar(sa.select(Forum).where(Forum.slug == "b-gafurov-2011"))})
    db.session.commit()  # loading the step again changes nothing
    assert len(service.round_tables(isfara)) == 1
