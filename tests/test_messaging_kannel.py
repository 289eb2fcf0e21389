"""SMS through a real Kannel (bearerbox, smsbox, fakesmsc as the operator): Tajik letters intact,
long texts concatenated, delivery reports back on the outbox page, and nothing lost or sent
twice when Kannel is down or its answer is lost."""
from __future__ import annotations

import re
import threading
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import request_finished

from bench import deadline
from forum.db import utcnow
from forum.extensions import db
from forum.messaging import outbox
from forum.messaging.models import Message
from forum.messaging.sms import sms_parts
from tests import kannel_fixtures, messaging_fixtures
from tests.kannel_fixtures import AnswerDroppingProxy

# Fixtures shared by the messaging tests.
mail_app = messaging_fixtures.mail_app
smtp_server = messaging_fixtures.smtp_server
kannel = kannel_fixtures.kannel
kannel_app = kannel_fixtures.kannel_app

REPORT_SECONDS = 20.0  # on an idle machine, for Kannel's delivery report to come back

TEXT = "Салом, Зарина! Форум 5 май, Хонаи фарҳанг: ғ ӣ қ ӯ ҳ ҷ Ғ Ӣ Қ Ӯ Ҳ Ҷ"  # one UCS-2 part
LONG = ("Ҳамаи аъзоёни гурӯҳҳои худёрӣ! "
        + "Форум 5 май дар Хонаи фарҳанги Исфара, соати 9:00; ҷамоатҳо, қарзҳои хурд ва ҷойҳои корӣ. " * 2).strip()


def _queue(forum, phone: str, text: str = TEXT) -> Message:
    message = outbox.queue(channel="sms", recipient=phone, body=text, forum=forum)
    db.session.commit()
    return message


def _fresh(message: Message) -> Message:
    db.session.rollback()  # see what the live server (delivery reports) committed
    return db.session.get(Message, message.id)


def _until(predicate) -> bool:
    """Whether `predicate` holds once the delivery reports are in: checked again each time the
    live server (in this process) has answered a request, Kannel's reports being requests to
    it; never on a timer. The load-stretched REPORT_SECONDS only ends a wait for a report that
    never comes."""
    answered = threading.Event()

    def woke(_sender, **_extra) -> None:
        answered.set()

    until = deadline(REPORT_SECONDS)
    with request_finished.connected_to(woke):
        while True:
            answered.clear()  # before the check: a report answered from now on wakes the wait
            if predicate():
                return True
            if not answered.wait(max(0.0, until - time.monotonic())):
                return False


def test_tajik_letters_arrive_intact_and_the_delivery_report_shows_on_the_outbox(kannel_app, kannel, client, auth,
                                                                                  forum):
    mark = kannel.mark()
    message = _queue(forum, "+992927701806")
    assert outbox.send_pending().sent == 1
    (sms,) = kannel.wait_for(1, after=mark, to="+992927701806")
    assert sms.text == TEXT and sms.parts == 1
    assert all(letter in sms.text for letter in "ғӣқӯҳҷҒӢҚӮҲҶ")
    assert _until(lambda: _fresh(message).delivery == "delivered")
    auth.login("organizer")
    page = client.get(f"/manage/{forum.slug}/outbox?channel=sms").get_data(as_text=True)
    assert "Доставлено" in page


def test_a_long_text_arrives_as_one_concatenated_sms(kannel_app, kannel, forum):
    assert sms_parts(LONG) == 4
    mark = kannel.mark()
    message = _queue(forum, "+992927701807", LONG)
    assert outbox.send_pending().sent == 1
    (sms,) = kannel.wait_for(1, after=mark, to="+992927701807")
    assert (sms.text, sms.parts) == (LONG, 4)
    assert _until(lambda: _fresh(message).delivery == "delivered")  # one report for the four parts


