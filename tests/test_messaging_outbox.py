"""The outbox against a real SMTP server: sent once, retried on 4xx, failed on 5xx, nothing
lost, and exactly once when a sender is killed mid-batch or two senders run at once."""
from __future__ import annotations

import signal
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from forum.db import utcnow
from forum.extensions import db
from forum.messaging import outbox
from forum.messaging.models import Message
from tests import messaging_fixtures
from tests.messaging_fixtures import sender_env, start_sender

# Fixtures shared by the messaging tests.
mail_app = messaging_fixtures.mail_app
smtp_server = messaging_fixtures.smtp_server

pytestmark = pytest.mark.both_dbs


def _queue_emails(forum, count: int, prefix: str = "person") -> list[Message]:
    messages = [outbox.queue(channel="email", recipient=f"{prefix}{i}@example.org", subject=f"Письмо {i}",
                             body=f"Здравствуйте, {i}!", forum=forum) for i in range(count)]
    db.session.commit()
    return messages


def _statuses() -> dict[str, int]:
    return dict(db.session.execute(sa.select(Message.status, sa.func.count()).group_by(Message.status)).all())


def test_queued_email_goes_out_once_with_its_stored_message_id(mail_app, smtp_server, forum):
    messages = _queue_emails(forum, 3)
    report = outbox.send_pending()
    assert report.sent == 3
    assert sorted(smtp_server.message_ids()) == sorted(m.message_id for m in messages)
    received = smtp_server.to("person1@example.org")[0]
    assert received["Subject"] == "Письмо 1"
    assert received.get_content().strip() == "Здравствуйте, 1!"
    db.session.expire_all()
    assert all(m.status == "sent" and m.sent_at and m.lease_owner is None for m in messages)
    assert outbox.send_pending().sent == 0
    assert len(smtp_server.received) == 3


def test_queue_only_adds_to_the_session_and_a_dedup_key_is_queued_once(mail_app, smtp_server, forum):
    outbox.queue(channel="email", recipient="a@example.org", body="x", forum=forum, dedup_key="k1")
    db.session.rollback()  # the change that caused it failed: no message either
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 0
    first = outbox.queue(channel="email", recipient="a@example.org", body="x", forum=forum, dedup_key="k1")
    second = outbox.queue(channel="email", recipient="a@example.org", body="x", forum=forum, dedup_key="k1")
    db.session.commit()
    assert first is not None and second is None
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 1


def test_refusing_server_4xx_then_5xx_retries_then_fails_with_the_reason_and_loses_nothing(
        mail_app, smtp_server, forum):
    smtp_server.refuse["gone@example.org"] = ["451 4.3.0 Mailbox busy, try later", "550 5.1.1 No such mailbox"]
    _queue_emails(forum, 2)
    refused = outbox.queue(channel="email", recipient="gone@example.org", body="Приглашение", forum=forum)
    db.session.commit()
    start = utcnow()

    first = outbox.send_pending(now=start)
    assert (first.sent, first.retry, first.failed) == (2, 1, 0)
    db.session.refresh(refused)
    assert refused.status == "queued" and refused.attempts == 1
    assert refused.last_error.startswith("451 4.3.0 Mailbox busy")
    assert refused.next_attempt_at >= start + timedelta(seconds=59)  # backoff, not at once
    assert outbox.send_pending(now=start + timedelta(seconds=30)).total == 0

    second = outbox.send_pending(now=start + timedelta(seconds=61))
    assert (second.sent, second.failed) == (0, 1)
    db.session.refresh(refused)
    assert refused.status == "failed" and refused.attempts == 2
    assert refused.last_error.startswith("550 5.1.1 No such mailbox")
    assert _statuses() == {"sent": 2, "failed": 1}
    assert sorted(m["To"] for m in smtp_server.received) == ["person0@example.org", "person1@example.org"]


def test_temporary_refusals_fail_the_message_after_the_last_try(mail_app, smtp_server, forum):
    mail_app.config["OUTBOX_MAX_ATTEMPTS"] = 3
    smtp_server.refuse_all = "452 4.2.2 Over quota"
    (message,) = _queue_emails(forum, 1)
    moment = utcnow()
    for _ in range(3):
        outbox.send_pending(now=moment)
        moment += timedelta(hours=4)
    db.session.refresh(message)
    assert message.status == "failed" and message.attempts == 3
    assert "452 4.2.2 Over quota" in message.last_error


