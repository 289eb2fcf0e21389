"""Calendar invitations as mail programs see them: iTIP REQUEST/CANCEL parsed from what a real
SMTP server received, updates with the same UID and a higher SEQUENCE, answers on /r/<token>."""
from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
import sqlalchemy as sa

from forum.agenda import service as agenda
from forum.agenda.models import AgendaItemAttendee
from forum.extensions import db
from forum.messaging import invitations, outbox
from forum.messaging.models import Invitation, Message
from forum.messaging.signals import rsvp_changed
from tests import factories, messaging_fixtures

# Fixtures shared by the messaging tests.
mail_app = messaging_fixtures.mail_app
smtp_server = messaging_fixtures.smtp_server

DUSHANBE = ZoneInfo("Asia/Dushanbe")


FORUM_EN = ["forum", "--lang", "en"]  # these tests read the command line in English


def _at(hour: int, minute: int = 0) -> datetime:
    return datetime(2011, 5, 5, hour, minute, tzinfo=DUSHANBE)


@pytest.fixture
def round_table(forum):
    area = next(a for a in forum.areas if a.key == "round-table")
    saved = agenda.create_item(forum, agenda.ItemData(
        kind="round_table", title={"ru": "Круглый стол", "tg": "Мизи мудаввар", "en": "Round table"},
        area_id=area.id, starts_at=_at(10), ends_at=_at(11, 15)))
    db.session.commit()
    return saved.item


def _guest(forum, name: str, language: str, email: str | None, phone: str | None = "auto", category="government"):
    person = factories.make_person(name, phone=phone, email=email, language=language)
    return factories.make_registration(forum, person, category=category)


def _parts(message):
    """(content type, part) of every leaf part of a received email."""
    return [(part.get_content_type(), part) for part in message.walk() if not part.is_multipart()]


def _calendar_part(message):
    (part,) = [p for ctype, p in _parts(message) if ctype == "text/calendar"]
    return part, icalendar.Calendar.from_ical(part.get_content())


def _invite(forum, item, **selection):
    result = invitations.send(forum, invitations.Selection(item_id=item.id if item else None, **selection))
    db.session.commit()
    return result


def test_email_invitation_is_an_itip_request_that_mail_programs_show_as_an_invitation(
        mail_app, smtp_server, forum, round_table):
    guest = _guest(forum, "Раҳимова Гулнора", "tg", "gulnora@example.org")
    _invite(forum, round_table)
    assert outbox.send_pending().sent == 2  # the email and the SMS

    (received,) = smtp_server.to("gulnora@example.org")
    assert received.get_content_type() == "multipart/mixed"
    types = [ctype for ctype, _p in _parts(received)]
    assert types == ["text/plain", "text/html", "text/calendar", "application/ics"]
    assert received.get_body(("related", "html", "plain")) is not None
    part, cal = _calendar_part(received)
    assert part.get_param("method") == "REQUEST" == str(cal["METHOD"])
    (event,) = cal.walk("VEVENT")
    assert str(event["ORGANIZER"]) == "mailto:forum@forum.example"
    assert str(event["ATTENDEE"]) == "mailto:gulnora@example.org"
    assert event["ATTENDEE"].params["CN"] == "Раҳимова Гулнора"
    assert str(event["SUMMARY"]) == "Мизи мудаввар"  # the agenda's builder, in her language
    assert event.decoded("DTSTART") == _at(10)
    assert str(event["UID"]) == f"agenda-item-{round_table.id}@forum.example" and event["SEQUENCE"] == 0
    attachment = next(p for ctype, p in _parts(received) if ctype == "application/ics")
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content().decode("utf-8") == part.get_content()  # the same .ics attached

    text = received.get_body(("plain",)).get_content()
    link = f"https://forum.example/r/{guest.token}"
    assert link in text and link in received.get_body(("html",)).get_content()
    assert "Ассалому алейкум, Раҳимова Гулнора!" in text
    assert received["Subject"].startswith("Даъват: Мизи мудаввар")
    invitation = db.session.scalar(sa.select(Invitation))
    assert invitation.sent_sequence == 0 and invitation.status == "invited"
    # The item is now in her own schedule (and so in her calendar feed).
    assert db.session.scalar(sa.select(AgendaItemAttendee.role).where(
        AgendaItemAttendee.registration_id == guest.id)) == "invited"


