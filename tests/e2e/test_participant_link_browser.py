"""A participant on a 360 px phone: registers, gets the link by SMS (never on the screen),
opens it in her language, switches it, and gets it again through "Lost your link?"."""
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from forum.extensions import db
from forum.messaging.models import Message

pytestmark = pytest.mark.browser


def _link(app, live_server, phone: str) -> str:
    db.session.remove()  # see what the live server committed
    body = db.session.scalars(sa.select(Message.body).where(Message.recipient == phone).order_by(Message.id)).all()[-1]
    return re.search(r"https?://\S+/l/\w+", body).group(0).replace(app.config["BASE_URL"], live_server.url)


def test_a_participant_registers_opens_her_link_and_gets_it_again(live_server, page, app, forum):
    url = live_server.url
    page.goto(f"{url}/f/isfara-test/register")
    page.fill("#full_name", "Ҳакимова Ҷамила")
    page.fill("#phone", "93 123 45 67")
    page.select_option("#language", "tg")
    page.check("#consent")
    page.click("input[type=submit]")
    page.wait_for_url("**/link/sent")
    assert "+992 ** *** 45 67" in page.inner_text("main") and "/r/" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.goto(_link(app, live_server, "+992931234567"))
    page.wait_for_url(re.compile(r"/r/"))
    assert page.evaluate("document.documentElement.lang") == "tg" and "Ҳакимова Ҷамила" in page.inner_text("h1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("a[lang=ru]")
    # A locator retries across the redirect; a predicate can run while the new document has
    # no root element yet and fail on null.
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    assert "Это ваша личная страница" in page.inner_text("main")

    page.goto(f"{url}/f/isfara-test/link")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.fill("#contact", "931234567")
    page.click("input[type=submit]")
    page.wait_for_url("**/link/sent")
    assert "+992 ** *** 45 67" in page.inner_text("main")
    db.session.remove()
    # Asked again within minutes of the first: the SMS on its way is not sent twice.
    assert db.session.scalar(sa.select(sa.func.count(Message.id)).where(Message.recipient == "+992931234567")) == 1
    page.goto(_link(app, live_server, "+992931234567"))
    page.wait_for_url(re.compile(r"/r/"))
    assert page.evaluate("document.documentElement.lang") == "ru"  # her choice, remembered
