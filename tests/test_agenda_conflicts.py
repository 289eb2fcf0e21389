"""The conflict rules: one area holds one item at a time, items stay inside the forum's hours,
a host booked twice and a crowd above the area's capacity are warned about."""
from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forum.agenda import conflicts, queries, service
from forum.agenda.models import AgendaItem
from forum.agenda.signals import item_changed
from forum.extensions import db
from tests.agenda_fixtures import QueryCounter, area, at, data, fill, place
from tests.factories import make_organization, make_person

pytestmark = pytest.mark.both_dbs


@pytest.fixture
def count_queries(app):
    """Counts the SQL statements of a block: `with count_queries() as q: …; q.count`."""
    return lambda: QueryCounter(db.engine)


# --- the pure rules ------------------------------------------------------------------------

T0 = datetime(2011, 5, 5, 4, 0, tzinfo=UTC)


def _slot(n, area_id, start, end, hosts=(), audience=None, capacity=None):
    return conflicts.Slot(n, area_id, T0 + timedelta(minutes=start), T0 + timedelta(minutes=end),
                          frozenset(hosts), audience, capacity, item=f"item {n}")


def test_back_to_back_items_do_not_conflict_but_one_minute_of_overlap_does():
    assert conflicts.compute([_slot(1, 1, 0, 60), _slot(2, 1, 60, 120)], T0, T0 + timedelta(hours=8)) == {}
    found = conflicts.compute([_slot(1, 1, 0, 61), _slot(2, 1, 60, 120)], T0, T0 + timedelta(hours=8))
    assert found[1] == [conflicts.Conflict("area_busy", other="item 2")]
    assert found[2] == [conflicts.Conflict("area_busy", other="item 1")]


def test_items_that_touch_are_no_conflict_for_the_area_nor_for_a_shared_host():
    """The design's half-open times: the round table ends at 11:00 as the theatre starts at
    11:00 in the same hall with the same host; they share no moment, whatever order they come in."""
    host = ("p", 7)
    earlier, later = _slot(1, 1, 0, 60, hosts=[host]), _slot(2, 1, 60, 120, hosts=[host])
    day = (T0, T0 + timedelta(hours=8))
    assert conflicts.compute([later, earlier], *day) == {}
    assert not conflicts.overlaps(earlier.starts_at, earlier.ends_at, later.starts_at, later.ends_at)
    assert not conflicts.overlaps(later.starts_at, later.ends_at, earlier.starts_at, earlier.ends_at)
    # One minute more and they meet, in either order, for the hall and for the host.
    longer = _slot(1, 1, 0, 61, hosts=[host])
    assert conflicts.overlaps(longer.starts_at, longer.ends_at, later.starts_at, later.ends_at)
    assert conflicts.overlaps(later.starts_at, later.ends_at, longer.starts_at, longer.ends_at)
    found = conflicts.compute([later, longer], *day)
    assert sorted(c.code for c in found[1]) == ["area_busy", "host_busy"]
    assert conflicts.Conflict("host_busy", other="item 1", host=host) in found[2]


def test_a_long_item_conflicts_with_each_item_inside_it_and_those_with_none_another():
    day = (T0, T0 + timedelta(hours=8))
    found = conflicts.compute([_slot(1, 1, 0, 180), _slot(2, 1, 30, 60), _slot(3, 1, 60, 90), _slot(4, 1, 180, 200)],
                              *day)
    assert sorted(c.other for c in found[1]) == ["item 2", "item 3"]
    assert [c.other for c in found[2]] == ["item 1"] and [c.other for c in found[3]] == ["item 1"]
    assert 4 not in found


def test_slots_and_conflicts_are_values_no_page_can_change():
    """The day's conflicts are computed once and shown by several pages: none may alter them."""
    import dataclasses

    slot = _slot(1, 1, 0, 60)
    conflict = conflicts.Conflict("area_busy", other="item 2")
    assert len({slot, _slot(1, 1, 0, 60)}) == 1 and len({conflict, conflicts.Conflict("area_busy", other="item 2")}) == 1
    for value, name in ((slot, "ends_at"), (conflict, "code")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, name, None)


# Mutation testing (`make mutate`): the one survivor is left alone on purpose. Slot.item is
# declared with compare=False; making it compared changes nothing the rules do (they never
# compare two slots for equality, only their times), so no test can tell the two apart.


