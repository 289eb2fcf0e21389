"""Forums: public pages, and the organizer's create, edit, publish, archive and copy."""
from datetime import UTC, datetime

import pytest

from forum.events.service import forum_by_slug
from forum.extensions import db
from tests.factories import make_forum

FORM = {
    "slug": "khujand-2012", "title-ru": "Форум в Худжанде", "title-tg": "Форум дар Хуҷанд", "title-en": "Khujand forum",
    "city-ru": "Худжанд", "venue-ru": "Дворец культуры", "day": "2012-05-10", "start_time": "09:00",
    "end_time": "16:00", "timezone": "Asia/Dushanbe", "goals-ru": "Подвести итоги года.",
    "activities": ["exhibition", "job_fair"], "organizer_id": "0",
}


def test_home_lists_published_forums_only(client, app):
    make_forum(slug="public-one", title={"ru": "Открытый форум"})
    make_forum(slug="secret-one", status="draft", title={"ru": "Черновой форум"})
    page = client.get("/").get_data(as_text=True)
    assert "Открытый форум" in page and "Черновой форум" not in page


def test_draft_forum_is_hidden_from_the_public_but_previewed_by_organizers(client, auth, app):
    make_forum(slug="draft-forum", status="draft")
    assert client.get("/f/draft-forum/").status_code == 404
    auth.login("organizer")
    assert "только организаторы" in client.get("/f/draft-forum/").get_data(as_text=True)


def test_landing_shows_time_in_dushanbe(client, forum):
    page = client.get("/f/isfara-test/").get_data(as_text=True)
    assert "с 09:00 до 17:00" in page
    assert forum.starts_at == datetime(2011, 5, 5, 4, 0, tzinfo=UTC)


def test_organizer_creates_a_draft_forum(client, auth):
    auth.login("organizer")
    response = client.post("/manage/new", data=FORM)
    assert response.status_code == 302
    forum = forum_by_slug("khujand-2012")
    assert forum.status == "draft"
    assert forum.title["tg"] == "Форум дар Хуҷанд"
    assert forum.starts_at == datetime(2012, 5, 10, 4, 0, tzinfo=UTC)
    assert forum.activities == ["exhibition", "job_fair"]


def test_bad_forum_form_explains_and_saves_nothing(client, auth):
    auth.login("organizer")
    bad = dict(FORM, slug="Bad Slug!", end_time="08:00")
    page = client.post("/manage/new", data=bad).get_data(as_text=True)
    assert "Пожалуйста, исправьте отмеченные поля." in page
    assert "латинских букв" in page
    assert "Форум должен заканчиваться после начала." in page
    assert forum_by_slug("bad-slug") is None


def test_slug_of_another_forum_is_refused(client, auth, forum):
    auth.login("organizer")
    page = client.post("/manage/new", data=dict(FORM, slug="isfara-test")).get_data(as_text=True)
    assert "Этот адрес уже занят другим форумом." in page


def test_edit_keeps_what_was_not_changed(client, auth, forum):
    auth.login("organizer")
    form = client.get("/manage/isfara-test/edit").get_data(as_text=True)
    assert 'value="isfara-test"' in form
    data = dict(FORM, slug="isfara-test", day="2011-05-05")
    assert client.post("/manage/isfara-test/edit", data=data).status_code == 302
    db.session.refresh(forum)
    assert forum.title["ru"] == "Форум в Худжанде"


@pytest.mark.parametrize("steps, final", [(["published", "archived"], "archived"), (["draft"], "draft")])
def test_publish_and_archive(client, auth, steps, final):
    auth.login("organizer")
    make_forum(slug="flow", status="draft" if steps[0] == "published" else "published")
    for status in steps:
        client.post("/manage/flow/status", data={"status": status, "confirmed": "1"})
    forum = forum_by_slug("flow")
    assert forum.status == final
    if final == "archived":
        assert not forum.registration_open


def test_impossible_status_change_is_refused(client, auth):
    auth.login("organizer")
    make_forum(slug="arch", status="archived")
    page = client.post("/manage/arch/status", data={"status": "draft", "confirmed": "1"},
                       follow_redirects=True).get_data(as_text=True)
    assert "не может перейти" in page
    assert forum_by_slug("arch").status == "archived"


def test_copy_makes_a_draft_two_days_later_with_areas(client, auth, forum):
    auth.login("organizer")
    response = client.post("/manage/isfara-test/copy", data={"slug": "gafurov-test", "day": "2011-05-07"})
    assert response.status_code == 302
    copy = forum_by_slug("gafurov-test")
    assert copy.status == "draft"
    assert copy.starts_at == datetime(2011, 5, 7, 4, 0, tzinfo=UTC)
    assert copy.ends_at == datetime(2011, 5, 7, 12, 0, tzinfo=UTC)
    assert [a.key for a in copy.areas] == [a.key for a in forum.areas]
    assert copy.registrations == []


def test_areas_are_added_edited_and_kept_unique(client, auth, forum):
    auth.login("organizer")
    data = {"key": "tent", "name-ru": "Шатёр", "name-tg": "Хайма", "kind": "tent", "capacity": "120", "position": "3"}
    assert client.post("/manage/isfara-test/areas", data=data).status_code == 302
    page = client.post("/manage/isfara-test/areas", data=data).get_data(as_text=True)
    assert "уже есть площадка с таким кодом" in page
    area = next(a for a in forum.areas if a.key == "tent")
    data["capacity"] = "-5"
    page = client.post(f"/manage/isfara-test/areas/{area.id}", data=data).get_data(as_text=True)
    assert "Число должно быть от 0 до 100000." in page
    db.session.refresh(area)
    assert area.capacity == 120


def test_other_forums_area_is_not_found(client, auth, forum):
    auth.login("organizer")
    other = make_forum(slug="other")
    area = other.areas[0]
    assert client.get(f"/manage/isfara-test/areas/{area.id}").status_code == 404
