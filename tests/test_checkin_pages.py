"""The scanner page's JSON endpoints, the organizers' live board and checkpoint pages, and
the demo's checkpoints and morning of scans."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from config import TestConfig
from forum import create_app
from forum.checkin.models import Checkin, Checkpoint
from forum.extensions import db
from tests import factories
from tests.agenda_fixtures import at
from tests.checkin_fixtures import arrivals, lost_badge, make_checkpoint, scan


def _scan(client, body):
    return client.post("/checkin/isfara-test/scan", json={"checkpoint": "entrance", "nonce": "nonce-page-1", **body})


def test_staff_scans_through_the_page_endpoint(client, auth, forum):
    staff = auth.login("staff")
    make_checkpoint(forum, "entrance")
    registration = factories.make_registration(forum)
    assert client.get("/checkin/isfara-test").status_code == 200
    answer = _scan(client, {"secret": registration.badge_secret}).json
    assert answer["status"] == "ok"
    logged = db.session.scalar(sa.select(Checkin))
    assert logged.user_id == staff.id and logged.method == "camera"


def test_the_page_logs_how_each_badge_was_read_and_never_claims_an_api_scan(client, auth, forum):
    auth.login("staff")
    make_checkpoint(forum, "entrance", reentry=True)
    registration = factories.make_registration(forum)
    for n, method in enumerate(("keyboard", "camera", "search", "api", "fax")):
        assert _scan(client, {"secret": registration.badge_secret, "method": method, "nonce": f"nonce-way-{n}"}
                     ).json["status"] == "ok"
    logged = db.session.scalars(sa.select(Checkin.method).order_by(Checkin.id)).all()
    assert logged == ["keyboard", "camera", "search", "camera", "camera"]


def test_search_admits_by_registration_and_never_shows_phones(client, auth, forum):
    auth.login("staff")
    make_checkpoint(forum, "entrance")
    registration = factories.make_registration(forum, factories.make_person("Ғафурова Зулфия", phone="+992927000222"))
    for query in ("ғафуров", "927000222", registration.badge_secret[:0] or "ҒАФУРОВА"):
        response = client.get(f"/checkin/isfara-test/search?q={query}")
        assert [r["name"] for r in response.json["results"]] == ["Ғафурова Зулфия"], query
        assert "927000222" not in response.get_data(as_text=True)
    from forum.badges.service import short_code

    code = short_code(registration)
    assert client.get(f"/checkin/isfara-test/search?q={code.lower()}").json["results"][0]["id"] == registration.id
    answer = _scan(client, {"registration": registration.id, "method": "search"}).json
    assert answer["status"] == "ok" and answer["registration"]["name"] == "Ғафурова Зулфия"


def test_page_endpoint_refuses_bad_bodies_with_json(client, auth, forum):
    auth.login("staff")
    make_checkpoint(forum, "entrance")
    assert client.post("/checkin/isfara-test/scan", data="x").json["error"]["code"] == "invalid_json"
    assert _scan(client, {}).json["error"]["code"] == "invalid"
    assert _scan(client, {"secret": "ABC", "checkpoint": "nowhere"}).json["error"]["code"] == "checkpoint"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Checkin)) == 0


def test_page_endpoint_needs_the_csrf_token_in_a_header(tmp_path):
    config = TestConfig(database_url=f"sqlite:///{tmp_path / 'csrf.db'}")
    config.WTF_CSRF_ENABLED = True
    app = create_app(config)
    with app.app_context():
        db.create_all()
        forum = factories.make_forum(slug="isfara-test")
        make_checkpoint(forum, "entrance")
        registration = factories.make_registration(forum)
        user = factories.make_user("staff")
        client = app.test_client()
        login_page = client.get("/auth/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
        client.post("/auth/login", data={"email": user.email, "password": factories.PASSWORD, "csrf_token": token})
        page = client.get("/checkin/isfara-test").get_data(as_text=True)
        header = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
        body = {"secret": registration.badge_secret, "checkpoint": "entrance", "nonce": "nonce-csrf-1"}
        assert client.post("/checkin/isfara-test/scan", json=body).status_code == 400  # a forged cross-site post
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Checkin)) == 0
        response = client.post("/checkin/isfara-test/scan", json=body, headers={"X-CSRFToken": header})
        assert response.status_code == 200 and response.json["status"] == "ok"
        # the Bearer-token API needs no CSRF token
        from tests.checkin_fixtures import api_token

        _user, plain = api_token("staff", email="door@forum.example")
        api = client.post("/api/v1/forums/isfara-test/checkins", headers={"Authorization": f"Bearer {plain}"},
                          json={**body, "nonce": "nonce-csrf-2"})
        assert api.status_code == 200 and api.json["status"] == "already_checked_in"
        # the page uploads its offline scans with its login: the API then wants the CSRF token too
        batch = {"scans": [{**body, "nonce": "nonce-csrf-3", "at": "2011-05-05T09:30:00+05:00"}]}
        assert client.post("/api/v1/forums/isfara-test/checkins/batch", json=batch).status_code == 400
        response = client.post("/api/v1/forums/isfara-test/checkins/batch", json=batch, headers={"X-CSRFToken": header})
        assert response.status_code == 200 and response.json["results"][0]["status"] == "ok"  # made before the others
        db.session.remove()


def test_board_shows_expected_arrived_chart_last_and_failed_scans(client, auth, forum):
    auth.login("organizer")
    make_checkpoint(forum, "entrance", name="Главный вход")
    make_checkpoint(forum, "press-room", rule="categories", categories=["press"], name="Пресс-зал")
    arrived = factories.make_registration(forum, factories.make_person("Раҳимова Гулнора"))
    factories.make_registration(forum)
    factories.make_registration(forum, category="press")
    scan(forum, arrived.badge_secret, at=at("09:05"))  # on the forum's day: in the chart
    scan(forum, arrived.badge_secret, "press-room", at=at("09:10"))
    scan(forum, "ABCDEFGHJKMNPQRSTUVWXYZ2345", at=at("09:12"))
    page = client.get("/manage/isfara-test/checkin", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert "<svg" in page and "Раҳимова Гулнора" in page
    rows = re.findall(r"<tr>\s*<td>Главный вход.*?</tr>", page, re.S)
    assert re.findall(r"<td>(?:<strong>)?(\d+)", rows[0])[:2] == ["3", "1"]  # expected 3, arrived 1
    press = re.findall(r"<tr>\s*<td>Пресс-зал.*?</tr>", page, re.S)[0]
    assert re.findall(r"<td>(?:<strong>)?(\d+)", press)[:2] == ["1", "0"]
    assert "ABCD…" in page  # the forged code needs attention, masked


def test_organizer_undoes_a_check_in_and_clears_a_failed_scan(client, auth, forum):
    auth.login("organizer")
    make_checkpoint(forum, "entrance")
    registration = factories.make_registration(forum)
    ok = scan(forum, registration.badge_secret).checkin
    failed = scan(forum, "K7MQ4X").checkin
    assert client.post(f"/manage/isfara-test/checkin/{ok.id}/undo").status_code == 302
    assert arrivals() == 0
    client.post(f"/manage/isfara-test/checkin/{failed.id}/seen")
    page = client.get("/manage/isfara-test/checkin").get_data(as_text=True)
    assert f"/checkin/{failed.id}/seen" not in page
    assert client.post(f"/manage/isfara-test/checkin/{failed.id}/undo").status_code == 302  # refused with a message
    other = factories.make_forum(slug="other-forum")
    assert client.post(f"/manage/{other.slug}/checkin/{ok.id}/undo").status_code == 404


def test_organizer_adds_and_edits_a_checkpoint(client, auth, forum):
    auth.login("organizer")
    form = {"key": "round-table", "name-ru": "Круглый стол", "name-tg": "Мизи мудаввар", "rule": "categories",
            "categories": ["government", "international"], "reentry": "y", "active": "y", "area_id": "0",
            "position": "1"}
    response = client.post("/manage/isfara-test/checkpoints/new", data=form)
    assert response.status_code == 302
    checkpoint = db.session.scalar(sa.select(Checkpoint))
    assert checkpoint.categories == ["government", "international"] and checkpoint.reentry
    again = client.post("/manage/isfara-test/checkpoints/new", data=form, headers={"Accept-Language": "ru"})
    assert again.status_code == 200 and "уже" in again.get_data(as_text=True)
    empty = client.post(f"/manage/isfara-test/checkpoints/{checkpoint.id}", data={**form, "categories": []},
                        headers={"Accept-Language": "ru"})
    assert empty.status_code == 200
    assert client.post(f"/manage/isfara-test/checkpoints/{checkpoint.id}", data={**form, "rule": "all"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Checkpoint, checkpoint.id).rule == "all"


@pytest.mark.parametrize("role", ["employer", "jury"])
def test_scanner_is_for_staff_and_organizers_only(client, auth, forum, role):
    auth.login(role)
    assert client.get("/checkin/isfara-test").status_code == 403
    assert client.post("/checkin/isfara-test/scan", json={}).status_code == 403


def test_the_scanner_installs_as_an_app_that_opens_offline(client, auth, forum):
    make_checkpoint(forum, "entrance")
    worker = client.get("/checkin/sw.js")  # public: a phone checks it for updates, logged in or not
    assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    assert worker.headers["Cache-Control"] == "no-cache"
    settings = re.match(r"self\.FORUM_SW = (\{.*?\});", worker.get_data(as_text=True)).group(1)
    import json

    assets = json.loads(settings)["assets"]
    assert "/static/js/checkin.js" in assets and "/static/checkin/icons/icon-192.png" in assets
    for url in assets:  # everything the page needs is ours, and there
        assert url.startswith("/static/") and client.get(url).status_code == 200, url
    auth.login("staff")
    page = client.get("/checkin/isfara-test").get_data(as_text=True)
    assert 'rel="manifest" href="/checkin/isfara-test/manifest.webmanifest"' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)|\son\w+=|\sstyle=", page)  # ready for a strict CSP
    assert re.findall(r'<script src="([^"]+)"', page) == [a for a in assets if a.endswith(".js") and "jsqr" not in a]
    manifest = client.get("/checkin/isfara-test/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json"
    assert manifest.json["start_url"] == "/checkin/isfara-test" and manifest.json["display"] == "standalone"
    assert {i["sizes"] for i in manifest.json["icons"]} == {"192x192", "512x512"}


def test_board_names_phones_replaced_badges_and_offline_conflicts(client, auth, forum):
    from datetime import UTC, datetime

    from forum.checkin.batch import record_batch

    auth.login("organizer")
    make_checkpoint(forum, "entrance", name="Главный вход")
    _lost, old_secret, _code = lost_badge(forum, "Ғафурова Зулфия", at=datetime(2011, 5, 5, 3, 40, tzinfo=UTC))
    twice = factories.make_registration(forum, factories.make_person("Раҳимова Гулнора"))
    scan(forum, old_secret, device="Door phone 3")
    for minute, phone in ((20, "Door phone 1"), (5, "Door phone 2")):  # the later scan uploaded first
        record_batch(forum, [{"secret": twice.badge_secret, "checkpoint": "entrance", "nonce": f"offline-{minute}",
                              "at": f"2011-05-05T09:{minute:02d}:00+05:00", "answered": "ok"}], device=phone)
    page = client.get("/manage/isfara-test/checkin", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert "Заменённый бейдж: Ғафурова Зулфия; перевыпущен 5 мая, 08:40, выдал(а) Саидова Мавзуна." in page
    conflicts = page[page.index('id="conflicts"'):page.index('id="attention"')]
    entry, second = re.findall(r"<td>(\d\d:\d\d:\d\d)<br>.*?device-name\">([^<]+)<", conflicts, re.S)
    assert entry == ("09:05:00", "Door phone 2") and second == ("09:20:00", "Door phone 1")
    assert "Раҳимова Гулнора" in conflicts and "без сети, отправлен в" in conflicts
    assert "Door phone 3" in page
