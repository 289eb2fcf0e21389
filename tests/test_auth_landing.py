"""After logging in, door staff land on the scanner of the forum of the day and the jury on
its queue of drawings; the header links there."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from forum.events.service import forum_of_the_day
from forum.extensions import db
from tests import factories


def _log_in(client, role: str, next_url: str = ""):
    user = factories.make_user(role)
    return client.post("/auth/login" + (f"?next={next_url}" if next_url else ""),
                       data={"email": user.email, "password": factories.PASSWORD})


def _follow(client, response) -> str:
    while response.status_code == 302:
        location = response.headers["Location"]
        response = client.get(location)
    return location


def test_the_forum_of_the_day_is_the_one_going_on_else_the_next_else_the_last(app):
    isfara = factories.make_forum(slug="isfara", day=date(2011, 5, 5))
    gafurov = factories.make_forum(slug="gafurov", day=date(2011, 5, 7))
    factories.make_forum(slug="draft", day=date(2011, 5, 6), status="draft")
    assert forum_of_the_day(now=datetime(2011, 5, 5, 6, tzinfo=UTC)) is isfara  # 11:00 in Dushanbe, doors open
    assert forum_of_the_day(now=datetime(2011, 5, 6, 6, tzinfo=UTC)) is gafurov  # the next one, not the draft
    assert forum_of_the_day(now=datetime(2011, 5, 1, tzinfo=UTC)) is isfara
    assert forum_of_the_day(now=datetime(2012, 1, 1, tzinfo=UTC)) is gafurov  # the last one
    assert forum_of_the_day([isfara], now=datetime(2012, 1, 1, tzinfo=UTC)) is isfara


def test_staff_land_on_their_scanner_and_the_header_links_there(app, client):
    factories.make_forum(slug="isfara", day=date(2011, 5, 5))
    factories.make_forum(slug="gafurov", day=date(2011, 5, 7))
    assert _follow(client, _log_in(client, "staff")) == "/checkin/isfara"  # the tests' clock: 1 May 2011
    client.post("/auth/logout")
    app.config["CLOCK"] = datetime(2011, 5, 7, 5, tzinfo=UTC)  # 10:00 in Dushanbe on the second forum's day
    assert _follow(client, _log_in(client, "staff")) == "/checkin/gafurov"
    page = client.get("/checkin/isfara").get_data(as_text=True)
    assert 'href="/checkin/today"' in page


def test_staff_without_a_forum_land_on_the_list_and_next_still_wins(client):
    assert _follow(client, _log_in(client, "staff")) == "/checkin/"
    client.post("/auth/logout")
    factories.make_forum(slug="isfara")
    assert _follow(client, _log_in(client, "staff", "/checkin/isfara/walk-in")) == "/checkin/isfara/walk-in"


def test_the_jury_lands_on_its_queue_of_drawings(client):
    factories.make_forum(slug="no-drawings", day=date(2011, 5, 9))
    with_drawings = factories.make_forum(slug="isfara", day=date(2011, 5, 5))
    with_drawings.activities = ["drawings"]
    db.session.commit()
    assert _follow(client, _log_in(client, "jury")) == "/jury/isfara/drawings"
    page = client.get("/jury/").get_data(as_text=True)
    assert 'href="/jury/today"' in page and 'href="/checkin/today"' not in page


@pytest.mark.parametrize("role", ["organizer", "employer"])
def test_other_roles_keep_their_homes_and_have_no_door_links(client, role):
    factories.make_forum(slug="isfara")
    response = _log_in(client, role)
    assert response.headers["Location"] in ("/manage/", "/employer/")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "/checkin/today" not in page and "/jury/today" not in page
