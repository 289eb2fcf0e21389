"""The overview page and the arrivals chart at any size: the database counts, so the number of
statements does not grow with the registrations or the arrivals (counted, not timed)."""
from __future__ import annotations

from datetime import datetime, timedelta

from forum.checkin import board
from forum.checkin import service as checkin
from forum.extensions import db
from tests import factories
from tests.agenda_fixtures import QueryCounter
from tests.checkin_fixtures import make_checkpoint


def _arrive(forum, registrations, start: datetime, step: timedelta) -> None:
    for n, registration in enumerate(registrations):
        checkin.scan(forum, "entrance", f"nonce-{registration.id:06d}", registration_id=registration.id,
                     at=start + n * step)


def test_overview_counts_registrations_with_the_same_statements_for_3_or_30(client, forum, auth):
    from forum.events.service import forum_by_slug

    slug = forum.slug
    make_checkpoint(forum, "entrance")
    auth.login("organizer")
    counts = []
    for added, total in ((3, 3), (27, 30)):
        forum = forum_by_slug(slug)
        made = [factories.make_registration(forum) for _ in range(added)]
        _arrive(forum, made[:2], forum.starts_at, timedelta(minutes=1))
        db.session.expire_all()  # nothing known before the request (the logged-in user stays attached)
        with QueryCounter(db.engine) as queries:
            page = client.get(f"/manage/{slug}/")
        assert page.status_code == 200
        assert f">{total}</a>" in page.get_data(as_text=True)  # the registrations' count, linked to the list
        counts.append(queries.count)
    assert counts[0] == counts[1]


def test_arrivals_per_quarter_in_one_statement_with_exact_quarter_edges(app, forum):
    make_checkpoint(forum, "entrance")
    people = [factories.make_registration(forum) for _ in range(4)]
    start = forum.starts_at
    edges = [start - timedelta(microseconds=1), start, start + timedelta(minutes=14, seconds=59, microseconds=999999),
             start + timedelta(minutes=45)]
    for registration, moment in zip(people, edges, strict=True):
        checkin.scan(forum, "entrance", f"nonce-{registration.id:06d}", registration_id=registration.id, at=moment)
    with QueryCounter(db.engine) as queries:
        quarters = board.arrivals_per_quarter(forum)
    assert queries.count == 2  # the forum's zone (the forum reloaded after commit), and the quarters
    local = [(moment.strftime("%H:%M"), n) for moment, n in quarters]
    assert local == [("08:45", 1), ("09:00", 2), ("09:15", 0), ("09:30", 0), ("09:45", 1)]


def test_board_and_searches_take_the_same_statements_for_3_or_30(client, forum, auth):
    """The check-in board, the desk's search and the registrations list's search: the
    database counts and matches, so their statements do not grow with the people."""
    from forum.events.service import forum_by_slug

    slug = forum.slug
    make_checkpoint(forum, "entrance")
    auth.login("organizer")
    pages = (f"/manage/{slug}/checkin", f"/checkin/{slug}/search?q=Раҳимова", f"/manage/{slug}/registrations?q=Раҳимова")
    counts: dict[str, list[int]] = {page: [] for page in pages}
    for added in (3, 27):
        forum = forum_by_slug(slug)
        made = [factories.make_registration(forum, factories.make_person(f"Раҳимова Гулнора {n}"))
                for n in range(added)]
        _arrive(forum, made[:2], forum.starts_at + timedelta(minutes=len(made)), timedelta(minutes=1))
        for page in pages:
            db.session.expire_all()
            with QueryCounter(db.engine) as queries:
                response = client.get(page)
            assert response.status_code == 200, page
            counts[page].append(queries.count)
    assert all(first == second for first, second in counts.values()), counts
