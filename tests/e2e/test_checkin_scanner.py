"""The scanner page in real headless Chromium: a badge shown to a (fake) camera, a code typed
as a USB scanner types it, and a search by name for someone without a badge."""
from __future__ import annotations

import pytest

from tests import factories
from tests.checkin_fixtures import arrivals, make_checkpoint, write_y4m
from tests.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser


def _log_in(page, base_url: str, role: str = "staff") -> None:
    user = factories.make_user(role)
    page.goto(f"{base_url}/auth/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("[type=submit]")
    page.wait_for_load_state()


def _arrived(forum, registration) -> bool:
    return arrivals(registration) == 1


@pytest.fixture
def camera_page(playwright_instance, tmp_path, forum):
    """A phone-sized tab of a Chromium whose camera films a badge's QR code."""
    pages = []

    def open_with_badge(secret: str):
        video = write_y4m(tmp_path / "badge.y4m", secret)
        browser = playwright_instance.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=CHROMIUM_ARGS + ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                                  f"--use-file-for-fake-video-capture={video}"])
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ru-RU")
        context.grant_permissions(["camera"])
        page = context.new_page()
        page.set_default_timeout(15000)
        pages.append(browser)
        return page

    yield open_with_badge
    for browser in pages:
        browser.close()


def test_badge_shown_to_the_camera_turns_the_screen_green(camera_page, live_server, forum):
    make_checkpoint(forum, "entrance", name="Главный вход")
    person = factories.make_person("Қурбонова Ҷамила")
    registration = factories.make_registration(forum, person)
    page = camera_page(registration.badge_secret)
    _log_in(page, live_server.url)
    page.goto(f"{live_server.url}/checkin/{forum.slug}")
    result = page.locator("#result")
    result.wait_for(state="visible", timeout=20000)
    assert result.get_attribute("data-status") == "ok"
    assert "result-ok" in result.get_attribute("class")
    assert "Қурбонова Ҷамила" in result.inner_text()
    assert _arrived(forum, registration)
    # The badge is still in front of the camera: it is not scanned again as "already checked in".
    page.wait_for_timeout(3500)
    assert page.locator("#log li").count() == 1


def test_keyboard_scanner_typing_the_code_and_enter_checks_in(app, page, live_server, forum):
    app.config["WTF_CSRF_ENABLED"] = True  # as in production: the page must send its CSRF token
    make_checkpoint(forum, "entrance")
    registration = factories.make_registration(forum, factories.make_person("Раҳимова Гулнора"))
    _log_in(page, live_server.url)
    page.goto(f"{live_server.url}/checkin/{forum.slug}")
    page.locator("body").click(position={"x": 5, "y": 5})  # the focus anywhere: scanners type into the page
    page.keyboard.type(registration.badge_secret, delay=5)
    page.keyboard.press("Enter")
    result = page.locator("#result")
    result.wait_for(state="visible")
    assert result.get_attribute("data-status") == "ok"
    assert "Раҳимова Гулнора" in result.inner_text()
    result.click()  # tap: ready for the next badge
    assert result.is_hidden()
    # The same badge again is amber and says who let the person in.
    page.fill("#code", registration.badge_secret.lower())
    page.press("#code", "Enter")
    result.wait_for(state="visible")
    assert result.get_attribute("data-status") == "already_checked_in"
    assert "result-warn" in result.get_attribute("class")


def test_short_code_typed_on_a_russian_keyboard_layout_is_understood(page, live_server, forum):
    from forum.badges.service import short_code

    make_checkpoint(forum, "entrance")
    registration = factories.make_registration(forum)
    code = short_code(registration)
    russian = code.translate(str.maketrans("QWERTYUIOPASDFGHJKLZXCVBNM", "ЙЦУКЕНГШЩЗФЫВАПРОЛДЯЧСМИТЬ"))
    _log_in(page, live_server.url)
    page.goto(f"{live_server.url}/checkin/{forum.slug}")
    page.fill("#code", russian[:3] + "-" + russian[3:])
    page.click("#code-form button")
    page.locator("#result").wait_for(state="visible")
    assert page.locator("#result").get_attribute("data-status") == "ok"


def test_search_by_name_admits_someone_without_a_badge(page, live_server, forum):
    make_checkpoint(forum, "entrance")
    registration = factories.make_registration(forum, factories.make_person("Ғафурова Зулфия", phone="+992927000111"))
    _log_in(page, live_server.url)
    page.goto(f"{live_server.url}/checkin/{forum.slug}")
    page.fill("#search", "ғафуров")
    row = page.locator("#results li", has_text="Ғафурова Зулфия")
    row.wait_for()
    assert "927000111" not in page.locator("#results").inner_text()  # never a phone number on screen
    row.get_by_role("button").click()
    page.locator("#result").wait_for(state="visible")
    assert page.locator("#result").get_attribute("data-status") == "ok"
    assert _arrived(forum, registration)


def test_unknown_badge_is_red_and_nothing_is_checked_in(page, live_server, forum):
    make_checkpoint(forum, "entrance")
    _log_in(page, live_server.url)
    page.goto(f"{live_server.url}/checkin/{forum.slug}")
    page.fill("#code", "ABCDEFGHJKMNPQRSTUVWXYZ2345")
    page.press("#code", "Enter")
    result = page.locator("#result")
    result.wait_for(state="visible")
    assert result.get_attribute("data-status") == "unknown"
    assert "result-bad" in result.get_attribute("class")


def test_scanner_page_fits_a_360_px_phone(page, live_server, forum):
    make_checkpoint(forum, "entrance")
    _log_in(page, live_server.url)
    page.goto(f"{live_server.url}/checkin/{forum.slug}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    box = page.locator("#code-form button").bounding_box()
    assert box["height"] >= 40 and box["x"] + box["width"] <= 360


def test_scan_lost_on_the_network_is_retried_with_the_same_nonce(page, live_server, forum):
    import json

    import sqlalchemy as sa

    from forum.checkin.models import Checkin
    from forum.extensions import db

    make_checkpoint(forum, "entrance")
    registration = factories.make_registration(forum)
    _log_in(page, live_server.url)
    page.goto(f"{live_server.url}/checkin/{forum.slug}")
    sent = []

    def flaky(route):
        sent.append(json.loads(route.request.post_data)["nonce"])
        if len(sent) == 1:
            route.abort("internetdisconnected")  # the Wi-Fi drops as the first attempt leaves
        else:
            route.continue_()

    page.route("**/checkin/*/scan", flaky)
    page.fill("#code", registration.badge_secret)
    page.press("#code", "Enter")
    page.locator("#result").wait_for(state="visible")
    assert page.locator("#result").get_attribute("data-status") == "ok"  # not "already checked in"
    assert len(sent) == 2 and sent[0] == sent[1]
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Checkin)) == 1
