"""The `flask forum` commands: demo, user create, token create."""
import sqlalchemy as sa

from forum.auth.models import ApiToken
from forum.auth.service import user_for_token
from forum.events.service import forum_by_slug
from forum.extensions import db
from forum.people.models import District, Jamoat, Organization, Person, Registration

FORUM_EN = ["forum", "--lang", "en"]  # these tests read the command line in English


def _count(stmt):
    return db.session.scalar(stmt)


def test_demo_builds_the_press_release_and_is_idempotent(runner, app, client):
    first = runner.invoke(args=[*FORUM_EN, "demo"])
    assert first.exit_code == 0, first.output
    assert "organizer@forum.example" in first.output
    counts = lambda: (  # noqa: E731
        _count(sa.select(sa.func.count(Registration.id))), _count(sa.select(sa.func.count(Person.id))))
    before = counts()
    assert runner.invoke(args=[*FORUM_EN, "demo"]).exit_code == 0
    assert counts() == before

    assert _count(sa.select(sa.func.count(District.id))) == 3
    assert _count(sa.select(sa.func.count(Jamoat.id))) == 11
    assert _count(sa.select(sa.func.count(Organization.id)).where(Organization.kind == "shg")) == 91
    members = _count(sa.select(sa.func.count(Person.id)).join(Organization).where(Organization.kind == "shg"))
    assert members == 525
    isfara, gafurov = forum_by_slug("isfara-2011"), forum_by_slug("b-gafurov-2011")
    for forum in (isfara, gafurov):
        categories = {r.category for r in forum.registrations}
        assert {"shg_leader", "shg_member", "mobilizer", "coordinator", "government", "international", "mfi",
                "press"} <= categories
        assert {a.key for a in forum.areas} >= {"main-stage", "exhibition", "round-table", "job-fair"}
    page = client.get("/f/isfara-2011/").get_data(as_text=True)
    assert "Дом культуры" in page and "5 мая 2011" in page and "с 09:00" in page
    assert "ИМОН" not in page or "Партнёры" in page
    assert "Ассоциация Женщина и Общество" in page
    page = client.get("/f/b-gafurov-2011/").get_data(as_text=True)
    assert "Музей им. Б. Гафурова" in page and "7 мая 2011" in page


def test_demo_if_empty_leaves_a_used_database_alone(runner, app, forum):
    result = runner.invoke(args=[*FORUM_EN, "demo", "--if-empty"])
    assert "not loaded" in result.output
    assert forum_by_slug("isfara-2011") is None


def test_user_create_prints_a_generated_password(runner, app, client):
    result = runner.invoke(args=[*FORUM_EN, "user", "create", "door@forum.example", "--role", "staff"])
    assert result.exit_code == 0
    password = result.output.split("Password:")[1].strip()
    response = client.post("/auth/login", data={"email": "door@forum.example", "password": password})
    assert response.status_code == 302


def test_user_create_refuses_duplicates_and_unknown_roles(runner, app):
    runner.invoke(args=[*FORUM_EN, "user", "create", "a@forum.example", "--role", "jury", "--password", "pw-123456"])
    again = runner.invoke(args=[*FORUM_EN, "user", "create", "A@forum.example", "--role", "jury"])
    assert again.exit_code != 0 and "already exists" in again.output
    bad = runner.invoke(args=[*FORUM_EN, "user", "create", "b@forum.example", "--role", "king"])
    assert bad.exit_code != 0


def test_token_is_shown_once_and_stored_hashed(runner, app):
    runner.invoke(args=[*FORUM_EN, "user", "create", "scan@forum.example", "--role", "staff", "--password", "pw-123456"])
    result = runner.invoke(args=[*FORUM_EN, "token", "create", "scan@forum.example", "--name", "door phone 1"])
    plain = result.output.strip().splitlines()[0]
    assert plain.startswith("fm_") and len(plain) > 40
    stored = db.session.scalar(sa.select(ApiToken))
    assert plain not in (stored.token_hash, stored.prefix)
    assert user_for_token(plain).email == "scan@forum.example"
    assert user_for_token(plain[:-1] + "x") is None


def test_token_for_unknown_user_fails(runner, app):
    result = runner.invoke(args=[*FORUM_EN, "token", "create", "ghost@forum.example"])
    assert result.exit_code != 0 and "no user" in result.output


def test_the_command_line_speaks_the_language_given_by_lang_or_forum_lang(runner, app):
    args = ["forum", "token", "revoke", "999"]
    russian = runner.invoke(args=args)  # the site's default
    assert russian.exit_code != 0 and "API-токена с номером 999 нет." in russian.output
    english = runner.invoke(args=[*FORUM_EN, "token", "revoke", "999"])
    assert "There is no API token with the id 999." in english.output
    tajik = runner.invoke(args=args, env={"FORUM_LANG": "tg"})
    assert "Токени API бо рақами 999 нест." in tajik.output
    listing = runner.invoke(args=["forum", "--lang", "ru", "token", "list"])
    assert listing.output.strip() == "API-токенов нет."
    wrong = runner.invoke(args=["forum", "--lang", "de", "token", "list"])
    assert wrong.exit_code == 2 and "'de' is not one of" in wrong.output
