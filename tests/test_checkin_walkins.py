"""Walk-ins at the door: registered and checked in in one step; the badge opens as an A6 PDF
whose QR then scans as "already checked in"; a phone registered here finds that person; a
phone known elsewhere tells the door nothing about its owner."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from forum.checkin.models import Checkin
from forum.extensions import db
from forum.people.models import Person, Registration
from tests import factories
from tests.checkin_fixtures import decode_qr_codes, make_checkpoint

pytestmark = pytest.mark.both_dbs

URL = "/checkin/isfara-test/walk-in"


def _walk_in(client, nonce: str = "walk-in-nonce-1", **fields):
    data = {"full_name": "Саидова Мавлуда", "phone": "93 555 12 34", "category": "guest", "language": "tg",
            "organization_name": "ГВП «Гулистон»", "checkpoint": "entrance", "consent": "y", "nonce": nonce,
            "device": "Door phone 2", **fields}
    return client.post(URL, data=data)


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_walk_in_is_registered_checked_in_and_leaves_with_a_badge_that_scans_as_already_in(client, auth, forum):
    staff = auth.login("staff")
    make_checkpoint(forum, "entrance")
    form = client.get(URL + "?checkpoint=entrance&device=Door+phone+2")
    assert form.status_code == 200
    response = _walk_in(client)
    assert response.status_code == 302
    done_url = response.headers["Location"]

    registration = db.session.scalar(sa.select(Registration))
    person = registration.person
    assert (person.full_name, person.phone, person.language, person.organization.name) == (
        "Саидова Мавлуда", "+992935551234", "tg", "ГВП «Гулистон»")
    assert (registration.source, registration.status, registration.category) == ("walkin", "confirmed", "guest")
    assert registration.consent_at is not None
    checkin = db.session.scalar(sa.select(Checkin))
    assert (checkin.result, checkin.reason, checkin.method, checkin.user_id, checkin.device) == (
        "ok", "first", "walkin", staff.id, "Door phone 2")

    page = client.get(done_url).get_data(as_text=True)
    assert "Саидова Мавлуда" in page and 'data-status="ok"' in page and "<svg" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)|\son\w+=|\sstyle=", page)  # CSP-clean
    pdf_url = re.search(r'href="([^"]+badge\.pdf)"', page).group(1)
    pdf = client.get(pdf_url)
    assert pdf.mimetype == "application/pdf" and pdf.headers["Content-Disposition"].startswith("inline")
    assert decode_qr_codes(pdf.data) == [registration.badge_secret]

    # The printed badge at the checkpoint: the person is in already.
    scanned = client.post("/checkin/isfara-test/scan", json={
        "checkpoint": "entrance", "nonce": "scan-after-walk-in", "secret": decode_qr_codes(pdf.data)[0]}).json
    assert scanned["status"] == "already_checked_in"
    assert scanned["registration"]["name"] == "Саидова Мавлуда"


def test_a_phone_registered_here_finds_that_person_and_checks_them_in(client, auth, forum):
    auth.login("staff")
    make_checkpoint(forum, "entrance")
    known = factories.make_registration(forum, factories.make_person("Раҳимова Гулнора", phone="+992935551234",
                                                                    email="gulnora@example.org"))
    response = _walk_in(client, full_name="Рахимова")
    assert response.status_code == 302
    assert _count(Person) == 1 and _count(Registration) == 1
    db.session.expire_all()
    assert known.person.full_name == "Раҳимова Гулнора" and known.source == "organizer"  # nothing changed
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Раҳимова Гулнора" in page and 'data-status="ok"' in page
    assert "<svg" not in page and "badge.pdf" not in page  # their own badge, not a new one
    assert "gulnora@example.org" not in page and "555" not in page
    checkin_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert client.get(f"{URL}/{checkin_id}/badge.pdf").status_code == 404
    again = _walk_in(client, nonce="walk-in-nonce-2", full_name="Рахимова")
    assert 'data-status="already_checked_in"' in client.get(again.headers["Location"]).get_data(as_text=True)


def test_a_phone_known_from_elsewhere_reveals_nobody(client, auth, forum):
    auth.login("staff")
    make_checkpoint(forum, "entrance")
    other_forum = factories.make_forum(slug="gafurov-test")
    stranger = factories.make_registration(other_forum, factories.make_person("Каримова Зебо", phone="+992935551234"))
    response = _walk_in(client)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "другому человеку" in page and "Каримова" not in page
    assert _count(Registration) == 1 and _count(Checkin) == 0
    # The same person (her name as stored, typed on a Russian keyboard) is registered here too.
    factories.make_person("Қодирова Зарина", phone="+992935550000")
    response = _walk_in(client, nonce="walk-in-nonce-3", full_name="Кодирова Зарина", phone="93 555 00 00")
    assert response.status_code == 302
    assert _count(Person) == 2 and stranger.person.full_name == "Каримова Зебо"
    registration = db.session.scalar(sa.select(Registration).where(Registration.forum_id == forum.id))
    assert registration.person.full_name == "Қодирова Зарина" and registration.source == "walkin"


def test_a_double_tap_registers_once_and_answers_the_same(client, auth, forum):
    auth.login("staff")
    make_checkpoint(forum, "entrance")
    first = _walk_in(client, phone="")
    second = _walk_in(client, phone="")
    assert first.headers["Location"] == second.headers["Location"]
    assert _count(Person) == 1 and _count(Registration) == 1 and _count(Checkin) == 1


def test_bad_input_changes_nothing_and_says_why_in_the_page_language(client, auth, forum):
    auth.login("staff")
    make_checkpoint(forum, "entrance")
    make_checkpoint(forum, "closed-door", active=False)
    client.get("/lang/tg")
    for fields in ({"consent": ""}, {"phone": "12"}, {"full_name": ""}, {"checkpoint": "closed-door"},
                   {"category": "king"}):
        response = _walk_in(client, **fields)
        assert response.status_code == 422, fields
        assert 'class="field-error"' in response.get_data(as_text=True), fields
    assert _count(Person) == 0 and _count(Checkin) == 0


def test_the_desk_shows_only_walk_ins_of_its_forum(client, auth, forum):
    auth.login("staff")
    make_checkpoint(forum, "entrance")
    registration = factories.make_registration(forum)
    scanned = client.post("/checkin/isfara-test/scan", json={"checkpoint": "entrance", "nonce": "plain-scan-1",
                                                             "secret": registration.badge_secret}).json
    assert client.get(f"{URL}/{scanned['scan_id']}").status_code == 404
    assert client.get(f"{URL}/{scanned['scan_id']}/badge.pdf").status_code == 404
    other = factories.make_forum(slug="gafurov-test")
    make_checkpoint(other, "entrance")
    done = _walk_in(client).headers["Location"]
    assert client.get(done.replace("isfara-test", "gafurov-test")).status_code == 404


def test_the_scanner_page_links_to_the_desk_and_other_roles_are_refused(client, auth, forum):
    auth.login("staff")
    make_checkpoint(forum, "entrance")
    assert 'href="/checkin/isfara-test/walk-in"' in client.get("/checkin/isfara-test").get_data(as_text=True)
    auth.logout()
    auth.login("jury")
    assert client.get(URL).status_code == 403


def test_a_walk_in_gets_the_personal_link_by_sms_at_once(client, auth, forum):
    from forum.messaging.models import Message
    from forum.messaging.sms import sms_parts

    auth.login("staff")
    make_checkpoint(forum, "entrance")
    _walk_in(client)
    _walk_in(client)  # a double tap: one SMS
    registration = db.session.scalar(sa.select(Registration))
    (sms,) = db.session.scalars(sa.select(Message)).all()
    assert (sms.channel, sms.recipient, sms.language, sms.urgent) == ("sms", "+992935551234", "tg", True)
    assert f"/l/{registration.short_code}" in sms.body and sms_parts(sms.body) <= 2
