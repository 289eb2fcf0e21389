"""Confirmation before destructive or bulk actions: the page's form asks in the browser
(data-confirm), and without JavaScript the server asks on a page of its own before acting."""
from __future__ import annotations

import re

import sqlalchemy as sa

from forum.events.lookup import forum_by_slug
from forum.extensions import db
from forum.people.models import Registration
from forum.theatre.models import TheatreSlot
from tests import factories
from tests.theatre_fixtures import make_slots, theatre_forum


def _hidden(page: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))


def test_publishing_asks_first_and_publishes_only_when_confirmed(client, auth):
    factories.make_forum(slug="draft-forum", status="draft")
    auth.login("organizer")
    client.get("/lang/en")
    overview = client.get("/manage/draft-forum/").get_data(as_text=True)
    assert 'data-confirm="Publish the forum? Its pages, agenda and registration form become public at once."' in overview
    page = client.post("/manage/draft-forum/status", data={"status": "published"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Publish the forum?" in text and "No, go back" in text
    assert forum_by_slug("draft-forum").status == "draft"  # nothing happened yet
    fields = _hidden(text)
    assert fields["status"] == "published" and fields["confirmed"] == "1"
    assert client.post("/manage/draft-forum/status", data=fields).status_code == 302
    db.session.expire_all()
    assert forum_by_slug("draft-forum").status == "published"


def test_marking_every_badge_printed_asks_with_the_count_first(client, auth, forum):
    registrations = [factories.make_registration(forum) for _ in range(3)]
    auth.login("organizer")
    client.get("/lang/en")
    listing = client.get(f"/manage/{forum.slug}/badges").get_data(as_text=True)
    assert 'data-confirm="Mark 3 badges as printed?"' in listing
    page = client.post(f"/manage/{forum.slug}/badges/printed", data={"not_printed": "1"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Mark 3 badges as printed?" in text
    printed = sa.select(sa.func.count()).where(Registration.badge_printed_at.is_not(None))
    assert db.session.scalar(printed) == 0
    fields = _hidden(text)
    assert fields["not_printed"] == "1"
    assert client.post(f"/manage/{forum.slug}/badges/printed", data=fields).status_code == 302
    assert db.session.scalar(printed) == len(registrations)


def test_removing_a_theatre_slot_asks_first(client, auth, app):
    forum = theatre_forum()
    slot = make_slots(forum)[0]
    auth.login("organizer")
    client.get("/lang/en")
    assert "data-confirm=\"Remove the slot 10:00, Theatre stage?\"" in client.get(
        "/manage/isfara-test/theatre").get_data(as_text=True)
    page = client.post(f"/manage/isfara-test/theatre/slots/{slot.id}/delete")
    assert page.status_code == 200 and "Remove the slot" in page.get_data(as_text=True)
    assert db.session.get(TheatreSlot, slot.id) is not None
    fields = _hidden(page.get_data(as_text=True))
    assert client.post(f"/manage/isfara-test/theatre/slots/{slot.id}/delete", data=fields).status_code == 302
    db.session.expire_all()
    assert db.session.get(TheatreSlot, slot.id) is None


def test_confirmation_page_is_translated(client, auth):
    factories.make_forum(slug="draft-forum", status="draft")
    auth.login("organizer")
    client.get("/lang/ru")
    text = client.post("/manage/draft-forum/status", data={"status": "published"}).get_data(as_text=True)
    assert "Опубликовать форум?" in text
