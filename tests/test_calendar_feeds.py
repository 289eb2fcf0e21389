"""Calendar feeds, read back with vobject (an iCalendar parser independent of the icalendar
library that writes them): times, time zones, stable UIDs, growing SEQUENCE, cancellations,
languages, personal schedules, and the ICS builder used for invitations."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
import vobject

from forum.agenda import service
from forum.calendar import ics
from forum.extensions import db
from tests.agenda_fixtures import QueryCounter, at, fill, place
from tests.factories import make_organization, make_person, make_registration


@pytest.fixture
def count_queries(app):
    return lambda: QueryCounter(db.engine)


def parse(response) -> vobject.base.Component:
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return vobject.readOne(response.get_data(as_text=True))


def events(cal) -> dict[str, vobject.base.Component]:
    return {event.summary.value: event for event in getattr(cal, "vevent_list", [])}


@pytest.fixture
def agenda(forum):
    iom = make_organization("Международная организация по миграции", kind="international", short_name="МОМ")
    opening = place(forum, "09:00", "09:45", title={"ru": "Открытие форума", "tg": "Ифтитоҳи форум",
                                                   "en": "Opening of the forum"}, kind="opening",
                    description={"ru": "Приветствие партнёров", "tg": "Саломи шарикон"},
                    host_organization_ids=[iom.id])
    play = place(forum, "11:00", "11:40", title={"ru": "Спектакль", "tg": "Намоиш"}, kind="theatre")
    briefing = place(forum, "09:00", "09:30", "round-table", title="Инструктаж волонтёров", is_public=False)
    service.cancel_item(play)
    db.session.commit()
    return {"opening": opening, "play": play, "briefing": briefing}


def test_forum_feed_parses_and_9_in_isfara_is_4_utc(client, agenda):
    response = client.get("/f/isfara-test/agenda.ics?lang=ru")
    text = response.get_data(as_text=True)
    cal = parse(response)
    assert cal.method.value == "PUBLISH"
    opening = events(cal)["Открытие форума"]
    assert opening.dtstart.value.astimezone(UTC) == datetime(2011, 5, 5, 4, 0, tzinfo=UTC)
    assert opening.dtend.value.astimezone(UTC) == datetime(2011, 5, 5, 4, 45, tzinfo=UTC)
    assert "DTSTART;TZID=Asia/Dushanbe:20110505T090000" in text
    assert [tz.tzid.value for tz in cal.vtimezone_list] == ["Asia/Dushanbe"]
    assert opening.location.value == "main-stage, Дом культуры, Исфара"
    assert opening.description.value == "Приветствие партнёров\n\nВедущие: МОМ"
    assert opening.url.value == f"http://127.0.0.1:5000/f/isfara-test/agenda#item-{agenda['opening'].id}"
    assert opening.uid.value == f"agenda-item-{agenda['opening'].id}@127.0.0.1"
    assert opening.dtstamp.value.tzinfo is not None and opening.sequence.value == "0"


def test_internal_items_never_appear_and_cancelled_ones_stay_as_cancelled(client, agenda):
    cal = parse(client.get("/f/isfara-test/agenda.ics"))
    found = events(cal)
    assert "ОТМЕНЕНО: Спектакль" in found and found["ОТМЕНЕНО: Спектакль"].status.value == "CANCELLED"
    assert found["Открытие форума"].status.value == "CONFIRMED"
    assert not any("Инструктаж" in title for title in found)
    assert client.get(f"/f/isfara-test/agenda/{agenda['briefing'].id}.ics").status_code == 404


def test_uid_stays_and_sequence_grows_after_an_edit(client, agenda):
    before = events(parse(client.get("/f/isfara-test/agenda.ics")))["Открытие форума"]
    item = agenda["opening"]
    service.move_item(item, at("09:15"))
    db.session.commit()
    after = events(parse(client.get("/f/isfara-test/agenda.ics")))["Открытие форума"]
    assert after.uid.value == before.uid.value
    assert int(after.sequence.value) == int(before.sequence.value) + 1
    assert after.dtstart.value.astimezone(UTC) == datetime(2011, 5, 5, 4, 15, tzinfo=UTC)
    assert after.dtstamp.value >= before.dtstamp.value
    service.cancel_item(item)
    db.session.commit()
    cancelled = events(parse(client.get("/f/isfara-test/agenda.ics")))["ОТМЕНЕНО: Открытие форума"]
    assert cancelled.uid.value == before.uid.value and cancelled.sequence.value == "2"
    assert cancelled.status.value == "CANCELLED"


@pytest.mark.parametrize("lang, title, description, location", [
    ("tg", "Ифтитоҳи форум", "Саломи шарикон\n\nБарандагон: МОМ", "main-stage, Хонаи фарҳанг, Исфара"),
    ("en", "Opening of the forum", "Приветствие партнёров\n\nHosts: МОМ", "main-stage, House of Culture, Isfara"),
])
def test_feed_in_the_language_asked(client, agenda, lang, title, description, location):
    cal = parse(client.get(f"/f/isfara-test/agenda.ics?lang={lang}"))
    event = events(cal)[title]
    assert event.description.value == description and event.location.value == location


def test_one_items_calendar_file(client, agenda):
    item = agenda["opening"]
    response = client.get(f"/f/isfara-test/agenda/{item.id}.ics?lang=tg")
    assert "attachment" in response.headers["Content-Disposition"]
    cal = parse(response)
    [event] = cal.vevent_list
    assert event.summary.value == "Ифтитоҳи форум" and event.uid.value.startswith(f"agenda-item-{item.id}@")
    assert client.get("/f/isfara-test/agenda/99999.ics").status_code == 404


def test_an_unchanged_feed_answers_not_modified(client, agenda):
    first = client.get("/f/isfara-test/agenda.ics?lang=ru")
    again = client.get("/f/isfara-test/agenda.ics?lang=ru", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_control_characters_are_cleaned_from_every_text(client, forum):
    place(forum, "09:00", "10:00", title={"ru": "Открытие\x07 форума\x1b"},
          description={"ru": "строка\x00 один\r\nстрока\tдва"})
    text = client.get("/f/isfara-test/agenda.ics").get_data(as_text=True)
    assert "\x07" not in text and "\x1b" not in text and "\x00" not in text
    event = events(vobject.readOne(text))["Открытие форума"]
    assert event.description.value == "строка один\nстрока два"


# --- a person's own schedule ---------------------------------------------------------------

@pytest.fixture
def guest(forum, agenda):
    """A round-table guest: invited to an internal session, hosting another, and a stranger's one."""
    person = make_person("Султонова Мавлуда", language="tg", email="mavluda@example.org")
    registration = make_registration(forum, person, category="government")
    invited = place(forum, "10:00", "12:00", "round-table", title={"ru": "Круглый стол (закрытый)",
                                                                  "tg": "Мизи мудаввар (пӯшида)"}, is_public=False)
    place(forum, "12:00", "12:30", "round-table", title={"ru": "Подготовка рекомендаций",
                                                                 "tg": "Омодаи тавсияҳо"},
                   is_public=False, host_person_ids=[person.id])
    place(forum, "13:00", "13:30", "round-table", title={"ru": "Совещание штаба", "tg": "Ҷаласаи ситод"},
          is_public=False)
    service.add_attendee(invited, registration, "invited")
    db.session.commit()
    return registration


