"""Database rules for people, on SQLite and PostgreSQL."""
import threading

import pytest
import sqlalchemy as sa

from forum.extensions import db
from forum.people.codes import BADGE_ALPHABET, new_badge_secret
from forum.people.models import Person, Registration
from forum.people.phones import PhoneError, normalize_phone
from forum.people.self_registration import SelfRegistration, register_self
from forum.people.service import RegistrationError, new_registration
from tests.factories import make_person, make_registration

pytestmark = pytest.mark.both_dbs


def test_a_person_is_registered_once_per_forum(app, forum):
    person = make_person()
    make_registration(forum, person)
    with pytest.raises(RegistrationError) as error:
        new_registration(forum, person, "guest")
    assert error.value.code == "duplicate"
    db.session.rollback()
    db.session.add(Registration(forum=forum, person=person, category="guest", badge_secret="X" * 27, token="t" * 32))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()


def test_phone_is_unique_in_the_database(app):
    make_person(phone="+992927700001")
    db.session.add(Person(full_name="Двойник", phone="+992927700001"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()


def test_check_constraints_refuse_unknown_categories(app, forum):
    person = make_person()
    db.session.add(Registration(forum=forum, person=person, category="vip", badge_secret="Y" * 27, token="u" * 32))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()


def test_cyrillic_search_ignores_case(app, forum):
    from forum.people.service import registrations_query

    make_registration(forum, make_person("Гулнора Каримова"))
    found = db.session.scalars(registrations_query(forum, q="ГУЛНОРА")).all()
    assert [r.person.full_name for r in found] == ["Гулнора Каримова"]


def test_times_come_back_as_aware_utc(app, forum):
    db.session.expire_all()
    assert forum.starts_at.utcoffset().total_seconds() == 0


def test_simultaneous_self_registrations_of_one_phone_make_one(app, forum):
    """Two phones submitting the same number at the same moment: one registration, and the
    second gets the first one's answer (or, on SQLite's lock, is refused and changes nothing)."""
    results = []
    barrier = threading.Barrier(2)
    forum_id, forum_class = forum.id, type(forum)

    def submit():
        with app.app_context():
            data = SelfRegistration(full_name="Одновременная", phone="+992935550000", email=None, language="ru",
                                    category="guest")
            barrier.wait()
            try:
                register_self(db.session.get(forum_class, forum_id), data)
                db.session.commit()
                results.append("ok")
            except (RegistrationError, sa.exc.IntegrityError, sa.exc.OperationalError):
                db.session.rollback()
                results.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert "ok" in results and len(results) == 2
    assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 1


def test_badge_secrets_are_long_random_and_unambiguous():
    secrets = {new_badge_secret() for _ in range(2000)}
    assert len(secrets) == 2000
    for secret in list(secrets)[:50]:
        assert len(secret) >= 26 and set(secret) <= set(BADGE_ALPHABET)
    assert not set("0O1IL") & set(BADGE_ALPHABET)


@pytest.mark.parametrize("raw, e164", [
    ("92 770 18 06", "+992927701806"), ("+992 (92) 770-18-06", "+992927701806"), ("0927701806", "+992927701806"),
    ("00992927701806", "+992927701806"), ("927701806.0", "+992927701806"), ("", None), ("+7 916 123 45 67", "+79161234567"),
])
def test_phone_numbers_are_normalised(raw, e164):
    assert normalize_phone(raw) == e164


@pytest.mark.parametrize("raw", ["123", "abc", "92 770"])
def test_impossible_phone_numbers_are_refused(raw):
    with pytest.raises(PhoneError):
        normalize_phone(raw)
