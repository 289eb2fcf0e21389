"""The scanner page in real headless Chromium: a code typed as a USB scanner types it, and a
search by name for someone without a badge. (The camera, and the page without a network:
tests/e2e/test_checkin_offline.py.)"""
from __future__ import annotations

import pytest

from tests import factories
from tests.checkin_fixtures import arrivals, make_checkpoint

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


# Buttons, the status line and the phone's name whose text must fit at 360 px.
FITTING = "button, [role=button], .door-status, #device-label, .checkpoint-choice, .camera-status"


def test_scanner_page_fits_a_360_px_phone_in_every_language(page, live_server, forum):
    make_checkpoint(forum, "entrance", name="Даромадгоҳи асосии Хонаи фарҳанг")
    factories.make_registration(forum, factories.make_person("Раҳимова Гулнора"))
    _log_in(page, live_server.url)
    for language in ("ru", "tg", "en"):
        page.goto(f"{live_server.url}/lang/{language}?next=/checkin/{forum.slug}")
        page.wait_for_selector("#door-status[data-state='online']")
        page.fill("#search", "Раҳим")  # the "Admit" buttons of the results too
        page.wait_for_selector("#results li button")
        page.click(".device summary")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, language
        overflowing = page.evaluate(f"""Array.from(document.querySelectorAll({FITTING!r}))
            .filter(el => el.offsetParent && (el.scrollWidth > el.clientWidth + 1
                                              || el.getBoundingClientRect().right > 360))
            .map(el => el.textContent.trim())""")
        assert overflowing == [], (language, overflowing)
        box = page.locator("#code-form button").bounding_box()
        assert box["height"] >= 40 and box["x"] + box["width"] <= 360


def test_scan_lost_on_the_network_is_retried_with_the_same_nonce(page_without_service_worker, live_server, forum):
    page = page_without_service_worker
    import json

    import sqlalchemy as sa

    from forum.checkin.models import Checkin
    from forum.extensions import db

    make_checkpoint(forum, "entrance")
    registration = factories.make_registration(forum)
    _log_in(page, live_server.url)
    page.goto(f"{live_server.url}/checkin/{forum.slug}")
    # The door has its roster: it is online, so the scan goes to the server (offline, it would be
    # decided on the phone and sent later in a batch, which this route does not watch).
    page.wait_for_function("""() => {
        const bar = document.getElementById("door-status");
        return bar.dataset.state === "online" && /\\d/.test(bar.querySelector(".door-roster").textContent);
    }""")
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
    assert page.locator("#result").get_attribute("data-source") == "server"
    assert page.locator("#result").get_attribute("data-status") == "ok"  # not "already checked in"
    assert len(sent) == 2 and sent[0] == sent[1]
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Checkin)) == 1
