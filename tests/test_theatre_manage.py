"""The organizers' theatre pages: deciding on requests, booking, swapping, freeing and removing
slots, each refusal told in words, and only organizers let in."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from forum.agenda.models import AgendaItem
from forum.extensions import db
from forum.messaging.models import Message
from forum.theatre import booking, service
from forum.theatre.models import Performance, TheatreSlot
from tests.theatre_fixtures import approved, make_slots, request_data, theatre_forum

BASE = "/manage/isfara-test/theatre"


def _post(client, path: str, **data):
    return client.post(f"{BASE}{path}", data=data, follow_redirects=True)


def _sms_to(performance) -> list[str]:
    return list(db.session.scalars(sa.select(Message.body).where(Message.recipient == performance.contact_phone,
                                                                 Message.channel == "sms").order_by(Message.id)))


def _item(performance) -> AgendaItem | None:
    return db.session.scalar(sa.select(AgendaItem).where(AgendaItem.source == "theatre",
                                                         AgendaItem.source_id == performance.id))


def _fresh(performance) -> Performance:
    db.session.expire_all()
    return db.session.get(Performance, performance.id)


def test_organizer_cannot_book_a_waiting_request_before_approving_it(client, auth, app):
    forum = theatre_forum()
    slot = make_slots(forum)[0]
    waiting = service.request_slot(forum, request_data()).performance
    auth.login("organizer")
    detail = client.get(f"{BASE}/{waiting.id}").get_data(as_text=True)
    assert "одобрите её, прежде чем давать слот" in detail and "Назначить слот" not in detail
    page = _post(client, f"/{waiting.id}/book", slot_id=slot.id).get_data(as_text=True)
    assert "Эта заявка не одобрена: одобрите её, прежде чем давать слот." in page
    still = _fresh(waiting)
    assert (still.status, still.slot_id) == ("pending", None) and _item(still) is None


def test_approving_on_the_page_lets_the_organizer_assign_a_slot(client, auth, app):
    forum = theatre_forum()
    slot = make_slots(forum)[0]
    waiting = service.request_slot(forum, request_data(title="Мать и сын")).performance
    auth.login("organizer")
    page = _post(client, f"/{waiting.id}/decide", decision="approve").get_data(as_text=True)
    assert "Сохранено. Труппе отправлено SMS." in page and "Назначить слот" in page
    assert any("«Мать и сын» одобрен" in body for body in _sms_to(waiting))
    page = _post(client, f"/{waiting.id}/book", slot_id=slot.id).get_data(as_text=True)
    assert "Забронировано. Труппе отправлено SMS" in page
    assert _fresh(waiting).slot_id == slot.id and _item(waiting).starts_at == slot.starts_at


def test_declining_a_booked_play_frees_its_slot_and_it_cannot_be_booked_again(client, auth, app):
    forum = theatre_forum()
    slot = make_slots(forum)[0]
    performance = approved(forum, title="Деньги домой")
    booking.book(performance, slot)
    db.session.commit()
    auth.login("organizer")
    page = _post(client, f"/{performance.id}/decide", decision="decline").get_data(as_text=True)
    assert "Сохранено." in page and "Назначить слот" not in page
    declined = _fresh(performance)
    assert (declined.status, declined.slot_id) == ("declined", None) and _item(declined).is_cancelled
    assert any("не вошёл в театральную программу" in body for body in _sms_to(performance))
    page = _post(client, f"/{performance.id}/book", slot_id=slot.id).get_data(as_text=True)
    assert "Эта заявка не одобрена" in page and _fresh(performance).slot_id is None


def test_a_play_longer_than_the_slot_is_refused(client, auth, app):
    forum = theatre_forum()
    slot = make_slots(forum, minutes=30)[0]
    long_play = approved(forum, minutes=45)
    auth.login("organizer")
    page = _post(client, f"/{long_play.id}/book", slot_id=slot.id).get_data(as_text=True)
    assert "Спектакль длиннее этого слота. Выберите слот подлиннее." in page
    assert _fresh(long_play).slot_id is None and _item(long_play) is None
    exact = approved(forum, minutes=30)  # a play exactly as long as the slot fits
    _post(client, f"/{exact.id}/book", slot_id=slot.id)
    assert _fresh(exact).slot_id == slot.id


def test_a_slot_of_another_forum_or_none_is_refused(client, auth, app):
    forum = theatre_forum()
    other = theatre_forum(slug="b-gafurov-test", agenda_items=False)
    foreign = make_slots(other)[0]
    performance = approved(forum)
    auth.login("organizer")
    for data in ({"slot_id": foreign.id}, {"slot_id": "abc"}, {}):
        page = _post(client, f"/{performance.id}/book", **data).get_data(as_text=True)
        assert "Выберите слот этого форума." in page
    assert _fresh(performance).slot_id is None


def test_organizer_swaps_two_booked_plays_on_the_page(client, auth, app):
    forum = theatre_forum()
    one, two = make_slots(forum)[:2]
    first, second = approved(forum, title="Письмо"), approved(forum, title="Дом")
    booking.book(first, one)
    booking.book(second, two)
    db.session.commit()
    auth.login("organizer")
    detail = client.get(f"{BASE}/{first.id}").get_data(as_text=True)
    assert 'name="other_id"' in detail
    page = _post(client, f"/{first.id}/swap", other_id=second.id).get_data(as_text=True)
    assert "Поменяли местами. Обеим труппам отправлено SMS." in page
    assert (_fresh(first).slot_id, _fresh(second).slot_id) == (two.id, one.id)
    assert any("перенесён" in body for body in _sms_to(first)) and any("перенесён" in b for b in _sms_to(second))


def test_swapping_a_play_with_itself_is_refused(client, auth, app):
    forum = theatre_forum()
    slot = make_slots(forum)[0]
    performance = approved(forum)
    booking.book(performance, slot)
    db.session.commit()
    auth.login("organizer")
    page = _post(client, f"/{performance.id}/swap", other_id=performance.id).get_data(as_text=True)
    assert "Выберите другой спектакль для обмена." in page
    assert _fresh(performance).slot_id == slot.id


def test_swapping_with_a_play_without_a_slot_is_refused(client, auth, app):
    forum = theatre_forum()
    slot = make_slots(forum)[0]
    booked, unbooked = approved(forum), approved(forum)
    booking.book(booked, slot)
    db.session.commit()
    auth.login("organizer")
    for mine, theirs in ((booked, unbooked), (unbooked, booked)):
        page = _post(client, f"/{mine.id}/swap", other_id=theirs.id).get_data(as_text=True)
        assert "Чтобы поменять спектакли местами, у обоих должен быть слот." in page
    page = _post(client, f"/{booked.id}/swap", other_id="999").get_data(as_text=True)
    assert "у обоих должен быть слот" in page
    assert (_fresh(booked).slot_id, _fresh(unbooked).slot_id) == (slot.id, None)


def test_a_swap_that_would_not_fit_changes_nothing(client, auth, app):
    forum = theatre_forum()
    short = make_slots(forum, start="10:00", end="10:30", minutes=30)[0]
    long_slot = make_slots(forum, start="10:45", end="11:45", minutes=60)[0]
    small, big = approved(forum, minutes=25), approved(forum, minutes=50)
    booking.book(small, short)
    booking.book(big, long_slot)
    db.session.commit()
    auth.login("organizer")
    page = _post(client, f"/{small.id}/swap", other_id=big.id).get_data(as_text=True)
    assert "Спектакль длиннее этого слота" in page
    assert (_fresh(small).slot_id, _fresh(big).slot_id) == (short.id, long_slot.id)
    assert _item(big).starts_at == long_slot.starts_at


def test_freeing_a_slot_on_the_page_cancels_the_agenda_item_and_tells_the_troupe(client, auth, app):
    forum = theatre_forum()
    slot = make_slots(forum)[0]
    performance = approved(forum, title="Патент")
    booking.book(performance, slot)
    db.session.commit()
    auth.login("organizer")
    page = _post(client, f"/{performance.id}/unbook").get_data(as_text=True)
    assert "Слот снова свободен. Труппе отправлено SMS." in page
    freed = _fresh(performance)
    assert (freed.status, freed.slot_id) == ("approved", None) and _item(freed).is_cancelled
    assert any("организаторы освободили ваш слот" in body for body in _sms_to(performance))
    assert "Патент" not in client.get("/f/isfara-test/theatre").get_data(as_text=True)
    _post(client, f"/{performance.id}/unbook")  # freeing again changes nothing
    assert sum("освободили" in body for body in _sms_to(performance)) == 1


def test_a_free_slot_can_be_removed_a_booked_one_cannot(client, auth, app):
    forum = theatre_forum()
    held, free = make_slots(forum)[:2]
    booking.book(approved(forum, title="Долг"), held)
    db.session.commit()
    auth.login("organizer")
    page = _post(client, f"/slots/{held.id}/delete", confirmed="1").get_data(as_text=True)
    assert "В этом слоте уже стоит другой спектакль" in page and "Долг" in page
    page = _post(client, f"/slots/{free.id}/delete", confirmed="1").get_data(as_text=True)
    assert "Слот удалён." in page
    db.session.expire_all()
    assert db.session.get(TheatreSlot, free.id) is None and db.session.get(TheatreSlot, held.id) is not None
    assert client.post(f"{BASE}/slots/{free.id}/delete").status_code == 404


def test_another_forums_performance_is_not_found(client, auth, app):
    theatre_forum()
    other = theatre_forum(slug="b-gafurov-test", agenda_items=False)
    theirs = approved(other)
    auth.login("organizer")
    for path in ("", "/decide", "/book", "/swap", "/unbook"):
        method = client.get if not path else client.post
        assert method(f"{BASE}/{theirs.id}{path}").status_code == 404, path
    assert _fresh(theirs).status == "approved"


@pytest.mark.parametrize("path", ["/1/decide", "/1/book", "/1/swap", "/1/unbook", "/slots/1/delete", "/slots"])
def test_only_organizers_change_the_theatre(client, auth, app, path):
    forum = theatre_forum()
    make_slots(forum)
    approved(forum)
    auth.login("staff")
    assert client.post(f"{BASE}{path}", data={"decision": "decline", "slot_id": 1}).status_code == 403
    assert db.session.get(Performance, 1).status == "approved"
