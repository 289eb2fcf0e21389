"""The public catalogue: approved groups by jamoat and kind of product, with stands, photos and
a plan that shows only which stand holds which group; never a person's name or phone."""
from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from forum.agenda import service as agenda
from forum.agenda.models import AgendaItem
from forum.exhibition import agenda_link, plan, service
from forum.extensions import db
from forum.people.models import Jamoat
from forum.people.phones import display_phone
from tests.exhibition_fixtures import exhibition_forum, jpeg_bytes, make_application, make_stands, place

DUSHANBE = ZoneInfo("Asia/Dushanbe")


@pytest.fixture
def exhibition(app):
    return exhibition_forum()


@pytest.fixture
def jamoat(app):
    return place()[1]


def _products(*specs):
    return [service.ProductData(name=n, category=c, price=Decimal(p), photo=jpeg_bytes() if photo else None)
            for n, c, p, photo in specs]


@pytest.fixture
def groups(exhibition, jamoat):
    """Two approved groups on stands, one approved without a stand, one pending, one rejected."""
    other = Jamoat(district_id=jamoat.district_id, key="surkh", name={"ru": "Сурх", "tg": "Сурх", "en": "Surkh"})
    db.session.add(other)
    db.session.commit()
    stands = make_stands(exhibition, 1, 5)
    stands[3].state, stands[3].note = "reserved", "Для МФО IMON"
    stands[4].state, stands[4].note = "blocked", "Запасный выход"
    made = {
        "suzani": make_application(exhibition, jamoat, group="ГВП «Гулрез»", status="approved", members=[
            ("Сафарова Малика", "+992935551234")], products=_products(("Сузани", "embroidery", "450", True),
                                                                      ("Курага", "dried_fruit", "35.50", True))),
        "fruit": make_application(exhibition, other, group="ГВП «Боғи Сурх»", status="approved",
                                  products=_products(("Изюм", "dried_fruit", "28", True))),
        "waiting": make_application(exhibition, other, group="ГВП «Ободӣ»", status="approved",
                                    products=_products(("Намад", "carpets", "900", False))),
        "pending": make_application(exhibition, jamoat, group="ГВП «Интизор»",
                                    products=_products(("Тайное", "other", "1", True))),
        "rejected": make_application(exhibition, jamoat, group="ГВП «Радшуда»", status="rejected"),
    }
    plan.assign(stands[0], made["suzani"], notify_group=False)
    plan.assign(stands[2], made["fruit"], notify_group=False)
    db.session.commit()
    return made


def test_catalogue_shows_approved_groups_by_jamoat_with_stands_and_photos(client, groups):
    page = client.get("/f/isfara-test/exhibitors").get_data(as_text=True)
    assert "ГВП «Гулрез»" in page and "ГВП «Боғи Сурх»" in page and "ГВП «Ободӣ»" in page
    assert "ГВП «Интизор»" not in page and "ГВП «Радшуда»" not in page and "Тайное" not in page
    assert page.index("<h2>Сурх, Исфара</h2>") < page.index(f'id="group-{groups["fruit"].id}"')
    assert page.index("<h2>Чоркух, Исфара</h2>") < page.index(f'id="group-{groups["suzani"].id}"')
    assert "Стенд 1" in page and "Стенд 3" in page
    assert "450 сомони" in page and "35,50 сомони" in page
    photo = groups["suzani"].products[0]
    assert f"/f/isfara-test/exhibitors/photos/{photo.id}/thumb.jpg" in page


def test_catalogue_filters_by_kind_of_product_and_by_jamoat(client, groups, jamoat):
    def cards(page: str) -> set[int]:
        return {int(n) for n in re.findall(r'<article class="group-card" id="group-(\d+)"', page)}

    page = client.get("/f/isfara-test/exhibitors?category=dried_fruit").get_data(as_text=True)
    assert "Курага" in page and "Изюм" in page and "Сузани" not in page
    assert cards(page) == {groups["suzani"].id, groups["fruit"].id}
    page = client.get(f"/f/isfara-test/exhibitors?jamoat=j{jamoat.id}").get_data(as_text=True)
    assert cards(page) == {groups["suzani"].id}


def test_public_plan_shows_which_stand_holds_which_group_and_nothing_internal(client, groups):
    page = client.get("/f/isfara-test/exhibitors").get_data(as_text=True)
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert svg.count('class="stand stand-group"') == 2 and svg.count('class="stand stand-empty"') == 3
    assert f'href="/f/isfara-test/exhibitors#group-{groups["suzani"].id}"' in svg
    assert "1 · ГВП «Гулрез»" in svg
    for internal in ("blocked", "reserved", "assigned", "Забронирован", "Заблокирован", "Для МФО", "Запасный выход",
                     "hatch", "cross"):
        assert internal not in page


