"""The check-in service on SQLite and PostgreSQL: every answer, the nonce, undo, rules, and
many phones scanning one badge at the same instant."""
from __future__ import annotations

import threading
import uuid

import pytest
import sqlalchemy as sa

from forum.badges import service as badges
from forum.checkin import service
from forum.checkin.checkpoints import allow
from forum.checkin.models import Checkin
from forum.checkin.rules import _rules, register_rule
from forum.extensions import db
from tests import factories
from tests.checkin_fixtures import REISSUER, arrivals, entries, lost_badge, make_checkpoint, scan

pytestmark = pytest.mark.both_dbs


def _attendances() -> int:
    return arrivals()


def _scans() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Checkin))


def test_first_scan_admits_and_second_reports_who_checked_in_first(app, forum):
    make_checkpoint(forum, "entrance")
    staff = factories.make_user("staff")
    registration = factories.make_registration(forum)
    first = scan(forum, registration.badge_secret, user=staff)
    assert (first.status, first.reason) == ("ok", "first")
    second = scan(forum, registration.badge_secret, user=factories.make_user("organizer"))
    assert second.status == "already_checked_in"
    assert second.first.id == first.checkin.id
    assert second.first.user.email == staff.email
    assert second.first.checkpoint.key == "entrance"
    assert _attendances() == 1 and _scans() == 2


def test_each_answer_names_the_scan_it_recorded(app, forum):
    """The id comes from the INSERT itself: SQLite's last row id, PostgreSQL's RETURNING."""
    make_checkpoint(forum, "entrance")
    registration = factories.make_registration(forum)
    values = [registration.badge_secret, registration.badge_secret, "not a badge", registration.badge_secret]
    answers = [scan(forum, value, nonce=f"phone-1-scan-{n:04d}") for n, value in enumerate(values)]
    assert [a.reason for a in answers] == ["first", "already", "unreadable", "already"]
    for n, answer in enumerate(answers):
        assert db.session.get(Checkin, answer.checkin_id).nonce == f"phone-1-scan-{n:04d}"
    assert answers[1].first_id == answers[3].first_id == answers[0].checkin_id


def test_reentry_checkpoint_lets_the_person_in_again_and_counts_entries(app, forum):
    make_checkpoint(forum, "job-fair", reentry=True)
    registration = factories.make_registration(forum)
    assert scan(forum, registration.badge_secret, "job-fair").reason == "first"
    again = scan(forum, registration.badge_secret, "job-fair")
    assert (again.status, again.reason) == ("ok", "reentry")
    assert entries() == 2 and _attendances() == 1


def test_same_nonce_twice_is_the_same_scan(app, forum):
    make_checkpoint(forum, "entrance")
    registration = factories.make_registration(forum)
    first = scan(forum, registration.badge_secret, nonce="phone-3-scan-0001")
    retry = scan(forum, registration.badge_secret, nonce="phone-3-scan-0001")
    assert retry.status == "ok"  # a retry after a timeout is not told "already checked in"
    assert retry.checkin.id == first.checkin.id
    assert _scans() == 1 and _attendances() == 1


def test_short_code_finds_the_registration_however_it_is_typed(app, forum):
    make_checkpoint(forum, "entrance")
    registration = factories.make_registration(forum)
    code = badges.short_code(registration)
    typed = f" {code[:3].lower()}-{code[3:]} "
    answer = scan(forum, typed, method="keyboard")
    assert answer.status == "ok" and answer.registration.id == registration.id


