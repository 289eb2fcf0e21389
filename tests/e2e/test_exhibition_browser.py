"""The exhibition end to end in a real Chromium the size of a cheap Android phone: a group applies
with a photo, the organizer approves it and gives it a stand by clicking the plan, and the
public catalogue shows the group at its stand."""
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from forum.exhibition.models import ExhibitorApplication, Stand
from forum.extensions import db
from forum.messaging.models import Message
from tests import factories
from tests.browser_checks import expect_picture_shown
from tests.exhibition_fixtures import exhibition_forum, make_stands, place
from tests.test_images import _two_colour_jpeg


@pytest.fixture
def ready(app):
    forum = exhibition_forum()
    district, jamoat = place()
    make_stands(forum, rows=2, columns=4)
    factories.make_user("organizer")
    return forum, jamoat


def _starting(text: str) -> re.Pattern:
    return re.compile("^" + re.escape(text))


def test_group_applies_from_a_phone_organizer_places_it_and_the_public_finds_it(live_server, page, browser, app,
                                                                                 ready, tmp_path):
    forum, jamoat = ready
    photo = tmp_path / "IMG_20110420_093000.jpg"
    photo.write_bytes(_two_colour_jpeg(orientation=6))

    # 1. The group's contact fills the form on a 360 px phone.
    page.goto(f"{live_server.url}/f/isfara-test/exhibitors")
    page.get_by_role("button", name="Подать заявку на стенд").click()
    page.wait_for_url("**/exhibit/apply")  # measured once the form page and its styles have loaded
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    page.get_by_label(_starting("Название группы взаимопомощи")).fill("ГВП «Гулрез», Чоркӯҳ")
    page.get_by_label(_starting("Район")).select_option(label="Исфара")
    page.get_by_label(_starting("Джамоат")).select_option(label="Чоркух (Исфара)")
    page.get_by_label(_starting("Контактное лицо")).fill("Раҳимова Гулнора")
    page.get_by_label(_starting("Мобильный телефон контактного лица")).fill("92 770 18 06")
    page.get_by_label("Имя члена группы 1").fill("Сафарова Малика")
    page.get_by_label("Телефон 1").fill("93 555 12 34")
    row = page.locator("#product-row-0")
    row.get_by_label(_starting("Изделие")).fill("Сузани")
    row.get_by_label(_starting("Вид изделий")).select_option("embroidery")
    row.get_by_label(_starting("Цена, сомони")).fill("450")
    row.get_by_label(_starting("Фото")).set_input_files(str(photo))
    page.get_by_label("Я согласна(-ен)", exact=False).check()
    page.get_by_role("button", name="Отправить заявку").click()
    page.wait_for_url("**/exhibit/received")
    assert "Спасибо! Заявка получена." in page.content()
    # The group's page comes by SMS, as for any contact: open the link the SMS carries.
    with app.app_context():
        sms = db.session.scalar(sa.select(Message.body).where(Message.channel == "sms"))
    page.goto(re.search(r"https?://\S+/r/[\w-]+", sms).group(0).replace(app.config["BASE_URL"], live_server.url) + "/exhibit")
    thumb = page.locator("#products img.product-photo")
    expect_picture_shown(thumb)
    assert thumb.evaluate("img => img.naturalWidth < img.naturalHeight")  # upright, turned per its EXIF

    # 2. The organizer (on a phone too) approves the group and clicks stand 3 on the plan.
    organizer = browser.new_context(viewport={"width": 360, "height": 740}, locale="ru-RU").new_page()
    organizer.set_default_timeout(10000)
    organizer.goto(f"{live_server.url}/auth/login")
    organizer.fill("input[name=email]", "organizer@forum.example")
    organizer.fill("input[name=password]", factories.PASSWORD)
    organizer.locator("form button[type=submit], form input[type=submit]").last.click()
    organizer.wait_for_url("**/manage/**")
    organizer.goto(f"{live_server.url}/manage/isfara-test/exhibition")
    organizer.locator(".application-row", has_text="ГВП «Гулрез», Чоркӯҳ").get_by_role("button", name="Одобрить").click()
    # the click's POST and redirect are still loading when click() returns: wait for the answer
    expect(organizer.locator("main")).to_contain_text("Одобрено: «ГВП «Гулрез», Чоркӯҳ»")
    organizer.goto(f"{live_server.url}/manage/isfara-test/exhibition/plan")
    organizer.locator('svg a[data-stand="3"]').click()
    organizer.wait_for_url(re.compile(r".*stand=\d+#stand-form$"))
    organizer.get_by_label(_starting("Группа")).select_option(label="ГВП «Гулрез», Чоркӯҳ (Чоркух, Исфара)")
    organizer.get_by_role("button", name="Отдать этот стенд").click()
    # the click's POST and redirect are still loading when click() returns: wait for the answer
    expect(organizer.locator("main")).to_contain_text("Стенд 3 отдан группе «ГВП «Гулрез», Чоркӯҳ».")
    assert organizer.locator("#plan-stand-3.stand-assigned, g.stand-assigned").count() == 1
    organizer.context.close()

    # 3. The public catalogue shows the group at stand 3, on the list and on the plan.
    page.goto(f"{live_server.url}/f/isfara-test/exhibitors")
    card = page.locator(".group-card", has_text="ГВП «Гулрез», Чоркӯҳ")
    assert card.locator(".stand-number").inner_text() == "Стенд 3"
    expect_picture_shown(card.locator("img"))
    stand = page.locator("svg g.stand-group")
    assert stand.count() == 1 and stand.locator("title").text_content() == "3 · ГВП «Гулрез», Чоркӯҳ"
    assert "927701806" not in page.content() and "Раҳимова" not in page.content()
    with app.app_context():
        application = db.session.scalar(sa.select(ExhibitorApplication))
        assert application.status == "approved"
        assert db.session.scalar(sa.select(Stand.number).where(Stand.application_id == application.id)) == "3"
