"""The partners' read API: a forum with its areas, the agenda, registrations page by page with
filters, arrivals and organizations; personal data by the token's role and consent."""
from __future__ import annotations

from datetime import timedelta

import pytest

from forum.db import utcnow
from forum.extensions import db
from tests import factories
from tests.api_fixtures import agenda_items, bearer, people

pytestmark = pytest.mark.both_dbs


def test_forum_with_its_areas(client, forum):
    answer = client.get("/api/v1/forums/isfara-test", headers=bearer("staff"))
    assert answer.status_code == 200
    body = answer.json
    assert body["slug"] == "isfara-test" and body["timezone"] == "Asia/Dushanbe"
    assert [a["key"] for a in body["areas"]] == ["main-stage", "round-table"]
    assert body["areas"][0]["capacity"] == 50
    assert client.get("/api/v1/forums/nowhere", headers=bearer("staff")).status_code == 404


def test_agenda_in_utc_and_local_time_with_hosts(client, forum):
    agenda_items(forum)
    items = client.get("/api/v1/forums/isfara-test/agenda", headers=bearer("organizer")).json
    opening = next(i for i in items if i["kind"] == "opening")
    assert opening["title"] == "Opening"
    assert opening["starts_at"] == "2011-05-05T04:00:00Z"
    assert opening["starts_local"] == "2011-05-05T09:00:00+05:00"
    assert opening["ends_local"] == "2011-05-05T09:45:00+05:00"
    assert opening["area"]["key"] == "main-stage"
    assert opening["hosts"] == [{"name": "АЖО", "type": "organization"}]
    assert {i["title"] for i in items} == {"Opening", "Staff briefing"}


def test_internal_items_only_for_organizers(client, forum):
    agenda_items(forum)
    items = client.get("/api/v1/forums/isfara-test/agenda", headers=bearer("staff")).json
    assert [i["title"] for i in items] == ["Opening"]
    assert client.get("/api/v1/forums/isfara-test/agenda?kind=party", headers=bearer("staff")).status_code == 400


def test_registrations_hide_phones_from_staff(client, forum):
    found = people(forum)
    body = client.get("/api/v1/forums/isfara-test/registrations", headers=bearer("staff")).json
    names = {r["name"]: r for r in body["registrations"]}
    assert set(names) == {"Раҳимова Гулнора", "Саидова Фируза", "Давронов Даврон"}
    text = str(body)
    assert found["gulnora"].person.phone not in text and "phone" not in text and "email" not in text
    assert names["Раҳимова Гулнора"]["arrived"] is True
    assert names["Раҳимова Гулнора"]["organization"]["name"] == "ГВП «Гулистон»"


def test_organizers_see_phones_of_those_who_consented(client, forum):
    found = people(forum)
    body = client.get("/api/v1/forums/isfara-test/registrations", headers=bearer("organizer")).json
    names = {r["name"]: r for r in body["registrations"]}
    assert names["Раҳимова Гулнора"]["phone"] == found["gulnora"].person.phone
    assert names["Раҳимова Гулнора"]["consent"] is True
    assert names["Саидова Фируза"]["phone"] is None and names["Саидова Фируза"]["consent"] is False


def test_registration_filters(client, forum):
    found = people(forum)
    url, headers = "/api/v1/forums/isfara-test/registrations", bearer("staff")

    def names(query: str) -> set[str]:
        answer = client.get(f"{url}?{query}", headers=headers)
        assert answer.status_code == 200, answer.json
        return {r["name"] for r in answer.json["registrations"]}

    assert names("category=government") == {"Давронов Даврон"}
    assert names("status=cancelled") == {"Давронов Даврон"}
    assert names(f"organization={found['shg'].id}") == {"Раҳимова Гулнора", "Саидова Фируза"}
    assert names("arrived=true") == {"Раҳимова Гулнора"}
    assert names("arrived=false") == {"Саидова Фируза", "Давронов Даврон"}
    later = utcnow() + timedelta(seconds=1)
    assert names(f"changed_since={later.isoformat().replace('+00:00', 'Z')}") == set()
    found["firuza"].status = "declined"
    db.session.commit()
    assert names(f"changed_since={(later - timedelta(seconds=1)).isoformat().replace('+00:00', 'Z')}") >= {"Саидова Фируза"}


