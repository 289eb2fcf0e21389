"""Organizers review each drawing before anyone else sees it, and set up the contest."""
import pytest

from forum.drawings import service
from forum.drawings.models import Drawing
from forum.extensions import db
from tests.drawings_fixtures import (
    CHILD,
    GUARDIAN,
    TITLE,
    drawing_count,
    make_drawing,
    open_contest,
    stored_files,
)


@pytest.fixture
def contest(forum):
    return open_contest(forum)


def test_queue_shows_pending_drawings_with_guardian_contacts_to_organizers(client, auth, app, contest):
    drawing = make_drawing(app, contest, status="pending")
    auth.login("organizer")
    client.get("/lang/ru")
    page = client.get("/manage/isfara-test/drawings").get_data(as_text=True)
    assert TITLE in page and CHILD in page and GUARDIAN in page and "+992 92 777 1234" in page
    assert "6–9 лет" in page and drawing.consent_version in page
    assert f"/f/isfara-test/drawings/{drawing.id}/thumb.jpg" in page
    assert "Рисунки" in page  # the forum tab


def test_approving_puts_the_drawing_in_the_gallery(client, auth, app, contest):
    drawing = make_drawing(app, contest, status="pending")
    assert CHILD not in client.get("/f/isfara-test/drawings").get_data(as_text=True)
    organizer = auth.login("organizer")
    response = client.post(f"/manage/isfara-test/drawings/{drawing.id}/approve",
                           data={"next": "/manage/isfara-test/drawings?status=pending"})
    assert response.headers["Location"] == "/manage/isfara-test/drawings?status=pending"
    db.session.expire_all()
    drawing = db.session.get(Drawing, drawing.id)
    assert drawing.status == "approved" and drawing.moderated_by_id == organizer.id
    assert CHILD in client.get("/f/isfara-test/drawings").get_data(as_text=True)


def test_rejecting_needs_a_reason_and_hides_the_drawing(client, auth, app, contest):
    drawing = make_drawing(app, contest, status="approved")
    drawing.award = "second"
    db.session.commit()
    auth.login("organizer")
    client.get("/lang/ru")
    page = client.post(f"/manage/isfara-test/drawings/{drawing.id}/reject", data={"reason": "  "},
                       follow_redirects=True).get_data(as_text=True)
    assert "Напишите причину" in page
    db.session.expire_all()
    assert db.session.get(Drawing, drawing.id).status == "approved"
    client.post(f"/manage/isfara-test/drawings/{drawing.id}/reject", data={"reason": "Это фотография, а не рисунок"})
    db.session.expire_all()
    drawing = db.session.get(Drawing, drawing.id)
    assert drawing.status == "rejected" and drawing.award is None
    assert drawing.reject_reason == "Это фотография, а не рисунок"
    assert CHILD not in client.get("/f/isfara-test/drawings").get_data(as_text=True)


def test_organizer_deletes_a_drawing_for_a_guardian_who_calls(client, auth, app, contest):
    drawing = make_drawing(app, contest, status="pending")
    auth.login("organizer")
    client.post(f"/manage/isfara-test/drawings/{drawing.id}/delete")
    assert drawing_count() == 0 and stored_files(app) == []


def test_queue_filters_by_status(client, auth, app, contest):
    make_drawing(app, contest, status="pending", child="Ожидающий")
    make_drawing(app, contest, status="approved", child="Одобренный")
    auth.login("organizer")
    assert "Одобренный" not in client.get("/manage/isfara-test/drawings").get_data(as_text=True)
    page = client.get("/manage/isfara-test/drawings?status=approved").get_data(as_text=True)
    assert "Одобренный" in page and "Ожидающий" not in page
    page = client.get("/manage/isfara-test/drawings?status=all").get_data(as_text=True)
    assert "Одобренный" in page and "Ожидающий" in page


def test_settings_change_age_groups_and_criteria_keeping_scored_keys(client, auth, app, contest):
    auth.login("organizer")
    client.get("/lang/ru")
    form = client.get("/manage/isfara-test/drawings/settings").get_data(as_text=True)
    assert "6-9, 10-13, 14-17" in form and "Раскрытие темы | Ифшои мавзӯъ | Theme" in form
    response = client.post("/manage/isfara-test/drawings/settings", data={
        "submissions_open": "y", "age_groups": "5–8; 9-12, 13-17",
        "criteria": "Раскрытие темы | Ифшои мавзӯъ | Theme\nЦвет | Ранг | Colour"})
    assert response.status_code == 302
    settings = service.settings_for(contest)
    assert settings.age_groups == [[5, 8], [9, 12], [13, 17]]
    assert [c["key"] for c in settings.criteria] == ["theme", "c1"]
    assert settings.criteria[1]["name"] == {"ru": "Цвет", "tg": "Ранг", "en": "Colour"}


@pytest.mark.parametrize("age_groups, criteria, message", [
    ("6-9, 8-12", "Тема", "группы не пересекаются"),
    ("6 to 9", "Тема", "Напишите возрастные группы"),
    ("2-9", "Тема", "Напишите возрастные группы"),
    ("6-9", "a | b | c | d", "Напишите от 1 до 8 критериев"),
    ("6-9", "\n".join(f"К{n}" for n in range(9)), "Напишите от 1 до 8 критериев"),
])
def test_bad_settings_are_explained_and_change_nothing(client, auth, contest, age_groups, criteria, message):
    auth.login("organizer")
    client.get("/lang/ru")
    page = client.post("/manage/isfara-test/drawings/settings", data={
        "submissions_open": "y", "age_groups": age_groups, "criteria": criteria}).get_data(as_text=True)
    assert message in page
    db.session.expire_all()
    settings = service.settings_for(contest)
    assert settings.age_groups == [[6, 9], [10, 13], [14, 17]] and len(settings.criteria) == 3


def test_drawings_of_another_forum_cannot_be_moderated_here(client, auth, app, contest):
    from tests.factories import make_forum

    other = make_forum(slug="other")
    other.activities = ["drawings"]
    db.session.commit()
    drawing = make_drawing(app, other, status="pending")
    auth.login("organizer")
    assert client.post(f"/manage/isfara-test/drawings/{drawing.id}/approve").status_code == 404
    assert client.post(f"/manage/isfara-test/drawings/{drawing.id}/delete").status_code == 404
    assert drawing_count() == 1
