"""Roles are per forum: staff of Isfara get 403 at B. Gafurov's scanner, a jury member sees
only their forum's drawings, an API token acts with its user's forums; administrators have
them all. The walkers below ask every route that names a forum."""
from datetime import UTC, datetime, timedelta

import pytest
from werkzeug.routing import IntegerConverter

from forum import clock
from forum.auth.access import PUBLIC
from forum.auth.service import create_token
from forum.extensions import db
from tests.factories import make_forum, make_user
from tests.test_auth_access import _protected_rules

pytestmark = pytest.mark.both_dbs

ROLES_AT_A_FORUM = ["organizer", "staff", "jury"]


def _forum_rules(app, api: bool):
    for rule in _protected_rules(app):
        if "slug" in rule.arguments and rule.rule.startswith("/api/") == api:
            yield rule, app.view_functions[rule.endpoint].access


def _url(rule, slug: str) -> str:
    values = {name: slug if name == "slug" else (1 if isinstance(conv, IntegerConverter) else "x")
              for name, conv in rule._converters.items()}
    return rule.build(values, append_unknown=False)[1]


def _method(rule) -> str:
    return "GET" if "GET" in rule.methods else sorted(rule.methods - {"OPTIONS", "HEAD"})[0]


@pytest.fixture
def other(forum):
    """B. Gafurov's forum, whose team is nobody of the test's users."""
    return make_forum(slug="b-gafurov-test", team=[])


@pytest.mark.parametrize("role", ROLES_AT_A_FORUM)
def test_every_forum_page_refuses_a_user_of_another_forum(app, client, auth, forum, other, role):
    auth.login(role, forums=[forum])
    checked = 0
    for rule, access in _forum_rules(app, api=False):
        if role not in access:
            continue  # refused to this role everywhere (tests/test_auth_access.py)
        response = client.open(_url(rule, other.slug), method=_method(rule))
        assert response.status_code == 403, (rule.rule, role, response.status_code)
        if _method(rule) == "GET":  # and the same page of their own forum lets them in
            at_home = client.get(_url(rule, forum.slug))
            assert at_home.status_code not in (403, 500), (rule.rule, role, at_home.status_code)
        checked += 1
    assert checked >= (40 if role == "organizer" else 3)


@pytest.mark.parametrize("role", ["organizer", "staff"])
def test_every_forum_api_route_refuses_a_token_of_another_forums_user(app, client, forum, other, role):
    user = make_user(role, forums=[forum])
    _token, plain = create_token(user, name="door phone")
    db.session.commit()
    headers = {"Authorization": f"Bearer {plain}"}
    checked = 0
    for rule, access in _forum_rules(app, api=True):
        if role not in access:
            continue
        response = client.open(_url(rule, other.slug), method=_method(rule), headers=headers, json={})
        assert response.status_code == 403, (rule.rule, role, response.status_code)
        assert response.json["error"]["code"] == "forbidden"
        if _method(rule) == "GET":
            at_home = client.get(_url(rule, forum.slug), headers=headers)
            assert at_home.status_code not in (403, 500), (rule.rule, role, at_home.status_code)
        checked += 1
    assert checked >= 5


def test_staff_of_isfara_cannot_scan_at_b_gafurov(client, auth, forum, other):
    auth.login("staff", forums=[forum])
    assert client.get(f"/checkin/{forum.slug}").status_code == 200
    assert client.get(f"/checkin/{other.slug}").status_code == 403
    choose = client.get("/checkin/").get_data(as_text=True)
    assert f"/checkin/{forum.slug}" in choose and f"/checkin/{other.slug}" not in choose


def test_jury_sees_only_their_forums_drawings(client, auth, forum, other):
    auth.login("jury", forums=[other])
    assert client.get(f"/jury/{forum.slug}/drawings").status_code == 403
    assert client.get(f"/jury/{other.slug}/drawings").status_code == 200


