"""Creating and changing registrations through the partners' API, by the import's rules."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from forum.extensions import db
from forum.people.models import Person, Registration
from tests import factories
from tests.api_fixtures import bearer
from tests.people_fixtures import places_fixture  # noqa: F401

pytestmark = pytest.mark.both_dbs
URL = "/api/v1/forums/isfara-test/registrations"


def test_a_partner_registers_a_person_with_words_of_the_import(client, forum, places):
    answer = client.post(URL, headers=bearer(), json={
        "full_name": "Каримова  Мавлуда", "phone": "92 770 18 06", "organization": "ГВП «Бахор»",
        "organization_kind": "shg", "district": "Исфара", "jamoat": "Чоркӯҳ", "category": "Член ГВП", "consent": True})
    assert answer.status_code == 201, answer.json
    body = answer.json
    assert body["name"] == "Каримова Мавлуда" and body["category"] == "shg_member" and body["status"] == "confirmed"
    assert body["phone"] == "+992927701806" and body["consent"] is True
    assert body["organization"]["name"] == "ГВП «Бахор»" and body["organization"]["kind"] == "shg"
    assert answer.headers["Location"].endswith(f"/registrations/{body['id']}")
    assert client.get(answer.headers["Location"], headers=bearer("staff")).json["name"] == "Каримова Мавлуда"
    registration = db.session.get(Registration, body["id"])
    assert registration.person.jamoat.key == "chorkuh" and registration.badge_secret


def test_a_known_phone_is_the_known_person_completed_not_overwritten(client, forum):
    person = factories.make_person("Раҳимова Гулнора", phone="+992927701806", email=None)
    answer = client.post(URL, headers=bearer(), json={
        "full_name": "Гулнора Р.", "phone": "0927701806", "email": "gulnora@example.org", "category": "shg_leader"})
    assert answer.status_code == 201
    assert answer.json["name"] == "Раҳимова Гулнора"
    assert any("Раҳимова Гулнора" in note for note in answer.json["notes"])
    db.session.refresh(person)
    assert person.email == "gulnora@example.org"
    assert db.session.scalar(sa.select(sa.func.count(Person.id))) == 1


def test_a_person_registered_twice_is_a_409_and_changes_nothing(client, forum):
    registration = factories.make_registration(forum, factories.make_person(phone="+992927701806"))
    answer = client.post(URL, headers=bearer(), json={"full_name": "Кто-то", "phone": "+992 92 770 18 06",
                                                      "category": "guest"})
    assert answer.status_code == 409
    assert answer.json["error"]["code"] == "duplicate"
    assert registration.person.full_name in answer.json["error"]["message"]
    assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 1


def test_bad_values_are_one_400_naming_each_field_in_the_requests_language(client, forum):
    headers = {**bearer(), "Accept-Language": "ru"}
    answer = client.post(URL, headers=headers, json={"full_name": "К", "phone": "123", "email": "nope",
                                                     "category": "boss", "language": "fr"})
    assert answer.status_code == 400
    error = answer.json["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"full_name", "phone", "email", "category", "language"}
    assert "Неизвестная категория" in error["fields"]["category"]
    assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 0


@pytest.mark.parametrize("body, field", [
    ({"full_name": "Каримова Мавлуда", "category": "guest", "age": "12"}, "age"),
    ({"full_name": 5, "category": "guest"}, "full_name"),
    ({"full_name": "Каримова Мавлуда", "category": "guest", "consent": "yes"}, "consent"),
])
def test_unknown_fields_and_wrong_types_are_refused(client, forum, body, field):
    answer = client.post(URL, headers=bearer(), json=body)
    assert answer.status_code == 400 and field in answer.json["error"]["fields"]
    assert client.post(URL, headers=bearer(), data="[1]", content_type="application/json").json["error"]["code"] \
        == "invalid_json"


def test_patch_changes_only_what_is_sent(client, forum, places):
    registration = factories.make_registration(forum, factories.make_person("Саидова Фируза", phone="+992927701806"))
    url = f"{URL}/{registration.id}"
    answer = client.patch(url, headers=bearer(), json={"status": "отменена", "district": "ghonchi", "consent": True})
    assert answer.status_code == 200, answer.json
    assert answer.json["status"] == "cancelled" and answer.json["district"] == "Ghonchi"
    assert answer.json["category"] == "shg_member" and answer.json["phone"] == "+992927701806"
    bad = client.patch(url, headers=bearer(), json={"jamoat": "chorkuh"})
    assert bad.status_code == 400 and "jamoat" in bad.json["error"]["fields"]


def test_patch_to_someone_elses_phone_is_a_409(client, forum):
    factories.make_person("Раҳимова Гулнора", phone="+992927701806")
    registration = factories.make_registration(forum, factories.make_person("Саидова Фируза", phone="+992927701807"))
    answer = client.patch(f"{URL}/{registration.id}", headers=bearer(), json={"phone": "927701806"})
    assert answer.status_code == 409 and answer.json["error"]["code"] == "phone_taken"
    db.session.refresh(registration.person)
    assert registration.person.phone == "+992927701807"


def test_registration_of_another_forum_is_not_found(client, forum):
    other = factories.make_registration(factories.make_forum())
    assert client.patch(f"{URL}/{other.id}", headers=bearer(), json={}).status_code == 404
    assert client.get(f"{URL}/{other.id}", headers=bearer("staff")).status_code == 404


def test_only_organizers_write(client, forum):
    registration = factories.make_registration(forum)
    for role in ("staff", "employer", "jury"):
        assert client.post(URL, headers=bearer(role), json={}).status_code == 403
        assert client.patch(f"{URL}/{registration.id}", headers=bearer(role), json={}).status_code == 403
    assert client.post(URL, json={}).status_code == 401
