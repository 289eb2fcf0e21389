"""An organizer sends an urgent SMS from a phone-sized screen, in each language, and sees what
the operator reported on the outbox page."""
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from forum.extensions import db
from forum.messaging import delivery, outbox
from forum.messaging.models import Message
from tests import messaging_fixtures
from tests.factories import PASSWORD, make_person, make_registration, make_user

pytestmark = pytest.mark.browser

# Fixtures shared by the messaging tests.
mail_app = messaging_fixtures.mail_app
smtp_server = messaging_fixtures.smtp_server

TEXT = "Диққат! Мизи мудаввар имрӯз дар толори 1-и Хонаи фарҳанг мегузарад, соати 10:00. Ҳамаатонро интизорем."
WORDS = {  # the page's words in each language: heading, button, confirmation, "delivered"
    "ru": ("Срочное SMS", "Предпросмотр", "Да, отправить это SMS сейчас", "Доставлено"),
    "tg": ("SMS-и фаврӣ", "Пешнамоиш", "Бале, ин SMS-ро ҳозир фиристед", "Расонида шуд"),
    "en": ("Urgent SMS", "Preview", "Yes, send this SMS now", "Delivered"),
}


@pytest.mark.parametrize("lang", ["ru", "tg", "en"])
def test_organizer_previews_and_sends_an_urgent_sms_on_a_phone(mail_app, live_server, page, forum, lang):
    make_registration(forum, make_person("Каримова Зарина", phone="+992927701806"))
    delivered = outbox.queue(channel="sms", recipient="+992927701899", body="Салом!", forum=forum)
    db.session.commit()
    outbox.send_pending()
    db.session.refresh(delivered)
    delivery.record(delivered, "delivered")
    db.session.commit()
    heading, preview, confirm, delivered_word = WORDS[lang]
    user = make_user("organizer")
    url = live_server.url
    page.goto(f"{url}/lang/{lang}")
    page.goto(f"{url}/auth/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url(re.compile(r"/manage/"))

    page.goto(f"{url}/manage/{forum.slug}/outbox")
    expect(page.get_by_text(delivered_word).first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    page.get_by_role("button", name=heading).click()
    page.fill("#phone", "92-770-18-06")
    page.fill("#text", TEXT)
    page.get_by_role("button", name=preview).click()
    expect(page.locator("#urgent-preview")).to_contain_text("Каримова Зарина")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_label(confirm).check()
    page.locator("#send").click()
    page.wait_for_url(re.compile(r"/outbox/\d+$"))
    urgent = db.session.scalar(sa.select(Message).where(Message.urgent.is_(True)))
    assert urgent.body == TEXT and urgent.recipient == "+992927701806"
