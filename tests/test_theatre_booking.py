"""Booking performances into slots: the stage, its buffers and the troupe are never taken
twice, also when two people book at the same instant (SQLite and PostgreSQL)."""
from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from forum.agenda import queries
from forum.extensions import db
from forum.messaging.models import Message
from forum.theatre import booking, service
from forum.theatre.models import Performance, TheatreSlot
from tests.theatre_fixtures import approved, at, make_slots, stage, theatre_forum

pytestmark = pytest.mark.both_dbs


def _times(made):
    from zoneinfo import ZoneInfo

    return [s.starts_at.astimezone(ZoneInfo("Asia/Dushanbe")).strftime("%H:%M") for s in made]


def test_slots_keep_the_agendas_opening_and_lunch_and_given_breaks_free(app, db_backend):
    forum = theatre_forum()
    made = make_slots(forum, start="09:00", end="15:00", minutes=30, buffer=15, breaks=[(at("11:00").time(),
                                                                                         at("11:20").time())])
    # The opening till 09:45; 10:30 would run into the 11:00 break; lunch 12:30–13:30 on the main stage.
    assert _times(made) == ["09:45", "10:30", "11:20", "13:30", "14:15"]
    for slot in made:
        for a, b in ((at("09:00"), at("09:45")), (at("11:00"), at("11:20")), (at("12:30"), at("13:30"))):
            assert not (slot.starts_at < b and a < slot.ends_at), _times([slot])
    # Made again over the same hours: nothing overlaps what is there.
    assert make_slots(forum, start="09:00", end="15:00") == []


def test_a_slot_holds_one_performance_and_the_second_is_told_why(app, client, auth, db_backend):
    forum = theatre_forum()
    slot = make_slots(forum)[0]
    first, second = approved(forum, title="Дом, где ждут"), approved(forum)
    booking.book(first, slot)
    db.session.commit()
    auth.login("organizer")
    page = client.post(f"/manage/isfara-test/theatre/{second.id}/book", data={"slot_id": slot.id},
                       follow_redirects=True).get_data(as_text=True)
    assert "В этом слоте уже стоит другой спектакль" in page and "Дом, где ждут" in page
    assert db.session.get(Performance, second.id).slot_id is None


def test_a_performance_cannot_run_into_anothers_setup_buffer(app, db_backend):
    forum = theatre_forum()
    area = stage(forum)
    early = TheatreSlot(forum_id=forum.id, area_id=area.id, starts_at=at("10:00"), ends_at=at("10:30"), buffer_minutes=15)
    close = TheatreSlot(forum_id=forum.id, area_id=area.id, starts_at=at("10:40"), ends_at=at("11:10"), buffer_minutes=15)
    db.session.add_all([early, close])
    db.session.commit()
    booking.book(approved(forum), early)
    db.session.commit()
    with pytest.raises(service.TheatreError) as refused:
        booking.book(approved(forum), close)
    assert refused.value.code == "stage_busy"


def test_one_troupe_is_never_on_two_stages_at_once(app, client, db_backend):
    forum = theatre_forum()
    on_theatre, in_yard = make_slots(forum)[0], make_slots(forum, key="yard")[0]
    booking.book(approved(forum, troupe="Театр «Умед»", title="Долг"), on_theatre)
    db.session.commit()
    other_play = approved(forum, troupe="театр «умед»", title="Патент")  # the same troupe, written otherwise
    with pytest.raises(service.TheatreError) as refused:
        booking.book(other_play, in_yard)
    assert refused.value.code == "troupe_busy"
    client.get("/lang/tg")
    with app.test_request_context(headers={"Accept-Language": "tg"}):
        from forum.theatre.forms import error_message

        assert "дар саҳнаи дигар" in error_message(refused.value)


