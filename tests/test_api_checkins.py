"""POST /api/v1/forums/<slug>/checkins with a staff API token, its errors, and the OpenAPI
document at /api/v1/openapi.json."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from forum.checkin.models import Checkin
from forum.extensions import db
from tests import factories
from tests.checkin_fixtures import api_token, arrivals, make_checkpoint

URL = "/api/v1/forums/isfara-test/checkins"


def _post(client, token, body, **headers):
    return client.post(URL, json=body, headers={"Authorization": f"Bearer {token}", **headers})


def test_staff_token_checks_a_badge_in_and_gets_the_person(client, forum):
    make_checkpoint(forum, "entrance", name="Главный вход")
    org = factories.make_organization("ГВП «Умед», Чоркӯҳ")
    person = factories.make_person("Раҳимова Гулнора", organization=org, phone="+992927701899")
    registration = factories.make_registration(forum, person, category="shg_leader")
    _user, token = api_token("staff")
    response = _post(client, token, {"secret": registration.badge_secret, "checkpoint": "entrance", "nonce": "nonce-0001"},
                     **{"Accept-Language": "ru"})
    assert response.status_code == 200
    body = response.json
    assert body["status"] == "ok"
    assert body["registration"]["name"] == "Раҳимова Гулнора"
    assert body["registration"]["organization"] == "ГВП «Умед», Чоркӯҳ"
    assert body["registration"]["category"] == "shg_leader"
    assert body["registration"]["category_label"] == "Лидер ГВП"
    assert "927701899" not in response.get_data(as_text=True)  # no phone in API answers


def test_second_scan_says_when_where_and_by_whom(client, forum):
    make_checkpoint(forum, "entrance", name="Главный вход")
    registration = factories.make_registration(forum)
    factories.make_user("staff")
    staff, token = api_token("staff")
    staff.name = "Дежурная Мавзуна"
    db.session.commit()
    _post(client, token, {"secret": registration.badge_secret, "checkpoint": "entrance", "nonce": "nonce-0001"})
    again = _post(client, token, {"secret": registration.badge_secret, "checkpoint": "entrance", "nonce": "nonce-0002"},
                  **{"Accept-Language": "ru"}).json
    assert again["status"] == "already_checked_in"
    assert again["first"]["by"] == "Дежурная Мавзуна"
    assert again["first"]["checkpoint"]["name"] == "Главный вход"
    assert again["first"]["at_local"] in again["message"]


def test_repeated_nonce_gets_the_first_answer_and_creates_nothing(client, forum):
    make_checkpoint(forum, "entrance")
    registration = factories.make_registration(forum)
    _user, token = api_token("organizer")
    body = {"secret": registration.badge_secret, "checkpoint": "entrance", "nonce": "retry-after-timeout"}
    first, retry = _post(client, token, body).json, _post(client, token, body).json
    assert first == retry and first["status"] == "ok"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Checkin)) == 1


@pytest.mark.parametrize("headers, status, code", [
    ({}, 401, "unauthorized"),
    ({"Authorization": "Bearer fm_not-a-real-token"}, 401, "unauthorized"),
    ({"Authorization": "Basic c3RhZmY6ZG9vcg=="}, 401, "unauthorized"),
])
def test_without_a_valid_token_nothing_is_recorded(client, forum, headers, status, code):
    make_checkpoint(forum, "entrance")
    registration = factories.make_registration(forum)
    response = client.post(URL, json={"secret": registration.badge_secret, "checkpoint": "entrance", "nonce": "n-123456"},
                           headers=headers)
    assert response.status_code == status and response.json["error"]["code"] == code
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Checkin)) == 0


@pytest.mark.parametrize("role", ["employer", "jury"])
def test_other_roles_tokens_may_not_check_in(client, forum, role):
    make_checkpoint(forum, "entrance")
    _user, token = api_token(role)
    response = _post(client, token, {"secret": "X" * 27, "checkpoint": "entrance", "nonce": "n-123456"})
    assert response.status_code == 403 and response.json["error"]["code"] == "forbidden"


def test_revoked_token_is_refused(client, forum):
    from forum.auth.models import ApiToken
    from forum.auth.service import revoke_token

    _user, token = api_token("staff")
    revoke_token(db.session.scalar(sa.select(ApiToken)))
    db.session.commit()
    assert _post(client, token, {}).status_code == 401


@pytest.mark.parametrize("body, code, field", [
    ("not json", "invalid_json", None),
    ([1, 2], "invalid_json", None),
    ({"checkpoint": "entrance", "nonce": "n-123456"}, "invalid", "secret"),
    ({"secret": "ABC", "nonce": "n-123456"}, "invalid", "checkpoint"),
    ({"secret": 12345, "checkpoint": "entrance", "nonce": "n-123456"}, "invalid", "secret"),
    ({"secret": "ABC", "checkpoint": "entrance"}, "invalid", "nonce"),
    ({"secret": "ABC", "checkpoint": "entrance", "nonce": "short"}, "nonce", None),
    ({"secret": "ABC", "checkpoint": "back-door", "nonce": "n-123456"}, "checkpoint", None),
])
def test_bad_requests_get_a_json_error_and_record_nothing(client, forum, body, code, field):
    make_checkpoint(forum, "entrance")
    _user, token = api_token("staff")
    if isinstance(body, str):
        response = client.post(URL, data=body, headers={"Authorization": f"Bearer {token}",
                                                        "Content-Type": "application/json"})
    else:
        response = _post(client, token, body)
    assert response.status_code == 400
    assert response.json["error"]["code"] == code
    assert response.json["error"]["message"]
    if field:
        assert field in response.json["error"]["fields"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Checkin)) == 0


def test_unknown_forum_is_a_json_404(client, forum):
    _user, token = api_token("staff")
    response = client.post("/api/v1/forums/no-such-forum/checkins", json={}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"


def test_error_messages_come_in_tajik(client, forum):
    _user, token = api_token("staff")
    response = _post(client, token, [1], **{"Accept-Language": "tg"})
    assert response.json["error"]["message"] == "Дархост бояд объекти JSON бошад."


def test_checkpoints_list_for_scanner_apps(client, forum):
    make_checkpoint(forum, "entrance", name="Главный вход")
    make_checkpoint(forum, "closed", active=False)
    _user, token = api_token("staff")
    response = client.get("/api/v1/forums/isfara-test/checkpoints", headers={"Authorization": f"Bearer {token}"})
    assert [c["key"] for c in response.json] == ["entrance"]


def test_api_scan_is_logged_with_device_and_staff_user(client, forum):
    make_checkpoint(forum, "entrance")
    registration = factories.make_registration(forum)
    user, token = api_token("staff")
    _post(client, token, {"secret": registration.badge_secret, "checkpoint": "entrance", "nonce": "n-123456",
                          "device": "door phone 3"})
    logged = db.session.scalar(sa.select(Checkin))
    assert (logged.device, logged.user_id, logged.method) == ("door phone 3", user.id, "api")
    assert arrivals(registration) == 1
