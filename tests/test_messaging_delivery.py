"""Delivery reports of SMS at /sms/report/<id>/<token>: only with the message's own token, never
backwards, shown on the outbox page; an undelivered SMS can be sent again as a new SMS. And how
smsbox's answers become a sent, retried or failed message."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from forum.db import utcnow
from forum.extensions import db
from forum.messaging import delivery, outbox
from forum.messaging.kannel import KannelGateway, check_answer
from forum.messaging.models import Message
from forum.messaging.sms import GatewayDown, SmsError
from tests import messaging_fixtures

# Fixtures shared by the messaging tests.
mail_app = messaging_fixtures.mail_app
smtp_server = messaging_fixtures.smtp_server

TEXT = "Форум: залро иваз карданд, Хонаи фарҳанг, толори 2."


def _sent_sms(forum, phone: str = "+992927701806") -> Message:
    message = outbox.queue(channel="sms", recipient=phone, body=TEXT, forum=forum)
    db.session.commit()
    assert outbox.send_pending().sent == 1  # through the log gateway
    db.session.refresh(message)
    return message


def _report_path(message: Message) -> str:
    return urlsplit(delivery.report_url(message)).path


@pytest.mark.both_dbs
def test_a_report_needs_the_messages_own_token_and_never_goes_backwards(mail_app, client, forum):
    first, second = _sent_sms(forum), _sent_sms(forum, "+992927701807")
    path = _report_path(first)
    assert delivery.report_url(first).startswith("https://forum.example/sms/report/")
    assert client.get(f"{path[:-1]}x?status=1").status_code == 404  # a guessed token
    assert client.get(f"/sms/report/{second.id}/{path.rsplit('/', 1)[1]}?status=1").status_code == 404
    assert client.get(f"{path}?status=3").status_code == 400  # not a Kannel report type
    assert client.get(f"{path}?status=8&answer=ACK/").status_code == 200
    db.session.refresh(first)
    assert first.delivery == "accepted" and first.delivery_note == "ACK/"
    assert client.get(f"{path}?status=1").get_data(as_text=True) == "ok\n"
    for replay in ("8", "2", "1"):  # late, replayed or contradicting reports change nothing
        assert client.get(f"{path}?status={replay}").status_code == 200
    db.session.refresh(first)
    db.session.refresh(second)
    assert first.delivery == "delivered" and first.delivery_at is not None
    assert second.delivery is None


def test_an_undelivered_sms_shows_and_is_sent_again_as_a_new_sms(mail_app, client, auth, forum, tmp_path):
    auth.login("organizer")
    message = _sent_sms(forum)
    old_path, old_id = _report_path(message), message.message_id
    client.get(f"{old_path}?status=2&answer=stat:UNDELIV")
    page = client.get(f"/manage/{forum.slug}/outbox?delivery=undelivered").get_data(as_text=True)
    assert "Не доставлено" in page and "+992927701806" in page and "Отправить снова" in page
    detail = client.get(f"/manage/{forum.slug}/outbox/{message.id}").get_data(as_text=True)
    assert "stat:UNDELIV" in detail

    assert client.post(f"/manage/{forum.slug}/outbox/{message.id}/retry").status_code == 302
    db.session.refresh(message)
    assert message.status == "queued" and message.delivery is None and message.message_id != old_id
    assert outbox.send_pending().sent == 1
    assert client.get(f"{old_path}?status=1").status_code == 404  # the earlier send's report is not this one's
    assert client.get(f"{_report_path(message)}?status=1").status_code == 200
    db.session.refresh(message)
    assert message.delivery == "delivered"
    assert len((tmp_path / "sms.log").read_text(encoding="utf-8").splitlines()) == 2
    # Delivered: nothing to send again.
    client.post(f"/manage/{forum.slug}/outbox/{message.id}/retry")
    db.session.refresh(message)
    assert message.status == "sent"


def test_an_sms_reported_on_while_its_sender_died_is_not_sent_again(mail_app, forum, tmp_path):
    mail_app.config["OUTBOX_LEASE_SECONDS"] = 60
    message = outbox.queue(channel="sms", recipient="+992927701806", body=TEXT, forum=forum)
    db.session.commit()
    start = utcnow()
    held = outbox.claim_next("worker-that-dies", now=start)
    # The gateway took it and reported, but the sender died before it recorded "sent".
    assert delivery.record(held, "accepted")
    db.session.commit()
    assert outbox.send_pending(now=start + timedelta(seconds=61)).sent == 1  # the lease ran out: taken over
    db.session.refresh(message)
    assert message.status == "sent" and message.delivery == "accepted"
    assert not (tmp_path / "sms.log").exists()  # and not sent a second time


def test_an_email_has_no_delivery_report(mail_app, client, forum):
    email = outbox.queue(channel="email", recipient="a@example.org", body="x", forum=forum)
    db.session.commit()
    assert client.get(f"{_report_path(email)}?status=1").status_code == 404


@pytest.mark.parametrize("status, answer, outcome", [
    (202, "0: Accepted for delivery", None),
    (202, "3: Queued for later delivery", None),  # no SMS centre connected: Kannel keeps it
    (503, "Temporal failure, try again later.", "temporary"),
    (500, "Sending failed.", "temporary"),
    (403, "Not routable. Do not try again.", "permanent"),
    (400, "Number(s) has/have been denied by white- and/or black-lists.", "permanent"),
    (403, "Authorization failed for sendsms", "down"),
    (400, "Sender missing and no global set, rejected", "down"),
    (404, "Unknown request.", "down"),
])
def test_smsbox_answers_become_sent_retried_waiting_or_failed(status, answer, outcome):
    if outcome is None:
        assert check_answer(status, answer) is None
        return
    with pytest.raises(SmsError) as raised:
        check_answer(status, answer)
    error = raised.value
    assert isinstance(error, GatewayDown) == (outcome == "down")
    assert error.permanent == (outcome == "permanent")
    assert answer in str(error)


def test_the_sendsms_request_asks_for_ucs2_and_delivery_reports():
    gateway = KannelGateway({"KANNEL_URL": "http://127.0.0.1:13013/cgi-bin/sendsms", "KANNEL_USER": "forum",
                             "KANNEL_PASSWORD": "p&ss", "KANNEL_TIMEOUT": 5})
    target = gateway.request_target("+992927701806", "ғ ӣ қ", "https://forum.example/sms/report/7/abc")
    path, _sep, query = target.partition("?")
    params = {key: values[0] for key, values in parse_qs(query).items()}
    assert path == "/cgi-bin/sendsms"
    assert params == {"username": "forum", "password": "p&ss", "to": "+992927701806", "text": "ғ ӣ қ", "coding": "2",
                      "charset": "UTF-8", "dlr-mask": "31",
                      "dlr-url": "https://forum.example/sms/report/7/abc?status=%d&answer=%A"}


def test_the_kannel_backend_needs_its_url(mail_app, forum):
    mail_app.config.update(SMS_BACKEND="kannel", KANNEL_URL="")
    message = outbox.queue(channel="sms", recipient="+992927701806", body=TEXT, forum=forum)
    db.session.commit()
    assert outbox.send_pending().sent == 0
    db.session.refresh(message)
    assert message.status == "queued" and "KANNEL_URL" in message.last_error
