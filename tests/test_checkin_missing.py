"""Who has not arrived: the registrations list's filter per checkpoint, the export's
"arrived at" column, the board's bounded list with its count and its link to write to them
(tests/test_messaging_groups.py)."""
from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from forum.checkin import missing
from forum.checkin.checkpoints import allow
from forum.extensions import db
from tests import factories
from tests.checkin_fixtures import make_checkpoint, scan

pytestmark = pytest.mark.both_dbs


@pytest.fixture
def door(forum):
    """Entrance for all; a round table admitting two invitees (Zarina and Daler). Aziza is in
    through the entrance at 09:12 Dushanbe time; Daler and Malika are not; Sitora cancelled."""
    entrance = make_checkpoint(forum, "entrance")
    table = make_checkpoint(forum, "round-table", rule="list")
    people = {
        "aziza": factories.make_registration(forum, factories.make_person("Азизова Азиза")),
        "daler": factories.make_registration(forum, factories.make_person("Бобоев Далер", email="daler@example.org")),
        "malika": factories.make_registration(forum, factories.make_person("Валиева Малика", phone=None,
                                                                            email="malika@example.org")),
        "sitora": factories.make_registration(forum, factories.make_person("Гафурова Ситора"), status="cancelled"),
        "nobody": factories.make_registration(forum, factories.make_person("Давлатова Нигина", phone=None)),
    }
    allow(table, [people["aziza"], people["daler"]])
    db.session.commit()
    scan(forum, people["aziza"].badge_secret, "entrance", at=datetime(2011, 5, 5, 4, 12, tzinfo=UTC))
    return entrance, table, people


def _names(client, **args) -> list[str]:
    page = client.get("/manage/isfara-test/registrations", query_string=args).get_data(as_text=True)
    return re.findall(r'registrations/\d+">([^<]+)</a>', page)


def test_the_registrations_list_filters_those_not_arrived_per_checkpoint(client, auth, forum, door):
    auth.login("organizer")
    assert _names(client, missing="entrance") == ["Бобоев Далер", "Валиева Малика", "Давлатова Нигина"]
    assert _names(client, missing="any") == ["Бобоев Далер", "Валиева Малика", "Давлатова Нигина"]
    assert _names(client, missing="round-table") == ["Азизова Азиза", "Бобоев Далер"]  # in, but not at the table
    assert _names(client, missing="round-table", q="Bobo") == ["Бобоев Далер"]
    assert len(_names(client, missing="no-such-door")) == 5  # an unknown place filters nothing
    page = client.get("/manage/isfara-test/registrations").get_data(as_text=True)
    assert 'value="round-table"' in page


def test_the_export_says_when_each_person_arrived(client, auth, forum, door):
    auth.login("organizer")
    body = client.get("/manage/isfara-test/registrations/export?format=csv").data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body, newline=""), delimiter=";"))
    arrived = {row["full_name"]: row["arrived_at"] for row in rows}
    assert arrived["Азизова Азиза"] == "2011-05-05 09:12"  # Dushanbe time
    assert arrived["Бобоев Далер"] == ""
    sheet = load_workbook(io.BytesIO(client.get("/manage/isfara-test/registrations/export?format=xlsx&missing=any").data)
                          ).active
    header, *values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert header[-1] == "arrived_at" and len(values) == 3 and all(v[-1] in (None, "") for v in values)


def test_the_board_lists_the_missing_bounded_with_their_count(client, auth, forum, door):
    auth.login("organizer")
    page = client.get("/manage/isfara-test/checkin?missing=round-table").get_data(as_text=True)
    section = page[page.index('id="missing"'):page.index('id="conflicts"')]
    assert "Бобоев Далер" in section and "Азизова Азиза" in section and "Валиева" not in section
    assert "/manage/isfara-test/messages/groups/new?not_arrived=round-table" in section
    assert not re.search(r"<script(?![^>]*\bsrc=)|\son\w+=|\sstyle=", page)
    bounded = missing.missing(forum, missing.ANY, limit=2)
    assert bounded.count == 3 and [r.person.full_name for r in bounded.people] == ["Бобоев Далер", "Валиева Малика"]