def test_moving_the_item_sends_an_update_with_the_same_uid_and_a_higher_sequence(
        mail_app, smtp_server, forum, round_table, tmp_path):
    _guest(forum, "Иванова Мария", "ru", "maria@example.org")
    _invite(forum, round_table)
    outbox.send_pending()
    agenda.move_item(round_table, _at(14))
    db.session.commit()
    assert outbox.send_pending().sent == 2

    first, update = smtp_server.to("maria@example.org")
    _p, before = _calendar_part(first)
    part, after = _calendar_part(update)
    (old,), (new,) = before.walk("VEVENT"), after.walk("VEVENT")
    assert part.get_param("method") == "REQUEST" == str(after["METHOD"])
    assert str(new["UID"]) == str(old["UID"])
    assert new["SEQUENCE"] > old["SEQUENCE"]
    assert new.decoded("DTSTART") == _at(14)
    assert update["Subject"].startswith("Изменение: Круглый стол")
    assert update["Message-ID"] != first["Message-ID"]
    sms_log = (tmp_path / "sms.log").read_text(encoding="utf-8")
    assert "Изменение: Круглый стол, теперь 5 мая 14:00" in sms_log


def test_cancelling_the_item_sends_method_cancel(mail_app, smtp_server, forum, round_table):
    _guest(forum, "Иванова Мария", "ru", "maria@example.org", phone=None)
    _invite(forum, round_table)
    outbox.send_pending()
    agenda.cancel_item(round_table)
    db.session.commit()
    outbox.send_pending()

    _first, cancel = smtp_server.to("maria@example.org")
    part, cal = _calendar_part(cancel)
    assert part.get_param("method") == "CANCEL" == str(cal["METHOD"])
    (event,) = cal.walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED" and event["SEQUENCE"] == 1
    assert db.session.scalar(sa.select(Message.kind).order_by(Message.id.desc()).limit(1)) == "cancel"


def test_an_agenda_change_that_is_rolled_back_queues_no_update(mail_app, forum, round_table):
    _guest(forum, "Иванова Мария", "ru", "maria@example.org")
    _invite(forum, round_table)
    before = db.session.scalar(sa.select(sa.func.count(Message.id)))
    agenda.move_item(round_table, _at(15))
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == before + 2  # queued with the change…
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == before  # …and gone with it


def test_people_who_declined_get_no_update(mail_app, forum, round_table):
    guest = _guest(forum, "Иванова Мария", "ru", "maria@example.org")
    _invite(forum, round_table)
    invitations.respond(db.session.scalar(sa.select(Invitation)), "declined")
    db.session.commit()
    agenda.move_item(round_table, _at(15))
    db.session.commit()
    kinds = db.session.scalars(sa.select(Message.kind).where(Message.registration_id == guest.id)).all()
    assert sorted(kinds) == ["invitation", "invitation"]


def test_preview_counts_each_language_and_channel_and_changes_nothing(mail_app, forum, round_table):
    _guest(forum, "Иванова Мария", "ru", "maria@example.org")
    _guest(forum, "Каримов Бахром", "tg", None)
    _guest(forum, "John Smith", "en", "john@example.org", phone=None)
    _guest(forum, "Без связи", "ru", None, phone=None)
    _guest(forum, "Член группы", "tg", None, category="shg_member")
    result = invitations.preview(forum, invitations.Selection(item_id=round_table.id, categories=["government"]))
    assert result.total == 4 and result.unreachable == 1 and result.people == 3
    assert dict(result.to_queue) == {("ru", "email"): 1, ("ru", "sms"): 1, ("tg", "sms"): 1, ("en", "email"): 1}
    assert set(result.samples) == {"ru", "tg", "en"}
    assert result.samples["tg"]["sms"].startswith("Даъват: Мизи мудаввар, 5 Май 10:00")
    assert result.samples["en"]["email"].subject == "Invitation: Round table, 5 May 10:00"
    assert result.samples["ru"]["email"].method == "REQUEST"
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 0


