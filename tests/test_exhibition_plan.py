"""Stands on the floor plan: a grid in one step, unique numbers, no stand given twice (also by
two organizers at the same moment), confirmation before moving a group's stand, the SVG plan
and the printable signs."""
from __future__ import annotations

import io
import threading
import time
from decimal import Decimal

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from forum.exhibition import plan, service
from forum.exhibition.models import ExhibitorApplication, Stand
from forum.extensions import db
from forum.messaging.models import Message
from tests.exhibition_fixtures import exhibition_forum, make_application, make_stands, make_type, place

both_dbs = pytest.mark.both_dbs  # where the database itself keeps the rule: SQLite and PostgreSQL


@pytest.fixture
def exhibition(app):
    return exhibition_forum()


@pytest.fixture
def jamoat(app):
    return place()[1]


def _assign_url(stand) -> str:
    return f"/manage/isfara-test/exhibition/stands/{stand.id}/assign"


def test_grid_of_stands_in_one_step_numbered_after_the_ones_in_use(db_backend, client, auth, exhibition):
    stand_type = make_type(exhibition)
    auth.login("organizer")
    response = client.post("/manage/isfara-test/exhibition/stands/grid", data={
        "grid-rows": "2", "grid-columns": "3", "grid-type_id": str(stand_type.id), "grid-x": "1", "grid-y": "1",
        "grid-gap_x": "0,5", "grid-gap_y": "2", "grid-prefix": "", "grid-start": "1"})
    assert response.status_code == 302
    stands = plan.stands_of(exhibition)
    assert [s.number for s in stands] == ["1", "2", "3", "4", "5", "6"]
    assert [(s.x, s.y, s.w, s.h) for s in stands[:2]] == [
        (Decimal("1.00"), Decimal("1.00"), Decimal("3.00"), Decimal("2.00")),
        (Decimal("4.50"), Decimal("1.00"), Decimal("3.00"), Decimal("2.00"))]
    assert stands[3].y == Decimal("5.00")  # second row after a 2 m aisle
    more = plan.make_grid(exhibition, plan.GridData(rows=1, columns=2, type_id=stand_type.id, y=Decimal("10")))
    assert [s.number for s in more] == ["7", "8"]


def test_grid_that_does_not_fit_adds_nothing(db_backend, client, auth, exhibition):
    stand_type = make_type(exhibition)
    auth.login("organizer")
    response = client.post("/manage/isfara-test/exhibition/stands/grid", data={
        "grid-rows": "2", "grid-columns": "12", "grid-type_id": str(stand_type.id), "grid-x": "1", "grid-y": "1",
        "grid-gap_x": "0", "grid-gap_y": "2", "grid-start": "1"})
    assert response.status_code == 400
    assert "Стенд окажется за пределами площадки" in response.get_data(as_text=True)
    assert plan.stands_of(exhibition) == []


@both_dbs
def test_stand_number_is_unique_in_its_forum_by_the_database(db_backend, app, exhibition):
    stand = make_stands(exhibition, 1, 1)[0]
    db.session.add(Stand(forum_id=exhibition.id, number=stand.number, x=10, y=10, w=2, h=2, state="open"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(service.ExhibitionError) as refused:
        plan.add_stand(exhibition, plan.StandData(number="1", x=Decimal(10), y=Decimal(10), w=Decimal(2),
                                                  h=Decimal(2)))
    assert refused.value.code == "number_taken"


@both_dbs
def test_a_group_holds_one_stand_by_the_database(db_backend, app, exhibition, jamoat):
    first, second = make_stands(exhibition, 1, 2)
    application = make_application(exhibition, jamoat, status="approved")
    db.session.execute(sa.update(Stand).where(Stand.id == first.id).values(application_id=application.id))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.update(Stand).where(Stand.id == second.id).values(application_id=application.id))
        db.session.flush()
    db.session.rollback()


def test_organizer_clicks_a_stand_and_gives_it_to_an_approved_group(db_backend, client, auth, exhibition, jamoat):
    stands = make_stands(exhibition, 1, 3)
    application = make_application(exhibition, jamoat, group="ГВП «Ситора»", status="approved")
    make_application(exhibition, jamoat, group="ГВП «Пайванд»")  # pending: not offered
    auth.login("organizer")
    plan_page = client.get("/manage/isfara-test/exhibition/plan").get_data(as_text=True)
    link = f'href="/manage/isfara-test/exhibition/plan?stand={stands[1].id}#stand-form"'
    assert link in plan_page
    form = client.get(f"/manage/isfara-test/exhibition/plan?stand={stands[1].id}").get_data(as_text=True)
    assert "ГВП «Ситора»" in form and "ГВП «Пайванд»" not in form and 'id="assign-form"' in form
    response = client.post(_assign_url(stands[1]), data={"application_id": str(application.id)},
                           follow_redirects=True)
    assert "Стенд 2 отдан группе «ГВП «Ситора»»." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Stand, stands[1].id).application_id == application.id
    sms = db.session.scalars(sa.select(Message).where(Message.channel == "sms")).all()
    assert any("№ 2" in m.body for m in sms)


