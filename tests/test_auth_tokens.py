"""API tokens are listed and revoked by organizers (page and `flask forum token`), and a
revoked token gets 401 at once."""
from __future__ import annotations

import re
from html import unescape

import pytest

from forum.auth.models import ApiToken
from forum.extensions import db
from tests.checkin_fixtures import api_token
from tests.jobfair_fixtures import new_locale

FORUM_EN = ["forum", "--lang", "en"]  # these tests read the command line in English


pytestmark = pytest.mark.both_dbs


def _me(client, plain: str) -> int:
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code


def test_organizer_creates_a_token_sees_it_once_and_revokes_it(client, auth, forum):
    staff, _old = api_token("staff", email="door@forum.example")
    auth.login("organizer")
    page = client.get("/manage/tokens/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "door@forum.example" in page and "data-confirm=" in page
    for script in re.findall(r'<script src="([^"]+)"', page):  # page.js asks for the confirmation
        assert client.get(script).status_code == 200, script

    answer = client.post("/manage/tokens/", data={"user_id": staff.id, "name": "door phone 3"},
                         headers={"Accept-Language": "en"})
    plain = re.search(r"<code data-token>([^<]+)</code>", answer.get_data(as_text=True)).group(1)
    assert _me(client, plain) == 200
    assert plain not in client.get("/manage/tokens/").get_data(as_text=True)  # shown once

    token = db.session.query(ApiToken).filter_by(name="door phone 3").one()
    assert token.forum is None and token.read_only is False
    revoked = client.post(f"/manage/tokens/{token.id}/revoke", headers={"Accept-Language": "ru"},
                          follow_redirects=True)
    assert "отозван" in unescape(revoked.get_data(as_text=True))
    assert _me(client, plain) == 401
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).json["error"]["code"] == "unauthorized"


def test_a_token_is_made_only_for_a_staff_or_organizer_account(client, auth):
    auth.login("organizer")
    from tests.factories import make_user

    jury = make_user("jury", email="jury@forum.example")
    answer = client.post("/manage/tokens/", data={"user_id": jury.id, "name": "x"}, headers={"Accept-Language": "en"})
    assert answer.status_code == 200 and "data-token" not in answer.get_data(as_text=True)
    assert db.session.query(ApiToken).count() == 0


def test_cli_lists_and_revokes_tokens(runner, client):
    user, plain = api_token("staff", email="door@forum.example")
    token = db.session.query(ApiToken).one()
    listing = runner.invoke(args=[*FORUM_EN, "token", "list"])
    assert listing.exit_code == 0 and "door@forum.example" in listing.output and "active" in listing.output
    assert plain not in listing.output

    result = runner.invoke(args=[*FORUM_EN, "token", "revoke", str(token.id)])
    assert result.exit_code == 0, result.output
    assert _me(client, plain) == 401
    assert "revoked" in runner.invoke(args=[*FORUM_EN, "token", "list"]).output
    assert "already revoked" in runner.invoke(args=[*FORUM_EN, "token", "revoke", str(token.id)]).output
    missing = runner.invoke(args=[*FORUM_EN, "token", "revoke", "999"])
    assert missing.exit_code != 0 and "no API token" in missing.output


def test_a_partners_token_is_kept_to_one_forum_and_to_reading(client, auth, forum, runner):
    staff, _old = api_token("staff", email="partner@forum.example")
    auth.login("organizer")
    client.get("/lang/en")
    new_locale()
    answer = client.post("/manage/tokens/", data={"user_id": staff.id, "name": "IOM reports", "forum_id": forum.id,
                                                  "read_only": "y"}, headers={"Accept-Language": "en"})
    assert "data-token" in answer.get_data(as_text=True)
    token = db.session.query(ApiToken).filter_by(name="IOM reports").one()
    assert token.forum_id == forum.id and token.read_only is True
    row = re.search(rf'<tr data-token-id="{token.id}">.*?</tr>', answer.get_data(as_text=True), re.S).group(0)
    assert "isfara-test" in row and "only for reading" in row
    assert "isfara-test, read only" in runner.invoke(args=[*FORUM_EN, "token", "list"]).output
