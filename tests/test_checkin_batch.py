"""POST /api/v1/forums/<slug>/checkins/batch: scans made offline, uploaded later, on SQLite
and PostgreSQL. Replays record nothing; each scan is recorded at its own time; the earliest
scan of a person is the entry even when uploaded last; refused times, forged, replaced and
other forums' badges get their own answers."""
from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from forum.badges import service as badges
from forum.checkin import batch
from forum.checkin.models import Checkin
from forum.extensions import db
from tests import factories
from tests.checkin_fixtures import api_token, arrivals, lost_badge, make_checkpoint

pytestmark = pytest.mark.both_dbs
URL = "/api/v1/forums/isfara-test/checkins/batch"


def _at(hour: int, minute: int = 0) -> str:
    """A time of the forum's day (5 May 2011), Dushanbe time."""
    return f"2011-05-05T{hour:02d}:{minute:02d}:00+05:00"


def _scan(secret: str, at: str, nonce: str | None = None, **extra) -> dict:
    return {"secret": secret, "checkpoint": "entrance", "nonce": nonce or uuid.uuid4().hex, "at": at, **extra}


def _upload(client, token, scans, device="Door phone 2", **headers):
    return client.post(URL, json={"scans": scans, "device": device},
                       headers={"Authorization": f"Bearer {token}", **headers})


def _rows() -> list[Checkin]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Checkin).order_by(Checkin.created_at, Checkin.id)))


def _conflicts() -> list[Checkin]:
    return [c for c in _rows() if c.answered == "ok" and c.result == "already_checked_in"]


def test_each_scan_is_recorded_at_its_own_time_with_one_answer_each(client, forum):
    make_checkpoint(forum, "entrance")
    people = [factories.make_registration(forum) for _ in range(3)]
    _user, token = api_token("staff")
    scans = [_scan(people[0].badge_secret, _at(9, 5)), _scan(badges.short_code(people[1]), _at(9, 7)),
             {**_scan("", _at(9, 9)), "secret": None, "registration": people[2].id, "method": "search"}]
    scans[1]["code"] = scans[1].pop("secret")
    response = _upload(client, token, scans)
    assert response.status_code == 200
    results = response.json["results"]
    assert [r["status"] for r in results] == ["ok", "ok", "ok"]
    assert [r["nonce"] for r in results] == [s["nonce"] for s in scans]
    rows = _rows()
    assert [r.created_at for r in rows] == [datetime(2011, 5, 5, 4, m, tzinfo=UTC) for m in (5, 7, 9)]
    assert all(r.uploaded_at is not None and r.device == "Door phone 2" for r in rows)
    assert arrivals() == 3


def test_a_batch_sent_twice_records_nothing_new(client, forum):
    make_checkpoint(forum, "entrance")
    people = [factories.make_registration(forum) for _ in range(4)]
    _user, token = api_token("staff")
    scans = [_scan(p.badge_secret, _at(9, n)) for n, p in enumerate(people)] + [_scan("FORGED", _at(9, 30))]
    first = _upload(client, token, scans).json["results"]
    again = _upload(client, token, scans).json["results"]
    assert [r["status"] for r in again] == [r["status"] for r in first] == ["ok"] * 4 + ["unknown"]
    assert [r["scan_id"] for r in again] == [r["scan_id"] for r in first]
    assert len(_rows()) == 5 and arrivals() == 4


def test_the_earliest_scan_is_the_entry_even_when_uploaded_last(client, forum):
    make_checkpoint(forum, "entrance")
    person = factories.make_registration(forum)
    _user, token = api_token("staff")
    later = _upload(client, token, [_scan(person.badge_secret, _at(9, 40), answered="ok")], device="Door phone 1")
    assert later.json["results"][0]["status"] == "ok"
    earlier = _upload(client, token, [_scan(person.badge_secret, _at(9, 10), answered="ok")], device="Door phone 2")
    assert earlier.json["results"][0]["status"] == "ok"
    first, second = _rows()
    assert (first.device, first.result, first.reason) == ("Door phone 2", "ok", "first")
    assert (second.device, second.result, second.reason) == ("Door phone 1", "already_checked_in", "already")
    assert second.first_id == first.id
    assert arrivals(person) == 1
    assert _conflicts() == [second]  # both phones let the person in: the board lists it
    # Uploading the later one again answers what it is now.
    replay = _upload(client, token, [{**_scan(person.badge_secret, _at(9, 40)), "nonce": second.nonce}])
    assert replay.json["results"][0]["status"] == "already_checked_in"


def test_a_later_offline_scan_is_already_in_and_a_conflict_only_if_the_phone_admitted(client, forum):
    make_checkpoint(forum, "entrance")
    person, other = factories.make_registration(forum), factories.make_registration(forum)
    _user, token = api_token("staff")
    _upload(client, token, [_scan(person.badge_secret, _at(9)), _scan(other.badge_secret, _at(9))])
    results = _upload(client, token, [_scan(person.badge_secret, _at(9, 30), answered="ok"),
                                      _scan(other.badge_secret, _at(9, 30), answered="already_checked_in")]).json
    assert [r["status"] for r in results["results"]] == ["already_checked_in"] * 2
    assert results["results"][0]["first"]["device"] == "Door phone 2"
    assert [c.registration_id for c in _conflicts()] == [person.id]


