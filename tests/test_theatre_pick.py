"""A troupe picks its slot on its private page: only once its play is approved, and only once;
everything else is the organizers'. The database refuses a booked play that is not approved."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from forum.agenda.models import AgendaItem
from forum.extensions import db
from forum.messaging.models import Message
from forum.theatre import booking, service
from forum.theatre.models import Performance
from tests.theatre_fixtures import approved, make_slots, request_data, theatre_forum

NOT_YOURS = "Выбрать слот может только одобренный спектакль без слота"


def _pick(client, performance, slot):
    """The troupe's form on /r/<token>, sent as a crafted request would send it."""
    token = performance.registration.token
    return client.post(f"/r/{token}/theatre/{performance.id}/pick", data={f"p{performance.id}-slot_id": slot.id},
                       follow_redirects=True)


def _theatre_items(forum):
    return db.session.scalars(sa.select(AgendaItem).where(AgendaItem.forum_id == forum.id,
                                                          AgendaItem.kind == "theatre")).all()


def test_pending_troupe_cannot_book_itself(client, app):
    forum = theatre_forum()
    slot = make_slots(forum)[0]
    waiting = service.request_slot(forum, request_data(title="Долг")).performance
    page = client.get(f"/r/{waiting.registration.token}").get_data(as_text=True)
    assert "Выберите свободный слот" not in page  # no form is offered…
    response = _pick(client, waiting, slot)  # …and a crafted request is refused all the same
    assert NOT_YOURS in response.get_data(as_text=True)
    db.session.expire_all()
    still = db.session.get(Performance, waiting.id)
    assert (still.status, still.slot_id, still.decided_at) == ("pending", None, None)
    assert _theatre_items(forum) == []
    assert "Долг" not in client.get("/f/isfara-test/theatre").get_data(as_text=True)


def test_declined_troupe_cannot_book_itself(client, app):
    forum = theatre_forum()
    slot = make_slots(forum)[0]
    declined = service.request_slot(forum, request_data()).performance
    service.decide(declined, approve=False)
    db.session.commit()
    assert NOT_YOURS in _pick(client, declined, slot).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Performance, declined.id).slot_id is None and _theatre_items(forum) == []


def test_booked_troupe_cannot_move_itself_to_another_slot(client, app):
    forum = theatre_forum()
    first, second = make_slots(forum)[:2]
    performance = approved(forum)
    assert "Слот забронирован" in _pick(client, performance, first).get_data(as_text=True)
    assert NOT_YOURS in _pick(client, performance, second).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Performance, performance.id).slot_id == first.id
    assert [i.starts_at for i in _theatre_items(forum)] == [first.starts_at]


def test_a_troupe_cannot_pick_for_another_troupes_play(client, app):
    forum = theatre_forum()
    slot = make_slots(forum)[0]
    mine, theirs = approved(forum), approved(forum)
    response = client.post(f"/r/{mine.registration.token}/theatre/{theirs.id}/pick",
                           data={f"p{theirs.id}-slot_id": slot.id})
    assert response.status_code == 404
    assert db.session.get(Performance, theirs.id).slot_id is None


def test_a_slot_taken_meanwhile_is_refused_on_the_troupes_page(client, app):
    forum = theatre_forum()
    slot = make_slots(forum)[0]
    first, late = approved(forum), approved(forum)
    booking.book(first, slot)
    db.session.commit()
    page = _pick(client, late, slot).get_data(as_text=True)
    assert "В этом слоте уже стоит другой спектакль" in page
    assert db.session.get(Performance, late.id).slot_id is None


def test_approval_is_the_organizers_and_the_troupe_is_told_to_pick(client, app):
    forum = theatre_forum()
    make_slots(forum)
    waiting = service.request_slot(forum, request_data(title="Патент")).performance
    service.decide(waiting, approve=True)
    db.session.commit()
    sms = db.session.scalars(sa.select(Message.body).where(Message.recipient == waiting.contact_phone,
                                                           Message.channel == "sms")).all()
    assert any("«Патент» одобрен для театральной сцены" in body for body in sms)
    assert "Выберите свободный слот" in client.get(f"/r/{waiting.registration.token}").get_data(as_text=True)


@pytest.mark.both_dbs
def test_the_database_refuses_a_booked_play_that_is_not_approved(app, db_backend):
    forum = theatre_forum()
    slot = make_slots(forum)[0]
    waiting = service.request_slot(forum, request_data()).performance
    db.session.refresh(slot)
    booking._place(waiting, slot)  # written without the service's check
    with pytest.raises(sa.exc.IntegrityError, match="booked_when_approved"):
        db.session.commit()
    db.session.rollback()
    # A booked play cannot be sent back to waiting either.
    performance = approved(forum)
    booking.book(performance, slot)
    db.session.commit()
    performance.status = "pending"
    with pytest.raises(sa.exc.IntegrityError, match="booked_when_approved"):
        db.session.commit()
