"""Change history: who changed what and when, recorded on every write path (pages, services,
the command line) and shown on the object's page with labels and readable values; secrets
never kept; the check-in scan writes nothing to it."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from forum.badges import service as badges
from forum.extensions import db
from forum.history.models import ChangeRecord
from forum.people.models import Registration
from tests import factories
from tests.exhibition_fixtures import exhibition_forum, make_application, make_stands, place

both_dbs = pytest.mark.both_dbs
MOMENT = datetime(2011, 5, 3, 6, 30, tzinfo=UTC)  # 11:30 in Dushanbe


def _records(entity: str, entity_id: int) -> list[ChangeRecord]:
    return list(db.session.scalars(sa.select(ChangeRecord).where(
        ChangeRecord.entity_type == entity, ChangeRecord.entity_id == entity_id).order_by(ChangeRecord.id)))


@both_dbs
def test_registration_page_shows_who_changed_the_status_and_when(db_backend, app, client, auth, forum):
    app.config["CLOCK"] = MOMENT
    registration = factories.make_registration(forum)
    user = auth.login("organizer")
    user.name = "Мавлуда Саидова"
    db.session.commit()
    client.get("/lang/en")
    response = client.post(f"/manage/isfara-test/registrations/{registration.id}",
                           data={"category": "shg_leader", "status": "cancelled", "notes": "phoned"})
    assert response.status_code == 302
    page = client.get(f"/manage/isfara-test/registrations/{registration.id}").get_data(as_text=True)
    assert "Change history (2)" in page
    assert "3 May 2011, 11:30 · Мавлуда Саидова" in page
    assert "Status: <del>Confirmed</del> → <ins>Cancelled</ins>" in page
    assert "Category: <del>Self-help group member</del> → <ins>Self-help group leader</ins>" in page
    assert "Created." in page  # made by the factory, outside a request: no login
    assert "no login (a public form, a participant&#39;s page or the command line)" in page


def test_a_reissued_badge_is_told_as_changed_never_its_secret(app, client, auth, forum):
    registration = factories.make_registration(forum)
    old_secret = registration.badge_secret
    badges.reissue(registration)
    db.session.commit()
    (changed,) = [r for r in _records("registration", registration.id) if r.action == "changed"]
    assert changed.changes == {"badge_secret": None}
    assert old_secret not in str(changed.changes) and registration.badge_secret not in str(changed.changes)
    auth.login("organizer")
    client.get("/lang/en")
    page = client.get(f"/manage/isfara-test/registrations/{registration.id}").get_data(as_text=True)
    assert "Badge: <em>changed</em>" in page
    assert old_secret not in page


@both_dbs
def test_stand_given_to_a_group_names_the_group_in_its_history(db_backend, app, client, auth):
    forum = exhibition_forum()
    application = make_application(forum, place()[1], status="approved")
    stand = make_stands(forum, rows=1, columns=1)[0]
    auth.login("organizer")
    client.get("/lang/en")
    response = client.post(f"/manage/isfara-test/exhibition/stands/{stand.id}/assign",
                           data={"application_id": str(application.id), "confirmed": "1"})
    assert response.status_code == 302
    page = client.get(f"/manage/isfara-test/exhibition/plan?stand={stand.id}").get_data(as_text=True)
    assert f"Group: <del>—</del> → <ins>{application.group_name}</ins>" in page


def test_history_is_bounded_on_the_page_with_a_link_to_all(app, client, auth, forum):
    registration = factories.make_registration(forum)
    for n in range(12):
        registration.notes = f"call {n}"
        db.session.commit()
    auth.login("organizer")
    client.get("/lang/en")
    page = client.get(f"/manage/isfara-test/registrations/{registration.id}").get_data(as_text=True)
    # Each change says what it was before, also set on an object expired by the commit before.
    assert "<del>call 10</del> → <ins>call 11</ins>" in page and "<ins>call 1</ins>" not in page
    link = f"/manage/isfara-test/history/registration/{registration.id}"
    assert f'href="{link}"' in page and "All 13 changes" in page
    full = client.get(link).get_data(as_text=True)
    assert "13 changes, newest first." in full and "<ins>call 0</ins>" in full


def test_history_page_is_for_organizers_of_that_forum(app, client, auth, forum):
    registration = factories.make_registration(forum)
    other = factories.make_forum(slug="other-forum")
    auth.login("staff", forums=[forum])
    assert client.get(f"/manage/isfara-test/history/registration/{registration.id}").status_code == 403
    auth.logout()
    auth.login("organizer", email="o2@forum.example", forums=[other])
    assert client.get(f"/manage/isfara-test/history/registration/{registration.id}").status_code == 403
    # Another forum's address never shows this forum's records.
    assert "Created." not in client.get(f"/manage/other-forum/history/registration/{registration.id}").get_data(
        as_text=True)


def test_a_rolled_back_change_leaves_no_record(app, forum):
    registration = factories.make_registration(forum)
    before = len(_records("registration", registration.id))
    registration.status = "cancelled"
    db.session.flush()
    db.session.rollback()
    assert len(_records("registration", registration.id)) == before


def test_every_tracked_objects_page_shows_its_history(demo_app, demo_client):
    """The demo, loaded through the services outside a request, is recorded as created; each
    organizer page of a tracked object shows it, in the page's language."""
    from forum import demo
    from forum.agenda.models import AgendaItem
    from forum.events.lookup import forum_by_slug
    from forum.jobfair.models import Vacancy
    from forum.roundtable.models import Recommendation
    from forum.theatre.models import Performance

    forum = forum_by_slug("isfara-2011")
    demo_client.post("/auth/login", data={"email": demo.DEMO_ORGANIZER_EMAIL, "password": demo.DEMO_ORGANIZER_PASSWORD})
    demo_client.get("/lang/tg")
    item = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.forum_id == forum.id).limit(1))
    booked = db.session.scalar(sa.select(Performance).where(Performance.forum_id == forum.id,
                                                            Performance.slot_id.is_not(None)).limit(1))
    vacancy = db.session.scalar(sa.select(Vacancy).where(Vacancy.forum_id == forum.id).limit(1))
    rec = db.session.scalar(sa.select(Recommendation).where(Recommendation.forum_id == forum.id).limit(1))
    pages = ["/manage/isfara-2011/", f"/manage/isfara-2011/agenda/{item.id}",
             f"/manage/isfara-2011/theatre/{booked.id}", f"/manage/isfara-2011/jobfair/vacancies/{vacancy.id}"]
    if rec is not None:
        from forum.roundtable.models import RoundTable

        table = db.session.get(RoundTable, rec.round_table_id)
        pages.append(f"/manage/isfara-2011/roundtable/{table.item_id}/recommendations/{rec.id}")
    for path in pages:
        page = demo_client.get(path)
        assert page.status_code == 200, path
        text = page.get_data(as_text=True)
        assert "Таърихи тағйирот" in text and "Сохта шуд." in text, path


