"""The organizer's outbox page: every message's fate, and sending failed ones again."""
from __future__ import annotations

import sqlalchemy as sa

from forum.extensions import db
from forum.messaging import outbox
from forum.messaging.models import Message
from tests import factories, messaging_fixtures

# Fixtures shared by the messaging tests.
mail_app = messaging_fixtures.mail_app
smtp_server = messaging_fixtures.smtp_server


def _message(forum, recipient: str, status: str, error: str = "", channel: str = "email") -> Message:
    message = outbox.queue(channel=channel, recipient=recipient, subject="Приглашение: Круглый стол",
                           body="Здравствуйте!", forum=forum)
    message.status, message.last_error = status, error
    message.attempts = 0 if status == "queued" else 2
    db.session.commit()
    return message


def test_outbox_page_shows_each_message_with_its_status_and_the_servers_answer(mail_app, client, auth, forum):
    auth.login("organizer")
    registration = factories.make_registration(forum, factories.make_person("Иванова Мария", email="m@example.org"))
    sent = _message(forum, "m@example.org", "sent")
    sent.registration = registration
    _message(forum, "gone@example.org", "failed", "550 5.1.1 No such mailbox")
    _message(forum, "+992927701806", "queued", channel="sms")
    other = factories.make_forum()
    _message(other, "elsewhere@example.org", "failed", "550 nope")
    db.session.commit()

    page = client.get(f"/manage/{forum.slug}/outbox").get_data(as_text=True)
    assert "Сообщения" in page  # the tab
    assert "Иванова Мария" in page and "gone@example.org" in page and "+992927701806" in page
    assert "550 5.1.1 No such mailbox" in page and "Отправить снова" in page
    assert "elsewhere@example.org" not in page  # another forum's messages stay there
    failed_only = client.get(f"/manage/{forum.slug}/outbox?status=failed").get_data(as_text=True)
    assert "gone@example.org" in failed_only and "m@example.org" not in failed_only
    sms_only = client.get(f"/manage/{forum.slug}/outbox?channel=sms").get_data(as_text=True)
    assert "+992927701806" in sms_only and "gone@example.org" not in sms_only


def test_organizer_sends_a_failed_message_again_and_it_arrives(mail_app, smtp_server, client, auth, forum):
    auth.login("organizer")
    failed = _message(forum, "back@example.org", "failed", "451 4.3.0 try later")
    response = client.post(f"/manage/{forum.slug}/outbox/{failed.id}/retry")
    assert response.status_code == 302
    db.session.refresh(failed)
    assert failed.status == "queued" and failed.attempts == 0
    assert outbox.send_pending().sent == 1
    assert smtp_server.message_ids() == [failed.message_id]  # the same Message-ID as before
    page = client.get(f"/manage/{forum.slug}/outbox/{failed.id}").get_data(as_text=True)
    assert "Отправлено" in page and failed.message_id.strip("<>") in page
    # A sent message cannot be "retried" into a second copy.
    client.post(f"/manage/{forum.slug}/outbox/{failed.id}/retry")
    db.session.refresh(failed)
    assert failed.status == "sent"


def test_retry_all_failed_requeues_only_this_forums_failed_messages(mail_app, client, auth, forum):
    auth.login("organizer")
    for i in range(3):
        _message(forum, f"f{i}@example.org", "failed", "550 no")
    _message(forum, "ok@example.org", "sent")
    other = factories.make_forum()
    _message(other, "x@example.org", "failed", "550 no")
    response = client.post(f"/manage/{forum.slug}/outbox/retry-failed", follow_redirects=True)
    assert "3" in response.get_data(as_text=True)
    rows = dict(db.session.execute(sa.select(Message.recipient, Message.status)).all())
    assert [rows[f"f{i}@example.org"] for i in range(3)] == ["queued"] * 3
    assert rows["ok@example.org"] == "sent" and rows["x@example.org"] == "failed"


def test_a_message_of_another_forum_is_not_found(mail_app, client, auth, forum):
    auth.login("organizer")
    other = factories.make_forum()
    message = _message(other, "x@example.org", "failed", "550 no")
    assert client.get(f"/manage/{forum.slug}/outbox/{message.id}").status_code == 404
    assert client.post(f"/manage/{forum.slug}/outbox/{message.id}/retry").status_code == 404


def _load_demo():
    """The core demo, the agenda's part and ours (the full `forum demo` is tested elsewhere)."""
    from forum.agenda import demo as agenda_demo
    from forum.demo.core import load_core
    from forum.messaging import demo as messaging_demo

    forums = load_core()
    db.session.commit()
    for part in (agenda_demo, messaging_demo):
        part.load(forums)
        db.session.commit()


def test_demo_fills_the_isfara_outbox_without_sending(mail_app, smtp_server, client, auth, tmp_path):
    _load_demo()
    auth.login("organizer", email="colleague@forum.example")  # the demo's organizer has its own password
    page = client.get("/manage/isfara-2011/outbox").get_data(as_text=True)
    assert "550 5.1.1 Recipient address rejected" in page and "451 4.7.1 Greylisted" in page
    statuses = set(db.session.scalars(sa.select(Message.status)))
    assert {"queued", "sent", "failed"} <= statuses
    assert smtp_server.received == [] and not (tmp_path / "sms.log").exists()
    answers = client.get("/manage/isfara-2011/invitations").get_data(as_text=True)
    assert "Круглый стол" in answers
    count = db.session.scalar(sa.select(sa.func.count(Message.id)))
    _load_demo()
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == count  # idempotent