@both_dbs
def test_a_taken_stand_is_not_given_twice(db_backend, client, auth, exhibition, jamoat):
    stand = make_stands(exhibition, 1, 2)[0]
    first = make_application(exhibition, jamoat, group="ГВП «Ситора»", status="approved")
    second = make_application(exhibition, jamoat, group="ГВП «Пайванд»", status="approved")
    auth.login("organizer")
    client.post(_assign_url(stand), data={"application_id": str(first.id)})
    page = client.post(_assign_url(stand), data={"application_id": str(second.id)},
                       follow_redirects=True).get_data(as_text=True)
    assert "Стенд 1 уже отдан группе «ГВП «Ситора»»" in page
    db.session.expire_all()
    assert db.session.get(Stand, stand.id).application_id == first.id
    assert db.session.get(ExhibitorApplication, second.id).stand is None


def test_a_group_with_a_stand_is_not_given_a_second(db_backend, app, exhibition, jamoat):
    first, second = make_stands(exhibition, 1, 2)
    application = make_application(exhibition, jamoat, status="approved")
    plan.assign(first, application)
    db.session.commit()
    with pytest.raises(service.ExhibitionError) as refused:
        plan.assign(second, application)
    assert refused.value.code == "group_has_stand" and refused.value.other.id == first.id


def test_pending_groups_and_blocked_stands_are_refused(db_backend, app, exhibition, jamoat):
    first, second = make_stands(exhibition, 1, 2)
    pending = make_application(exhibition, jamoat)
    with pytest.raises(service.ExhibitionError) as refused:
        plan.assign(first, pending)
    assert refused.value.code == "not_approved"
    second.state = "blocked"
    db.session.commit()
    approved = make_application(exhibition, jamoat, status="approved")
    with pytest.raises(service.ExhibitionError) as refused:
        plan.assign(second, approved)
    assert refused.value.code == "blocked"
    plan.assign(first, approved)
    db.session.commit()
    with pytest.raises(service.ExhibitionError) as refused:
        plan.change_stand(first, plan.StandData(number="1", x=first.x, y=first.y, w=first.w, h=first.h,
                                                state="blocked"))
    assert refused.value.code == "blocked_has_group"