def test_organizer_lists_only_their_forums_and_the_administrator_all(client, auth, forum, other):
    auth.login("organizer", forums=[forum])
    page = client.get("/manage/").get_data(as_text=True)
    assert f"/manage/{forum.slug}/" in page and f"/manage/{other.slug}/" not in page
    client.post("/auth/logout")
    auth.login("admin")
    page = client.get("/manage/").get_data(as_text=True)
    assert f"/manage/{forum.slug}/" in page and f"/manage/{other.slug}/" in page
    assert client.get(f"/manage/{other.slug}/team").status_code == 200
    assert client.get(f"/checkin/{other.slug}").status_code == 200


def test_api_lists_the_tokens_users_forums(client, forum, other):
    user = make_user("staff", forums=[other])
    _token, plain = create_token(user)
    db.session.commit()
    answer = client.get("/api/v1/forums", headers={"Authorization": f"Bearer {plain}"})
    assert [f["slug"] for f in answer.json] == [other.slug]
    refused = client.get(f"/api/v1/forums/{forum.slug}/checkpoints", headers={"Authorization": f"Bearer {plain}"})
    assert refused.status_code == 403


def test_contacts_follow_the_role_at_the_forum_asked(client, forum, other):
    """Staff of A and organizer of B: phone numbers at B only, not at A."""
    from forum.auth.service import set_member
    from tests.factories import make_registration

    user = make_user("staff", forums=[forum])
    set_member(user, other, "organizer")
    for where in (forum, other):
        make_registration(where).consent_at = where.starts_at
    _token, plain = create_token(user)
    db.session.commit()
    headers = {"Authorization": f"Bearer {plain}"}
    at_a = client.get(f"/api/v1/forums/{forum.slug}/registrations", headers=headers).json["registrations"]
    at_b = client.get(f"/api/v1/forums/{other.slug}/registrations", headers=headers).json["registrations"]
    assert at_a and all("phone" not in row for row in at_a)
    assert at_b and all(row["phone"] for row in at_b)


def test_a_draft_is_shown_to_its_team_only(client, auth, forum):
    draft = make_forum(slug="draft-test", status="draft", team=[])
    auth.login("organizer", forums=[forum])
    assert client.get(f"/f/{draft.slug}/").status_code == 404
    assert client.get(f"/f/{forum.slug}/").status_code == 200


def test_creating_a_forum_makes_its_creator_organizer(client, auth, forum):
    user = auth.login("organizer", forums=[])
    assert client.get("/manage/new").status_code == 200
    assert user.memberships == []
    assert client.get(f"/manage/{forum.slug}/").status_code == 403


@pytest.mark.parametrize("path", ["/admin/users"])
@pytest.mark.parametrize("role", ROLES_AT_A_FORUM)
def test_only_administrators_manage_users(client, auth, forum, role, path):
    auth.login(role)
    assert client.get(path).status_code == 403


def test_a_set_password_link_expires(app, forum):
    from forum.auth import links

    user = make_user("staff", forums=[forum])
    moment = datetime(2026, 12, 1, 9, tzinfo=UTC)
    with clock.at(moment):
        token = links.password_link_token(user)
    with clock.at(moment + timedelta(days=links.LINK_DAYS) - timedelta(minutes=1)):
        assert links.user_for_link(token) == user
    with clock.at(moment + timedelta(days=links.LINK_DAYS, minutes=1)):
        assert links.user_for_link(token) is None


def test_views_without_a_forum_are_public_or_declared(app):
    for endpoint, view in app.view_functions.items():
        assert endpoint == "static" or view.access == PUBLIC or view.access


def test_an_organizer_hands_out_tokens_of_their_own_forums_team_only(client, auth, forum, other):
    theirs = make_user("staff", email="door-b@forum.example", forums=[other])
    ours = make_user("staff", email="door-a@forum.example", forums=[forum])
    token, _plain = create_token(theirs, name="B's phone")
    db.session.commit()
    auth.login("organizer", forums=[forum])
    page = client.get("/manage/tokens/").get_data(as_text=True)
    assert ours.email in page and theirs.email not in page and "B's phone" not in page
    answer = client.post("/manage/tokens/", data={"user_id": theirs.id, "name": "x"})
    assert "data-token>" not in answer.get_data(as_text=True)
    assert client.post(f"/manage/tokens/{token.id}/revoke").status_code == 404
