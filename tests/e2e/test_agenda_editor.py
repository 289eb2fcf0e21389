"""In a real browser: an organizer moves agenda items with the keyboard-friendly form and by
drag and drop, and sees a move onto a busy area refused with the other item's name."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from forum.extensions import db
from tests.agenda_fixtures import at, place
from tests.factories import PASSWORD, make_user


@pytest.fixture
def organizer_page(page, live_server, forum):
    """The organizer's timetable editor on a laptop-sized window."""
    user = make_user("organizer")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/auth/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[type=submit], button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/manage/"))
    return page


def _open_editor(page, live_server):
    page.goto(f"{live_server.url}/manage/isfara-test/agenda")
    expect(page.locator("#timetable")).to_be_visible()
    page.wait_for_load_state("load")  # editor.js (deferred) has bound the drag handlers


def test_organizer_moves_an_item_with_the_keyboard_and_is_refused_onto_a_busy_area(organizer_page, live_server,
                                                                                   forum):
    page = organizer_page
    opening = place(forum, "09:00", "09:45", title="Открытие форума")
    place(forum, "10:00", "11:00", "round-table", title="Круглый стол")
    _open_editor(page, live_server)

    row = page.locator(f"#item-{opening.id}")
    row.locator("summary").focus()
    page.keyboard.press("Enter")  # opens "Перенести" without a mouse
    row.locator("select[name=area_id]").select_option(label="round-table")
    row.locator("input[name=start_time]").fill("11:00")
    row.locator("input[name=start_time]").press("Enter")
    expect(page.locator(".flash-success")).to_contain_text("Перенесено на 11:00.")
    row = page.locator(f"#item-{opening.id}")
    expect(row).to_contain_text("11:00–11:45")
    expect(row).to_contain_text("round-table")

    row.locator("summary").focus()
    page.keyboard.press("Enter")
    row.locator("input[name=start_time]").fill("10:30")
    row.locator("input[name=start_time]").press("Enter")
    expect(page.locator(".flash-error")).to_contain_text("занята: «Круглый стол» (10:00–11:00)")
    db.session.expire_all()
    assert (opening.starts_at, opening.area.key) == (at("11:00"), "round-table")


def test_organizer_drags_an_item_to_another_area_and_time(organizer_page, live_server, forum):
    page = organizer_page
    opening = place(forum, "09:00", "09:45", title="Открытие форума")
    place(forum, "10:00", "11:00", "round-table", title="Круглый стол")
    _open_editor(page, live_server)

    grid = page.locator("#timetable")
    rows = int(grid.get_attribute("data-rows"))
    assert grid.get_attribute("data-start") == "09:00"
    item = page.locator(f"#tt-{opening.id}")
    lane = page.locator(".tt-lane[data-area]").nth(1)  # round-table
    box, lane_box = item.bounding_box(), lane.bounding_box()
    row_height = lane_box["height"] / rows
    grab = {"x": box["width"] / 2, "y": box["height"] / 2}
    # Drop so that the item's top lands on 13:00: four hours (48 five-minute rows) below 09:00.
    item.drag_to(lane, source_position=grab, target_position={"x": lane_box["width"] / 2,
                                                              "y": 48 * row_height + grab["y"]})
    expect(page.locator(".flash-success")).to_contain_text("Перенесено на 13:00.")
    # The flash shows once the page is parsed; the drag handlers come with the deferred
    # editor.js, which has run only when the page has loaded.
    page.wait_for_load_state("load")
    db.session.expire_all()
    assert (opening.starts_at, opening.ends_at, opening.area.key) == (at("13:00"), at("13:45"), "round-table")

    # Dropped onto the round table itself: refused, naming it; the item stays where it was.
    page.evaluate("window.scrollTo(0, 0)")  # the redirect scrolled down to the item's row
    item = page.locator(f"#tt-{opening.id}")
    box = item.bounding_box()
    item.drag_to(lane, source_position={"x": box["width"] / 2, "y": box["height"] / 2},
                 target_position={"x": lane_box["width"] / 2, "y": 18 * row_height + box["height"] / 2},
                 force=True)
    expect(page.locator(".flash-error")).to_contain_text("Круглый стол")
    db.session.expire_all()
    assert opening.starts_at == at("13:00")