def _race(app, jobs: list[tuple[int, int]], hold: float = 0.4) -> list[str]:
    """Organizers in threads, each giving stand `stand_id` to application `application_id`. The
    first holds its transaction open for `hold` seconds after its write, so the others really
    meet it; returns each one's outcome ("ok" or the refusal's code)."""
    results: list[str | None] = [None] * len(jobs)
    first_wrote = threading.Event()

    def organizer(index: int, stand_id: int, application_id: int):
        with app.app_context():
            try:
                if index:
                    first_wrote.wait(10)
                stand = db.session.get(Stand, stand_id)
                application = db.session.get(ExhibitorApplication, application_id)
                plan.assign(stand, application, notify_group=False)
                if not index:
                    first_wrote.set()
                    time.sleep(hold)
                db.session.commit()
                results[index] = "ok"
            except service.ExhibitionError as error:
                db.session.rollback()
                results[index] = error.code
            finally:
                first_wrote.set()
                db.session.remove()

    threads = [threading.Thread(target=organizer, args=(i, s, a)) for i, (s, a) in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@both_dbs
def test_two_organizers_giving_one_stand_at_once_cannot_both_win(db_backend, app, exhibition, jamoat):
    stand = make_stands(exhibition, 1, 1)[0]
    groups = [make_application(exhibition, jamoat, status="approved").id for _ in range(3)]
    stand_id = stand.id
    db.session.remove()
    results = _race(app, [(stand_id, g) for g in groups])
    assert results[0] == "ok"
    assert sorted(results[1:]) == ["stand_taken", "stand_taken"]
    assert db.session.get(Stand, stand_id).application_id == groups[0]


@both_dbs
def test_two_organizers_giving_one_group_two_stands_at_once_cannot_both_win(db_backend, app, exhibition, jamoat):
    first, second = make_stands(exhibition, 1, 2)
    group, first, second = make_application(exhibition, jamoat, status="approved").id, first.id, second.id
    db.session.remove()
    results = _race(app, [(first, group), (second, group)])
    assert results == ["ok", "group_has_stand"]
    holders = db.session.scalars(sa.select(Stand.id).where(Stand.application_id == group)).all()
    assert holders == [first]


def test_moving_or_renumbering_a_groups_stand_asks_first(db_backend, client, auth, exhibition, jamoat):
    stand = make_stands(exhibition, 1, 2)[0]
    application = make_application(exhibition, jamoat, status="approved")
    plan.assign(stand, application, notify_group=False)
    db.session.commit()
    auth.login("organizer")
    data = {"number": "1A", "type_id": str(stand.type_id), "x": "20", "y": "12", "w": "3", "h": "2",
            "state": "open", "note": ""}
    response = client.post(f"/manage/isfara-test/exhibition/stands/{stand.id}", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Пока вы не подтвердите, ничего не меняется." in page and "его номер" in page and "его место" in page
    db.session.expire_all()
    unchanged = db.session.get(Stand, stand.id)
    assert (unchanged.number, unchanged.x) == ("1", Decimal("1.00"))
    response = client.post(f"/manage/isfara-test/exhibition/stands/{stand.id}", data={**data, "confirm": "yes"})
    assert response.status_code == 302
    db.session.expire_all()
    moved = db.session.get(Stand, stand.id)
    assert (moved.number, moved.x, moved.y, moved.application_id) == ("1A", Decimal("20.00"), Decimal("12.00"),
                                                                       application.id)
    sms = db.session.scalars(sa.select(Message).where(Message.channel == "sms")).all()
    assert any("№ 1A" in m.body for m in sms)  # the group hears its new number


def test_a_free_stand_changes_without_asking_but_never_onto_another(db_backend, client, auth, exhibition):
    first, second = make_stands(exhibition, 1, 2)
    auth.login("organizer")
    data = {"number": "1", "type_id": "0", "x": "3", "y": "1", "w": "3", "h": "2", "state": "reserved",
            "note": "Для партнёров"}
    page = client.post(f"/manage/isfara-test/exhibition/stands/{first.id}", data=data).get_data(as_text=True)
    assert "Стенд заденет стенд 2." in page
    data["x"] = "1"
    assert client.post(f"/manage/isfara-test/exhibition/stands/{first.id}", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Stand, first.id).state == "reserved"


def test_freeing_a_stand_and_deleting_only_empty_ones(db_backend, client, auth, exhibition, jamoat):
    stand = make_stands(exhibition, 1, 1)[0]
    application = make_application(exhibition, jamoat, status="approved")
    plan.assign(stand, application, notify_group=False)
    db.session.commit()
    auth.login("organizer")
    page = client.post(f"/manage/isfara-test/exhibition/stands/{stand.id}/delete",
                       follow_redirects=True).get_data(as_text=True)
    assert "Сначала освободите его, потом удалите." in page
    client.post(f"/manage/isfara-test/exhibition/stands/{stand.id}/unassign")
    assert client.post(f"/manage/isfara-test/exhibition/stands/{stand.id}/delete").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Stand.id))) == 0


def test_plan_colours_every_status_with_a_legend(db_backend, client, auth, exhibition, jamoat):
    stands = make_stands(exhibition, 1, 4)
    stands[1].state, stands[2].state = "reserved", "blocked"
    db.session.commit()
    plan.assign(stands[3], make_application(exhibition, jamoat, status="approved"), notify_group=False)
    db.session.commit()
    auth.login("organizer")
    page = client.get("/manage/isfara-test/exhibition/plan").get_data(as_text=True)
    for status, word in (("free", "Свободен (1)"), ("reserved", "Забронирован (1)"), ("assigned", "Занят (1)"),
                         ("blocked", "Заблокирован (1)")):
        assert f"stand-{status}" in page and word in page
    assert 'fill="url(#cross)"' in page and 'fill="url(#hatch)"' in page  # patterns survive black-and-white print


