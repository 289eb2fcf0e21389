"""The API answers errors as its OpenAPI document says: the documented codes (not_found, not
http_404), an Allow header on 405, and a clear 400 for a filter value it does not know."""
from __future__ import annotations

import pytest

from forum.api import openapi
from tests.jobfair_fixtures import job_fair, make_employer, make_vacancy, quick_hashes  # noqa: F401

pytestmark = pytest.mark.both_dbs


def test_http_errors_carry_the_documented_codes(client):
    missing = client.get("/api/v1/no-such-thing")
    assert missing.status_code == 404 and missing.json["error"]["code"] == "not_found"
    documented = openapi.document()["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]
    for code in ("not_found", "method_not_allowed", "unauthorized", "invalid"):
        assert code in documented["description"]


def test_a_wrong_method_answers_405_with_allow(client):
    response = client.post("/api/v1/me")
    assert response.status_code == 405 and response.json["error"]["code"] == "method_not_allowed"
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD"}
    page = client.delete("/auth/login")  # a page too: HTTP wants Allow on every 405
    assert page.status_code == 405 and "POST" in page.headers["Allow"]


def test_a_bad_filter_value_is_refused_not_ignored(client, forum):
    make_vacancy(make_employer(forum), forum, location="tajikistan")
    url = "/api/v1/forums/isfara-test/vacancies"
    assert client.get(f"{url}?location=tajikistan").json["count"] == 1
    for query, field in (("location=mars", "location"), ("sector=piracy", "sector"), ("language=xx", "language"),
                         ("currency=BTC", "currency"), ("currency=TJS&min_wage=lots", "min_wage"),
                         ("currency=TJS&min_wage=-5", "min_wage"), ("min_wage=1000", "min_wage")):
        response = client.get(f"{url}?{query}", headers={"Accept-Language": "en"})
        assert response.status_code == 400, query
        error = response.json["error"]
        assert error["code"] == "invalid" and list(error["fields"]) == [field], query
    russian = client.get(f"{url}?location=mars", headers={"Accept-Language": "ru"}).json["error"]
    assert russian["fields"]["location"] == "Выберите одно из: tajikistan, abroad."
    assert client.get(f"{url}?currency=TJS&min_wage=1000").status_code == 200


def test_an_id_too_large_for_the_database_is_a_client_error_not_a_500(client, forum):
    """Found by schemathesis on PostgreSQL: organization=3274292505 reached an INTEGER column
    and the database refused to compare it ("integer out of range")."""
    from tests.checkin_fixtures import api_token

    _user, token = api_token("organizer")
    headers = {"Authorization": f"Bearer {token}"}
    url = "/api/v1/forums/isfara-test/registrations"
    for query, field in (("organization=3274292505", "organization"), ("cursor=99999999999", "cursor")):
        response = client.get(f"{url}?{query}", headers=headers)
        assert response.status_code == 400 and list(response.json["error"]["fields"]) == [field], query
    assert client.get(f"{url}?organization=2147483647", headers=headers).json["registrations"] == []
    # a path id: no row of ours can have it, so the route does not match at all
    assert client.get(f"{url}/3274292505", headers=headers).status_code == 404
    assert client.get("/manage/isfara-test/registrations/3274292505").status_code == 404