@pytest.mark.parametrize("mangle, reason", [
    (lambda s: "ABCDEFGHJKMNPQRSTUVWXYZ2345", "unknown_badge"),  # forged
    (lambda s: s[:-1], "unreadable"),  # truncated
    (lambda s: s[:-1] + ("2" if s[-1] != "2" else "3"), "unknown_badge"),  # one character wrong
    (lambda s: "https://evil.example/" + s, "unreadable"),  # some other QR code
    (lambda s: "", "unreadable"),
])
def test_forged_and_damaged_badges_are_unknown_and_admit_nobody(app, forum, mangle, reason):
    make_checkpoint(forum, "entrance")
    registration = factories.make_registration(forum)
    answer = scan(forum, mangle(registration.badge_secret))
    assert (answer.status, answer.reason) == ("unknown", reason)
    assert answer.registration is None
    assert _attendances() == 0 and _scans() == 1  # the failed scan is logged
    assert registration.badge_secret not in db.session.scalar(sa.select(Checkin.scanned))  # never a whole secret


def test_reissued_badge_stops_working_at_once_and_names_its_owner(app, forum):
    make_checkpoint(forum, "entrance")
    registration, old_secret, old_code = lost_badge(forum)
    assert registration.badge_secret != old_secret and badges.short_code(registration) != old_code
    for old in (old_secret, old_code):  # the lost badge's QR, or its short code typed
        lost = scan(forum, old)
        assert (lost.status, lost.reason) == ("not_allowed", "reissued")
        assert lost.registration.id == registration.id
        assert lost.view["reissued"]["by"] == REISSUER
    assert scan(forum, registration.badge_secret).status == "ok"
    assert _attendances() == 1


def test_other_forums_badge_is_unknown_here(app, forum):
    make_checkpoint(forum, "entrance")
    other = factories.make_forum(slug="b-gafurov-test")
    stranger = factories.make_registration(other)
    answer = scan(forum, stranger.badge_secret)
    assert (answer.status, answer.reason) == ("unknown", "other_forum")
    assert answer.registration is None and _attendances() == 0
    # nor does another forum's short code find anyone
    assert scan(forum, badges.short_code(stranger)).status == "unknown"


def test_cancelled_registration_is_told_cancelled_and_declined_not_allowed(app, forum):
    make_checkpoint(forum, "entrance")
    cancelled = factories.make_registration(forum, status="cancelled")
    declined = factories.make_registration(forum, status="declined")
    invited = factories.make_registration(forum, status="invited")
    assert scan(forum, cancelled.badge_secret).status == "cancelled"
    answer = scan(forum, declined.badge_secret)
    assert (answer.status, answer.reason) == ("not_allowed", "declined")
    assert scan(forum, invited.badge_secret).status == "ok"  # invited and came: welcome
    assert _attendances() == 1


def test_wrong_checkpoint_refuses_categories_not_listed(app, forum):
    make_checkpoint(forum, "press-room", rule="categories", categories=["press", "staff"])
    member = factories.make_registration(forum, category="shg_member")
    journalist = factories.make_registration(forum, category="press")
    answer = scan(forum, member.badge_secret, "press-room")
    assert (answer.status, answer.reason) == ("not_allowed", "checkpoint_rule")
    assert scan(forum, journalist.badge_secret, "press-room").status == "ok"
    assert _attendances() == 1


def test_allow_list_admits_only_registrations_put_on_it(app, forum):
    hall = make_checkpoint(forum, "round-table", rule="list")
    guest = factories.make_registration(forum, category="international")
    member = factories.make_registration(forum)
    outsider = factories.make_registration(factories.make_forum())
    assert allow(hall, [guest, outsider], source="roundtable") == 1  # other forums' registrations are ignored
    db.session.commit()
    assert scan(forum, guest.badge_secret, "round-table").status == "ok"
    assert scan(forum, member.badge_secret, "round-table").status == "not_allowed"


def test_a_rule_registered_by_another_package_decides_by_name(app, forum):
    register_rule("test_even_ids", "even ids only", lambda checkpoint, registration: registration.id % 2 == 0)
    try:
        make_checkpoint(forum, "hall", rule="test_even_ids")
        first, second = factories.make_registration(forum), factories.make_registration(forum)
        even, odd = (first, second) if first.id % 2 == 0 else (second, first)
        assert scan(forum, even.badge_secret, "hall").status == "ok"
        assert scan(forum, odd.badge_secret, "hall").status == "not_allowed"
    finally:
        _rules.pop("test_even_ids")
    # a rule whose package is gone admits nobody rather than everybody
    assert scan(forum, factories.make_registration(forum).badge_secret, "hall").status == "not_allowed"