def test_sending_the_same_invitations_twice_queues_nothing_new(mail_app, forum, round_table):
    _guest(forum, "Иванова Мария", "ru", "maria@example.org")
    assert _invite(forum, round_table).messages == 2
    again = _invite(forum, round_table)
    assert again.messages == 0 and again.already == 1
    only_sms = _invite(forum, round_table, channels=("sms",))
    assert only_sms.messages == 0
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 2


def test_invites_command_previews_then_queues(mail_app, runner, forum, round_table):
    _guest(forum, "Иванова Мария", "ru", "maria@example.org")
    _guest(forum, "Каримов Бахром", "tg", None)
    preview = runner.invoke(args=[*FORUM_EN, "invites", forum.slug, "--kind", "round_table", "--category", "government"])
    assert preview.exit_code == 0, preview.output
    assert "ru: email 1, SMS 1" in preview.output and "tg: email 0, SMS 1" in preview.output
    assert "--- tg: sample for Каримов Бахром ---" in preview.output
    assert "Nothing was queued" in preview.output
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 0
    sent = runner.invoke(args=[*FORUM_EN, "invites", forum.slug, "--item", str(round_table.id), "--send"])
    assert sent.exit_code == 0, sent.output
    assert "3 messages queued." in sent.output
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 3
    bad = runner.invoke(args=[*FORUM_EN, "invites", forum.slug, "--item", "999"])
    assert bad.exit_code != 0 and f"--item {round_table.id}" in bad.output


def test_participant_accepts_and_declines_on_the_personal_page(mail_app, client, forum, round_table):
    guest = _guest(forum, "Иванова Мария", "ru", "maria@example.org")
    _invite(forum, round_table)
    invitation = db.session.scalar(sa.select(Invitation))
    heard = []

    def listener(sender, previous):
        heard.append((sender.status, previous))

    page = client.get(f"/r/{guest.token}").get_data(as_text=True)
    assert "Приглашения" in page and "Круглый стол" in page and "Да, я приду" in page
    with rsvp_changed.connected_to(listener):
        response = client.post(f"/r/{guest.token}/invitations/{invitation.id}", data={"answer": "declined"})
        assert response.status_code == 302
        client.post(f"/r/{guest.token}/invitations/{invitation.id}", data={"answer": "accepted"})
    assert heard == [("declined", "invited"), ("accepted", "declined")]
    db.session.expire_all()
    assert invitation.status == "accepted" and invitation.response_via == "link"
    page = client.get(f"/r/{guest.token}").get_data(as_text=True)
    assert "Вы ответили, что придёте." in page


def test_declining_takes_the_item_out_of_the_schedule(mail_app, client, forum, round_table):
    guest = _guest(forum, "Иванова Мария", "ru", "maria@example.org")
    _invite(forum, round_table)
    invitation = db.session.scalar(sa.select(Invitation))
    client.post(f"/r/{guest.token}/invitations/{invitation.id}", data={"answer": "declined"})
    assert db.session.scalar(sa.select(sa.func.count(AgendaItemAttendee.id))) == 0


