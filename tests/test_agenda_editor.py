"""The organizer's timetable editor: create, edit, move, duplicate, cancel, and copy a plan."""
from __future__ import annotations

from datetime import date

import pytest

from forum.agenda import queries
from forum.extensions import db
from tests.agenda_fixtures import QueryCounter, add_area, area, at, fill, place
from tests.factories import make_forum, make_organization


@pytest.fixture
def count_queries(app):
    return lambda: QueryCounter(db.engine)


@pytest.fixture
def organizer(auth):
    return auth.login("organizer")


def _form(forum, **changes) -> dict:
    form = {
        "title-ru": "Открытие форума", "title-tg": "Ифтитоҳи форум", "title-en": "Opening",
        "description-ru": "Приветствие", "kind": "opening", "area_id": str(area(forum, "main-stage").id),
        "day": "2011-05-05", "start_time": "09:00", "end_time": "09:45", "is_public": "y",
        "expected_audience": "30",
    }
    form.update(changes)
    return form


def test_agenda_tab_is_on_the_organizers_forum_pages(client, organizer, forum):
    page = client.get("/manage/isfara-test/").get_data(as_text=True)
    assert 'href="/manage/isfara-test/agenda"' in page and "Программа" in page


def test_organizer_places_an_item_and_sees_it_in_the_timetable(client, organizer, forum):
    response = client.post("/manage/isfara-test/agenda/new", data=_form(forum))
    assert response.status_code == 302
    [item] = queries.forum_items(forum, public_only=False)
    assert (item.starts_at, item.ends_at, item.kind, item.title["tg"]) == (at("09:00"), at("09:45"), "opening",
                                                                          "Ифтитоҳи форум")
    page = client.get("/manage/isfara-test/agenda").get_data(as_text=True)
    assert "Открытие форума" in page and f'id="tt-{item.id}"' in page
    assert "09:00–09:45" in page