def test_personal_feed_is_the_public_agenda_plus_what_the_person_is_invited_to(client, guest):
    response = client.get(f"/r/{guest.token}/calendar.ics")
    assert "private" in response.headers["Cache-Control"]
    found = events(parse(response))  # in the person's language: Tajik
    assert set(found) == {"Ифтитоҳи форум", "БЕКОР ШУД: Намоиш", "Мизи мудаввар (пӯшида)", "Омодаи тавсияҳо"}
    assert found["Мизи мудаввар (пӯшида)"].dtstart.value.astimezone(UTC) == datetime(2011, 5, 5, 5, 0, tzinfo=UTC)
    russian = events(parse(client.get(f"/r/{guest.token}/calendar.ics?lang=ru")))
    assert "Круглый стол (закрытый)" in russian and "Совещание штаба" not in russian


def test_personal_feed_of_an_unknown_token_is_not_found(client, forum):
    assert client.get("/r/not-a-real-token/calendar.ics").status_code == 404


def test_personal_page_shows_my_schedule_with_a_subscription_link(client, guest):
    page = client.get(f"/r/{guest.token}").get_data(as_text=True)  # in the person's language: Tajik
    assert "Ҷадвали ман" in page and "Мизи мудаввар (пӯшида)" in page and "Шумо даъват шудаед" in page
    assert f'href="webcal://localhost/r/{guest.token}/calendar.ics?lang=tg"' in page
    assert "Шумо мебаред" in page and "Ҷаласаи ситод" not in page