def test_answers_of_other_people_and_unknown_tokens_are_refused(mail_app, client, forum, round_table):
    guest = _guest(forum, "Иванова Мария", "ru", "maria@example.org")
    other = _guest(forum, "Каримов Бахром", "tg", None)
    _invite(forum, round_table)
    mine = db.session.scalar(sa.select(Invitation).where(Invitation.registration_id == guest.id))
    assert client.post(f"/r/{other.token}/invitations/{mine.id}", data={"answer": "declined"}).status_code == 404
    assert client.post(f"/r/nope/invitations/{mine.id}", data={"answer": "declined"}).status_code == 404
    db.session.expire_all()
    assert mine.status == "invited"


def test_the_sms_short_link_opens_the_personal_page(mail_app, client, forum, round_table):
    guest = _guest(forum, "Каримов Бахром", "tg", None)
    _invite(forum, round_table)
    invitation = db.session.scalar(sa.select(Invitation))
    sms = db.session.scalar(sa.select(Message).where(Message.channel == "sms"))
    assert f"https://forum.example/i/{invitation.code}" in sms.body
    response = client.get(f"/i/{invitation.code.lower()}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/r/{guest.token}#invitations")
    assert client.get("/i/ZZZZZZZZ").status_code == 404


def test_forum_wide_invitation_confirms_the_registration(mail_app, client, smtp_server, forum):
    guest = _guest(forum, "Иванова Мария", "ru", "maria@example.org", phone=None)
    guest.status = "invited"
    db.session.commit()
    _invite(forum, None)
    outbox.send_pending()
    (received,) = smtp_server.to("maria@example.org")
    assert [ctype for ctype, _p in _parts(received)] == ["text/plain", "text/html", "text/calendar", "application/ics"]
    assert f"https://forum.example/r/{guest.token}" in received.get_body(("plain",)).get_content()
    invitation = db.session.scalar(sa.select(Invitation))
    assert invitation.item_id is None
    client.post(f"/r/{guest.token}/invitations/{invitation.id}", data={"answer": "accepted"})
    db.session.expire_all()
    assert guest.status == "confirmed"


def test_a_forum_wide_invitation_is_a_calendar_request_for_the_forum_day(mail_app, smtp_server, forum):
    from email.utils import parsedate_to_datetime

    _guest(forum, "Раҳимова Гулнора", "tg", "gulnora@example.org", phone=None)
    _invite(forum, None)
    sending = datetime(2011, 5, 2, 6, 30, 15, tzinfo=UTC)  # a day after it was queued
    mail_app.config["CLOCK"] = sending
    outbox.send_pending()
    (received,) = smtp_server.to("gulnora@example.org")
    part, cal = _calendar_part(received)
    assert part.get_param("method") == "REQUEST" == str(cal["METHOD"])
    (event,) = cal.walk("VEVENT")
    assert event.decoded("DTSTART") == _at(9) and event.decoded("DTEND") == _at(17)
    assert str(event["UID"]) == f"forum-{forum.id}@forum.example" and str(event["STATUS"]) == "CONFIRMED"
    assert str(event["SUMMARY"]) == forum.title["tg"]  # the forum in her language
    assert str(event["ATTENDEE"]) == "mailto:gulnora@example.org"
    assert "Хонаи фарҳанг" in str(event["LOCATION"])
    # Stamped when sent, not when the forum was last edited; the Date has a numeric offset.
    assert event.decoded("DTSTAMP") == sending
    assert received["Date"] == "Mon, 02 May 2011 06:30:15 +0000"
    assert parsedate_to_datetime(received["Date"]) == sending


def test_cancelling_a_registration_withdraws_the_forum_day_from_the_calendar(
        mail_app, smtp_server, client, auth, forum):
    guest = _guest(forum, "Иванова Мария", "ru", "maria@example.org")
    _invite(forum, None)
    outbox.send_pending()
    auth.login("organizer")
    client.post(f"/manage/isfara-test/registrations/{guest.id}",
                data={"category": guest.category, "status": "cancelled", "notes": ""})
    outbox.send_pending()
    first, cancel = smtp_server.to("maria@example.org")
    part, cal = _calendar_part(cancel)
    assert part.get_param("method") == "CANCEL" == str(cal["METHOD"])
    (event,) = cal.walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED" and str(event["UID"]) == f"forum-{forum.id}@forum.example"
    assert cancel["Subject"].startswith("Регистрация отменена")
    sms = db.session.scalars(sa.select(Message).where(Message.channel == "sms").order_by(Message.id)).all()
    assert [m.kind for m in sms] == ["invitation", "cancel"] and "отменена" in sms[1].body


