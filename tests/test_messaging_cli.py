"""The organizer's commands for messages: `flask forum invites` refuses what it cannot read and
says why, picks people by district, warns of a full hall; `flask forum outbox send` reports what
it sent and what must be tried again."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from forum.agenda import service as agenda
from forum.extensions import db
from forum.messaging import outbox
from forum.messaging.models import Message
from forum.people.models import District
from tests import factories, messaging_fixtures

mail_app = messaging_fixtures.mail_app
smtp_server = messaging_fixtures.smtp_server
ZONE = ZoneInfo("Asia/Dushanbe")


FORUM_EN = ["forum", "--lang", "en"]  # these tests read the command line in English


@pytest.fixture
def round_table(forum):
    area = next(a for a in forum.areas if a.key == "round-table")
    area.capacity = 1
    saved = agenda.create_item(forum, agenda.ItemData(
        kind="round_table", title={"ru": "Круглый стол", "en": "Round table"}, area_id=area.id,
        starts_at=datetime(2011, 5, 5, 10, tzinfo=ZONE), ends_at=datetime(2011, 5, 5, 11, tzinfo=ZONE)))
    db.session.commit()
    return saved.item


def _invites(runner, *args):
    return runner.invoke(args=[*FORUM_EN, "invites", *args])


def test_invites_names_what_it_cannot_read(mail_app, runner, forum, round_table):
    for args, said in ((["nowhere-2011"], "There is no forum with the address nowhere-2011."),
                       ([forum.slug, "--category", "minister"], "Unknown category or status"),
                       ([forum.slug, "--status", "maybe"], "statuses: invited"),
                       ([forum.slug, "--district", "khujand"], "There is no district khujand."),
                       ([forum.slug, "--kind", "theatre"], "--kind theatre (0) does not name one")):
        result = _invites(runner, *args)
        assert result.exit_code != 0 and said in result.output, (args, result.output)
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 0


def test_invites_pick_people_by_district_key_or_id_and_warn_of_a_full_hall(mail_app, runner, forum, round_table):
    isfara, ghonchi = District(key="isfara", name={"ru": "Исфара"}), District(key="ghonchi", name={"ru": "Гончи"})
    db.session.add_all([isfara, ghonchi])
    db.session.commit()
    for name, district in (("Каримова Зарина", isfara), ("Рахимов Далер", isfara), ("Саидова Мавлуда", ghonchi)):
        person = factories.make_person(name, email=None, language="ru", district_id=district.id)
        factories.make_registration(forum, person, category="government")
    by_key = _invites(runner, forum.slug, "--kind", "round_table", "--district", "isfara")
    assert by_key.exit_code == 0, by_key.output
    assert "Selected: 2; people who get messages: 2; messages: 2" in by_key.output and "ru: email 0, SMS 2" in by_key.output
    assert "Warning: the hall holds 1; invited: 2." in by_key.output
    by_id = _invites(runner, forum.slug, "--kind", "round_table", "--district", str(ghonchi.id), "--send")
    assert by_id.exit_code == 0 and "1 message queued." in by_id.output
    assert "Warning" not in by_id.output
    assert db.session.scalars(sa.select(Message.channel)).all() == ["sms"]


def test_outbox_send_reports_what_went_and_what_waits(mail_app, runner, forum):
    outbox.queue(channel="sms", recipient="+992927701806", body="Форум 5 мая", forum=forum)
    outbox.queue(channel="email", recipient="zarina@example.org", subject="Форум", body="Форум 5 мая", forum=forum)
    db.session.commit()
    mail_app.config["SMTP_PORT"] = messaging_fixtures.free_port()  # nobody listens there: the email waits
    result = runner.invoke(args=[*FORUM_EN, "outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "sent: 1, to retry: 1, failed: 0, SMS waiting for the sending hours: 0" in result.output
    assert "zarina@example.org:" in result.output
    again = runner.invoke(args=[*FORUM_EN, "outbox", "send", "--limit", "5"])
    assert "sent: 0, to retry: 0" in again.output  # the email waits for its retry time
