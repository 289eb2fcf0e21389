"""The personal page /r/<token> speaks its person's language and remembers their choice; what
they declined leaves "My schedule" and is cancelled in their calendar feed."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
import sqlalchemy as sa

from forum.agenda import service as agenda
from forum.extensions import db
from forum.messaging import invitations
from forum.messaging.models import Invitation
from forum.people.models import Person
from tests.factories import make_person, make_registration

DUSHANBE = ZoneInfo("Asia/Dushanbe")


@pytest.fixture
def guest(forum):
    return make_registration(forum, make_person("Султонова Мавлуда", language="tg", email="mavluda@example.org"))


def _item(forum, title: dict, hour: int, public: bool):
    area = next(a for a in forum.areas if a.key == "round-table")
    saved = agenda.create_item(forum, agenda.ItemData(
        kind="round_table", title=title, area_id=area.id, is_public=public,
        starts_at=datetime(2011, 5, 5, hour, tzinfo=DUSHANBE), ends_at=datetime(2011, 5, 5, hour, 45, tzinfo=DUSHANBE)))
    db.session.commit()
    return saved.item


def test_the_page_opens_in_the_persons_language_not_the_browsers(client, guest):
    client.get("/lang/en")  # the browser's (or an earlier visitor's) choice
    page = client.get(f"/r/{guest.token}", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert '<html lang="tg">' in page and "Ин саҳифаи шахсии шумост." in page
    assert f'href="/r/{guest.token}?lang=ru"' in page and f'href="/r/{guest.token}?lang=en"' in page


def test_a_language_chosen_on_the_page_is_remembered_on_the_person(client, guest):
    response = client.get(f"/r/{guest.token}?lang=ru")
    assert response.status_code == 302 and response.headers["Location"] == f"/r/{guest.token}"
    assert db.session.scalar(sa.select(Person.language).where(Person.id == guest.person_id)) == "ru"
    fresh = client.application.test_client()  # another phone, another browser: still Russian
    assert '<html lang="ru">' in fresh.get(f"/r/{guest.token}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert client.get(f"/r/{guest.token}?lang=xx").status_code == 200
    assert db.session.scalar(sa.select(Person.language).where(Person.id == guest.person_id)) == "ru"


def _feed(client, guest) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(client.get(f"/r/{guest.token}/calendar.ics").data)
    return {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}


@pytest.mark.both_dbs
@pytest.mark.parametrize("public", [True, False])
def test_a_declined_item_leaves_my_schedule_and_is_cancelled_in_my_calendar(client, forum, guest, public):
    declined = _item(forum, {"ru": "Круглый стол", "tg": "Мизи мудаввар"}, 10, public)
    accepted = _item(forum, {"ru": "Тренинг", "tg": "Омӯзиш"}, 14, public)
    for item in (declined, accepted):
        invitations.send(forum, invitations.Selection(item_id=item.id))
    db.session.commit()
    mine = {inv.item_id: inv for inv in db.session.scalars(sa.select(Invitation))}
    client.post(f"/r/{guest.token}/invitations/{mine[declined.id].id}", data={"answer": "declined"})
    client.post(f"/r/{guest.token}/invitations/{mine[accepted.id].id}", data={"answer": "accepted"})
    page = client.get(f"/r/{guest.token}").get_data(as_text=True)
    schedule = page[page.index('id="schedule"'):]
    schedule = schedule[:schedule.index("</article>")]
    assert "Мизи мудаввар" not in schedule
    assert "Омӯзиш" in schedule and "✓" in schedule
    feed = _feed(client, guest)
    assert str(feed["Мизи мудаввар"]["STATUS"]) == "CANCELLED"
    assert str(feed["Омӯзиш"]["STATUS"]) == "CONFIRMED"