def test_a_checkin_scan_leaves_the_history_alone(app, forum, monkeypatch):
    """The door's scan writes Checkin rows, which are not tracked: the recorder never looks
    at an object's changes there, and nothing is recorded."""
    from forum.history import recorder
    from tests.checkin_fixtures import make_checkpoint, scan

    registration = factories.make_registration(forum)
    make_checkpoint(forum)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(ChangeRecord))

    def refuse(*args):
        raise AssertionError("the scan path inspected a tracked object's changes")

    monkeypatch.setattr(recorder, "_changes", refuse)
    assert scan(forum, registration.badge_secret).status == "ok"
    db.session.commit()
    assert scan(forum, registration.badge_secret).status == "already_checked_in"
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ChangeRecord)) == before


@both_dbs
def test_a_change_through_the_api_names_the_tokens_user(db_backend, client, forum):
    from forum.auth.service import find_user
    from tests.api_fixtures import bearer

    registration = factories.make_registration(forum)
    headers = bearer(email="partner@forum.example")
    answer = client.patch(f"/api/v1/forums/isfara-test/registrations/{registration.id}", headers=headers,
                          json={"status": "cancelled"})
    assert answer.status_code == 200, answer.json
    (changed,) = [r for r in _records("registration", registration.id) if r.action == "changed"]
    assert changed.changes == {"status": ["confirmed", "cancelled"]}
    assert changed.user_id == find_user("partner@forum.example").id


@both_dbs
def test_a_deleted_forum_takes_its_history_along(db_backend, app):
    forum = factories.make_forum(slug="short-lived")
    registration = factories.make_registration(forum)
    registration.notes = "звонила"
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).where(ChangeRecord.forum_id == forum.id)) == 3
    db.session.delete(forum)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ChangeRecord)) == 0


@both_dbs
def test_registrations_imported_from_a_file_are_recorded_as_created_by_the_organizer(db_backend, client, auth, forum):
    import io

    from tests.people_fixtures import csv_bytes

    auth.login("organizer", email="importer@forum.example")
    data = csv_bytes("Саидова Мавлуда;92 770 55 66;;ru;;;;;;guest;", "Назаров Фирдавс;93 555 00 12;;ru;;;;;;guest;")
    response = client.post("/manage/isfara-test/registrations/import", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(data), "list.csv"), "submit": "y"})
    assert response.status_code == 200
    ids = db.session.scalars(sa.select(Registration.id).where(Registration.forum_id == forum.id)).all()
    assert len(ids) == 2
    for registration_id in ids:
        (created,) = _records("registration", registration_id)
        assert created.action == "created" and created.user_id is not None