def test_a_busy_area_is_refused_with_the_other_items_name_and_nothing_is_saved(client, organizer, forum):
    place(forum, "09:00", "10:00", title="Открытие форума")
    page = client.post("/manage/isfara-test/agenda/new", data=_form(
        forum, **{"title-ru": "Спектакль", "start_time": "09:30", "end_time": "10:30"}), follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "Площадка «main-stage» в это время занята: «Открытие форума» (09:00–10:00)." in text
    assert [i.title["ru"] for i in queries.forum_items(forum, public_only=False)] == ["Открытие форума"]


def test_an_item_outside_the_forums_hours_is_refused(client, organizer, forum):
    text = client.post("/manage/isfara-test/agenda/new", data=_form(forum, start_time="08:00", end_time="09:30"))
    assert "Это время вне часов работы форума." in text.get_data(as_text=True)
    assert queries.forum_items(forum, public_only=False) == []


def test_end_before_start_is_explained_in_tajik(client, organizer, forum):
    client.get("/lang/tg")
    text = client.post("/manage/isfara-test/agenda/new", data=_form(forum, start_time="10:00", end_time="09:00"))
    assert "Банд бояд баъд аз оғоз анҷом ёбад." in text.get_data(as_text=True)


def test_moving_with_the_form_fallback(client, organizer, forum):
    item = place(forum, "09:00", "09:45", title="Открытие")
    response = client.post(f"/manage/isfara-test/agenda/{item.id}/move", data={
        "area_id": area(forum, "round-table").id, "day": "2011-05-05", "start_time": "11:15"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#item-{item.id}")
    db.session.refresh(item)
    assert (item.starts_at, item.ends_at, item.area.key, item.sequence) == (at("11:15"), at("12:00"), "round-table", 1)


def test_moving_onto_another_item_is_refused_naming_it(client, organizer, forum):
    place(forum, "10:00", "11:00", title="Круглый стол")
    item = place(forum, "09:00", "09:45", title="Открытие")
    page = client.post(f"/manage/isfara-test/agenda/{item.id}/move", data={
        "area_id": area(forum, "main-stage").id, "day": "2011-05-05", "start_time": "10:30"}, follow_redirects=True)
    assert "Не перенесено: Площадка «main-stage» в это время занята: «Круглый стол» (10:00–11:00)." in page.get_data(as_text=True)
    db.session.refresh(item)
    assert item.starts_at == at("09:00")


def test_moving_without_a_time_explains(client, organizer, forum):
    item = place(forum, "09:00", "09:45")
    page = client.post(f"/manage/isfara-test/agenda/{item.id}/move", data={"area_id": "", "start_time": ""},
                       follow_redirects=True)
    assert "Выберите площадку и время начала" in page.get_data(as_text=True)


def test_editing_keeps_hosts_and_shows_warnings_beside_the_item(client, organizer, forum):
    iom = make_organization("Международная организация по миграции", kind="international", short_name="МОМ")
    place(forum, "09:00", "10:00", "round-table", title="Круглый стол", host_organization_ids=[iom.id])
    item = place(forum, "09:00", "09:45", title="Открытие")
    form = _form(forum, host_organization_ids=[str(iom.id)], expected_audience="80")
    response = client.post(f"/manage/isfara-test/agenda/{item.id}", data=form, follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "Внимание: МОМ в это же время ведёт «Круглый стол» (09:00–10:00)." in text
    assert "Внимание: Ожидается 80 человек, а площадка вмещает 50." in text
    assert [h.name for h in item.hosts] == ["МОМ"]
    editor = client.get("/manage/isfara-test/agenda").get_data(as_text=True)
    assert editor.count("⚠ МОМ в это же время ведёт") >= 2  # beside both items


def test_edit_form_shows_the_item_as_it_is(client, organizer, forum):
    item = place(forum, "13:30", "14:15", title={"ru": "Тренинг", "tg": "Тренинги кӯтоҳ"})
    page = client.get(f"/manage/isfara-test/agenda/{item.id}").get_data(as_text=True)
    assert 'value="Тренинги кӯтоҳ"' in page and 'value="13:30"' in page and 'value="14:15"' in page


def test_duplicate_goes_right_after_the_original(client, organizer, forum):
    item = place(forum, "10:00", "10:40", title="Спектакль", kind="theatre")
    response = client.post(f"/manage/isfara-test/agenda/{item.id}/duplicate")
    assert response.status_code == 302
    copy = [i for i in queries.forum_items(forum, public_only=False) if i.id != item.id][0]
    assert (copy.starts_at, copy.ends_at, copy.kind, copy.title) == (at("10:40"), at("11:20"), "theatre", item.title)


def test_cancel_and_restore(client, organizer, forum):
    item = place(forum, "10:00", "10:40", title="Спектакль")
    client.post(f"/manage/isfara-test/agenda/{item.id}/cancel")
    db.session.refresh(item)
    assert item.is_cancelled and item.sequence == 1
    page = client.get("/manage/isfara-test/agenda").get_data(as_text=True)
    assert "Отменённые пункты" in page
    client.post(f"/manage/isfara-test/agenda/{item.id}/restore")
    db.session.refresh(item)
    assert not item.is_cancelled and item.sequence == 2


def test_an_item_of_another_forum_is_not_found(client, organizer, forum):
    other = make_forum(slug="other-forum")
    item = place(other, "10:00", "10:40")
    assert client.get(f"/manage/isfara-test/agenda/{item.id}").status_code == 404
    assert client.post(f"/manage/isfara-test/agenda/{item.id}/cancel").status_code == 404


def test_editor_costs_the_same_queries_for_ten_and_three_hundred_items(client, organizer, forum, count_queries):
    fill(forum, 10)
    with count_queries() as small:
        assert client.get("/manage/isfara-test/agenda").status_code == 200
    fill(forum, 290, areas=10, minutes=15, prefix="room")
    with count_queries() as large:
        page = client.get("/manage/isfara-test/agenda").get_data(as_text=True)
    assert page.count('class="tt-item') == 300
    assert small.count == large.count


# --- copying a plan onto another forum ---------------------------------------------------------

@pytest.fixture
def gafurov(app):
    return make_forum(slug="b-gafurov-test", day=date(2011, 5, 7), areas=("main-stage", "theatre"))


def test_copy_moves_times_with_the_date_matches_areas_by_key_and_lists_the_rest(client, organizer, forum, gafurov):
    add_area(forum, "theatre")
    place(forum, "09:00", "09:45", title="Открытие", kind="opening")
    place(forum, "10:00", "10:40", "theatre", title="Спектакль", kind="theatre")
    place(forum, "10:00", "12:00", "round-table", title="Круглый стол", kind="round_table")
    preview = client.post("/manage/b-gafurov-test/agenda/copy", data={"source_id": forum.id, "preview": "1"})
    text = preview.get_data(as_text=True)
    assert "Будет скопировано (2)" in text and "Не будет скопировано (1)" in text
    assert "у этого форума нет площадки с кодом round-table" in text
    assert queries.forum_items(gafurov, public_only=False) == []  # a preview writes nothing

    page = client.post("/manage/b-gafurov-test/agenda/copy", data={"source_id": forum.id, "submit": "1"})
    assert "Не скопировано (1)" in page.get_data(as_text=True)
    copied = queries.forum_items(gafurov, public_only=False)
    assert [(i.title["ru"], i.area.key, i.starts_at) for i in copied] == [
        ("Открытие", "main-stage", at("09:00", date(2011, 5, 7))),
        ("Спектакль", "theatre", at("10:00", date(2011, 5, 7))),
    ]
    assert all(i.area.forum_id == gafurov.id and i.sequence == 0 for i in copied)


def test_copy_skips_what_would_conflict_on_the_target(client, organizer, forum, gafurov):
    place(forum, "09:00", "09:45", title="Открытие")
    place(gafurov, "09:30", "10:00", title="Местное приветствие", day=date(2011, 5, 7))
    text = client.post("/manage/b-gafurov-test/agenda/copy",
                       data={"source_id": forum.id, "submit": "1"}).get_data(as_text=True)
    assert "площадка занята: «Местное приветствие»" in text
    assert [i.title["ru"] for i in queries.forum_items(gafurov, public_only=False)] == ["Местное приветствие"]