def test_items_may_start_at_opening_and_end_at_closing_but_not_beyond():
    opens, closes = T0, T0 + timedelta(hours=8)
    assert conflicts.compute([_slot(1, 1, 0, 30), _slot(2, 2, 450, 480)], opens, closes) == {}
    found = conflicts.compute([_slot(1, 1, -5, 30), _slot(2, 2, 450, 481)], opens, closes)
    assert [c.code for c in found[1]] == ["outside_hours"] and [c.code for c in found[2]] == ["outside_hours"]


def test_audience_equal_to_capacity_is_fine_one_more_is_a_warning():
    ok = _slot(1, 1, 0, 30, audience=40, capacity=40)
    crowded = _slot(2, 2, 0, 30, audience=41, capacity=40)
    outdoors = _slot(3, 3, 0, 30, audience=5000, capacity=None)
    found = conflicts.compute([ok, crowded, outdoors], T0, T0 + timedelta(hours=8))
    assert list(found) == [2]
    assert found[2] == [conflicts.Conflict("over_capacity", audience=41, capacity=40)] and not found[2][0].hard


intervals = st.lists(st.tuples(st.integers(0, 3), st.integers(-30, 500), st.integers(1, 200),
                               st.sets(st.integers(0, 4), max_size=2)), max_size=25)


@given(intervals)
@settings(max_examples=200, deadline=None)
def test_day_conflicts_equal_every_pair_checked_by_hand(raw):
    """The sweep finds exactly the pairs a brute-force comparison of every two items finds."""
    slots = [_slot(n, a, s, s + length, hosts=hosts) for n, (a, s, length, hosts) in enumerate(raw)]
    opens, closes = T0, T0 + timedelta(hours=8)
    found = conflicts.compute(slots, opens, closes)
    expected: dict = {}
    for a in slots:
        for b in slots:
            if a is b or not (a.starts_at < b.ends_at and b.starts_at < a.ends_at):
                continue
            if a.area_id == b.area_id:
                expected.setdefault(a.id, []).append(("area_busy", b.item, None))
            for host in a.hosts & b.hosts:
                expected.setdefault(a.id, []).append(("host_busy", b.item, host))
        if a.starts_at < opens or a.ends_at > closes:
            expected.setdefault(a.id, []).append(("outside_hours", None, None))
    got = {k: sorted((c.code, c.other, c.host) for c in v) for k, v in found.items()}
    assert got == {k: sorted(v) for k, v in expected.items()}


# --- the service refuses hard conflicts, naming the other item -----------------------------

def test_second_item_in_a_busy_area_is_refused_with_the_other_items_name(forum):
    opening = place(forum, "09:00", "10:00", title="Открытие форума")
    with pytest.raises(service.AgendaConflict) as refused:
        place(forum, "09:30", "10:30", title="Спектакль")
    assert refused.value.code == "area_busy" and refused.value.other.id == opening.id
    assert refused.value.other.title["ru"] == "Открытие форума"
    db.session.rollback()
    assert len(queries.forum_items(forum, public_only=False)) == 1


def test_half_open_intervals_let_items_follow_each_other_in_one_area(forum):
    place(forum, "09:00", "10:00")
    place(forum, "10:00", "11:00")
    place(forum, "11:00", "11:05")
    assert queries.day_conflicts(forum) == {}


def test_same_time_in_another_area_is_fine(forum):
    place(forum, "09:00", "10:00", "main-stage")
    place(forum, "09:00", "10:00", "round-table")
    assert len(queries.forum_items(forum, public_only=False)) == 2


@pytest.mark.parametrize("start, end", [("08:59", "09:30"), ("16:30", "17:01"), ("08:00", "18:00")])
def test_item_outside_the_forums_hours_is_refused(forum, start, end):
    with pytest.raises(service.AgendaConflict) as refused:
        place(forum, start, end)
    assert refused.value.code == "outside_hours" and refused.value.other is None


def test_item_filling_the_whole_day_exactly_is_accepted(forum):
    place(forum, "09:00", "17:00")


@pytest.mark.parametrize("start, end, code", [("10:00", "10:00", "ends_before_start"),
                                              ("11:00", "10:00", "ends_before_start")])
def test_item_must_end_after_it_starts(forum, start, end, code):
    with pytest.raises(service.AgendaError) as refused:
        place(forum, start, end)
    assert refused.value.code == code


def test_area_of_another_forum_is_refused(forum):
    from tests.factories import make_forum

    other = make_forum(slug="other-forum")
    bad = data(forum, "09:00", "10:00")
    bad.area_id = area(other, "main-stage").id
    with pytest.raises(service.AgendaError) as refused:
        service.create_item(forum, bad)
    assert refused.value.code == "bad_area"


