"""The door through a Wi-Fi outage, in real headless Chromium: two phones (two browser
contexts) lose the network, scan on, one is reloaded offline, and back online nothing is
lost or doubled; the camera path the same with a fake camera filming a badge; and the
scanner's JavaScript folds, hashes and reads codes exactly as the server does."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect
from werkzeug.http import parse_cookie

from forum.badges import service as badges
from forum.checkin.models import Checkin
from forum.extensions import db
from tests import factories
from tests.checkin_fixtures import arrivals, make_checkpoint, scan, write_y4m
from tests.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "ru-RU"}


class Wifi:
    """The venue's Wi-Fi: a phone whose Wi-Fi is down reaches nothing. Chromium's offline
    emulation (context.set_offline) is what the page sees (navigator.onLine, failing fetches),
    but it does not hold for the service worker: phone 2, reopened offline from its service
    worker, got the live page and uploaded its queue to the live server. The server side of the
    outage makes it total: while a phone's Wi-Fi is down the live server answers it as a dead
    network's gateway would (503, no app). A phone is known by a cookie of its browser context,
    not by a header: the context's extra headers were missing from some requests of the reopened
    page (a logged run), and cookies go with every request of the context, service worker's too."""

    COOKIE = "test_phone"

    def __init__(self, app, base_url: str):
        self.app, self.base_url, self.down, self.served = app, base_url, set(), app.wsgi_app
        app.wsgi_app = self._gate

    def _gate(self, environ, start_response):
        if parse_cookie(environ).get(self.COOKIE) in self.down:
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"no network"]
        return self.served(environ, start_response)

    @staticmethod
    def _known_as(name: str) -> str:
        return name.replace(" ", "-")

    def phone(self, browser, name: str, **options):
        context = browser.new_context(**PHONE, **options)
        context.add_cookies([{"name": self.COOKIE, "value": self._known_as(name), "url": self.base_url}])
        return context

    def drop(self, context, name: str) -> None:
        self.uplink_down(name)
        context.set_offline(True)

    def uplink_down(self, name: str) -> None:
        """The phone keeps its Wi-Fi, the venue's router has lost the internet: it answers 503."""
        self.down.add(self._known_as(name))

    def back(self, context, name: str) -> None:
        # The server side first: the page uploads the moment it sees the network, and a 503 then
        # would send it into its back-off (up to 32 s) with the Wi-Fi up.
        self.down.discard(self._known_as(name))
        context.set_offline(False)

    def close(self) -> None:
        self.app.wsgi_app = self.served


@pytest.fixture
def wifi(app, live_server):
    found = Wifi(app, live_server.url)
    yield found
    found.close()


def _log_in(page, base_url: str) -> None:
    factories.make_user("staff")
    # Not the landing page: staff land on today's scanner, whose camera would read the badge
    # before the test opens the scanner itself.
    page.goto(f"{base_url}/auth/login?next=/")
    page.fill("input[name=email]", "staff@forum.example")
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("[type=submit]")
    page.wait_for_load_state()


def _open_scanner(page, base_url: str, slug: str, name: str) -> None:
    """Open the scanner online, name the phone, and wait until it can work offline."""
    page.goto(f"{base_url}/checkin/{slug}")
    page.click(".device summary")
    page.fill("#device-name", name)
    page.click("#device-form button")
    page.wait_for_selector("html[data-offline-ready]", timeout=20000)


@pytest.fixture
def forum(app):
    """A forum today, in Dushanbe: the phones' scans carry the real time, which must fall
    within the forum's days."""
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    today = datetime.now(ZoneInfo("Asia/Dushanbe")).date()
    return factories.make_forum(slug="isfara-today", day=today, start=time(0), end=time(23, 59, 59))


def _rows() -> list[Checkin]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Checkin).order_by(Checkin.created_at)))


def _scan_with_keyboard_scanner(page, secret: str, waiting: int) -> None:
    """Type as a USB scanner does, into the page, and wait until the scan is kept."""
    page.keyboard.type(secret, delay=3)
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#door-status[data-waiting='{waiting}']")


