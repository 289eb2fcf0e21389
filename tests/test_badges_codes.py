"""Short badge codes as staff type them at the door: read back whatever the keyboard layout,
told apart from badge secrets, shown in two halves, and never the same twice in a forum."""
from __future__ import annotations

from types import SimpleNamespace

import sqlalchemy as sa

from forum.badges import codes
from forum.badges.models import BadgeCode
from forum.extensions import db
from forum.people.codes import BADGE_ALPHABET, BADGE_SECRET_LENGTH
from forum.people.models import Registration
from forum.people.service import new_registration
from tests import factories


def test_a_code_typed_with_spaces_dashes_or_small_letters_reads_as_printed():
    assert codes.normalize(" k7m-q4x ") == "K7MQ4X"
    assert codes.normalize("K7M Q4X") == "K7MQ4X"
    assert codes.normalize("") == codes.normalize(None) == ""


def test_a_scanner_on_the_russian_layout_types_cyrillic_letters_that_read_as_latin():
    assert codes.normalize("Л7Ь-Й4Ч") == "K7MQ4X"  # the same keys on the Russian layout
    assert codes.normalize("л7ь-й4ч") == "K7MQ4X"
    assert codes.normalize("ФЫВА") == "ASDF"


def test_short_codes_and_secrets_are_told_apart_by_length_and_alphabet():
    secret = "ABCDEFGHJKMNPQRSTUVWXYZ2345"
    assert len(secret) == BADGE_SECRET_LENGTH
    assert codes.looks_like_secret(secret) and not codes.looks_like_short_code(secret)
    assert not codes.looks_like_secret(secret[:-1]) and not codes.looks_like_secret(secret + "6")
    assert not codes.looks_like_secret(secret[:-1] + "0")  # 0 is not in the badge alphabet (O is)
    assert codes.looks_like_short_code("K7MQ4X") and not codes.looks_like_secret("K7MQ4X")
    assert not codes.looks_like_short_code("K7MQ4") and not codes.looks_like_short_code("K7MQ4XY")
    assert not codes.looks_like_short_code("K7MQ41")  # 1 is not in the alphabet (I and 1 look alike)


def test_a_code_is_shown_in_two_halves_to_read_aloud():
    assert codes.display("K7MQ4X") == "K7M-Q4X"
    assert codes.display("ABCDE") == "AB-CDE"
    assert codes.display("") == codes.display(None) == ""


def test_a_new_code_is_never_one_already_taken(monkeypatch):
    drawn = iter("AAAAAA" + "BBBBBB")  # the first draw is taken, the second is free
    monkeypatch.setattr(codes, "secrets", SimpleNamespace(choice=lambda alphabet: next(drawn)))
    taken = {"AAAAAA"}
    assert codes.new_short_code(taken) == "BBBBBB"
    assert taken == {"AAAAAA", "BBBBBB"}


def test_new_codes_are_drawn_from_the_badge_alphabet():
    for _ in range(50):
        code = codes.new_short_code(set())
        assert len(code) == 6 and set(code) <= set(BADGE_ALPHABET)


def test_every_registration_gets_a_code_unique_in_its_forum_even_when_drawn_alike(app, monkeypatch):
    isfara, gafurov = factories.make_forum(slug="isfara-test"), factories.make_forum(slug="b-gafurov-test")
    first = factories.make_registration(isfara)
    (existing,) = db.session.scalars(sa.select(BadgeCode.code)).all()
    people = [factories.make_person() for _ in range(3)]
    # The draws keep offering codes already taken: two registrations of one forum saved in one
    # flush (one named by its forum, one only by forum_id) must step past the stored code and
    # past each other's; another forum may reuse the code.
    draws = iter(existing + "222222" + "222222" + "333333")
    monkeypatch.setattr(codes, "secrets", SimpleNamespace(choice=lambda alphabet: next(draws)))
    by_object = new_registration(isfara, people[0], "guest")
    by_id = Registration(forum_id=isfara.id, person=people[1], category="guest", status="confirmed",
                         badge_secret="K" * BADGE_SECRET_LENGTH, token="t" * 32)
    db.session.add(by_id)
    db.session.commit()
    draws = iter(existing)
    other_forum = new_registration(gafurov, people[2], "guest")
    db.session.commit()
    found = dict(db.session.execute(sa.select(BadgeCode.registration_id, BadgeCode.code)).tuples().all())
    assert found[first.id] == existing
    assert {found[by_object.id], found[by_id.id]} == {"222222", "333333"}
    assert found[other_forum.id] == existing
    assert db.session.scalar(sa.select(BadgeCode.forum_id).where(BadgeCode.registration_id == by_id.id)) == isfara.id