def test_signs_pdf_has_one_a4_landscape_page_per_group_stand(db_backend, client, auth, exhibition, jamoat):
    from forum.exhibition.service import ProductData

    stands = make_stands(exhibition, 1, 3)
    products = [ProductData(name="Сузани", category="embroidery", price=Decimal("450"), photo=None),
                ProductData(name="Тоқӣ", category="embroidery", price=Decimal("45.50"), photo=None)]
    for stand, name in zip(stands[:2], ("ГВП «Ҳиммат», Ғончӣ", "ГВП «Ҷӯра»"), strict=True):
        plan.assign(stand, make_application(exhibition, jamoat, group=name, status="approved", products=products),
                    notify_group=False)
    db.session.commit()
    auth.login("organizer")
    response = client.get("/manage/isfara-test/exhibition/signs.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    first = reader.pages[0].extract_text()
    assert "1" in first and "ГВП «Ҳиммат», Ғончӣ" in first and "Чоркӯҳ" not in first or "Чоркух" in first
    assert "Сузани — 450 сомони" in first and "Тоқӣ — 45.50 сомони" in first
    assert "ГВП «Ҷӯра»" in reader.pages[1].extract_text()
    one = client.get(f"/manage/isfara-test/exhibition/signs.pdf?stand={stands[1].id}&lang=tg")
    single = PdfReader(io.BytesIO(one.data))
    assert len(single.pages) == 1 and "Стенд" in single.pages[0].extract_text()


def test_settings_refuse_an_area_too_small_for_the_stands_and_close_the_form(client, auth, exhibition):
    make_stands(exhibition, 1, 4)  # the last stand ends at 13 m
    auth.login("organizer")
    area = next(a for a in exhibition.areas if a.key == "exhibition")
    data = {"area_id": str(area.id), "plan_width": "10", "plan_depth": "20"}
    page = client.post("/manage/isfara-test/exhibition/settings", data=data).get_data(as_text=True)
    assert "Стенд 4 окажется за пределами площадки." in page
    assert service.settings_for(exhibition).plan_width == Decimal("30.00")
    response = client.post("/manage/isfara-test/exhibition/settings", data={**data, "plan_width": "40,5"})
    assert response.status_code == 302
    db.session.expire_all()
    settings = service.settings_for(exhibition)
    assert (settings.plan_width, settings.applications_open) == (Decimal("40.50"), False)
    assert client.get("/f/isfara-test/exhibit/apply").status_code == 403


def test_looking_at_the_exhibition_stores_nothing_until_an_organizer_saves(client, auth):
    from forum.events.models import Area
    from forum.exhibition.models import ExhibitionSettings
    from forum.theatre.models import TheatreSettings
    from tests.factories import make_forum

    forum = make_forum(slug="isfara-test")
    forum.activities = ["exhibition", "theatre"]
    forum.areas.append(Area(key="exhibition", name={"ru": "Выставочная площадь"}, kind="exhibition", position=5))
    db.session.commit()
    auth.login("organizer")
    for url in ("/f/isfara-test/exhibit/apply", "/f/isfara-test/exhibitors", "/manage/isfara-test/exhibition",
                "/manage/isfara-test/exhibition/settings", "/manage/isfara-test/exhibition/plan",
                "/f/isfara-test/theatre", "/f/isfara-test/theatre/request"):
        assert client.get(url).status_code == 200, url
    db.session.remove()
    stored = lambda model: db.session.scalar(sa.select(sa.func.count()).select_from(model))  # noqa: E731
    assert (stored(ExhibitionSettings), stored(TheatreSettings)) == (0, 0)
    # The defaults shown are the ones saved: the exhibition square, 30 × 20 m, applications open.
    page = client.get("/manage/isfara-test/exhibition/settings").get_data(as_text=True)
    assert 'value="30' in page and 'value="20' in page
    response = client.post("/manage/isfara-test/exhibition/settings", data={
        "area_id": str(forum.areas[-1].id), "plan_width": "36", "plan_depth": "24", "applications_open": "y"})
    assert response.status_code == 302 and stored(ExhibitionSettings) == 1
    assert service.settings_for(forum).plan_width == Decimal("36.00")
