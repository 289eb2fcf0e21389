"""The outbox's rules as the organizers meet them: an SMS goes at the first minute of the
sending hours and never a minute after, a sender that lost a message to another counts
nothing, and only what failed (or an SMS the operator could not deliver) is sent again.

Mutants of forum/messaging/outbox.py left alive by `make mutate`, and why:
- `.limit(1)` → `.limit(2)` in `claim_next`: the claim compares the id with a scalar subquery;
  SQLite takes the first of two rows, so on SQLite the mutant behaves the same (PostgreSQL
  refuses a subquery of two rows: the both_dbs tests kill it when FORUM_TEST_DATABASE_URL is set).
- `populate_existing=True` → `False` in `claim_next`: the claim commits just before, and a
  commit expires every object of the session, so the message is read afresh either way.
- `== "postgresql"` → `!= "postgresql"` and `skip_locked=True` → `False` in `claim_next`: on
  SQLite, FOR UPDATE is not compiled at all, so asking for it changes nothing there; the
  PostgreSQL runs of the two-senders test hold it.
- `uuid4().hex[:6]` → `[:7]` in `worker_name`: how long the random part of a sender's name
  is does not matter, only that it is there (tested).
- `local.time() < start` → `<=` in `next_sms_time`: a moment at the window's very start has
  already been returned as inside the window two lines above, so the two never differ.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from forum.db import utcnow
from forum.extensions import db
from forum.messaging import delivery, outbox, settings
from forum.messaging.channels import Channels
from forum.messaging.models import Message
from forum.messaging.sms import AnswerLost
from tests import factories, messaging_fixtures

mail_app = messaging_fixtures.mail_app
smtp_server = messaging_fixtures.smtp_server

pytestmark = pytest.mark.both_dbs

DUSHANBE = ZoneInfo("Asia/Dushanbe")
PHONE = "+992927701806"


def _local(day: int, hour: int, minute: int = 0, second: int = 0, micro: int = 0) -> datetime:
    return datetime(2011, 5, day, hour, minute, second, micro, tzinfo=DUSHANBE)


def test_an_sms_goes_from_the_first_minute_of_the_sending_hours_until_just_before_their_end(mail_app):
    mail_app.config["SMS_HOURS"] = "09:00-20:00"
    assert outbox.next_sms_time(_local(5, 8, 59)) == _local(5, 9)  # early morning: today at nine
    assert outbox.next_sms_time(_local(5, 9)) == _local(5, 9)  # nine o'clock itself is inside
    assert outbox.next_sms_time(_local(5, 13, 30)) == _local(5, 13, 30)
    assert outbox.next_sms_time(_local(5, 19, 59)) == _local(5, 19, 59)
    assert outbox.next_sms_time(_local(5, 20)) == _local(6, 9)  # eight in the evening is too late
    assert outbox.next_sms_time(_local(5, 23, 10)) == _local(6, 9)
    assert outbox.in_sms_hours(_local(5, 9)) and not outbox.in_sms_hours(_local(5, 20))
    # The answer is in the zone the moment came in (UTC here), the same instant.
    utc = _local(5, 7).astimezone(ZoneInfo("UTC"))
    assert outbox.next_sms_time(utc) == _local(5, 9) and outbox.next_sms_time(utc).tzinfo == ZoneInfo("UTC")


def test_hours_open_until_midnight_include_its_last_instant(mail_app):
    mail_app.config["SMS_HOURS"] = "08:00-24:00"
    last = _local(5, 23, 59, 59, 999999)  # time.max, where "24:00" ends
    assert last.timetz().replace(tzinfo=None) == time.max
    assert outbox.next_sms_time(last) == last
    assert outbox.next_sms_time(_local(5, 7, 59)) == _local(5, 8)


def test_a_clean_run_counts_nothing_unconfirmed_or_lost(mail_app, smtp_server, forum):
    outbox.queue(channel="email", recipient="a@example.org", body="Приглашение", forum=forum)
    db.session.commit()
    report = outbox.send_pending()
    assert (report.sent, report.retry, report.failed, report.deferred) == (1, 0, 0, 0)
    assert (report.unconfirmed, report.lost_lease, report.errors) == (0, 0, [])


def test_a_sender_too_slow_for_its_lease_does_not_count_a_message_another_sender_took_over(
        mail_app, smtp_server, forum):
    message = outbox.queue(channel="email", recipient="a@example.org", body="Приглашение", forum=forum)
    db.session.commit()
    start = utcnow()
    held = outbox.claim_next("slow", now=start)
    lease = settings.setting(mail_app.config, "OUTBOX_LEASE_SECONDS", int)
    # The slow sender hung past its lease: a second sender takes the message over.
    assert outbox.claim_next("quick", now=start + timedelta(seconds=lease + 1)).id == message.id
    report = outbox.Report()
    with Channels(mail_app) as channels:
        assert outbox.deliver(held, channels, "slow", report, now=start) == "sent"
    assert (report.sent, report.lost_lease) == (0, 1)
    db.session.refresh(message)
    assert message.status == "sending" and message.lease_owner == "quick" and message.attempts == 2


class LostAnswerGateway:
    """An operator's gateway that takes every SMS but whose answer never comes back."""

    def __init__(self, config):
        self.config = config

    def send(self, phone: str, text: str, message_id: str = "", report_url: str = "") -> None:
        raise AnswerLost("read timed out")


