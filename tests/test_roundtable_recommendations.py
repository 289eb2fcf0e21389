"""The organizer records the round table's recommendations during the session, follows them up
with dated notes afterwards, and prints the resolution."""
from __future__ import annotations

from io import BytesIO

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from forum.extensions import db
from forum.roundtable import recommendations
from forum.roundtable.models import ProgressNote, Recommendation
from tests import factories
from tests.roundtable_fixtures import invite_people, make_round_table


@pytest.fixture
def table(app, forum):
    table = make_round_table(forum, {"shg_leader": 2})
    invite_people(table, forum, "shg_leader", 2)
    return table


def _url(table, rest: str = "") -> str:
    return f"/manage/isfara-test/roundtable/{table.item_id}/recommendations{rest}"


def _recs() -> list[Recommendation]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Recommendation).order_by(Recommendation.id)))


def test_organizer_records_a_recommendation_addressed_to_an_organization(client, auth, table):
    aws = factories.make_organization("Ассоциация Женщина и Общество", kind="ngo", short_name="АЖО")
    auth.login("organizer")
    page = client.get(_url(table)).get_data(as_text=True)
    assert "АЖО" in page  # organizations to address and to own it
    response = client.post(_url(table), data={
        "text-ru": "Объединить ГВП в кооперативы", "text-tg": "Гурӯҳҳоро муттаҳид кардан", "text-en": "",
        "topic_id": "0", "addressed_to_id": str(aws.id), "owner": f"o:{aws.id}", "deadline": "2011-12-31",
        "status": "agreed"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Рекомендация записана." in page and "Объединить ГВП в кооперативы" in page
    (rec,) = _recs()
    assert (rec.status, rec.addressed_to_id, rec.owner_organization_id, rec.owner_person_id) == \
        ("agreed", aws.id, aws.id, None)
    assert str(rec.deadline) == "2011-12-31" and rec.topic_id is None


def test_a_person_at_the_table_can_own_a_recommendation(client, auth, table):
    from forum.roundtable import service

    person = service.invitees(table)[0].registration.person
    auth.login("organizer")
    assert person.full_name in client.get(_url(table)).get_data(as_text=True)
    client.post(_url(table), data={"text-ru": "Обучать лидеров ГВП", "owner": f"p:{person.id}", "status": "proposed",
                                   "topic_id": "0", "addressed_to_id": "0"})
    (rec,) = _recs()
    assert (rec.owner_person_id, rec.owner_organization_id) == (person.id, None)


def test_a_recommendation_without_text_or_with_a_bad_choice_is_refused(client, auth, table):
    auth.login("organizer")
    page = client.post(_url(table), data={"text-ru": " ", "status": "proposed", "topic_id": "0",
                                          "addressed_to_id": "0", "owner": ""}, follow_redirects=True)
    assert "Напишите рекомендацию хотя бы на одном языке." in page.get_data(as_text=True)
    page = client.post(_url(table), data={"text-ru": "Текст", "status": "forgotten", "topic_id": "0",
                                          "addressed_to_id": "0", "owner": ""})
    assert "Пожалуйста, исправьте отмеченные поля." in page.get_data(as_text=True)
    assert _recs() == []


def test_the_follow_up_changes_the_status_and_adds_dated_notes(client, auth, table):
    aws = factories.make_organization("Джовид", kind="ngo")
    rec = recommendations.save(table, recommendations.RecommendationData(
        text={"ru": "Открыть курсы бухгалтерии"}, status="agreed", owner_organization_id=aws.id))
    db.session.commit()
    auth.login("organizer")
    url = _url(table, f"/{rec.id}")
    page = client.get(url).get_data(as_text=True)
    assert "Открыть курсы бухгалтерии" in page and f'selected value="o:{aws.id}"' in page
    page = client.post(url, data={"text-ru": "Открыть курсы бухгалтерии", "status": "in_progress", "topic_id": "0",
                                  "addressed_to_id": "0", "owner": f"o:{aws.id}"}, follow_redirects=True)
    assert "Сохранено." in page.get_data(as_text=True) and _recs()[0].status == "in_progress"
    page = client.post(url, data={"action": "note", "note-noted_on": "2011-07-01",
                                  "note-text": "Первая группа начала занятия"}, follow_redirects=True)
    assert "Первая группа начала занятия" in page.get_data(as_text=True)
    page = client.post(url, data={"action": "note", "note-noted_on": "2011-07-02", "note-text": ""},
                       follow_redirects=True)
    assert "Напишите, что сделано." in page.get_data(as_text=True)
    assert [n.text for n in db.session.scalars(sa.select(ProgressNote))] == ["Первая группа начала занятия"]
    page = client.post(url, data={"text-ru": "", "status": "nonsense", "topic_id": "0", "addressed_to_id": "0",
                                  "owner": ""})
    assert "Пожалуйста, исправьте отмеченные поля." in page.get_data(as_text=True)
    assert _recs()[0].text["ru"] == "Открыть курсы бухгалтерии"


def test_another_tables_recommendation_is_not_found(client, auth, forum, table):
    rec = recommendations.save(table, recommendations.RecommendationData(text={"ru": "Своя"}, status="proposed"))
    db.session.commit()
    other = make_round_table(factories.make_forum(slug="b-gafurov-test"), {"shg_leader": 1})
    auth.login("organizer")
    response = client.get(f"/manage/b-gafurov-test/roundtable/{other.item_id}/recommendations/{rec.id}")
    assert response.status_code == 404
    assert client.get(_url(table, "/999999")).status_code == 404


def test_the_resolution_falls_back_to_russian_for_an_unknown_language(client, auth, table):
    recommendations.save(table, recommendations.RecommendationData(text={"ru": "Создать сеть ГВП"}, status="agreed"))
    db.session.commit()
    auth.login("organizer")
    response = client.get(f"/manage/isfara-test/roundtable/{table.item_id}/resolution.pdf?lang=fr")
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(response.data)).pages)
    assert response.mimetype == "application/pdf" and "Резолюция круглого стола" in text and "Создать сеть ГВП" in text


def test_only_organizers_see_the_recommendations(client, auth, table):
    auth.login("staff")
    assert client.get(_url(table)).status_code == 403
    assert client.get(f"/manage/isfara-test/roundtable/{table.item_id}/resolution.pdf").status_code == 403
