"""An organizer keeps the people of a forum in a real Chromium on a phone-sized screen."""
import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, make_user
from tests.people_fixtures import csv_bytes, places_fixture  # noqa: F401

pytestmark = pytest.mark.browser


def _csv(name: str, data: bytes) -> dict:
    return {"name": name, "mimeType": "text/csv", "buffer": data}


def test_organizer_keeps_the_people_of_a_forum(live_server, page, forum, places):
    user = make_user("organizer")
    url = live_server.url
    page.goto(f"{url}/auth/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(re.compile(r"/manage/"))

    # An organization, from the forum list.
    page.get_by_role("button", name="Организации").click()
    page.get_by_role("button", name="Новая организация").click()
    page.fill("#name", "ГВП «Ҳиммат», Чоркӯҳ")
    page.select_option("#kind", "shg")
    page.select_option("#jamoat_id", label="Чоркух (Исфара)")
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_url(re.compile(r"/manage/organizations\?q="))
    expect(page.get_by_role("link", name="ГВП «Ҳиммат», Чоркӯҳ")).to_be_visible()

    # A person of that organization.
    page.get_by_role("link", name="Люди").click()
    page.get_by_role("button", name="Новый человек").click()
    page.fill("#full_name", "Қодирова Гулчеҳра")
    page.fill("#phone", "92 770 12 34")
    page.select_option("#language", "tg")
    page.select_option("#organization_id", label="ГВП «Ҳиммат», Чоркӯҳ")
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_url(re.compile(r"/manage/persons\?q="))
    expect(page.get_by_role("link", name="Қодирова Гулчеҳра")).to_be_visible()

    # Registered at the forum: found by a part of the name, chosen, given a category.
    page.goto(f"{url}/manage/isfara-test/registrations")
    page.get_by_role("button", name="Добавить регистрацию").click()
    page.get_by_label("Найти человека").fill("гулчеҳ")
    page.get_by_role("button", name="Найти человека").click()
    page.get_by_role("link", name="Выбрать").click()
    page.select_option("#existing-category", "shg_leader")
    page.get_by_role("button", name="Зарегистрировать на этот форум").click()
    page.wait_for_url(re.compile(r"/manage/isfara-test/registrations$"))
    expect(page.get_by_text("Қодирова Гулчеҳра: регистрация добавлена.")).to_be_visible()

    # The list finds her by a part of her name in Cyrillic, in another case.
    page.get_by_label("Найти", exact=True).fill("ҚОДИР")
    page.get_by_role("button", name="Найти", exact=True).click()
    expect(page.get_by_text("Найдена 1 регистрация.")).to_be_visible()
    expect(page.get_by_role("link", name="Қодирова Гулчеҳра")).to_be_visible()

    # A file with a bad row is refused with a report; a good one is checked, then imported
    # without choosing it again.
    page.goto(f"{url}/manage/isfara-test/registrations")
    page.get_by_role("button", name="Импорт из файла").click()
    bad = csv_bytes("Саидова Мавлуда;92 770 55 66;;tg;ж;;;;;Член ГВП;", "Назаров Фирдавс;555;;;;;;;;гость;")
    page.set_input_files("#file", _csv("список.csv", bad))
    page.get_by_role("button", name="Импортировать").click()
    expect(page.get_by_text("Строка 3: «555» — не номер телефона, по которому можно позвонить.")).to_be_visible()
    expect(page.get_by_text("Ничего не импортировано")).to_be_visible()
    good = csv_bytes("Саидова Мавлуда;92 770 55 66;;tg;ж;;;;;Член ГВП;", "Назаров Фирдавс;93 555 00 12;;;;;;;;гость;")
    page.set_input_files("#file", _csv("список.csv", good))
    page.get_by_role("button", name="Только проверить").click()
    expect(page.get_by_text("Файл «список.csv» сохранён на час")).to_be_visible()
    page.get_by_role("button", name="Импортировать").click()  # the checked file, not chosen again
    expect(page.get_by_text("Импортировано регистраций: 2").first).to_be_visible()
    page.get_by_role("link", name="Назад к списку").click()
    expect(page.get_by_text("Найдено 3 регистрации.")).to_be_visible()
    for name in ("Саидова Мавлуда", "Назаров Фирдавс", "Қодирова Гулчеҳра"):
        expect(page.get_by_role("link", name=name)).to_be_visible()

    # One click to Tajik.
    page.get_by_role("link", name="Тоҷикӣ").click()
    expect(page.get_by_role("button", name="Илова кардани бақайдгирӣ")).to_be_visible()
    expect(page.get_by_text("3 бақайдгирӣ ёфт шуд.")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "tg")