def test_two_phones_offline_lose_nothing_and_double_nothing(app, browser, live_server, forum, client, auth, wifi):
    make_checkpoint(forum, "entrance", name="Главный вход")
    people = [factories.make_registration(forum, factories.make_person(f"Раҳимова Гулнора {n}")) for n in range(20)]
    secrets = [p.badge_secret for p in people]
    codes = {p.id: badges.short_code(p) for p in people}
    phones = []
    names = ("Door phone 1", "Door phone 2")
    for name in names:
        context = wifi.phone(browser, name)
        page = context.new_page()
        page.set_default_timeout(10000)
        _log_in(page, live_server.url)
        _open_scanner(page, live_server.url, forum.slug, name)
        phones.append((context, page))
    (one, first), (two, second) = phones
    wifi.drop(one, names[0])
    wifi.drop(two, names[1])

    for n, secret in enumerate(secrets[:10], start=1):  # phone 1: ten badges through the USB scanner
        _scan_with_keyboard_scanner(first, secret, n)
    assert first.locator("#door-status").get_attribute("data-state") == "offline"
    expect(first.locator("#result")).to_have_attribute("data-source", "phone")
    for n, person in enumerate(people[10:], start=1):  # phone 2: ten more, three by their short code
        if n <= 3:
            second.fill("#code", codes[person.id].lower())
            second.press("#code", "Enter")
            second.wait_for_selector(f"#door-status[data-waiting='{n}']")
        else:
            _scan_with_keyboard_scanner(second, person.badge_secret, n)
    reopened = second.reload()  # the tab is reloaded with no network: the page and its queue are still there
    assert reopened.from_service_worker
    second.wait_for_selector("#door-status[data-waiting='10']")
    assert second.locator("#door-status").get_attribute("data-state") == "offline"
    # The scan is counted as waiting before its answer is on screen (show() follows the kept
    # scan's promise): the answers are waited for, not read at once (a reloaded tab has none yet).
    _scan_with_keyboard_scanner(second, secrets[0], 11)  # the first person again, at the other door
    expect(second.locator("#result")).to_have_attribute("data-status", "ok")  # phone 2 cannot know
    _scan_with_keyboard_scanner(first, secrets[0], 11)  # and again at phone 1, which knows
    expect(first.locator("#result")).to_have_attribute("data-status", "already_checked_in")
    assert _rows() == []  # nothing reached the server yet

    for (context, page), name in zip(phones, names, strict=True):  # the Wi-Fi comes back: phone 1 uploads first
        wifi.back(context, name)
        page.wait_for_selector("#door-status[data-waiting='0'][data-state='online']", timeout=20000)
    rows = _rows()
    assert len(rows) == 22 and len({r.nonce for r in rows}) == 22  # nothing lost, nothing doubled
    assert arrivals() == 20  # exactly 20 first entries
    conflicts = [r for r in rows if r.answered == "ok" and r.result == "already_checked_in"]
    assert [c.registration_id for c in conflicts] == [people[0].id]
    assert {r.device for r in rows} == {"Door phone 1", "Door phone 2"}
    # phone 2 showed "welcome" offline; its log now says what the server recorded
    assert "Добро пожаловать · Раҳимова Гулнора 0 · сервер: Уже прошёл" in second.locator("#log").inner_text()
    one.close()
    two.close()

    auth.login("organizer")
    board = client.get(f"/manage/{forum.slug}/checkin").get_data(as_text=True)
    conflicts_part = board[board.index('id="conflicts"'):board.index('id="attention"')]
    assert "Раҳимова Гулнора 0" in conflicts_part
    assert "Door phone 1" in conflicts_part and "Door phone 2" in conflicts_part
    assert "Mozilla" not in board  # phones by the names staff gave them, not user-agent strings


def test_a_router_without_uplink_still_opens_the_kept_scanner(browser, live_server, forum, wifi):
    make_checkpoint(forum, "entrance")
    context = wifi.phone(browser, "Door phone 4")
    page = context.new_page()
    page.set_default_timeout(10000)
    _log_in(page, live_server.url)
    _open_scanner(page, live_server.url, forum.slug, "Door phone 4")
    wifi.uplink_down("Door phone 4")
    reopened = page.reload()
    assert reopened.from_service_worker and reopened.status == 200
    assert "no network" not in page.content()
    page.wait_for_selector("#door-status[data-state='offline']")  # its roster request got the 503 too
    page.keyboard.type("NOT-A-BADGE", delay=3)
    page.keyboard.press("Enter")
    page.wait_for_selector("#door-status[data-waiting='1']")  # and the door still keeps scans
    context.close()


