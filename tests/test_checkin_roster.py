"""GET /api/v1/forums/<slug>/checkpoints/<key>/roster: what a door phone keeps to decide
scans offline. Hashes, never secrets or codes; the rules of rules.py; only what changed
with ?since=; staff and organizers only; 5,000 registrations well under 1 MB compressed."""
from __future__ import annotations

import gzip
import hashlib
import hmac
import json
from base64 import urlsafe_b64decode, urlsafe_b64encode
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from forum.badges import service as badges
from forum.checkin.checkpoints import allow
from forum.checkin.rules import admitted_ids, rules
from forum.extensions import db
from forum.people.models import Organization, Person, Registration
from tests import factories
from tests.checkin_fixtures import api_token, lost_badge, make_checkpoint, scan

URL = "/api/v1/forums/isfara-test/checkpoints/{}/roster"
LONG_AGO = datetime(2011, 5, 1, tzinfo=UTC)


def _get(client, token, key="entrance", **params):
    response = client.get(URL.format(key), query_string=params, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.data[:300]
    return response.json


def _phone_hash(roster: dict, value: str) -> str:
    """What the phone computes for a scanned value (static/checkin/hash.js does the same)."""
    key = urlsafe_b64decode(roster["key"] + "=" * (-len(roster["key"]) % 4))
    inner = hashlib.sha256(value.encode()).hexdigest().encode()
    return urlsafe_b64encode(hmac.new(key, inner, hashlib.sha256).digest()[:16]).rstrip(b"=").decode()


def _backdate() -> None:
    """Everything so far happened days ago: a refresh must not send it again."""
    for model in (Registration, Person, Organization):
        db.session.execute(sa.update(model).values(updated_at=LONG_AGO))
    db.session.execute(sa.update(badges.BadgeCode).values(issued_at=LONG_AGO))
    db.session.commit()


def test_roster_has_keyed_hashes_never_secrets_or_codes(client, forum):
    make_checkpoint(forum, "press-room", rule="categories", categories=["press"])
    org = factories.make_organization("ГВП «Умед», Чоркӯҳ")
    member = factories.make_registration(forum, factories.make_person("Раҳимова Гулнора", organization=org))
    journalist = factories.make_registration(forum, category="press")
    cancelled = factories.make_registration(forum, category="press", status="cancelled")
    make_checkpoint(forum, "entrance")
    scan(forum, journalist.badge_secret, "press-room")
    _user, token = api_token("staff")
    response = client.get(URL.format("press-room"), headers={"Authorization": f"Bearer {token}"})
    text = response.get_data(as_text=True)
    roster = response.json
    for registration in (member, journalist, cancelled):
        code = badges.short_code(registration)
        assert registration.badge_secret not in text and code not in text and badges.codes.display(code) not in text
    entries = {e["id"]: e for e in roster["registrations"]}
    assert set(entries) == {member.id, journalist.id, cancelled.id}  # those it admits and those it must refuse
    mine = entries[member.id]
    assert mine["secret"] == _phone_hash(roster, member.badge_secret)
    assert mine["code"] == _phone_hash(roster, badges.short_code(member))
    assert (mine["name"], mine["folded"], mine["organization"]) == ("Раҳимова Гулнора", "rahimova gulnora",
                                                                   "ГВП «Умед», Чоркӯҳ")
    assert (mine["category"], mine["status"], mine["admitted"], mine["in"]) == ("shg_member", "confirmed", False, None)
    assert entries[journalist.id]["admitted"] and entries[journalist.id]["in"]["at"]
    assert entries[cancelled.id]["status"] == "cancelled" and entries[cancelled.id]["admitted"]
    assert "phone" not in text and "token" not in json.dumps(roster["registrations"])
    assert response.headers["Cache-Control"] == "private, no-store"
    # The entrance admits everyone; the press room's entry is not the entrance's.
    entrance = {e["id"]: e for e in _get(client, token)["registrations"]}
    assert entrance[member.id]["admitted"] and entrance[journalist.id]["in"] is None


def test_replaced_badges_come_with_whose_they_were(client, forum):
    make_checkpoint(forum, "entrance")
    registration, old_secret, old_code = lost_badge(forum, at=datetime(2011, 5, 5, 3, 30, tzinfo=UTC))
    _user, token = api_token("staff")
    roster = _get(client, token)
    (replaced,) = roster["reissued"]
    assert replaced == {"secret": _phone_hash(roster, old_secret), "code": _phone_hash(roster, old_code),
                        "registration": registration.id, "at": "2011-05-05T03:30:00+00:00", "by": "Саидова Мавзуна"}
    assert old_secret not in json.dumps(roster)


def test_a_refresh_sends_only_what_changed(client, forum):
    make_checkpoint(forum, "entrance")
    people = [factories.make_registration(forum) for _ in range(6)]
    _backdate()
    _user, token = api_token("staff")
    first = _get(client, token)
    assert first["full"] and len(first["registrations"]) == 6
    assert _get(client, token, since=first["cursor"])["registrations"] == []  # nothing changed
    people[0].person.full_name = "Қурбонова Ҷамила"  # renamed
    people[1].status = "cancelled"  # cancelled at the desk
    db.session.commit()
    scan(forum, people[2].badge_secret)  # let in by another phone
    badges.reissue(people[3])  # badge lost
    db.session.commit()
    changed = _get(client, token, since=first["cursor"])
    assert not changed["full"]
    entries = {e["id"]: e for e in changed["registrations"]}
    assert set(entries) == {people[0].id, people[1].id, people[2].id, people[3].id}
    assert entries[people[0].id]["folded"] == "kurbonova chamila" and entries[people[1].id]["status"] == "cancelled"
    assert entries[people[2].id]["in"] is not None and len(changed["reissued"]) == 1


def test_a_deleted_registration_or_a_changed_rule_sends_the_whole_roster(client, forum):
    entrance = make_checkpoint(forum, "entrance")
    people = [factories.make_registration(forum) for _ in range(3)]
    _backdate()
    _user, token = api_token("staff")
    cursor = _get(client, token)["cursor"]
    db.session.delete(people[0])
    db.session.commit()
    again = _get(client, token, since=cursor)
    assert again["full"] and {e["id"] for e in again["registrations"]} == {people[1].id, people[2].id}
    entrance.rule = "list"
    allow(entrance, [people[1]])
    db.session.commit()
    listed = _get(client, token, since=again["cursor"])
    assert listed["full"] and {e["id"]: e["admitted"] for e in listed["registrations"]} == {people[1].id: True,
                                                                                            people[2].id: False}


@pytest.mark.parametrize("role, status", [("staff", 200), ("organizer", 200), ("jury", 403), ("employer", 403)])
def test_staff_and_organizers_only_by_token_or_by_their_login(app, client, auth, forum, role, status):
    make_checkpoint(forum, "entrance")
    factories.make_registration(forum)
    _user, token = api_token(role, email=f"token-{role}@forum.example")
    assert client.get(URL.format("entrance"), headers={"Authorization": f"Bearer {token}"}).status_code == status
    assert client.get(URL.format("entrance")).status_code == 401  # nobody logged in, no token
    auth.login(role)
    app.config["WTF_CSRF_ENABLED"] = True  # as in production: a GET needs no CSRF token
    response = client.get(URL.format("entrance"))
    assert response.status_code == status
    if status == 200:
        assert response.json["csrf_token"]  # the scanner page keeps a working token for its uploads
    assert client.get(URL.format("back-door")).status_code == (404 if status == 200 else 403)


def test_every_rule_admits_in_the_roster_whom_it_admits_at_the_door(demo_app):
    """The roster asks each rule for its `expected` select; the door asks `allows`: they agree
    at two doors of the Isfara demo (one with an area, one without) under every registered rule."""
    from forum.checkin.models import Checkpoint
    from forum.checkin.rules import get_rule
    from forum.events.models import Forum

    isfara = db.session.scalar(sa.select(Forum).where(Forum.slug == "isfara-2011"))
    registrations = db.session.scalars(sa.select(Registration).where(Registration.forum_id == isfara.id)).all()
    checked = 0
    for checkpoint in db.session.scalars(sa.select(Checkpoint).where(
            Checkpoint.forum_id == isfara.id, Checkpoint.key.in_(["entrance", "round-table"]))):
        for rule in rules():
            checkpoint.rule = rule.name
            if rule.name == "categories":
                checkpoint.categories = ["press", "government"]
            at_door = {r.id for r in registrations if get_rule(rule.name).allows(checkpoint, r)}
            assert admitted_ids(checkpoint) == at_door, (checkpoint.key, rule.name)
            checked += bool(at_door)
    assert checked >= 5
    db.session.rollback()


def test_five_thousand_registrations_come_in_well_under_a_megabyte(app, client, forum):
    from bench.door import crowd

    make_checkpoint(forum, "entrance")
    crowd(forum, 5000)
    db.session.commit()
    _user, token = api_token("staff")
    response = client.get(URL.format("entrance"), headers={"Authorization": f"Bearer {token}",
                                                           "Accept-Encoding": "gzip, deflate"})
    assert response.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in response.headers["Vary"]
    assert len(response.data) <= 1_000_000
    roster = json.loads(gzip.decompress(response.data))
    assert len(roster["registrations"]) == 5000