def test_unknown_or_closed_checkpoint_and_missing_nonce_record_nothing(app, forum):
    make_checkpoint(forum, "closed-door", active=False)
    registration = factories.make_registration(forum)
    for checkpoint, nonce, code in [("nowhere", "n-0000001", "checkpoint"), ("closed-door", "n-0000002", "checkpoint_closed"),
                                    ("closed-door", "", "nonce")]:
        with pytest.raises(service.CheckinError) as error:
            service.scan(forum, checkpoint, nonce, value=registration.badge_secret)
        assert error.value.code == code
    assert _scans() == 0


def test_a_checkpoint_named_by_key_is_checked_whatever_was_scanned(app, forum):
    """The key is looked up with the badge, in one statement: when no badge comes back (forged,
    unreadable, another forum's), the checkpoint is still refused, and nothing is written."""
    make_checkpoint(forum, "closed-door", active=False)
    other = factories.make_forum(slug="other-forum")
    make_checkpoint(other, "their-door")
    theirs = factories.make_registration(other)
    ours = factories.make_registration(forum)
    scanned = [ours.badge_secret, badges.short_code(ours), "ABCDEFGHJKMNPQRSTUVWXYZ2345", "not a badge",
               theirs.badge_secret]
    db.session.commit()
    for key, code in [("nowhere", "checkpoint"), ("their-door", "checkpoint"), ("closed-door", "checkpoint_closed")]:
        for n, value in enumerate(scanned):
            with pytest.raises(service.CheckinError) as error:
                service.scan(forum, key, f"n-{key}-{n:04d}", value=value)
            assert (value, error.value.code) == (value, code)
        with pytest.raises(service.CheckinError) as error:
            service.scan(forum, key, f"n-{key}-chosen", registration_id=ours.id)
        assert error.value.code == code
    assert _scans() == 0


def test_undo_takes_a_check_in_back_and_the_next_scan_admits_again(app, forum):
    make_checkpoint(forum, "entrance")
    organizer = factories.make_user("organizer")
    registration = factories.make_registration(forum)
    first = scan(forum, registration.badge_secret)
    service.undo(first.checkin, organizer)
    assert _attendances() == 0
    assert first.checkin.undone_by_id == organizer.id
    with pytest.raises(service.UndoError):
        service.undo(first.checkin, organizer)
    assert scan(forum, registration.badge_secret).status == "ok"


def _scan_in_threads(app, forum_id: int, secret: str, count: int, nonce: str | None = None) -> list[str]:
    from forum.events.models import Forum

    barrier = threading.Barrier(count)
    answers: list[str] = []
    errors: list[BaseException] = []

    def work():
        try:
            with app.app_context():
                forum = db.session.get(Forum, forum_id)
                barrier.wait()
                answer = service.scan(forum, "entrance", nonce or uuid.uuid4().hex, value=secret)
                answers.append(answer.status)
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return answers


def test_many_phones_scanning_one_badge_at_once_admit_exactly_once(app, forum):
    make_checkpoint(forum, "entrance")
    registration = factories.make_registration(forum)
    answers = _scan_in_threads(app, forum.id, registration.badge_secret, 8)
    assert sorted(answers) == ["already_checked_in"] * 7 + ["ok"]
    db.session.expire_all()
    assert _attendances() == 1 and _scans() == 8


def test_one_scan_retried_at_once_from_many_threads_is_recorded_once(app, forum):
    make_checkpoint(forum, "entrance")
    registration = factories.make_registration(forum)
    answers = _scan_in_threads(app, forum.id, registration.badge_secret, 6, nonce="same-nonce-everywhere")
    assert answers == ["ok"] * 6
    db.session.expire_all()
    assert _scans() == 1 and _attendances() == 1