def test_no_names_of_people_or_phone_numbers_on_any_public_page(client, groups, exhibition):
    people, phones = [], []
    for application in groups.values():
        people.append(application.contact_name)
        phones.append(application.contact_phone)
        for member in application.members:
            people.append(member.full_name)
            phones.append(member.phone)
    pages = [client.get(url).get_data(as_text=True) for url in (
        "/f/isfara-test/", "/f/isfara-test/exhibitors", "/f/isfara-test/exhibitors?category=embroidery",
        f"/f/isfara-test/exhibitors?jamoat=j{groups['fruit'].jamoat_id}", "/f/isfara-test/exhibit/apply")]
    text = "\n".join(pages)
    assert people and phones
    for name in people:
        assert name not in text and name.split()[0] not in text
    for phone in filter(None, phones):
        national = phone.removeprefix("+992")
        for form in (phone, national, display_phone(phone), display_phone(phone).replace(" ", "")):
            assert form not in text
    digits = re.sub(r"\D", "", text)
    for phone in filter(None, phones):
        assert phone.removeprefix("+992") not in digits


def test_landing_page_links_to_the_exhibition(client, groups):
    page = client.get("/f/isfara-test/").get_data(as_text=True)
    assert 'href="/f/isfara-test/exhibitors"' in page and "Выставка групп" in page


def test_photos_are_served_as_jpeg_never_sniffed_never_under_the_uploaded_name(client, auth, groups):
    product = groups["suzani"].products[0]
    response = client.get(f"/f/isfara-test/exhibitors/photos/{product.id}/full.jpg")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert response.data[:3] == b"\xff\xd8\xff"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert f"product-{product.id}.jpg" in response.headers.get("Content-Disposition", "")
    hidden = groups["pending"].products[0]
    assert client.get(f"/f/isfara-test/exhibitors/photos/{hidden.id}/thumb.jpg").status_code == 404
    assert client.get("/f/isfara-test/exhibitors/photos/99999/thumb.jpg").status_code == 404
    auth.login("organizer")
    seen = client.get(f"/f/isfara-test/exhibitors/photos/{hidden.id}/thumb.jpg")
    assert seen.status_code == 200 and "no-store" in seen.headers["Cache-Control"]


def test_the_exhibition_is_put_on_the_agenda_once(app, client, auth, exhibition):
    auth.login("organizer")
    response = client.post("/manage/isfara-test/exhibition/agenda", data={"starts": "09:45", "ends": "16:30"})
    assert response.status_code == 302
    items = db.session.scalars(sa.select(AgendaItem).where(AgendaItem.kind == "exhibition")).all()
    assert len(items) == 1 and items[0].area.key == "exhibition" and items[0].source == "exhibition"
    assert items[0].starts_at == datetime(2011, 5, 5, 9, 45, tzinfo=DUSHANBE)
    client.post("/manage/isfara-test/exhibition/agenda", data={"starts": "10:00", "ends": "16:00"})
    db.session.expire_all()
    items = db.session.scalars(sa.select(AgendaItem).where(AgendaItem.kind == "exhibition")).all()
    assert len(items) == 1 and items[0].starts_at == datetime(2011, 5, 5, 10, 0, tzinfo=DUSHANBE)
    public = client.get("/f/isfara-test/agenda").get_data(as_text=True)
    assert "Выставка изделий групп взаимопомощи" in public


def test_an_exhibition_the_agenda_already_has_is_reused(app, exhibition):
    area = next(a for a in exhibition.areas if a.key == "exhibition")
    planned = agenda.create_item(exhibition, agenda.ItemData(
        kind="exhibition", title={"ru": "Выставка"}, area_id=area.id,
        starts_at=datetime(2011, 5, 5, 9, 45, tzinfo=DUSHANBE), ends_at=datetime(2011, 5, 5, 16, 30, tzinfo=DUSHANBE)))
    db.session.commit()
    assert agenda_link.agenda_item(exhibition).id == planned.item.id
    agenda_link.put_on_agenda(exhibition, datetime(2011, 5, 5, 10, tzinfo=DUSHANBE),
                              datetime(2011, 5, 5, 16, tzinfo=DUSHANBE))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(AgendaItem.id))) == 1


def test_agenda_conflict_in_the_exhibition_area_is_explained(app, client, auth, exhibition):
    area = next(a for a in exhibition.areas if a.key == "exhibition")
    agenda.create_item(exhibition, agenda.ItemData(
        kind="other", title={"ru": "Монтаж стендов"}, area_id=area.id,
        starts_at=datetime(2011, 5, 5, 9, tzinfo=DUSHANBE), ends_at=datetime(2011, 5, 5, 10, tzinfo=DUSHANBE)))
    db.session.commit()
    auth.login("organizer")
    page = client.post("/manage/isfara-test/exhibition/agenda", data={"starts": "09:30", "ends": "16:30"},
                       follow_redirects=True).get_data(as_text=True)
    assert "занята: «Монтаж стендов»" in page
    assert db.session.scalar(sa.select(sa.func.count(AgendaItem.id)).where(AgendaItem.kind == "exhibition")) == 0