def test_an_sms_whose_answer_was_lost_is_sent_once_and_not_counted_by_a_sender_that_lost_it(
        mail_app, forum):
    mail_app.config["SMS_BACKEND"] = "tests.test_messaging_outbox_rules:LostAnswerGateway"
    first = outbox.queue(channel="sms", recipient=PHONE, body="Завтра в 9:00", forum=forum)
    db.session.commit()
    report = outbox.send_pending()
    assert (report.sent, report.unconfirmed, report.lost_lease) == (1, 1, 0)
    db.session.refresh(first)
    assert first.status == "sent" and first.delivery == "unconfirmed" and first.last_error == "read timed out"
    assert outbox.can_retry(first)  # the organizer may send it again by hand

    second = outbox.queue(channel="sms", recipient=PHONE, body="Зал 2", forum=forum)
    db.session.commit()
    start = utcnow()
    held = outbox.claim_next("slow", now=start)
    lease = settings.setting(mail_app.config, "OUTBOX_LEASE_SECONDS", int)
    outbox.claim_next("quick", now=start + timedelta(seconds=lease + 1))
    late = outbox.Report()
    with Channels(mail_app) as channels:
        assert outbox.deliver(held, channels, "slow", late, now=start) == "unconfirmed"
    assert (late.sent, late.unconfirmed, late.lost_lease) == (0, 0, 1)
    db.session.refresh(second)
    assert second.status == "sending" and second.lease_owner == "quick"


class HolderGateway:
    """A gateway that notes who holds each SMS while it is being sent."""

    holders: list[str | None] = []

    def __init__(self, config):
        self.config = config

    def send(self, phone: str, text: str, message_id: str = "", report_url: str = "") -> None:
        HolderGateway.holders.append(db.session.scalar(
            sa.select(Message.lease_owner).where(Message.message_id == message_id)))


def test_while_an_sms_is_sent_it_is_held_by_a_named_sender(mail_app, forum):
    mail_app.config["SMS_BACKEND"] = "tests.test_messaging_outbox_rules:HolderGateway"
    HolderGateway.holders = []
    outbox.queue(channel="sms", recipient=PHONE, body="Завтра в 9:00", forum=forum)
    db.session.commit()
    assert outbox.send_pending().sent == 1  # no worker given: the sender names itself
    (holder,) = HolderGateway.holders
    assert holder and holder.count(":") == 2  # host:pid:random, so two unnamed senders differ


def test_a_refusal_that_does_not_say_it_is_permanent_is_tried_again():
    assert outbox.DeliveryError("451 try later").permanent is False
    assert outbox.DeliveryError("550 no such mailbox", permanent=True).permanent is True


def _message(forum, channel: str, status: str, delivery: str | None = None, urgent: bool = False) -> Message:
    message = outbox.queue(channel=channel, recipient=PHONE if channel == "sms" else "a@example.org",
                           body="Текст", forum=forum, urgent=urgent)
    message.status, message.delivery, message.attempts = status, delivery, 3
    if status == "sent":
        message.sent_at = utcnow()
        message.delivery_at = utcnow() if delivery else None
        message.delivery_note = "operator"
    db.session.commit()
    return message


def test_only_failed_messages_and_sms_not_delivered_can_be_sent_again(mail_app, forum):
    assert outbox.can_retry(_message(forum, "email", "failed"))
    assert outbox.can_retry(_message(forum, "sms", "failed"))
    assert outbox.can_retry(_message(forum, "sms", "sent", "undelivered"))
    assert outbox.can_retry(_message(forum, "sms", "sent", "unconfirmed"))
    assert not outbox.can_retry(_message(forum, "sms", "sent", "delivered"))
    assert not outbox.can_retry(_message(forum, "sms", "sent"))
    assert not outbox.can_retry(_message(forum, "email", "sent"))
    assert not outbox.can_retry(_message(forum, "email", "queued"))
    assert not outbox.can_retry(_message(forum, "sms", "queued", "undelivered"))


def test_an_undelivered_sms_sent_again_is_a_new_sms_in_the_next_window(mail_app, forum):
    mail_app.config["SMS_HOURS"] = "09:00-09:01"  # a window that is almost never now
    message = _message(forum, "sms", "sent", "undelivered")
    old_id = message.message_id
    assert outbox.retry(message) is True
    db.session.commit()
    assert message.status == "queued" and message.attempts == 0
    assert message.message_id != old_id and message.sent_at is None
    assert (message.delivery, message.delivery_at, message.delivery_note) == (None, None, "")
    assert outbox.in_sms_hours(message.next_attempt_at)


