"""A partner's token may be kept to one forum and to reading; the limits hold on every
route of the API, the older check-in routes too."""
from __future__ import annotations

import pytest

from forum.auth.service import create_token
from forum.extensions import db
from tests import factories
from tests.checkin_fixtures import make_checkpoint

FORUM_EN = ["forum", "--lang", "en"]  # these tests read the command line in English


pytestmark = pytest.mark.both_dbs


def _token(role="organizer", forum=None, read_only=False) -> dict:
    _t, plain = create_token(factories.make_user(role), name="IOM monitoring", forum=forum, read_only=read_only)
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


def test_a_token_for_one_forum_reads_that_forum_only(client, forum):
    other = factories.make_forum(slug="b-gafurov-test")
    headers = _token(forum=forum)
    assert client.get("/api/v1/forums/isfara-test/registrations", headers=headers).status_code == 200
    refused = client.get("/api/v1/forums/b-gafurov-test/registrations", headers=headers)
    assert refused.status_code == 403 and refused.json["error"]["code"] == "other_forum"
    assert [f["slug"] for f in client.get("/api/v1/forums", headers=headers).json] == ["isfara-test"]
    assert client.get("/api/v1/me", headers=headers).json["forum"] == "isfara-test"
    assert other.slug in [f["slug"] for f in client.get("/api/v1/forums", headers=_token()).json]


def test_a_read_only_token_creates_and_scans_nothing(client, forum):
    make_checkpoint(forum)
    registration = factories.make_registration(forum)
    headers = _token(read_only=True)
    assert client.get("/api/v1/forums/isfara-test/registrations", headers=headers).status_code == 200
    for method, url, body in [
        ("POST", "/api/v1/forums/isfara-test/registrations", {"full_name": "Каримова Мавлуда", "category": "guest"}),
        ("PATCH", f"/api/v1/forums/isfara-test/registrations/{registration.id}", {"status": "cancelled"}),
        ("POST", "/api/v1/forums/isfara-test/checkins", {"secret": registration.badge_secret,
                                                         "checkpoint": "entrance", "nonce": "n" * 16}),
    ]:
        answer = client.open(url, method=method, json=body, headers=headers)
        assert answer.status_code == 403 and answer.json["error"]["code"] == "read_only", url
    db.session.refresh(registration)
    assert registration.status == "confirmed"
    assert client.get("/api/v1/me", headers=headers).json["read_only"] is True


def test_token_create_command_takes_forum_and_read_only(runner, forum):
    factories.make_user("organizer", email="iom@partner.example")
    result = runner.invoke(args=[*FORUM_EN, "token", "create", "iom@partner.example", "--forum", "isfara-test",
                                 "--read-only"])
    assert result.exit_code == 0, result.output
    me = runner.app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {result.output.strip()}"})
    assert me.json["forum"] == "isfara-test" and me.json["read_only"] is True
    assert runner.invoke(args=[*FORUM_EN, "token", "create", "iom@partner.example", "--forum", "nowhere"]).exit_code != 0


def test_a_partner_looping_too_fast_gets_429_with_the_error_shape(tmp_path):
    from config import TestConfig
    from forum import create_app

    config = TestConfig(database_url=f"sqlite:///{tmp_path / 'rl.db'}")
    config.RATELIMIT_ENABLED = True
    config.API_RATE_LIMIT = "3 per minute"
    app = create_app(config)
    with app.app_context():
        db.create_all()
        factories.make_forum(slug="isfara-test")
        client, fast, other = app.test_client(), _token(), _token("staff")
        codes = [client.get("/api/v1/forums/isfara-test", headers=fast).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        held = client.get("/api/v1/forums/isfara-test", headers=fast)
        assert held.json["error"]["code"] == "too_many_requests" and int(held.headers["Retry-After"]) > 0
        assert client.get("/api/v1/forums/isfara-test", headers=other).status_code == 200  # its own count
        db.session.remove()
        db.engine.dispose()