def test_an_earlier_scan_on_a_reentry_checkpoint_turns_the_entry_into_a_reentry(client, forum):
    make_checkpoint(forum, "entrance", reentry=True)
    person = factories.make_registration(forum)
    _user, token = api_token("staff")
    _upload(client, token, [_scan(person.badge_secret, _at(11))])
    _upload(client, token, [_scan(person.badge_secret, _at(10))])
    first, second = _rows()
    assert (first.reason, second.reason, second.result, second.first_id) == ("first", "reentry", "ok", first.id)
    assert arrivals(person) == 1 and not _conflicts()


@pytest.mark.parametrize("at, code", [
    ("2011-05-04T23:59:00+05:00", "outside_days"),  # the evening before, Dushanbe time
    ("2011-05-06T00:00:00+05:00", "outside_days"),
    ("2011-05-05T09:00:00", "time"),  # no offset: which 9 o'clock?
    ("at nine", "time"),
    (None, "time"),
])
def test_scans_outside_the_forums_days_are_refused_and_not_recorded(client, forum, at, code):
    make_checkpoint(forum, "entrance")
    person = factories.make_registration(forum)
    _user, token = api_token("staff")
    result = _upload(client, token, [_scan(person.badge_secret, at)]).json["results"][0]
    assert result["error"]["code"] == code and result["error"]["message"]
    assert _rows() == []


def test_a_time_in_the_future_is_refused(app, forum):
    make_checkpoint(forum, "entrance")
    person = factories.make_registration(forum)
    now = datetime(2011, 5, 5, 5, 0, tzinfo=UTC)  # 10:00 in Dushanbe
    late, soon = batch.record_batch(forum, [_scan(person.badge_secret, _at(10, 30)), _scan(person.badge_secret, _at(10, 2))],
                                    now=now)
    assert isinstance(late, batch.Refusal) and late.code == "future"
    assert soon.status == "ok"  # a phone's clock a little fast is fine


def test_forged_replaced_and_other_forums_badges(client, forum):
    make_checkpoint(forum, "entrance")
    person, old_secret, old_code = lost_badge(forum, at=datetime(2011, 5, 5, 3, 30, tzinfo=UTC))
    stranger = factories.make_registration(factories.make_forum(slug="b-gafurov-test"))
    _user, token = api_token("staff")
    forged = person.badge_secret[:-1] + ("2" if person.badge_secret[-1] != "2" else "3")
    scans = [_scan(forged, _at(9)), _scan(old_secret, _at(9, 1)), {**_scan("", _at(9, 2)), "secret": None, "code": old_code},
             _scan(stranger.badge_secret, _at(9, 3))]
    results = _upload(client, token, scans, **{"Accept-Language": "ru"}).json["results"]
    assert (results[0]["status"], results[0]["reason"]) == ("unknown", "unknown_badge")
    for replaced in results[1:3]:
        assert (replaced["status"], replaced["reason"]) == ("not_allowed", "reissued")
        assert replaced["registration"]["name"] == "Раҳимова Гулнора"
        assert replaced["message"] == "Заменённый бейдж: Раҳимова Гулнора; перевыпущен 5 мая, 08:30, выдал(а) Саидова Мавзуна."
    assert (results[3]["status"], results[3]["reason"]) == ("unknown", "other_forum")
    assert arrivals() == 0 and len(_rows()) == 4


def test_bad_batches_get_a_clear_400_and_bad_items_their_own_error(client, forum):
    make_checkpoint(forum, "entrance")
    person = factories.make_registration(forum)
    _user, token = api_token("staff")
    too_many = [_scan(person.badge_secret, _at(9)) for _ in range(batch.MAX_SCANS + 1)]
    response = _upload(client, token, too_many)
    assert response.status_code == 400 and response.json["error"]["code"] == "too_many"
    response = client.post(URL, json={"scans": "all of them"}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400 and response.json["error"]["code"] == "invalid"
    items = [{"checkpoint": "entrance", "at": _at(9), "secret": person.badge_secret},
             {**_scan(person.badge_secret, _at(9)), "code": "K7MQ4X"},
             _scan(person.badge_secret, _at(9), checkpoint="back-door"),
             "not a scan"]
    results = _upload(client, token, items).json["results"]
    assert [r["error"]["code"] for r in results] == ["nonce", "invalid", "checkpoint", "invalid"]
    assert _rows() == []


def test_two_phones_uploading_at_once_leave_the_earliest_scan_as_the_entry(app, forum):
    make_checkpoint(forum, "entrance")
    people = [factories.make_registration(forum) for _ in range(5)]
    secrets, forum_id = [p.badge_secret for p in people], forum.id
    errors = []

    def upload(minute: int, device: str):
        try:
            with app.app_context():
                from forum.events.models import Forum

                here = db.session.get(Forum, forum_id)
                batch.record_batch(here, [_scan(s, _at(9, minute), answered="ok") for s in secrets], device=device)
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=upload, args=(minute, f"Door phone {minute}")) for minute in (10, 20, 30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    rows = _rows()
    firsts = [r for r in rows if r.reason == "first"]
    assert len(rows) == 15 and arrivals() == 5
    assert {r.device for r in firsts} == {"Door phone 10"}  # 09:10 was the earliest of the three
    assert len(_conflicts()) == 10