def test_cancelled_items_free_their_area_and_conflict_with_nothing(forum):
    first = place(forum, "09:00", "10:00", title="Открытие")
    service.cancel_item(first)
    db.session.commit()
    place(forum, "09:00", "10:00", title="Замена")
    assert queries.day_conflicts(forum) == {}


def test_a_cancelled_item_cannot_come_back_over_the_item_that_took_its_place(forum):
    first = place(forum, "09:00", "10:00", title="Открытие")
    service.cancel_item(first)
    place(forum, "09:30", "10:30", title="Замена")
    with pytest.raises(service.AgendaConflict) as refused:
        service.restore_item(first)
    assert refused.value.other.title["ru"] == "Замена"
    assert first.is_cancelled


def test_refused_move_leaves_the_item_where_it_was(forum):
    place(forum, "09:00", "10:00", title="Открытие")
    talk = place(forum, "10:00", "11:00", title="Доклад")
    with pytest.raises(service.AgendaConflict):
        service.move_item(talk, at("09:30"))
    assert (talk.starts_at, talk.ends_at, talk.sequence) == (at("10:00"), at("11:00"), 0)
    db.session.commit()
    db.session.refresh(talk)
    assert talk.starts_at == at("10:00")


def test_refused_edit_changes_nothing(forum):
    place(forum, "09:00", "10:00", "round-table", title="Круглый стол")
    talk = place(forum, "09:00", "10:00", title="Доклад")
    change = service.item_data(talk)
    change.title = {"ru": "Новое имя"}
    change.area_id = area(forum, "round-table").id
    with pytest.raises(service.AgendaConflict) as refused:
        service.update_item(talk, change)
    assert refused.value.other.title["ru"] == "Круглый стол"
    assert talk.title["ru"] == "Доклад" and talk.area.key == "main-stage"


def test_move_keeps_the_length_and_may_change_the_area(forum):
    talk = place(forum, "09:00", "09:40")
    saved = service.move_item(talk, at("14:00"), area=area(forum, "round-table"))
    assert (saved.item.starts_at, saved.item.ends_at, saved.item.area.key) == (at("14:00"), at("14:40"), "round-table")


# --- warnings --------------------------------------------------------------------------------

def test_host_booked_twice_is_a_warning_naming_the_other_item(forum):
    person = make_person("Раҳимов Ислом")
    org = make_organization("Международная организация по миграции", kind="international", short_name="МОМ")
    place(forum, "09:00", "10:00", title="Открытие", host_person_ids=[person.id], host_organization_ids=[org.id])
    saved = service.create_item(forum, data(forum, "09:30", "10:30", "round-table", title="Круглый стол",
                                            host_person_ids=[person.id]))
    assert [(w.code, w.other.title["ru"], w.host) for w in saved.warnings] == [("host_busy", "Открытие", ("p", person.id))]
    db.session.commit()
    day = queries.day_conflicts(forum)
    assert {c.code for found in day.values() for c in found} == {"host_busy"}
    assert not any(c.hard for found in day.values() for c in found)


def test_audience_above_the_areas_capacity_is_a_warning_not_a_refusal(forum):
    saved = service.create_item(forum, data(forum, "09:00", "10:00", "round-table", expected_audience=51))
    assert [(w.code, w.audience, w.capacity) for w in saved.warnings] == [("over_capacity", 51, 50)]


def test_day_conflicts_cost_the_same_queries_for_ten_and_for_two_hundred_items(forum, count_queries):
    fill(forum, 10)
    with count_queries() as small:
        queries.day_conflicts(forum)
    fill(forum, 190, areas=19, minutes=20, prefix="room")
    with count_queries() as large:
        found = queries.day_conflicts(forum)
    assert len(queries.forum_items(forum, public_only=False)) == 200
    assert found == {} and small.count == large.count <= 3


# --- a property over the real service and database ------------------------------------------

placements = st.lists(st.tuples(st.integers(0, 1), st.integers(-2, 34), st.integers(1, 8)), min_size=1, max_size=12)


