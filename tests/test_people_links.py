"""The personal link reaches its person and nobody else: public forms never show, attach to or
change a person because of a phone they were given; the link goes to the stored number (and
email) through the outbox; "Lost your link?" answers the same for a known and an unknown number."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from config import TestConfig
from forum import create_app
from forum.extensions import db
from forum.messaging.models import Message
from forum.messaging.sms import sms_parts
from forum.people import links
from forum.people.models import Person, Registration
from forum.people.phones import masked_phone
from tests.factories import make_forum, make_person, make_registration

GOOD = {"full_name": "Каримова Зарина", "phone": "92 770 11 22", "language": "tg", "category": "shg_member",
        "gender": "f", "organization_name": "ГВП «Умед»", "jamoat_id": "0", "consent": "y"}


def _messages(**where):
    stmt = sa.select(Message).order_by(Message.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(Message, key) == value)
    return list(db.session.scalars(stmt))


def _visible(page: str) -> str:
    """The page without the things that differ per request (the CSRF token)."""
    import re

    return re.sub(r'name="csrf_token"[^>]*>', "", page)


def test_masked_numbers_show_only_their_end():
    assert masked_phone("+992927701806") == "+992 ** *** 18 06"
    assert masked_phone("+79161234567") == "+7 *** *** 45 67"
    assert masked_phone(None) == ""


@pytest.mark.both_dbs
def test_a_new_participant_gets_the_link_by_sms_and_the_page_says_where(client, forum):
    response = client.post("/f/isfara-test/register", data=GOOD)
    assert response.headers["Location"] == "/f/isfara-test/link/sent"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "+992 ** *** 11 22" in page
    registration = db.session.scalar(sa.select(Registration))
    assert registration.token not in page and "/r/" not in page
    (sms,) = _messages(channel="sms")
    assert sms.recipient == "+992927701122" and sms.language == "tg" and sms.urgent
    assert f"/l/{registration.short_code}" in sms.body and sms_parts(sms.body) <= 2
    assert client.get(f"/l/{registration.short_code}").headers["Location"] == f"/r/{registration.token}"


@pytest.mark.both_dbs
def test_a_strangers_form_with_a_known_number_changes_and_shows_nothing(client, forum):
    other = make_forum(slug="b-gafurov-test")
    victim = make_person("Сафарова Малика", phone="+992927701806", email="malika@example.tj", language="ru")
    theirs = make_registration(other, victim)
    before = {c: getattr(victim, c) for c in ("full_name", "email", "language", "gender", "organization_id")}
    fresh = client.post("/f/isfara-test/register", data=dict(GOOD, phone="93 111 22 33"))
    fresh_page = client.get(fresh.headers["Location"]).get_data(as_text=True)
    taken = client.post("/f/isfara-test/register", data=dict(GOOD, phone="+992 92 770 18 06",
                                                            email="thief@example.com"))
    assert taken.headers["Location"] == fresh.headers["Location"]
    page = client.get(taken.headers["Location"]).get_data(as_text=True)
    # The same page as for a new number, but for the masked number itself.
    assert _visible(page).replace("18 06", "22 33") == _visible(fresh_page)
    assert "+992 ** *** 18 06" in page and "Сафарова" not in page and theirs.token not in page
    db.session.expire_all()
    victim = db.session.get(Person, victim.id)
    assert {c: getattr(victim, c) for c in before} == before
    mine = db.session.scalar(sa.select(Registration).where(Registration.forum_id == forum.id,
                                                           Registration.person_id == victim.id))
    # Her place at this forum, as she is; the link goes to her number and her own email only.
    sent = _messages(registration_id=mine.id)
    assert {(m.channel, m.recipient) for m in sent} == {("sms", "+992927701806"), ("email", "malika@example.tj")}
    assert not _messages(recipient="thief@example.com")


def test_a_double_submit_gets_the_same_answer_and_one_sms(client, forum):
    first = client.post("/f/isfara-test/register", data=GOOD)
    second = client.post("/f/isfara-test/register", data=dict(GOOD, full_name="Другое имя"))
    assert first.headers["Location"] == second.headers["Location"] == "/f/isfara-test/link/sent"
    assert "+992 ** *** 11 22" in client.get(second.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 1
    assert db.session.scalar(sa.select(Person.full_name)) == "Каримова Зарина"
    assert len(_messages(channel="sms")) == 1


def test_the_link_goes_once_per_window_and_again_later(app, forum):
    registration = make_registration(forum, make_person(phone="+992927701806", email="a@example.tj"))
    now = datetime(2011, 5, 1, 6, 0, tzinfo=UTC)
    assert len(links.send_personal_link(registration, now=now)) == 2
    assert links.send_personal_link(registration, now=now + timedelta(minutes=1)) == []
    assert len(links.send_personal_link(registration, now=now + timedelta(minutes=links.REPEAT_MINUTES))) == 2


@pytest.mark.parametrize("lang", ["ru", "tg", "en"])
def test_the_sms_fits_two_parts_in_every_language(app, lang):
    forum = make_forum(slug="long", title={"ru": "Форум групп взаимопомощи, Бободжон Гафуров"})
    forum.city = {"ru": "Бободжон Гафуров", "tg": "Бобоҷон Ғафуров", "en": "Bobojon Gafurov"}
    registration = make_registration(forum, make_person(language=lang))
    assert sms_parts(links.sms_text(registration)) <= 2


def test_unknown_and_overlong_short_codes_are_a_plain_404(client, forum):
    make_registration(forum)
    assert client.get("/l/ABCDEFGHJK").status_code == 404
    assert client.get("/l/" + "A" * 40).status_code == 404


@pytest.mark.both_dbs
def test_lost_link_answers_alike_and_sends_only_to_a_registered_number(client, forum):
    person = make_person(phone="+992927701806", email="Malika@Example.tj")
    registration = make_registration(forum, person)
    known = client.post("/f/isfara-test/link", data={"contact": "92-770-18-06"})
    known_page = client.get(known.headers["Location"]).get_data(as_text=True)
    unknown = client.post("/f/isfara-test/link", data={"contact": "93 111 22 33"})
    unknown_page = client.get(unknown.headers["Location"]).get_data(as_text=True)
    assert known.headers["Location"] == unknown.headers["Location"]
    assert _visible(known_page).replace("18 06", "22 33") == _visible(unknown_page)
    assert [(m.channel, m.recipient) for m in _messages()] == [("sms", "+992927701806")]
    by_mail = client.post("/f/isfara-test/link", data={"contact": "malika@example.TJ"})
    assert "m***@example.TJ" in client.get(by_mail.headers["Location"]).get_data(as_text=True)
    assert [(m.channel, m.recipient) for m in _messages(channel="email")] == [("email", "Malika@Example.tj")]
    assert all(m.registration_id == registration.id for m in _messages())


def test_lost_link_explains_bad_input_in_the_pages_language(client, forum):
    client.get("/lang/tg")
    page = client.post("/f/isfara-test/link", data={"contact": "12"}).get_data(as_text=True)
    assert "Ба ин рақам занг задан мумкин нест." in page
    assert _messages() == []


def test_lost_link_is_limited_per_number_and_the_form_stays_readable(tmp_path):
    config = TestConfig(database_url=f"sqlite:///{tmp_path / 'rl.db'}", upload_dir=str(tmp_path / "up"))
    config.RATELIMIT_ENABLED = True
    app = create_app(config)
    with app.app_context():
        db.create_all()
        make_forum(slug="rl-forum")
        client = app.test_client()
        written = ["92 770 18 06", "+992927701806", "92-770-18-06", "0927701806", "992927701806", "92 770 18 06"]
        codes = [client.post("/f/rl-forum/link", data={"contact": c}).status_code for c in written]
        other = client.post("/f/rl-forum/link", data={"contact": "93 111 22 33"}).status_code
        assert client.get("/f/rl-forum/link").status_code == 200
        db.session.remove()
    assert codes[:5] == [302] * 5 and codes[5] == 429 and other == 302
