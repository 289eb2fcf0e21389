"""In a real Chromium on a phone-sized screen: an employer signs up and confirms the email by
the emailed link, the organizer approves, the employer posts a vacancy, and the public sees it
only after the organizer approved it."""
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from forum.extensions import db
from forum.messaging.models import Message
from tests.factories import PASSWORD, make_user
from tests.jobfair_fixtures import job_fair, quick_hashes  # noqa: F401

pytestmark = pytest.mark.browser


def _login(page, url: str, email: str, password: str) -> None:
    page.goto(f"{url}/auth/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.get_by_role("button", name="Войти").click()


def _emailed_link(url: str, email: str) -> str:
    """The link of the last email queued for `email`, on the live server."""
    db.session.commit()  # a new transaction: the server committed the message in its own session
    body = db.session.scalar(sa.select(Message.body).where(Message.recipient == email).order_by(Message.id.desc()))
    return url + re.search(r"(/auth/\S+)", body).group(1)


def _logout(page) -> None:
    page.get_by_role("button", name="Выйти").click()


def test_employer_signs_up_is_approved_posts_and_the_vacancy_goes_public_only_after_approval(
        live_server, page, browser, forum):
    url = live_server.url
    organizer = make_user("organizer")

    # The employer signs up on their own, from the public page of vacancies.
    page.goto(f"{url}/f/isfara-test/jobs")
    page.get_by_role("link", name="Зарегистрироваться на ярмарку вакансий").click()
    page.fill("#organization_name", "ООО «Бинокор-Сугд»")
    page.select_option("#sector", "construction")
    page.fill("#tax_number", "510 033 456")
    page.fill("#city", "Худжанд")
    page.fill("#contact_person", "Сафаров Рустам")
    page.fill("#phone", "92 770 33 44")
    page.fill("#email", "hr@binokor.example")
    page.select_option("#language", "ru")
    page.fill("#password", "stroika-2011")
    page.fill("#password_again", "stroika-2011")
    page.get_by_label(re.compile("Сведения верны")).check()
    page.get_by_role("button", name="Зарегистрироваться").click()
    page.wait_for_url(re.compile(r"/jobfair/register/sent$"))
    expect(page.get_by_role("heading", name="Проверьте почту")).to_be_visible()
    # The link in the email confirms the address and logs in.
    page.goto(_emailed_link(url, "hr@binokor.example"))
    page.get_by_role("button", name="Подтвердить мою эл. почту").click()
    page.wait_for_url(re.compile(r"/employer/$"))
    expect(page.get_by_text("Организаторы проверяют вашу регистрацию")).to_be_visible()
    _logout(page)

    # The organizer approves the employer.
    _login(page, url, organizer.email, PASSWORD)
    page.goto(f"{url}/manage/isfara-test/jobfair")
    page.get_by_role("link", name="ООО «Бинокор-Сугд»").click()
    page.get_by_role("button", name="Одобрить").click()
    expect(page.get_by_text("Решение сохранено")).to_be_visible()
    _logout(page)

    # The employer posts a vacancy and sends it for approval.
    _login(page, url, "hr@binokor.example", "stroika-2011")
    page.wait_for_url(re.compile(r"/employer/$"))
    page.get_by_role("button", name="Разместить вакансию").click()
    page.fill("#title-ru", "Каменщик")
    page.fill("#description-ru", "Строительство жилых домов в Худжанде. Общежитие предоставляется.")
    page.fill("#city", "Худжанд")
    page.fill("#positions", "8")
    page.fill("#wage_min", "2500")
    page.fill("#wage_max", "3500")
    page.fill("#closes_on", (date.today() + timedelta(days=30)).isoformat())
    page.get_by_label(re.compile("Кандидаты ничего не платят")).check()
    page.get_by_label(re.compile("письменный договор")).check()
    page.get_by_role("button", name="Отправить на проверку").click()
    expect(page.get_by_text("Отправлено организаторам на проверку.")).to_be_visible()
    _logout(page)

    # Not public while it waits.
    visitor = browser.new_context(viewport={"width": 360, "height": 740}, locale="ru-RU").new_page()
    visitor.goto(f"{url}/f/isfara-test/jobs")
    expect(visitor.get_by_text("Подходящих открытых вакансий нет")).to_be_visible()
    expect(visitor.get_by_text("Каменщик")).to_have_count(0)

    # The organizer approves it; now the public sees it.
    _login(page, url, organizer.email, PASSWORD)
    page.goto(f"{url}/manage/isfara-test/jobfair")
    page.get_by_role("link", name="Каменщик").click()
    page.get_by_role("button", name="Одобрить").click()
    expect(page.get_by_text("Решение сохранено")).to_be_visible()

    visitor.reload()
    expect(visitor.get_by_role("link", name="Каменщик")).to_be_visible()
    expect(visitor.get_by_text("2 500–3 500 TJS в месяц")).to_be_visible()
    visitor.get_by_role("link", name="Каменщик").click()
    expect(visitor.get_by_text("ООО «Бинокор-Сугд»")).to_be_visible()
    visitor.context.close()