def test_a_failed_email_or_urgent_sms_sent_again_is_due_at_once_and_keeps_its_message_id(mail_app, forum):
    mail_app.config["SMS_HOURS"] = "09:00-09:01"
    before = utcnow()
    for message in (_message(forum, "email", "failed"), _message(forum, "sms", "failed", urgent=True)):
        old_id = message.message_id
        assert outbox.retry(message) is True
        assert message.status == "queued" and message.attempts == 0 and message.message_id == old_id
        assert before <= message.next_attempt_at <= utcnow()


def test_a_delivered_sms_is_not_sent_again(mail_app, forum):
    message = _message(forum, "sms", "sent", "delivered")
    old_id = message.message_id
    assert outbox.retry(message) is False
    assert message.status == "sent" and message.message_id == old_id and message.attempts == 3


def test_the_outbox_page_counts_are_the_forums_own(mail_app, forum):
    other = factories.make_forum(slug="b-gafurov-test")
    _message(forum, "email", "failed")
    _message(forum, "sms", "sent", "delivered")
    _message(forum, "sms", "sent", "delivered")
    _message(forum, "sms", "sent", "undelivered")
    _message(other, "sms", "sent", "delivered")
    assert outbox.status_counts(forum) == {"queued": 0, "sending": 0, "sent": 3, "failed": 1, "cancelled": 0}
    assert outbox.delivery_counts(forum) == {"delivered": 2, "undelivered": 1}
    assert outbox.status_counts(other)["sent"] == 1


def test_a_message_is_due_at_its_own_minute_and_a_lease_ends_only_after_its_last_second(mail_app, smtp_server, forum):
    due = utcnow().replace(microsecond=0)
    message = outbox.queue(channel="email", recipient="a@example.org", body="Текст", forum=forum, not_before=due)
    db.session.commit()
    assert outbox.claim_next("early", now=due - timedelta(seconds=1)) is None
    assert outbox.claim_next("first", now=due).id == message.id  # due now: taken
    lease = settings.setting(mail_app.config, "OUTBOX_LEASE_SECONDS", int)
    assert outbox.claim_next("second", now=due + timedelta(seconds=lease)) is None  # the lease still runs
    assert outbox.claim_next("second", now=due + timedelta(seconds=lease, microseconds=1)).id == message.id


def test_a_limited_run_sends_no_more_than_asked(mail_app, smtp_server, forum):
    for n in range(3):
        outbox.queue(channel="email", recipient=f"p{n}@example.org", body="Текст", forum=forum)
    db.session.commit()
    assert outbox.send_pending(limit=2).sent == 2
    assert len(smtp_server.received) == 2
    assert outbox.send_pending(limit=5).sent == 1


def test_an_email_keeps_its_html_and_a_server_error_is_kept_short(mail_app, forum):
    message = outbox.queue(channel="email", recipient="a@example.org", body="Текст", forum=forum,
                           payload={"html": "<p>Текст</p>"})
    db.session.commit()
    db.session.refresh(message)
    assert message.payload == {"html": "<p>Текст</p>"}
    assert len(outbox.DeliveryError("5" * 3000).reason) == 2000


def test_mail_waits_a_minute_for_a_server_that_is_down_and_its_earlier_failed_try_still_counts(
        mail_app, smtp_server, forum):
    message = outbox.queue(channel="email", recipient="a@example.org", body="Текст", forum=forum)
    db.session.commit()
    message.attempts = 1  # one try already failed (a 4xx answer)
    db.session.commit()
    mail_app.config["SMTP_PORT"] = 1  # nothing listens there
    now = utcnow()
    report = outbox.send_pending(now=now)
    assert report.retry == 1 and report.sent == 0
    db.session.refresh(message)
    assert message.status == "queued" and message.attempts == 1
    assert message.next_attempt_at == now + timedelta(seconds=settings.backoff_seconds(1))


def test_an_sms_deferred_to_the_morning_keeps_the_tries_it_had_used(mail_app, forum, tmp_path):
    mail_app.config["SMS_HOURS"] = "09:00-20:00"
    message = outbox.queue(channel="sms", recipient=PHONE, body="Завтра в 9:00", forum=forum,
                           not_before=_local(5, 19, 50))
    db.session.commit()
    message.attempts = 1  # the gateway was busy once
    db.session.commit()
    report = outbox.send_pending(now=_local(5, 20, 10))
    assert report.deferred == 1
    db.session.refresh(message)
    assert message.status == "queued" and message.attempts == 1 and message.next_attempt_at == _local(6, 9)


def test_an_sms_taken_over_after_its_report_came_counts_as_sent_when_the_gateway_said_so(mail_app, forum, tmp_path):
    message = outbox.queue(channel="sms", recipient=PHONE, body="Завтра в 9:00", forum=forum)
    db.session.commit()
    start = utcnow()
    held = outbox.claim_next("worker-that-dies", now=start)
    reported = start + timedelta(seconds=5)
    assert delivery.record(held, "delivered", now=reported)
    db.session.commit()
    lease = settings.setting(mail_app.config, "OUTBOX_LEASE_SECONDS", int)
    assert outbox.send_pending(now=start + timedelta(seconds=lease + 1)).sent == 1
    db.session.refresh(message)
    assert message.status == "sent" and message.sent_at == reported  # not the moment of the takeover
    assert not (tmp_path / "sms.log").exists()