@given(placements)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_whatever_is_placed_no_two_accepted_items_overlap_in_one_area(forum, raw):
    """Place items at random (15-minute steps, some outside the day): each is accepted exactly
    when it fits, and a refusal names an accepted item that really overlaps it."""
    db.session.execute(sa.delete(AgendaItem).where(AgendaItem.forum_id == forum.id))
    db.session.commit()
    keys = ["main-stage", "round-table"]
    accepted: list[tuple[str, datetime, datetime]] = []
    for area_index, step, length in raw:
        start = at("09:00") + timedelta(minutes=15 * step)
        end = start + timedelta(minutes=15 * length)
        key = keys[area_index]
        clash = [a for a in accepted if a[0] == key and a[1] < end and start < a[2]]
        inside = at("09:00") <= start and end <= at("17:00")
        try:
            item = service.create_item(forum, service.ItemData(
                kind="other", title={"ru": "x"}, area_id=area(forum, key).id, starts_at=start, ends_at=end)).item
        except service.AgendaConflict as refused:
            db.session.rollback()
            assert not inside or clash
            if refused.code == "area_busy":
                other = refused.other
                assert other.area.key == key and other.starts_at < end and start < other.ends_at
            continue
        db.session.commit()
        assert inside and not clash
        accepted.append((key, item.starts_at, item.ends_at))


# --- two organizers at once ----------------------------------------------------------------

def test_two_people_placing_items_in_one_area_at_once_cannot_both_win(app, forum):
    """The first placement holds the area until it commits; the second then sees it and is refused."""
    forum_id, area_id = forum.id, area(forum, "main-stage").id
    first_placed, results = threading.Event(), {}

    def organizer(name: str, start: str, end: str, wait_for: threading.Event | None):
        with app.app_context():
            from forum.events.models import Forum

            if wait_for is not None:
                wait_for.wait(5)
            own = db.session.get(Forum, forum_id)
            try:
                service.create_item(own, service.ItemData(kind="other", title={"ru": name}, area_id=area_id,
                                                          starts_at=at(start), ends_at=at(end)))
                if wait_for is None:
                    first_placed.set()
                    threading.Event().wait(0.5)  # hold the area a while before committing
                db.session.commit()
                results[name] = "placed"
            except service.AgendaConflict as refused:
                db.session.rollback()
                results[name] = f"refused by {refused.other.title['ru']}"
            finally:
                db.session.remove()

    first = threading.Thread(target=organizer, args=("Первый", "10:00", "11:00", None))
    second = threading.Thread(target=organizer, args=("Второй", "10:30", "11:30", first_placed))
    first.start(), second.start()
    first.join(20), second.join(20)
    assert results == {"Первый": "placed", "Второй": "refused by Первый"}


# --- the signal ----------------------------------------------------------------------------

def test_each_significant_change_is_signalled_inside_the_transaction(forum):
    heard = []

    def listener(item, kind):
        # Flushed (it has an id and its new sequence) but not committed: a rollback undoes both.
        heard.append((kind, item.id is not None, item.sequence, db.session().in_transaction()))

    item_changed.connect(listener)
    try:
        item = place(forum, "09:00", "10:00", title="Открытие", commit=False)
        service.move_item(item, at("10:00"))
        change = service.item_data(item)
        change.title = {"ru": "Открытие форума"}
        service.update_item(item, change)
        change.description = {"ru": "Только описание"}  # not significant: no signal
        service.update_item(item, change)
        service.cancel_item(item)
        service.cancel_item(item)  # already cancelled: nothing
        service.restore_item(item)
    finally:
        item_changed.disconnect(listener)
    assert heard == [("created", True, 0, True), ("moved", True, 1, True), ("updated", True, 2, True),
                     ("cancelled", True, 3, True), ("updated", True, 4, True)]
    db.session.rollback()
    assert queries.forum_items(forum, public_only=False) == []


def test_attendees_are_added_once_and_only_from_the_items_forum(forum):
    from tests.factories import make_forum, make_registration

    item = place(forum, "09:00", "10:00")
    guest = make_registration(forum)
    service.add_attendee(item, guest, "invited")
    service.add_attendee(item, guest, "performer")
    assert [(a.registration_id, a.role) for a in item.attendees] == [(guest.id, "performer")]
    stranger = make_registration(make_forum(slug="elsewhere"))
    with pytest.raises(service.AgendaError):
        service.add_attendee(item, stranger)
    assert service.remove_attendee(item, guest) and not service.remove_attendee(item, guest)


def test_an_area_with_items_cannot_be_deleted(client, auth, forum):
    place(forum, "09:00", "10:00", "round-table")
    auth.login("organizer")
    hall = area(forum, "round-table")
    client.post(f"/manage/isfara-test/areas/{hall.id}/delete")
    assert area(forum, "round-table") is not None


def test_deleting_a_forum_takes_its_agenda_along(forum):
    from forum.events.models import Forum

    place(forum, "09:00", "10:00", title="Открытие")
    db.session.delete(db.session.get(Forum, forum.id))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(AgendaItem.id))) == 0
