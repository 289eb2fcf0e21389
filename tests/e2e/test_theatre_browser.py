"""In a real browser: a troupe asks for a slot from a 360 px phone, the organizer approves and
assigns it, the public theatre page shows it."""
from __future__ import annotations

import re

import sqlalchemy as sa

from forum.extensions import db
from forum.messaging.models import Message
from forum.theatre.models import Performance
from tests import factories
from tests.theatre_fixtures import make_slots, theatre_forum


def test_troupe_requests_from_a_phone_organizer_assigns_public_sees_it(live_server, page, app):
    forum = theatre_forum()
    second_slot = str(make_slots(forum)[1].id)
    factories.make_user("organizer")
    page.goto(f"{live_server.url}/f/isfara-test/theatre/request")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.fill("#troupe_name", "Театр «Ойина»")
    page.fill("#title-ru", "Письмо из России")
    page.fill("#duration_minutes", "25")
    page.fill("#cast_size", "3")
    page.fill("#contact_name", "Сафарова Нигина")
    page.fill("#contact_phone", "92 770 18 06")
    page.fill("#cast-0-full_name", "Холов Далер")
    page.check("#consent")
    page.click("input[type=submit]")
    page.wait_for_url("**/theatre/received")
    # The troupe's page comes by SMS, as for any contact: open the link the SMS carries.
    db.session.remove()
    sms = db.session.scalar(sa.select(Message.body).where(Message.channel == "sms"))
    page.goto(re.search(r"https?://\S+/r/[\w-]+", sms).group(0).replace(app.config["BASE_URL"], live_server.url))
    assert "Ждёт решения организаторов" in page.content()

    page.goto(f"{live_server.url}/auth/login")
    page.fill("input[name=email]", "organizer@forum.example")
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url(re.compile(r"/manage"))
    db.session.remove()
    performance_id = db.session.scalar(sa.select(Performance.id))
    page.goto(f"{live_server.url}/manage/isfara-test/theatre/{performance_id}")
    # A pending request has no slot choice: the organizer approves it first.
    assert page.locator("#slot_id").count() == 0
    page.click("button[value=approve]")
    page.wait_for_selector("#slot_id")
    page.select_option("#slot_id", second_slot)
    page.click("text=Занять этот слот")
    page.wait_for_selector("text=Забронировано")

    page.goto(f"{live_server.url}/f/isfara-test/theatre")
    text = page.inner_text("main")
    assert "Письмо из России" in text and "Театр «Ойина»" in text and "10:45" in text
    assert "Сафарова" not in text
