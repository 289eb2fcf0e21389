"""The urgent SMS: an organizer writes to one of the forum's people, previews it with its SMS
parts, confirms, and the outbox sends it at once, outside the sending hours too."""
from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from forum.db import utcnow
from forum.extensions import db
from forum.messaging import outbox
from forum.messaging.models import Message
from forum.messaging.sms import sms_parts
from tests import factories, messaging_fixtures

# Fixtures shared by the messaging tests.
mail_app = messaging_fixtures.mail_app
smtp_server = messaging_fixtures.smtp_server

DUSHANBE = ZoneInfo("Asia/Dushanbe")
URGENT = ("Диққат! Мизи мудаввар имрӯз на дар толори 2, балки дар толори 1-и Хонаи фарҳанг мегузарад. "
          "Соати 10:00.")  # two UCS-2 parts


def _tonight() -> datetime:
    """22:30 in Dushanbe tomorrow: outside the sending hours, and later than anything queued now."""
    day = (utcnow() + timedelta(days=1)).astimezone(DUSHANBE).date()
    return datetime.combine(day, time(22, 30), tzinfo=DUSHANBE)


def _sms_log(tmp_path) -> list[str]:
    path = tmp_path / "sms.log"
    return [line.split("\t")[3] for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def _messages() -> list[Message]:
    return list(db.session.scalars(sa.select(Message).order_by(Message.id)))


@pytest.fixture
def participant(forum):
    person = factories.make_person("Каримова Зарина", phone="+992927701806", language="tg")
    return factories.make_registration(forum, person)


def test_organizer_previews_confirms_and_the_urgent_sms_goes_out_at_night(mail_app, client, auth, forum, participant,
                                                                         tmp_path):
    mail_app.config["SMS_HOURS"] = "09:00-20:00"
    night = _tonight()
    waiting = outbox.queue(channel="sms", recipient="+992927701806", body="Обычное SMS", forum=forum, not_before=night)
    db.session.commit()
    auth.login("organizer")
    form = client.get(f"/manage/{forum.slug}/outbox/urgent").get_data(as_text=True)
    assert "Срочное SMS" in form and "09:00–20:00" in form
    nonce = form.split('name="nonce" type="hidden" value="')[1].split('"')[0]

    data = {"nonce": nonce, "phone": "92-770-18-06", "text": URGENT}
    preview = client.post(f"/manage/{forum.slug}/outbox/urgent", data=dict(data, preview="y")).get_data(as_text=True)
    assert sms_parts(URGENT) == 2 and "2 части SMS" in preview
    assert "Каримова Зарина" in preview and "Диққат!" in preview
    assert _messages() == [waiting]  # a preview queues nothing

    data["registration_id"] = str(participant.id)
    unconfirmed = client.post(f"/manage/{forum.slug}/outbox/urgent", data=dict(data, send="y"))
    assert unconfirmed.status_code == 200 and "Отметьте" in unconfirmed.get_data(as_text=True)
    assert _messages() == [waiting]

    sent = client.post(f"/manage/{forum.slug}/outbox/urgent", data=dict(data, send="y", confirm="y"))
    assert sent.status_code == 302
    again = client.post(f"/manage/{forum.slug}/outbox/urgent", data=dict(data, send="y", confirm="y"))
    assert again.headers["Location"] == sent.headers["Location"]  # a double tap: the same one SMS
    urgent = _messages()[-1]
    assert len(_messages()) == 2 and urgent.urgent and urgent.registration_id == participant.id
    assert urgent.language == "tg" and urgent.recipient == "+992927701806"

    report = outbox.send_pending(now=night)
    assert report.sent == 1 and _sms_log(tmp_path) == [URGENT]  # the other SMS still waits for 09:00
    db.session.refresh(waiting)
    assert waiting.status == "queued"
    page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Срочное" in page and "Отправлено" in page


def test_an_urgent_sms_goes_before_the_messages_already_due(mail_app, forum, participant, tmp_path):
    for n in range(3):
        outbox.queue(channel="sms", recipient=f"+99292770190{n}", body=f"Приглашение {n}", forum=forum,
                     not_before=utcnow() - timedelta(hours=1))
    from forum.messaging import urgent

    urgent.queue_urgent(forum, participant, URGENT, nonce="n1")
    db.session.commit()
    assert outbox.send_pending(limit=1).sent == 1
    assert _sms_log(tmp_path) == [URGENT]


def test_the_message_page_offers_an_urgent_sms_to_its_person(mail_app, client, auth, forum, participant):
    message = outbox.queue(channel="sms", recipient="+992927701806", body="x", forum=forum, registration=participant)
    db.session.commit()
    auth.login("organizer")
    detail = client.get(f"/manage/{forum.slug}/outbox/{message.id}").get_data(as_text=True)
    link = f"/manage/{forum.slug}/outbox/urgent?registration={participant.id}"
    assert link in detail
    form = client.get(link).get_data(as_text=True)
    assert "Каримова Зарина" in form and 'name="phone"' not in form


@pytest.mark.parametrize("phone, text, error", [
    ("+992 93 000 00 01", URGENT, "Никто из зарегистрированных на этот форум"),  # not one of the forum's people
    ("92 770", URGENT, "+992 92 770 18 06"),  # not a number: the error names the accepted forms
    ("92 770 18 06", URGENT * 4, "Частей SMS в этом тексте: 7"),  # longer than an urgent SMS may be
])
def test_an_urgent_sms_goes_only_to_the_forums_people_and_stays_short(mail_app, client, auth, forum, participant,
                                                                      phone, text, error):
    factories.make_registration(factories.make_forum(slug="other"),
                                factories.make_person("Чужой Человек", phone="+992930000001"))
    auth.login("organizer")
    page = client.post(f"/manage/{forum.slug}/outbox/urgent",
                       data={"nonce": "n", "phone": phone, "text": text, "preview": "y"}).get_data(as_text=True)
    assert error in page and "Отправить сейчас" not in page
    assert _messages() == []


def test_a_registration_of_another_forum_cannot_be_texted(mail_app, client, auth, forum):
    stranger = factories.make_registration(factories.make_forum(slug="other"))
    auth.login("organizer")
    page = client.post(f"/manage/{forum.slug}/outbox/urgent", data={
        "nonce": "n", "registration_id": str(stranger.id), "text": URGENT, "send": "y", "confirm": "y"})
    assert page.status_code == 200 and _messages() == []


@pytest.mark.parametrize("role", ["staff", "employer", "jury"])
def test_only_organizers_send_urgent_sms(mail_app, client, auth, forum, participant, role):
    assert client.get(f"/manage/{forum.slug}/outbox/urgent").status_code == 302  # to the login page
    auth.login(role)
    assert client.get(f"/manage/{forum.slug}/outbox/urgent").status_code == 403
    data = {"nonce": "n", "registration_id": str(participant.id), "text": URGENT, "send": "y", "confirm": "y"}
    assert client.post(f"/manage/{forum.slug}/outbox/urgent", data=data).status_code == 403
    assert _messages() == []
