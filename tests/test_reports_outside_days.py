"""Scans dated outside the forum's days (a phone with a wrong clock, a test scan today on a
2011 forum) are counted apart and never stretch the arrivals chart: its work follows the
forum's days, not the scans' dates."""
from __future__ import annotations

import io
from html import unescape

import pytest
from openpyxl import load_workbook

from forum.checkin import board
from forum.db import utcnow
from forum.reports.figures import collect
from tests.agenda_fixtures import at
from tests.checkin_fixtures import make_checkpoint, pdf_text, scan
from tests.factories import make_person, make_registration

pytestmark = pytest.mark.both_dbs
QUARTERS_PER_DAY = 24 * 4
OUTSIDE = {"en": "Scans outside the forum's days (not in the chart): 2.",
           "ru": "Сканирования вне дней форума (не на графике): 2."}


@pytest.fixture
def wrong_clocks(app, forum):
    """A 2011 forum: one person came at 09:05 that day; one badge scanned today, one in 2009."""
    make_checkpoint(forum, "entrance")
    on_time, today, long_before = (make_registration(forum, make_person(name)) for name in (
        "Аминова Шаҳло", "Бобоева Мавлуда", "Валиева Нилуфар"))
    scan(forum, on_time.badge_secret, at=at("09:05"))
    scan(forum, today.badge_secret, at=utcnow())
    scan(forum, long_before.badge_secret, at=at("09:05").replace(year=2009))
    return forum


def test_the_chart_keeps_to_the_forums_day_and_counts_the_rest_apart(wrong_clocks):
    arrivals = collect(wrong_clocks).arrivals
    assert len(arrivals.quarters) <= QUARTERS_PER_DAY
    assert [(start.strftime("%Y-%m-%d %H:%M"), n) for start, n in arrivals.quarters] == [("2011-05-05 09:00", 1)]
    assert arrivals.outside_days == 2


def test_dashboard_board_and_reports_show_the_scans_outside_the_days(wrong_clocks, client, auth):
    auth.login("organizer")
    client.get("/lang/en")
    for page in ("/manage/isfara-test/", "/manage/isfara-test/checkin"):
        html = unescape(client.get(page).get_data(as_text=True))
        assert OUTSIDE["en"] in html, page
        assert html.count("<rect") <= 2 * QUARTERS_PER_DAY, page  # bars (and their background)

    pdf = client.get("/manage/isfara-test/report.pdf?lang=ru")
    assert pdf.status_code == 200
    assert OUTSIDE["ru"] in " ".join(pdf_text(pdf.data).split())

    xlsx = client.get("/manage/isfara-test/report.xlsx?lang=en")
    assert xlsx.status_code == 200
    cells = [str(cell) for sheet in load_workbook(io.BytesIO(xlsx.data)).worksheets
             for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert OUTSIDE["en"] in cells


def test_a_forum_ending_at_midnight_has_no_extra_day(app, forum):
    start, end = board.forum_days(forum)
    assert (end - start).days == 1
    forum.ends_at = at("00:00").replace(day=6)
    assert board.forum_days(forum) == (start, end)