def test_long_cyrillic_subjects_keep_every_space_when_folded(mail_app, smtp_server, forum):
    forum.title = {"ru": "Форум групп взаимопомощи семей трудовых мигрантов Исфаринского района, IOM и UN Women, "
                         "«Дом культуры» им. Камола Худжанди"}
    db.session.commit()
    _guest(forum, "Иванова Мария", "ru", "maria@example.org", phone=None)
    _invite(forum, None)
    outbox.send_pending()
    (received,) = smtp_server.to("maria@example.org")
    stored = db.session.scalar(sa.select(Message.subject))
    assert len(stored) > 120 and received["Subject"] == stored
    raw = received.as_bytes(policy=received.policy.clone(linesep="\r\n"))
    assert max(len(line) for line in raw.split(b"\r\n\r\n")[0].split(b"\r\n")) <= 78


def test_organizer_invites_previews_and_sees_answers(mail_app, client, auth, forum, round_table):
    auth.login("organizer")
    _guest(forum, "Иванова Мария", "ru", "maria@example.org")
    _guest(forum, "Каримов Бахром", "tg", None)
    form = {"item_id": str(round_table.id), "categories": ["government"], "organization_id": "0",
            "district_id": "0", "status": "", "channels": ["email", "sms"]}
    page = client.post(f"/manage/{forum.slug}/invitations", data={**form, "preview": "1"}).get_data(as_text=True)
    assert "Предпросмотр" in page and "Мизи мудаввар" in page and "Приглашение: Круглый стол" in page
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 0
    response = client.post(f"/manage/{forum.slug}/invitations", data={**form, "send": "1"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 3
    invitation = db.session.scalar(sa.select(Invitation).join(Invitation.registration).where(
        Invitation.registration.has(category="government")).order_by(Invitation.id).limit(1))
    response = client.post(f"/manage/{forum.slug}/invitations/phone-answer",
                           data={"code": invitation.code.lower(), "answer": "declined"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Не придёт" in page and "(по телефону)" in page
    db.session.expire_all()
    assert invitation.status == "declined" and invitation.response_via == "phone"


def test_organizer_cannot_invite_to_a_cancelled_item(mail_app, client, auth, forum, round_table):
    auth.login("organizer")
    _guest(forum, "Иванова Мария", "ru", "maria@example.org")
    agenda.cancel_item(round_table)
    db.session.commit()
    with pytest.raises(invitations.InvitationError):
        invitations.preview(forum, invitations.Selection(item_id=round_table.id))


def test_inviting_the_items_list_reaches_exactly_those_on_it_and_leaves_their_places_alone(
        mail_app, client, forum, round_table):
    listed = _guest(forum, "Иванова Мария", "ru", "maria@example.org")
    _guest(forum, "Каримов Бахром", "tg", None)  # same category, not on the round table's list
    agenda.add_attendee(round_table, listed, "invited", source="roundtable")
    db.session.commit()
    result = _invite(forum, round_table, listed_only=True)
    assert result.total == 1 and result.people == 1
    assert db.session.scalars(sa.select(Message.registration_id).distinct()).all() == [listed.id]
    invitation = db.session.scalar(sa.select(Invitation))
    client.post(f"/r/{listed.token}/invitations/{invitation.id}", data={"answer": "declined"})
    # The round table's own list is the round table's to change (it hears rsvp_changed).
    assert db.session.scalar(sa.select(AgendaItemAttendee.source)) == "roundtable"
