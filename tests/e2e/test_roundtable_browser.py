"""An invitee answers the round-table invitation on their phone (360 px) and sees where they stand."""
from __future__ import annotations

from forum.extensions import db
from forum.messaging.invitations import respond
from tests.roundtable_fixtures import invite_people, make_round_table


def test_an_invitee_accepts_on_a_phone_and_sees_confirmed(app, forum, live_server, page):
    table = make_round_table(forum, {"shg_leader": 1})
    [invitee] = invite_people(table, forum, "shg_leader", 1)
    page.goto(f"{live_server.url}/r/{invitee.registration.token}")
    page.locator("#invitations button[value=accepted]").first.click()
    page.wait_for_url("**/r/**")
    assert "Ваше место подтверждено." in page.locator("#roundtable").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_late_acceptance_on_a_phone_shows_the_waitlist(app, forum, live_server, page):
    table = make_round_table(forum, {"mfi": 1})
    first, late = invite_people(table, forum, "mfi", 2)
    respond(first.invitation, "accepted")
    db.session.commit()
    page.goto(f"{live_server.url}/r/{late.registration.token}")
    page.locator("#invitations button[value=accepted]").first.click()
    page.wait_for_url("**/r/**")
    assert "листе ожидания" in page.locator("#roundtable").inner_text()