@pytest.mark.parametrize("query, field", [
    ("category=boss", "category"), ("status=maybe", "status"), ("organization=x", "organization"),
    ("arrived=yes", "arrived"), ("changed_since=yesterday", "changed_since"),
    ("changed_since=2011-05-05T09:00:00", "changed_since"), ("limit=0", "limit"), ("limit=201", "limit"),
    ("cursor=nonsense", "cursor"),
])
def test_a_wrong_filter_is_a_400_naming_it(client, forum, query, field):
    answer = client.get(f"/api/v1/forums/isfara-test/registrations?{query}", headers=bearer("staff"))
    assert answer.status_code == 400
    assert answer.json["error"]["code"] == "invalid"
    assert list(answer.json["error"]["fields"]) == [field]


def test_cursor_pages_cover_everyone_once(client, forum):
    for _ in range(7):
        factories.make_registration(forum)
    headers, url, seen, pages = bearer("staff"), "/api/v1/forums/isfara-test/registrations?limit=3", [], 0
    while url:
        body = client.get(url, headers=headers).json
        seen += [r["id"] for r in body["registrations"]]
        url, pages = body["next"], pages + 1
        assert url is None or url.startswith("/api/v1/forums/isfara-test/registrations?")
    assert pages == 3 and len(seen) == 7 and seen == sorted(set(seen))


def test_arrivals_since_and_counts(client, forum):
    people(forum)
    headers = bearer("staff")
    body = client.get("/api/v1/forums/isfara-test/checkins", headers=headers).json
    assert [(c["registration"]["name"], c["checkpoint"], c["entry"]) for c in body["checkins"]] == [
        ("Раҳимова Гулнора", "entrance", "first")]
    assert body["checkins"][0]["at_local"].endswith("+05:00")
    later = (utcnow() + timedelta(minutes=1)).isoformat()
    assert client.get("/api/v1/forums/isfara-test/checkins", query_string={"since": later},
                      headers=headers).json["checkins"] == []
    counts = client.get("/api/v1/forums/isfara-test/checkins/counts", headers=headers).json
    assert counts["arrived"] == 1
    assert counts["checkpoints"][0]["key"] == "entrance" and counts["checkpoints"][0]["arrived"] == 1


def test_organizations_of_the_forum(client, forum):
    people(forum)
    factories.make_organization("Нигде не участвует")
    orgs = client.get("/api/v1/forums/isfara-test/organizations", headers=bearer("staff")).json
    assert [(o["name"], o["registrations"]) for o in orgs] == [("ГВП «Гулистон»", 2)]
    assert "phone" not in orgs[0]
    assert "phone" in client.get("/api/v1/forums/isfara-test/organizations", headers=bearer("organizer")).json[0]


@pytest.mark.parametrize("path", ["", "/agenda", "/registrations", "/checkins", "/checkins/counts", "/organizations"])
def test_only_staff_and_organizers_read(client, forum, path):
    url = f"/api/v1/forums/isfara-test{path}"
    assert client.get(url).status_code == 401
    for role in ("employer", "jury"):
        answer = client.get(url, headers=bearer(role))
        assert answer.status_code == 403 and answer.json["error"]["code"] == "forbidden"
    assert client.get(url, headers=bearer("staff")).status_code == 200


def test_a_misspelt_filter_is_refused_not_ignored(client, forum):
    answer = client.get("/api/v1/forums/isfara-test/registrations?categry=guest", headers=bearer("staff"))
    assert answer.status_code == 400 and list(answer.json["error"]["fields"]) == ["categry"]
    assert client.get("/api/v1/me?x=1", headers=bearer("staff")).status_code == 400