def test_feeds_cost_the_same_queries_for_ten_and_three_hundred_items(client, forum, count_queries):
    registration = make_registration(forum)
    fill(forum, 10)
    with count_queries() as small:
        client.get("/f/isfara-test/agenda.ics")
    with count_queries() as small_personal:
        client.get(f"/r/{registration.token}/calendar.ics")
    fill(forum, 290, prefix="room")
    with count_queries() as large:
        feed = client.get("/f/isfara-test/agenda.ics")
    with count_queries() as large_personal:
        personal = client.get(f"/r/{registration.token}/calendar.ics")
    assert feed.data.count(b"BEGIN:VEVENT") == personal.data.count(b"BEGIN:VEVENT") == 300
    assert small.count == large.count and small_personal.count == large_personal.count


# --- the builder itself, as invitations use it ------------------------------------------------

def test_an_invitation_names_the_attendee_and_organizer(app, forum, agenda):
    person = make_person("Раҳимова Гулнора", email="gulnora@example.org")
    event = ics.item_event(agenda["opening"], "ru", base_url="https://forum.example.org",
                           attendee=person, organizer="aws95@mail.ru")
    text = ics.calendar([event], method="REQUEST").to_ical().decode()
    cal = vobject.readOne(text)
    assert cal.method.value == "REQUEST"
    [parsed] = cal.vevent_list
    assert parsed.attendee.value == "mailto:gulnora@example.org"
    assert parsed.attendee.params["CN"] == ["Раҳимова Гулнора"] and parsed.attendee.params["RSVP"] == ["TRUE"]
    assert parsed.organizer.value == "mailto:aws95@mail.ru"
    assert parsed.uid.value == f"agenda-item-{agenda['opening'].id}@forum.example.org"
    with pytest.raises(ValueError):
        ics.item_event(agenda["opening"], "ru", base_url="https://forum.example.org", attendee=make_person(email=None))


def test_feeds_share_one_event_per_item_version_and_rebuild_it_after_a_change(app, forum, agenda):
    item = agenda["opening"]
    first = ics.shared_event(item, "ru", base_url="http://x.example")
    assert ics.shared_event(item, "ru", base_url="http://x.example") is first
    assert ics.shared_event(item, "tg", base_url="http://x.example") is not first
    service.move_item(item, at("09:05"))
    db.session.commit()
    changed = ics.shared_event(item, "ru", base_url="http://x.example")
    assert changed is not first and changed["SEQUENCE"] == 1


def test_calendar_adds_the_zones_its_events_use(app, forum, agenda):
    event = ics.item_event(agenda["opening"], "ru", base_url="http://x.example")
    cal = vobject.readOne(ics.calendar([event], tz="Asia/Dushanbe").to_ical().decode())
    assert [tz.tzid.value for tz in cal.vtimezone_list] == ["Asia/Dushanbe"]
    empty = vobject.readOne(ics.calendar([], name="Пусто").to_ical().decode())
    assert not hasattr(empty, "vevent")


def test_reusing_shared_text_gives_exactly_what_plain_serialisation_gives(app, forum, agenda):
    from forum.calendar import service as feeds

    registration = make_registration(forum)
    for cal in (feeds.forum_calendar(forum, "tg", "http://x.example"),
                feeds.personal_calendar(registration, "ru", "http://x.example"),
                ics.calendar([ics.item_event(agenda["opening"], "en", base_url="http://x.example")])):
        assert ics.to_ical(cal) == cal.to_ical()