def _race(app, performance_ids, slot_ids):
    """Book each performance into its slot from its own thread, both at the same instant."""
    start, results = threading.Barrier(len(performance_ids)), {}

    def organizer(performance_id, slot_id):
        with app.app_context():
            performance, slot = db.session.get(Performance, performance_id), db.session.get(TheatreSlot, slot_id)
            start.wait(5)
            try:
                booking.book(performance, slot)
                db.session.commit()
                results[performance_id] = "booked"
            except service.TheatreError as refused:
                db.session.rollback()
                results[performance_id] = refused.code
            finally:
                db.session.remove()

    threads = [threading.Thread(target=organizer, args=pair) for pair in zip(performance_ids, slot_ids, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_two_organizers_booking_one_slot_at_the_same_instant_cannot_both_win(app, db_backend):
    forum = theatre_forum()
    slot = make_slots(forum)[0]
    ids = [approved(forum).id, approved(forum).id]
    results = _race(app, ids, [slot.id, slot.id])
    assert sorted(results.values()) == ["booked", "slot_taken"]
    assert db.session.scalar(sa.select(sa.func.count()).where(Performance.slot_id == slot.id)) == 1


def test_one_troupe_booked_on_two_stages_at_the_same_instant_gets_one(app, db_backend):
    forum = theatre_forum()
    slot_ids = [make_slots(forum)[0].id, make_slots(forum, key="yard")[0].id]
    ids = [approved(forum, troupe="Театр «Наврӯз»", title="Патент").id,
           approved(forum, troupe="Театр «Наврӯз»", title="Мифы").id]
    results = _race(app, ids, slot_ids)
    assert sorted(results.values()) == ["booked", "troupe_busy"]


def test_the_database_itself_refuses_a_double_booking_written_without_the_service(app, db_backend):
    forum = theatre_forum()
    area = stage(forum)
    one, two = approved(forum), approved(forum)
    slot_a = TheatreSlot(forum_id=forum.id, area_id=area.id, starts_at=at("10:00"), ends_at=at("10:30"), buffer_minutes=15)
    slot_b = TheatreSlot(forum_id=forum.id, area_id=area.id, starts_at=at("10:40"), ends_at=at("11:10"), buffer_minutes=0)
    db.session.add_all([slot_a, slot_b])
    db.session.commit()
    for row in (one, two, slot_a, slot_b):
        db.session.refresh(row)
    booking._place(one, slot_a)
    # PostgreSQL: the exclusion constraint refuses 10:40 inside 10:00–10:45 (slot and buffer).
    # SQLite has no such constraint (the service's lock keeps it); its unique slot still holds.
    booking._place(two, slot_b if db_backend == "postgres" else slot_a)
    with pytest.raises(sa.exc.IntegrityError, match="ex_theatre_performance_stage|UNIQUE"):
        db.session.commit()


def test_swap_moves_both_on_the_agenda_and_tells_both_troupes(app, db_backend):
    forum = theatre_forum()
    first_slot, second_slot = make_slots(forum)[:2]
    first, second = approved(forum, title="Письмо из России"), approved(forum, title="Дом, где ждут")
    booking.book(first, first_slot)
    booking.book(second, second_slot)
    db.session.commit()
    booking.swap(first, second)
    db.session.commit()
    items = {i.title["ru"]: i for i in queries.forum_items(forum) if i.kind == "theatre"}
    assert items["Письмо из России"].starts_at == second_slot.starts_at
    assert items["Дом, где ждут"].starts_at == first_slot.starts_at
    assert all(i.sequence == 1 and not i.is_cancelled for i in items.values())
    moved = db.session.scalars(sa.select(Message).where(Message.body.like("%Дом, где ждут%"),
                                                        Message.channel == "sms")).all()
    assert any(first.contact_phone == m.recipient or second.contact_phone == m.recipient for m in moved)
    assert len(db.session.scalars(sa.select(Message).where(Message.recipient.in_(
        [first.contact_phone, second.contact_phone]), Message.body.like("%перенес%"))).all()) == 2


def test_freeing_a_slot_cancels_the_agenda_item_and_booking_again_restores_it(app, db_backend):
    forum = theatre_forum()
    slot, later = make_slots(forum)[:2]
    performance = approved(forum)
    booking.book(performance, slot)
    db.session.commit()
    booking.unbook(performance)
    db.session.commit()
    (item,) = [i for i in queries.forum_items(forum) if i.kind == "theatre"]
    assert item.is_cancelled
    booking.book(performance, later)
    db.session.commit()
    db.session.refresh(item)
    assert not item.is_cancelled and item.starts_at == later.starts_at
