"""With no SMTP server configured (`make run` on a laptop) emails become .eml files, one per
message, and the organizer sees each message as the participant gets it."""
from __future__ import annotations

import email
from email import policy

import icalendar
import pytest
import sqlalchemy as sa

from forum.extensions import db
from forum.messaging import invitations, outbox
from forum.messaging.models import Message
from tests import factories


@pytest.fixture
def file_app(app, tmp_path):
    app.config.update(SMTP_HOST=None, MAIL_DIR=str(tmp_path / "mail"), SMS_BACKEND="log",
                      SMS_LOG_PATH=str(tmp_path / "sms.log"), BASE_URL="https://forum.example",
                      SMS_HOURS="00:00-24:00")  # the outbox schedules SMS by the real clock
    return app


def _invite_everyone(forum):
    for name, lang, address in (("Иванова Мария", "ru", "maria@example.org"),
                                ("Раҳимова Гулнора", "tg", "gulnora@example.org")):
        factories.make_registration(forum, factories.make_person(name, email=address, language=lang))
    invitations.send(forum, invitations.Selection(item_id=None))
    db.session.commit()


@pytest.mark.both_dbs
def test_emails_are_written_one_file_each_and_sms_to_the_log(file_app, forum, tmp_path):
    _invite_everyone(forum)
    report = outbox.send_pending()
    assert report.sent == 4 and report.failed == report.retry == 0
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 2 and not list((tmp_path / "mail").glob("*.part"))
    parsed = [email.message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    assert sorted(m["To"] for m in parsed) == ["gulnora@example.org", "maria@example.org"]
    for message in parsed:
        types = [p.get_content_type() for p in message.walk() if not p.is_multipart()]
        assert types == ["text/plain", "text/html", "text/calendar", "application/ics"]
        part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
        assert str(icalendar.Calendar.from_ical(part.get_content())["METHOD"]) == "REQUEST"
    assert (tmp_path / "sms.log").read_text(encoding="utf-8").count("\n") == 2
    assert set(db.session.scalars(sa.select(Message.status))) == {"sent"}


def test_the_organizer_sees_each_message_as_sent(file_app, client, auth, forum, tmp_path):
    _invite_everyone(forum)
    outbox.send_pending()
    auth.login("organizer")
    message = db.session.scalar(sa.select(Message).where(Message.recipient == "gulnora@example.org"))
    page = client.get(f"/manage/isfara-test/outbox/{message.id}").get_data(as_text=True)
    assert f"message-{message.id:06d}.eml" in page and "Даъват" in page
    assert f'src="/manage/isfara-test/outbox/{message.id}/html"' in page and "BEGIN:VCALENDAR" in page
    html = client.get(f"/manage/isfara-test/outbox/{message.id}/html")
    assert "sandbox" in html.headers["Content-Security-Policy"] and "Раҳимова Гулнора" in html.get_data(as_text=True)
    eml = client.get(f"/manage/isfara-test/outbox/{message.id}.eml")
    assert eml.mimetype == "message/rfc822"
    assert email.message_from_bytes(eml.data, policy=policy.default)["To"] == "gulnora@example.org"
    sms = db.session.scalar(sa.select(Message).where(Message.channel == "sms"))
    assert client.get(f"/manage/isfara-test/outbox/{sms.id}/html").status_code == 404
    assert client.get(f"/manage/isfara-test/outbox/{sms.id}.eml").status_code == 404
    auth.logout()
    auth.login("staff", email="staff@forum.example")
    assert client.get(f"/manage/isfara-test/outbox/{message.id}/html").status_code == 403
