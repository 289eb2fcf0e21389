"""The organizer manages the forum's team on its page; an invited colleague chooses a
password from an emailed link; administrators manage users; `flask forum user create`
gives roles at forums."""
import re

import pytest
import sqlalchemy as sa

from forum.auth.service import find_user
from forum.extensions import db
from forum.messaging.models import Message
from tests.factories import PASSWORD, make_forum, make_user

FORUM_EN = ["forum", "--lang", "en"]  # these tests read the command line in English


pytestmark = pytest.mark.both_dbs

def _link(message: Message) -> str:
    return re.search(r"https?://\S+(/auth/password/\S+)", message.body).group(1)


def test_organizer_invites_a_colleague_who_sets_a_password_and_scans(client, auth, forum):
    other = make_forum(slug="b-gafurov-test", team=[])
    auth.login("organizer", forums=[forum])
    page = client.post(f"/manage/{forum.slug}/team", data={"email": "Door2@Forum.example", "role": "staff"},
                       follow_redirects=True, headers={"Accept-Language": "en"})
    assert "door2@forum.example приглашён (роль: Дежурный у входа)" in page.get_data(as_text=True)  # the user's language
    message = db.session.scalar(sa.select(Message).where(Message.recipient == "door2@forum.example"))
    assert message.channel == "email" and message.status == "queued"
    link = _link(message)
    client.post("/auth/logout")

    assert client.get(link).status_code == 200
    answer = client.post(link, data={"password": "a new long one", "again": "a new long one"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/auth/login")
    assert client.get(link).status_code == 404  # works once
    assert client.post("/auth/login", data={"email": "door2@forum.example", "password": "a new long one"}).status_code == 302
    assert client.get(f"/checkin/{forum.slug}").status_code == 200
    assert client.get(f"/checkin/{other.slug}").status_code == 403


def test_organizer_adds_an_existing_user_changes_the_role_and_removes_them(client, auth, forum):
    colleague = make_user("staff", email="zarina@forum.example", forums=[])
    auth.login("organizer", forums=[forum])
    client.post(f"/manage/{forum.slug}/team", data={"email": colleague.email, "role": "jury"})
    page = client.get(f"/manage/{forum.slug}/team").get_data(as_text=True)
    assert 'data-member="zarina@forum.example"' in page
    assert db.session.scalar(sa.select(Message).where(Message.recipient == colleague.email)) is None  # has a password
    db.session.refresh(colleague)
    member = colleague.memberships[0]
    assert member.role == "jury"
    client.post(f"/manage/{forum.slug}/team/{member.id}/role", data={"role": "staff"})
    db.session.refresh(member)
    assert member.role == "staff"
    assert 'data-confirm=' in page  # removal asks first (static/js/page.js)
    client.post(f"/manage/{forum.slug}/team/{member.id}/remove")
    db.session.expire_all()
    assert find_user(colleague.email).memberships == []


def test_the_last_organizer_stays(client, auth, forum):
    organizer = auth.login("organizer", forums=[forum])
    member = organizer.memberships[0]
    answer = client.post(f"/manage/{forum.slug}/team/{member.id}/remove", follow_redirects=True,
                         headers={"Accept-Language": "en"})
    assert "хотя бы один организатор" in answer.get_data(as_text=True)
    db.session.expire_all()
    assert len(find_user(organizer.email).memberships) == 1


def test_a_team_member_of_another_forum_is_not_found_here(client, auth, forum):
    other = make_forum(slug="b-gafurov-test", team=[])
    stranger = make_user("staff", email="s@forum.example", forums=[other])
    auth.login("organizer", forums=[forum])
    member_id = stranger.memberships[0].id
    assert client.post(f"/manage/{forum.slug}/team/{member_id}/remove").status_code == 404
    assert client.post(f"/manage/{other.slug}/team/{member_id}/remove").status_code == 403


def test_an_administrator_or_employer_cannot_join_a_team(client, auth, forum):
    make_user("employer", email="boss@firm.example")
    auth.login("organizer", forums=[forum])
    answer = client.post(f"/manage/{forum.slug}/team", data={"email": "boss@firm.example", "role": "staff"},
                         follow_redirects=True, headers={"Accept-Language": "ru"})
    assert "работодатель" in answer.get_data(as_text=True)


def test_administrator_creates_a_user_and_locks_one_out(client, auth, forum):
    auth.login("admin")
    page = client.post("/admin/users", data={"email": "new@forum.example", "name": "Нигина", "role": "organizer"},
                       follow_redirects=True)
    assert page.status_code == 200 and 'data-user="new@forum.example"' in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(Message).where(Message.recipient == "new@forum.example")) is not None
    staff = make_user("staff", email="door@forum.example", password=PASSWORD)
    client.post(f"/admin/users/{staff.id}/active")
    db.session.refresh(staff)
    assert staff.active is False
    me = find_user("admin@forum.example")
    assert client.post(f"/admin/users/{me.id}/role", data={"role": "staff"}).status_code == 302
    db.session.refresh(me)
    assert me.role == "admin"  # nobody demotes themselves


def test_cli_creates_staff_of_given_forums(runner, app, client, forum):
    other = make_forum(slug="b-gafurov-test", team=[])
    make_forum(slug="khujand-test", team=[])
    result = runner.invoke(args=[*FORUM_EN, "user", "create", "door@forum.example", "--role", "staff",
                                 "--forum", forum.slug, "--forum", other.slug, "--password", "pw-1234567"])
    assert result.exit_code == 0, result.output
    user = find_user("door@forum.example")
    assert sorted((m.forum.slug, m.role) for m in user.memberships) == [(other.slug, "staff"), (forum.slug, "staff")]
    client.post("/auth/login", data={"email": "door@forum.example", "password": "pw-1234567"})
    assert client.get(f"/checkin/{other.slug}").status_code == 200
    assert client.get("/checkin/khujand-test").status_code == 403


def test_cli_creates_an_administrator_without_forums_and_refuses_mistakes(runner, app, forum):
    assert runner.invoke(args=[*FORUM_EN, "user", "create", "root@forum.example", "--role", "admin"]).exit_code == 0
    assert find_user("root@forum.example").role == "admin"
    with_forum = runner.invoke(args=[*FORUM_EN, "user", "create", "r2@forum.example", "--role", "admin", "--forum", forum.slug])
    assert with_forum.exit_code != 0 and "not held at a forum" in with_forum.output
    unknown = runner.invoke(args=[*FORUM_EN, "user", "create", "j@forum.example", "--role", "jury", "--forum", "nowhere"])
    assert unknown.exit_code != 0 and "There is no forum with the address nowhere." in unknown.output
    assert find_user("j@forum.example") is None and find_user("r2@forum.example") is None


def test_a_copy_made_on_the_page_keeps_the_team(client, auth, forum):
    make_user("jury", email="judge@forum.example", forums=[forum])
    organizer = auth.login("organizer", forums=[forum])
    answer = client.post(f"/manage/{forum.slug}/copy", data={"slug": "isfara-2012", "day": "2012-05-05"})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    db.session.expire_all()
    copy_team = {(m.user.email, m.role) for m in find_user("judge@forum.example").memberships + organizer.memberships
                 if m.forum.slug == "isfara-2012"}
    assert copy_team == {("judge@forum.example", "jury"), (organizer.email, "organizer")}
