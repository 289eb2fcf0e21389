"""Issue 16, the theatre's request form: a contact phone that belongs to someone already in the
list attaches nothing to her, changes nothing of hers and gets the same answer as a new one."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from forum.extensions import db
from forum.messaging.models import Message
from forum.people.models import Person, Registration
from forum.theatre import booking, service
from forum.theatre.models import Performance
from tests.factories import make_forum, make_person, make_registration
from tests.test_theatre_public import FORM
from tests.theatre_fixtures import make_slots, request_data, theatre_forum

MALIKA = "+992927701806"


def _messages(**where) -> list[Message]:
    stmt = sa.select(Message).order_by(Message.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(Message, key) == value)
    return list(db.session.scalars(stmt))


def _visible(page: str) -> str:
    return re.sub(r'name="csrf_token"[^>]*>', "", page)


def _answer(client, **fields) -> tuple[str, str]:
    response = client.post("/f/isfara-test/theatre/request", data=dict(FORM, **fields))
    assert response.status_code == 302
    return response.headers["Location"], _visible(client.get(response.headers["Location"]).get_data(as_text=True))


@pytest.mark.both_dbs
def test_a_stranger_files_a_request_with_a_registered_womans_number(client, app):
    """Malika is registered at this forum. A stranger names her number as the troupe's contact:
    the request stands on its own (contact as typed), her page shows nothing of it, nothing
    of hers changes, and she gets only her own link, as a self-registration would send it."""
    forum = theatre_forum()
    malika = make_person("Сафарова Малика", phone=MALIKA, email="malika@example.tj", language="tg")
    hers = make_registration(forum, malika, category="shg_member")
    before = {c: getattr(malika, c) for c in ("full_name", "email", "language", "organization_id", "position")}
    fresh_location, fresh_page = _answer(client, troupe_name="Театр «Навруз»", contact_phone="93 111 22 18")
    location, page = _answer(client, contact_name="Кто-то другой", contact_phone="92 770 18 06")

    # The same answer as for a new number, but for the masked number itself.
    assert location == fresh_location == "/f/isfara-test/theatre/received"
    assert page.replace("+992 ** *** 18 06", "+992 ** *** 22 18") == fresh_page
    assert "+992 ** *** 18 06" in page and "Сафарова" not in page and hers.token not in page

    db.session.expire_all()
    performance = db.session.scalar(sa.select(Performance).where(Performance.contact_phone == MALIKA))
    assert performance.registration_id is None  # attached to nobody
    assert (performance.contact_name, performance.status) == ("Кто-то другой", "pending")
    malika = db.session.get(Person, malika.id)
    assert {c: getattr(malika, c) for c in before} == before
    assert db.session.get(Registration, hers.id).category == "shg_member"
    assert db.session.scalar(sa.select(sa.func.count(Registration.id)).where(Registration.person_id == malika.id)) == 1
    assert service.performances_of(hers) == []
    assert "Письмо из России" not in client.get(f"/r/{hers.token}").get_data(as_text=True)
    # To her number and her address: her own link, nothing about the request.
    sent = _messages(recipient=MALIKA) + _messages(recipient="malika@example.tj")
    assert sorted(m.channel for m in sent) == ["email", "sms"]
    assert all(m.registration_id == hers.id and "Письмо" not in m.body and "Мактуб" not in m.body for m in sent)
    assert f"/l/{hers.short_code}" in next(m.body for m in sent if m.channel == "sms")


@pytest.mark.both_dbs
def test_a_known_number_from_another_forum_gets_no_registration_here(client, app):
    forum = theatre_forum()
    other = make_forum(slug="b-gafurov-test")
    malika = make_person("Сафарова Малика", phone=MALIKA)
    make_registration(other, malika)
    location, page = _answer(client)
    assert location == "/f/isfara-test/theatre/received" and "+992 ** *** 18 06" in page
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Registration.id)).where(Registration.forum_id == forum.id)) == 0
    assert db.session.scalar(sa.select(sa.func.count(Person.id))) == 1
    assert _messages() == []  # no page of hers here to send; the organizers phone the contact
    assert db.session.scalar(sa.select(Performance.contact_name)) == "Сафарова Нигина"


@pytest.mark.both_dbs
def test_organizers_decide_and_book_a_request_attached_to_nobody(client, auth, app):
    forum = theatre_forum()
    make_person("Сафарова Малика", phone=MALIKA)
    performance = service.request_slot(forum, request_data(phone=MALIKA)).performance
    assert performance.registration is None
    service.decide(performance, approve=True)  # the cast becomes performers; no contact to tell
    slot = make_slots(forum)[0]
    booking.book(performance, slot)
    db.session.commit()
    assert performance.status == "approved" and performance.slot_id == slot.id
    assert all(m.registration is not None for m in performance.cast)
    assert _messages(recipient=MALIKA) == []
    auth.login("organizer")
    page = client.get(f"/manage/isfara-test/theatre/{performance.id}").get_data(as_text=True)
    assert performance.contact_name in page and "не связана" in page


def test_a_new_number_still_gets_the_troupe_s_own_page(client, app):
    forum = theatre_forum()
    _location, page = _answer(client)
    assert "+992 ** *** 18 06" in page
    (registration,) = db.session.scalars(sa.select(Registration).where(Registration.forum_id == forum.id))
    assert registration.person.phone == MALIKA and registration.token not in page
    assert [m.recipient for m in _messages(channel="sms")] == [MALIKA]
    assert f"/r/{registration.token}" in _messages(channel="sms")[0].body
