"""Warnings an organizer sees before or after a choice that does not meet a request: a stand
without the power, table or floor a group asked for (told before it is given; it may still
be given), and round-table invitations beyond a group's quota."""
from __future__ import annotations

from decimal import Decimal

import pytest

from forum.exhibition import plan
from forum.exhibition.models import Stand
from forum.extensions import db
from tests import factories
from tests.exhibition_fixtures import exhibition_forum, make_application, make_stands, place
from tests.roundtable_fixtures import invite_people, make_round_table

both_dbs = pytest.mark.both_dbs


@pytest.fixture
def exhibition(app):
    return exhibition_forum()


def _group_asking(forum, needs_power=False, members=3):
    application = make_application(forum, place()[1], status="approved")
    application.needs_power, application.member_count = needs_power, members
    db.session.commit()
    return application


@both_dbs
def test_stand_without_power_is_given_to_a_group_asking_for_it_only_when_confirmed(db_backend, client, auth,
                                                                                     exhibition):
    stand = make_stands(exhibition, rows=1, columns=1)[0]  # the standard type: no socket
    group = _group_asking(exhibition, needs_power=True)
    auth.login("organizer")
    client.get("/lang/en")
    url = f"/manage/isfara-test/exhibition/stands/{stand.id}/assign"
    warned = client.post(url, data={"application_id": str(group.id)})
    text = warned.get_data(as_text=True)
    assert warned.status_code == 200
    assert f"«{group.group_name}» asked for electricity; stand 1 has no socket." in text and "Give it anyway" in text
    db.session.expire_all()
    assert db.session.get(Stand, stand.id).application_id is None  # nothing given yet
    assert client.post(url, data={"application_id": str(group.id), "confirmed": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Stand, stand.id).application_id == group.id
    # The plan and the group's page keep saying so.
    plan_page = client.get(f"/manage/isfara-test/exhibition/plan?stand={stand.id}").get_data(as_text=True)
    assert "asked for electricity; stand 1 has no socket." in plan_page
    group_page = client.get(f"/manage/isfara-test/exhibition/applications/{group.id}").get_data(as_text=True)
    assert "asked for electricity; stand 1 has no socket." in group_page


def test_a_stand_that_meets_the_request_is_given_at_once(client, auth, exhibition):
    stand = make_stands(exhibition, rows=1, columns=1)[0]
    group = _group_asking(exhibition)
    auth.login("organizer")
    response = client.post(f"/manage/isfara-test/exhibition/stands/{stand.id}/assign",
                           data={"application_id": str(group.id)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Stand, stand.id).application_id == group.id


def test_a_stand_too_small_for_the_group_is_said_in_square_metres(client, auth, exhibition):
    stand = make_stands(exhibition, rows=1, columns=1)[0]  # 3 × 2 m
    group = _group_asking(exhibition, members=8)
    assert plan.shortfalls(stand, group) == ["size"]
    stand.w = Decimal("4")  # 8 m² for 8 members: enough
    db.session.commit()
    assert plan.shortfalls(stand, group) == []
    stand.w = Decimal("3")
    db.session.commit()
    auth.login("organizer")
    client.get("/lang/ru")
    text = client.post(f"/manage/isfara-test/exhibition/stands/{stand.id}/assign",
                       data={"application_id": str(group.id)}).get_data(as_text=True)
    assert "Стенд 1 — 6 м²: мало для 8 участниц «" in text


def test_invitations_beyond_a_groups_quota_are_warned(client, auth, forum):
    table = make_round_table(forum, {"government": 2, "mfi": 2})
    invite_people(table, forum, "government", 2)
    auth.login("organizer")
    client.get("/lang/en")
    page = client.get(f"/manage/{forum.slug}/roundtable?item={table.item_id}").get_data(as_text=True)
    assert 'id="over-quota"' not in page  # at the quota, not over it
    extra = factories.make_registration(forum, category="government")
    response = client.post(f"/manage/{forum.slug}/roundtable/{table.item_id}/invite",
                           data={"registration": [extra.id], "group": "government", "channels": ["sms"]},
                           follow_redirects=True)
    text = response.get_data(as_text=True)
    warning = ("Government bodies: 3 invitations out, quota 2. Those who accept after the quota is full wait on "
               "the waitlist.")
    assert 'class="flash flash-warning"' in text and warning in text
    page = client.get(f"/manage/{forum.slug}/roundtable?item={table.item_id}").get_data(as_text=True)
    assert 'id="over-quota"' in page and warning in page