def test_unreachable_smtp_server_keeps_mail_queued_and_still_sends_sms(mail_app, smtp_server, forum, tmp_path):
    mail_app.config["SMTP_PORT"] = 1  # nothing listens there
    _queue_emails(forum, 3)
    tomorrow = utcnow() + timedelta(days=1)
    sms = outbox.queue(channel="sms", recipient="+992927701806", body="Форум: приглашение", forum=forum,
                       not_before=tomorrow.replace(hour=6, minute=0))  # 11:00 in Dushanbe, inside the sending hours
    db.session.commit()
    report = outbox.send_pending(now=tomorrow.replace(hour=6, minute=30))
    assert report.sent == 1 and report.retry == 1  # one email tried, the others not burnt
    statuses = dict(db.session.execute(sa.select(Message.recipient, Message.status)).all())
    assert statuses[sms.recipient] == "sent"
    tried = db.session.scalars(sa.select(Message).where(Message.last_error != "", Message.channel == "email")).all()
    assert len(tried) == 1 and tried[0].last_error.startswith("SMTP 127.0.0.1:1:")
    assert tried[0].attempts == 0  # a server that is down costs the message none of its tries
    assert [m.status for m in db.session.scalars(sa.select(Message).where(Message.channel == "email"))] == ["queued"] * 3


def test_a_held_message_is_not_claimed_until_its_lease_runs_out(mail_app, forum):
    mail_app.config["OUTBOX_LEASE_SECONDS"] = 60
    (message,) = _queue_emails(forum, 1)
    now = utcnow()
    held = outbox.claim_next("worker-a", now=now)
    assert held.id == message.id and held.status == "sending" and held.attempts == 1
    assert outbox.claim_next("worker-b", now=now + timedelta(seconds=59)) is None
    taken = outbox.claim_next("worker-b", now=now + timedelta(seconds=61))
    assert taken.id == message.id and taken.lease_owner == "worker-b" and taken.attempts == 2
    # The first worker may not record an outcome for a message it no longer holds.
    assert outbox._finish(held, "worker-a", status="sent") is False


def test_killed_sender_then_two_senders_at_once_deliver_every_message_exactly_once(
        mail_app, smtp_server, forum, db_url, tmp_path):
    total = 30
    messages = _queue_emails(forum, total)
    lease = 60
    env = sender_env(db_url, smtp_server.port, tmp_path, FORUM_OUTBOX_LEASE_SECONDS=str(lease))

    # The server stalls on the 8th message: the sender is killed while it waits for the answer.
    smtp_server.stall_at, smtp_server.stall_seconds = 8, 20
    victim = start_sender(env)
    assert smtp_server.stalled.wait(60), victim.communicate(timeout=5)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    db.session.expire_all()
    assert _statuses() == {"sent": 7, "sending": 1, "queued": total - 8}

    # Two senders at once, on a clock the test holds: past the dead sender's lease, and still
    # while they work (however slow the machine), so neither ever takes over the other's message.
    later = utcnow() + timedelta(seconds=lease + 1)
    mail_app.config["OUTBOX_LEASE_SECONDS"] = lease
    held = db.session.scalar(sa.select(Message).where(Message.status == "sending"))
    assert utcnow() < held.lease_until < later  # held now; free on the senders' clock
    smtp_server.data_delay = 0.02  # slow enough for the two senders to overlap
    start = threading.Barrier(2)
    reports, errors = {}, []

    def sender(name: str) -> None:
        try:
            with mail_app.app_context():
                start.wait()
                reports[name] = outbox.send_pending(worker=name, now=later)
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=sender, args=(name,)) for name in ("sender-a", "sender-b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors

    ids = smtp_server.message_ids()
    assert len(ids) == total
    assert sorted(ids) == sorted(m.message_id for m in messages)  # each exactly once, none lost
    db.session.expire_all()
    assert _statuses() == {"sent": total}
    assert sum(report.sent for report in reports.values()) == total - 7
    assert all(report.lost_lease == 0 for report in reports.values())


def test_a_looping_worker_sends_what_gets_queued_and_stops_cleanly_on_sigterm(
        mail_app, smtp_server, forum, db_url, tmp_path):
    worker = start_sender(sender_env(db_url, smtp_server.port, tmp_path), "--loop", "--interval", "0.2")
    try:
        (message,) = _queue_emails(forum, 1)
        assert smtp_server.delivered.wait(120)  # an event, not a clock: slow machines only wait longer
        assert smtp_server.message_ids() == [message.message_id]
    finally:
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=30)
    assert worker.returncode == 0, err
    assert "sent: 1," in out
    db.session.expire_all()
    assert message.status == "sent"