def test_a_stopped_kannel_keeps_sms_queued_and_each_goes_once_when_it_is_back(kannel_app, kannel, forum):
    phones = ["+992927701811", "+992927701812", "+992927701813"]
    mark = kannel.mark()
    kannel.stop()
    messages = [_queue(forum, phone, f"{TEXT} {n}") for n, phone in enumerate(phones)]
    start = utcnow()
    for minutes in (0, 2, 4, 6):  # a worker keeps looking while Kannel is down
        down = outbox.send_pending(now=start + timedelta(minutes=minutes))
        assert down.sent == 0 and down.retry == 1  # one tried; the channel is then left alone for this run
    queued = [_fresh(m) for m in messages]
    assert [m.status for m in queued] == ["queued"] * 3
    assert all(m.attempts == 0 for m in queued)  # Kannel being down costs no message a try
    assert any("ConnectionRefusedError" in m.last_error for m in queued)

    kannel.start()
    kannel_app.config["KANNEL_URL"] = kannel.sendsms_url
    assert outbox.send_pending(now=start + timedelta(minutes=10)).sent == 3
    assert outbox.send_pending(now=start + timedelta(hours=3)).total == 0
    received = kannel.wait_for(3, after=mark)
    assert sorted(sms.receiver for sms in received) == phones
    assert _until(lambda: all(_fresh(m).delivery == "delivered" for m in messages))
    assert len(kannel.received(after=mark)) == 3  # and nothing came twice


def test_an_sms_whose_answer_was_lost_is_not_sent_again_and_its_report_settles_it(kannel_app, kannel, forum):
    mark = kannel.mark()
    with AnswerDroppingProxy(kannel.ports["sendsms"]) as proxy:
        kannel_app.config["KANNEL_URL"] = f"http://127.0.0.1:{proxy.port}/cgi-bin/sendsms"
        message = _queue(forum, "+992927701808")
        report = outbox.send_pending()
        assert (report.sent, report.unconfirmed, proxy.forwarded) == (1, 1, 1)
    lost = _fresh(message)
    assert lost.status == "sent" and "answer was lost" in lost.last_error
    assert outbox.send_pending(now=utcnow() + timedelta(hours=3)).total == 0  # never again by itself
    (sms,) = kannel.wait_for(1, after=mark, to="+992927701808")
    assert sms.text == TEXT
    assert _until(lambda: _fresh(message).delivery == "delivered")
    assert len(kannel.received(after=mark)) == 1


def test_kannel_refusing_our_login_keeps_sms_queued_with_its_answer(kannel_app, kannel, forum):
    kannel_app.config["KANNEL_PASSWORD"] = "not-the-password"
    mark = kannel.mark()
    message = _queue(forum, "+992927701809")
    report = outbox.send_pending()
    assert (report.sent, report.retry) == (0, 1)
    refused = _fresh(message)
    assert refused.status == "queued" and refused.attempts == 0
    assert "403" in refused.last_error and "Authorization failed" in refused.last_error
    assert kannel.received(after=mark) == []


@pytest.mark.parametrize("recipient, error", [
    ("+992927701810", None),
    ("", "Empty receiver number not allowed"),  # smsbox refuses the request: permanent
])
def test_smsbox_answers_map_to_sent_or_a_final_failure(kannel_app, kannel, forum, recipient, error):
    message = _queue(forum, recipient)
    report = outbox.send_pending()
    sent = _fresh(message)
    if error is None:
        assert report.sent == 1 and sent.status == "sent"
    else:
        assert report.failed == 1 and sent.status == "failed" and error in sent.last_error


def test_a_new_registration_gets_its_link_through_kannel_with_tajik_letters_intact(kannel_app, kannel, client,
                                                                                   forum):
    forum.city = {"ru": "Исфара", "tg": "Чорбоғ, Қӯрғонча (Ҳисорӣ)", "en": "Isfara"}
    db.session.commit()
    mark = kannel.mark()
    response = client.post(f"/f/{forum.slug}/register", data={
        "full_name": "Қодирова Ҷамила", "phone": "92 770 18 09", "language": "tg", "category": "shg_member",
        "jamoat_id": "0", "consent": "y"})
    assert response.headers["Location"] == f"/f/{forum.slug}/link/sent"
    assert outbox.send_pending().sent == 1
    (sms,) = kannel.wait_for(1, after=mark, to="+992927701809")
    queued = db.session.scalar(sa.select(Message).where(Message.recipient == "+992927701809"))
    assert sms.text == queued.body and sms.parts <= 2
    assert all(letter in sms.text.lower() for letter in "ғӣқӯҳҷ")
    short = re.search(r"/l/[A-Z0-9]+", sms.text).group(0)
    page = client.get(short, follow_redirects=True).get_data(as_text=True)
    assert "Қодирова Ҷамила" in page and '<html lang="tg">' in page
