"""Two unnamed phones at the door: the board tells them apart as "Phone 1" and "Phone 2"
(never a user-agent string), and each phone's log shows Dushanbe time whatever the phone's
own time zone."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from forum.checkin.models import Checkin
from forum.extensions import db
from tests import factories
from tests.checkin_fixtures import make_checkpoint
from tests.conftest import CHROMIUM

pytestmark = pytest.mark.browser


@pytest.fixture
def forum(app):
    from datetime import time

    today = datetime.now(ZoneInfo("Asia/Dushanbe")).date()
    return factories.make_forum(slug="isfara-today", day=today, start=time(0), end=time(23, 59, 59))


def _phone(browser, base_url: str):
    # A phone set to Moscow time (two hours behind Dushanbe), as migrants' phones often are.
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ru-RU", timezone_id="Europe/Moscow")
    page = context.new_page()
    page.set_default_timeout(10000)
    page.goto(f"{base_url}/auth/login")
    page.fill("input[name=email]", "staff@forum.example")
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("[type=submit]")
    page.wait_for_url("**/checkin/isfara-today")
    return context, page


def test_unnamed_phones_are_numbered_and_their_logs_show_dushanbe_time(browser, live_server, forum):
    assert CHROMIUM
    make_checkpoint(forum, "entrance")
    people = [factories.make_registration(forum) for _ in range(2)]
    factories.make_user("staff")
    phones = [_phone(browser, live_server.url) for _ in range(2)]
    try:
        for n, (_context, page) in enumerate(phones, start=1):
            # a locator, not wait_for_function: its string predicate is an eval the page's CSP refuses
            expect(page.locator("#device-label")).to_have_text(f"Телефон {n}")
        for (_context, page), registration in zip(phones, people, strict=True):
            page.fill("#code", registration.badge_secret)
            page.press("#code", "Enter")
            page.wait_for_selector("#result[data-status='ok']")
            page.click("#result")
            page.wait_for_selector("#log li")
            shown = page.inner_text("#log li").split(" · ")[0]
            db.session.expire_all()
            at = db.session.scalar(sa.select(Checkin.created_at).where(Checkin.registration_id == registration.id))
            # The phone noted the scan a moment before the server recorded it: either side of a minute.
            dushanbe = {(at - timedelta(seconds=s)).astimezone(ZoneInfo("Asia/Dushanbe")).strftime("%H:%M")
                        for s in (0, 5)}
            assert shown in dushanbe  # Moscow time would be two hours off
        assert sorted(db.session.scalars(sa.select(Checkin.device))) == ["Телефон 1", "Телефон 2"]
    finally:
        for context, _page in phones:
            context.close()
    organizer = browser.new_context(viewport={"width": 1024, "height": 800}, locale="ru-RU")
    try:
        page = organizer.new_page()
        factories.make_user("organizer")
        page.goto(f"{live_server.url}/auth/login?next=/manage/isfara-today/checkin")
        page.fill("input[name=email]", "organizer@forum.example")
        page.fill("input[name=password]", factories.PASSWORD)
        page.click("[type=submit]")
        page.wait_for_url("**/manage/isfara-today/checkin")
        page.wait_for_selector(".device-name")
        names = page.locator(".device-name").all_inner_texts()
        assert sorted(set(names)) == ["Телефон 1", "Телефон 2"]
        assert "Mozilla" not in page.content() and "Chrome" not in page.content()
    finally:
        organizer.close()
