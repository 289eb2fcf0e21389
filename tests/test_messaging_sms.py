"""SMS: Cyrillic texts through a pluggable gateway, the log gateway by default, and only inside
the configured sending hours (Dushanbe time)."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from forum.extensions import db
from forum.messaging import outbox
from forum.messaging.models import Message
from forum.messaging.sms import SmsError, sms_parts
from tests import messaging_fixtures

# Fixtures shared by the messaging tests.
mail_app = messaging_fixtures.mail_app
smtp_server = messaging_fixtures.smtp_server

DUSHANBE = ZoneInfo("Asia/Dushanbe")
TEXT = "Даъват: Мизи мудаввар, 5 Май 10:00, Хонаи фарҳанг. Рамз K7M2QX9P. Ҷавоб: https://forum.example/i/K7M2QX9P"


def _local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2011, 5, day, hour, minute, tzinfo=DUSHANBE)


def _log_lines(tmp_path) -> list[list[str]]:
    path = tmp_path / "sms.log"
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def test_log_gateway_writes_the_cyrillic_text(mail_app, forum, tmp_path):
    message = outbox.queue(channel="sms", recipient="+992927701806", body=TEXT, forum=forum)
    db.session.commit()
    assert outbox.send_pending().sent == 1
    ((when, phone, message_id, text),) = _log_lines(tmp_path)
    assert (phone, message_id, text) == ("+992927701806", message.message_id, TEXT)
    assert "ҳ" in text and "Ҷ" in text
    db.session.refresh(message)
    assert message.status == "sent"


def test_sms_queued_in_the_evening_waits_for_the_morning(mail_app, forum, tmp_path):
    mail_app.config["SMS_HOURS"] = "09:00-20:00"
    evening = _local(4, 21, 30)
    message = outbox.queue(channel="sms", recipient="+992927701806", body=TEXT, forum=forum, not_before=evening)
    email = outbox.queue(channel="email", recipient="a@example.org", body="x", forum=forum, not_before=evening)
    db.session.commit()
    assert message.next_attempt_at == _local(5, 9)  # the next window, not now
    assert email.next_attempt_at == evening  # email does not wait

    night = outbox.send_pending(now=_local(5, 3))
    assert night.sent == 1 and _log_lines(tmp_path) == []  # the email went, the SMS did not
    assert outbox.send_pending(now=_local(5, 9, 1)).sent == 1
    assert [line[1] for line in _log_lines(tmp_path)] == ["+992927701806"]


def test_sms_due_but_claimed_after_hours_is_deferred_without_losing_a_try(mail_app, forum, tmp_path):
    mail_app.config["SMS_HOURS"] = "09:00-20:00"
    message = outbox.queue(channel="sms", recipient="+992927701806", body=TEXT, forum=forum,
                           not_before=_local(5, 19, 50))
    db.session.commit()
    # The sender was down until 20:10: the SMS is due, but it is now too late to text anyone.
    report = outbox.send_pending(now=_local(5, 20, 10))
    assert report.deferred == 1 and report.sent == 0 and _log_lines(tmp_path) == []
    db.session.refresh(message)
    assert message.status == "queued" and message.attempts == 0
    assert message.next_attempt_at == _local(6, 9)


class FlakyGateway:
    """A gateway of an operator, loaded from SMS_BACKEND by its dotted path."""

    answers: list[SmsError | None] = []
    sent: list[tuple[str, str]] = []

    def __init__(self, config):
        self.config = config

    def send(self, phone: str, text: str, message_id: str = "", report_url: str = "") -> None:
        answer = FlakyGateway.answers.pop(0) if FlakyGateway.answers else None
        if answer is not None:
            raise answer
        FlakyGateway.sent.append((phone, text))


@pytest.mark.parametrize("backend", ["tests.test_messaging_sms:FlakyGateway", "tests.test_messaging_sms.FlakyGateway"])
def test_a_gateway_class_named_in_the_config_is_used_and_its_failures_retried(mail_app, forum, tmp_path, backend):
    mail_app.config["SMS_BACKEND"] = backend
    FlakyGateway.answers = [SmsError("operator busy"), SmsError("number not in service", permanent=True)]
    FlakyGateway.sent = []
    first = outbox.queue(channel="sms", recipient="+992927701806", body=TEXT, forum=forum)
    second = outbox.queue(channel="sms", recipient="+992927701807", body=TEXT, forum=forum)
    db.session.commit()
    report = outbox.send_pending()
    assert (report.retry, report.failed, report.sent) == (1, 1, 0)
    db.session.refresh(first)
    db.session.refresh(second)
    assert first.status == "queued" and first.last_error == "operator busy"
    assert second.status == "failed" and second.last_error == "number not in service"
    assert _log_lines(tmp_path) == []  # the log gateway was not used


def test_an_unloadable_gateway_keeps_sms_queued(mail_app, forum):
    mail_app.config["SMS_BACKEND"] = "no.such.module:Gateway"
    outbox.queue(channel="sms", recipient="+992927701806", body=TEXT, forum=forum)
    db.session.commit()
    report = outbox.send_pending()
    assert report.sent == 0
    message = db.session.scalar(sa.select(Message))
    assert message.status == "queued" and "cannot be loaded" in message.last_error


def test_sms_parts_count_cyrillic_as_ucs2():
    assert sms_parts("Hello") == 1
    assert sms_parts("a" * 160) == 1 and sms_parts("a" * 161) == 2
    assert sms_parts("Ҷ" * 70) == 1 and sms_parts("Ҷ" * 71) == 2
    assert sms_parts(TEXT) == 2