def test_camera_scan_offline_after_reopening_the_page_with_no_network(playwright_instance, tmp_path, live_server, forum,
                                                                    wifi):
    make_checkpoint(forum, "entrance")
    make_checkpoint(forum, "hall", name="Зал")
    registration = factories.make_registration(forum, factories.make_person("Қурбонова Ҷамила"))
    video = write_y4m(tmp_path / "badge.y4m", registration.badge_secret)
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True,
        args=CHROMIUM_ARGS + ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                              f"--use-file-for-fake-video-capture={video}"])
    try:
        context = wifi.phone(browser, "Door phone 3")
        context.grant_permissions(["camera"])
        page = context.new_page()
        page.set_default_timeout(15000)
        _log_in(page, live_server.url)
        scan(forum, registration.badge_secret, "entrance", method="keyboard")  # another phone let her in
        _open_scanner(page, live_server.url, forum.slug, "Door phone 3")
        # online, entrance: the server says she is in already; the warning stays 6 s on screen
        page.wait_for_selector("#result[data-source='server'][data-status='already_checked_in']", state="attached")
        page.wait_for_selector("#result", state="hidden")
        page.wait_for_timeout(2000)  # the badge is still in front of the camera: it is not read again
        assert page.locator("#log li").count() == 1
        # The hall's roster must be on the phone before the network goes: its response, then
        # IndexedDB (the status line still shows the entrance's "1" until the hall's replaces it).
        with page.expect_response(lambda r: "/checkpoints/hall/roster" in r.url):
            page.select_option("#checkpoint", "hall")
        for _ in range(100):
            if page.evaluate(f"() => window.forumStore.roster('{forum.slug}/hall').then(r => !!r)"):
                break
            page.wait_for_timeout(100)
        page.wait_for_selector("#door-status .door-roster:has-text('1')")
        wifi.drop(context, "Door phone 3")
        assert page.reload().from_service_worker  # opened again with no network: the camera reads the badge
        page.wait_for_selector("#result[data-source='phone'][data-status='ok']", state="attached", timeout=20000)
        assert "Қурбонова Ҷамила" in page.locator("#result .result-name").text_content()
        assert page.locator("#door-status").get_attribute("data-waiting") == "1"
        wifi.back(context, "Door phone 3")
        page.wait_for_selector("#door-status[data-waiting='0'][data-state='online']", timeout=20000)
    finally:
        browser.close()
    rows = _rows()
    assert [(r.checkpoint.key, r.result, r.reason, r.method) for r in rows] == [
        ("entrance", "ok", "first", "keyboard"), ("entrance", "already_checked_in", "already", "camera"),
        ("hall", "ok", "first", "camera")]
    assert rows[2].uploaded_at is not None and arrivals(registration) == 2


NAMES = ["Раҳимова Гулнора", "Рахимова", "Rakhimova", "Rahimova", "Қурбонова Ҷамила", "Джамшед", "Jamshed",
         "Ёқубова Ӯғилой", "Зиёев, Ғ.", "Éloïse Müller", "", "  Шаҳло  ", "ХУҶАНД", "Dzhurayev O'g'il"]
CODE_INPUTS = ["k7m-q4x ", "Л7Ь-Й4Ч", "л7ь-й4ч", " abcdefghjkmnpqrstuvwxyz2345 ", "K7MQ4X!", "Ҳ12345", "", "0OIL12",
               "ABCDEFGHJKMNPQRSTUVWXYZ23456"]


def test_the_scanners_javascript_folds_hashes_and_reads_codes_as_the_server_does(page, live_server):
    import secrets

    from forum.badges import codes
    from forum.checkin import roster
    from forum.people.folding import fold

    key = secrets.token_bytes(32)
    values = [codes.normalize(t) for t in CODE_INPUTS] + ["Раҳимова", "x" * 55, "y" * 56, "z" * 64, "é" * 70]
    page.goto(f"{live_server.url}/")  # any page of the site: 127.0.0.1 is a secure context, WebCrypto works
    for script in ("js/fold.js", "checkin/hash.js", "checkin/store.js", "checkin/door.js"):
        page.add_script_tag(url=f"{live_server.url}/static/{script}")
    found = page.evaluate("""async ([names, values, key, inputs, rules]) => {
        const door = new ForumDoor({codes: rules});
        return {
          folded: names.map(forumFold), webcrypto: forumHash.usesWebCrypto,
          subtle: await Promise.all(values.map(v => forumHash.rosterHash(key, v))),
          pure: await Promise.all(values.map(v => forumHash.pure.rosterHash(key, v))),
          normalized: inputs.map(t => door.normalize(t)), kinds: inputs.map(t => door.kindOf(door.normalize(t))),
        };
    }""", [NAMES, values, roster._b64(key), CODE_INPUTS, codes.reading_rules()])
    assert found["folded"] == [fold(name) for name in NAMES]
    expected = [roster.badge_hash(key, v) for v in values]
    assert found["webcrypto"] and found["subtle"] == expected  # HTTPS or localhost: WebCrypto
    assert found["pure"] == expected  # plain HTTP on the venue's Wi-Fi: our own SHA-256 and HMAC
    assert found["normalized"] == [codes.normalize(t) for t in CODE_INPUTS]
    kinds = ["secret" if codes.looks_like_secret(v) else "code" if codes.looks_like_short_code(v) else "other"
             for v in found["normalized"]]
    assert found["kinds"] == kinds and {"secret", "code", "other"} <= set(kinds)
