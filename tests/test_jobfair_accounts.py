"""Employers' accounts by email: the sign-up confirms the address by a link, a forgotten
password is reset by a link; links expire and work once; the sign-up never tells a visitor
whether an email already has an account. Mail goes through the outbox to a real SMTP server."""
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from config import TestConfig
from forum import create_app
from forum.auth import recovery
from forum.auth.models import User
from forum.extensions import db
from forum.jobfair.models import Employer, Vacancy
from forum.messaging.outbox import send_pending
from tests import messaging_fixtures
from tests.factories import PASSWORD, make_forum
from tests.jobfair_fixtures import job_fair, make_employer, new_locale, quick_hashes  # noqa: F401
from tests.test_jobfair_employers import FORM
from tests.test_jobfair_vacancies import FORM as VACANCY

mail_app = messaging_fixtures.mail_app
smtp_server = messaging_fixtures.smtp_server

MOMENT = datetime(2011, 5, 1, 4, 0, tzinfo=UTC)  # the tests' morning (TestConfig.CLOCK)
EMAIL = "hr@isfara-textile.example"


def _mail(smtp_server, address: str, index: int = -1):
    """The `index`th message the SMTP server received for `address`: (subject, text, link path)."""
    assert send_pending().sent >= 1
    message = smtp_server.to(address)[index]
    text = message.get_body(("plain",)).get_content()
    link = re.search(r"https://forum\.example(/auth/\S+)", text)
    return str(message["Subject"]), text, link.group(1) if link else None


def test_sign_up_confirms_the_email_by_a_link_that_works_once(mail_app, smtp_server, client, forum):
    response = client.post("/f/isfara-test/jobfair/register", data=FORM)
    assert response.status_code == 302 and response.headers["Location"] == "/f/isfara-test/jobfair/register/sent"
    assert "Проверьте почту" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert client.get("/employer/").status_code == 302  # not logged in: the page said the same to anyone
    employer = db.session.scalar(sa.select(Employer))
    assert employer.status == "pending" and employer.user.email_confirmed_at is None
    subject, text, link = _mail(smtp_server, EMAIL)
    assert subject == "Почтаи электронии худро тасдиқ кунед"  # in the language they chose
    assert link.startswith("/auth/confirm/")
    new_locale()
    page = client.get(link).get_data(as_text=True)  # a mail scanner opening it changes nothing
    db.session.expire_all()
    assert EMAIL in page and employer.user.email_confirmed_at is None
    response = client.post(link)
    assert response.status_code == 302 and response.headers["Location"] == "/employer/"
    db.session.expire_all()
    assert employer.user.email_confirmed_at == MOMENT
    new_locale()
    assert "Интизори тасдиқ" in client.get("/employer/").get_data(as_text=True)  # logged in, waiting
    client.post("/auth/logout")
    assert client.get(link).status_code == 404
    assert client.post(link).status_code == 404


def test_a_confirmation_link_expires(mail_app, smtp_server, app, client, forum):
    client.post("/f/isfara-test/jobfair/register", data=FORM)
    _subject, _text, link = _mail(smtp_server, EMAIL)
    app.config["CLOCK"] = MOMENT + timedelta(days=recovery.CONFIRM_DAYS) - timedelta(minutes=1)
    assert client.get(link).status_code == 200
    app.config["CLOCK"] = MOMENT + timedelta(days=recovery.CONFIRM_DAYS, minutes=1)
    assert client.get(link).status_code == 404
    assert client.post(link).status_code == 404
    assert db.session.scalar(sa.select(User)).email_confirmed_at is None


def test_sign_up_with_a_known_email_answers_the_same_and_tells_only_the_mailbox(mail_app, smtp_server, client,
                                                                                  forum):
    first = client.post("/f/isfara-test/jobfair/register", data=FORM)
    first_page = client.get(first.headers["Location"]).get_data(as_text=True)
    new_locale()
    again = dict(FORM, organization_name="Другое ООО", tax_number="520099999", language="ru")
    second = client.post("/f/isfara-test/jobfair/register", data=again)
    assert second.status_code == first.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    new_locale()
    assert client.get(second.headers["Location"]).get_data(as_text=True) == first_page
    assert db.session.scalar(sa.select(sa.func.count(Employer.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1
    # The mailbox learns it: in the account's language (Tajik), with a way back in.
    subject, text, link = _mail(smtp_server, EMAIL, index=1)
    assert subject == "Шумо аллакай ҳисоб доред"
    assert link.startswith("/auth/password/reset/")
    response = client.post(link, data={"password": "a new one 42", "again": "a new one 42"})
    assert response.status_code == 302 and response.headers["Location"] == "/employer/"
    db.session.expire_all()
    user = db.session.scalar(sa.select(User))
    assert user.check_password("a new one 42") and user.email_confirmed_at is not None  # the link reached them


def test_a_duplicate_tax_number_is_told_whatever_the_email(client, forum):
    make_employer(forum, tax_number="520011234", email="known@example.org")
    for email in ("known@example.org", "new@example.org"):
        page = client.post("/f/isfara-test/jobfair/register",
                           data=dict(FORM, email=email)).get_data(as_text=True)
        assert "Ин ташкилот аллакай ҳисоб дорад" in page or "У этой организации уже есть" in page
        new_locale()


def test_forgotten_password_is_reset_by_a_link_that_works_once(mail_app, smtp_server, client, forum):
    employer = make_employer(forum)
    login = client.get("/auth/login").get_data(as_text=True)
    assert "Забыли пароль?" in login and "/auth/password/forgot" in login
    response = client.post("/auth/password/forgot", data={"email": employer.user.email.upper()},
                           follow_redirects=True)
    said_for_known = response.get_data(as_text=True).replace(employer.user.email.upper(), "EMAIL")
    assert "мы отправили на него ссылку" in said_for_known
    new_locale()
    unknown = client.post("/auth/password/forgot", data={"email": "nobody@example.org"}, follow_redirects=True)
    assert unknown.get_data(as_text=True).replace("nobody@example.org", "EMAIL") == said_for_known
    subject, text, link = _mail(smtp_server, employer.user.email)
    assert send_pending().sent == 0  # nothing went to the unknown address
    assert subject == "Сброс пароля" and link.startswith("/auth/password/reset/")
    new_locale()
    page = client.post(link, data={"password": "short", "again": "short"}).get_data(as_text=True)
    assert "не менее 8" in page or "от 8" in page  # the sign-up's rule
    new_locale()
    page = client.post(link, data={"password": "long enough 1", "again": "long enough 2"}).get_data(as_text=True)
    assert "Пароли не совпадают" in page or "различаются" in page
    response = client.post(link, data={"password": "long enough 1", "again": "long enough 1"})
    assert response.status_code == 302 and response.headers["Location"] == "/employer/"
    assert employer.name in client.get("/employer/").get_data(as_text=True)  # logged in
    client.post("/auth/logout")
    assert client.get(link).status_code == 404  # used: the password it was made for is gone
    assert client.post("/auth/login", data={"email": employer.user.email, "password": PASSWORD}).status_code == 200
    assert client.post("/auth/login", data={"email": employer.user.email,
                                            "password": "long enough 1"}).status_code == 302


def test_a_reset_link_expires(mail_app, smtp_server, app, client, forum):
    employer = make_employer(forum)
    client.post("/auth/password/forgot", data={"email": employer.user.email})
    _subject, _text, link = _mail(smtp_server, employer.user.email)
    app.config["CLOCK"] = MOMENT + timedelta(hours=recovery.RESET_HOURS) - timedelta(minutes=1)
    assert client.get(link).status_code == 200
    app.config["CLOCK"] = MOMENT + timedelta(hours=recovery.RESET_HOURS, minutes=1)
    assert client.get(link).status_code == 404
    assert client.post(link, data={"password": "long enough 1", "again": "long enough 1"}).status_code == 404


def test_an_unconfirmed_employer_writes_drafts_but_sends_nothing_for_approval(mail_app, smtp_server, client, auth,
                                                                              forum):
    client.post("/f/isfara-test/jobfair/register", data=dict(FORM, language="ru"))
    employer = db.session.scalar(sa.select(Employer))
    client.post("/auth/logout")
    auth.login("organizer")
    client.post(f"/manage/isfara-test/jobfair/employers/{employer.id}", data={"approve": "1", "reason": ""})
    client.post("/auth/logout")
    client.post("/auth/login", data={"email": EMAIL, "password": FORM["password"]})
    home = client.get("/employer/").get_data(as_text=True)
    assert "Подтвердите эл. почту" in home and "Прислать ссылку ещё раз" in home
    page = client.post("/employer/vacancies/new?forum=isfara-test", data=dict(VACANCY, send="1")).get_data(
        as_text=True)
    assert "Сначала подтвердите эл. почту" in page
    assert db.session.scalar(sa.select(sa.func.count(Vacancy.id))) == 0
    client.post("/employer/vacancies/new?forum=isfara-test", data=dict(VACANCY, save="1"))
    draft = db.session.scalar(sa.select(Vacancy))
    assert draft.status == "draft"
    # A new link on request; following it lets the draft go to the organizers.
    client.post("/employer/confirm/again")
    _subject, _text, link = _mail(smtp_server, EMAIL, index=-1)
    client.post(link)
    client.post(f"/employer/vacancies/{draft.id}/submit")
    db.session.refresh(draft)
    assert draft.status == "pending"


def test_asking_for_reset_links_is_limited_per_email(tmp_path):
    """Each request sends an email: forum.ratelimits.EMAIL_LINKS, per email and per address."""
    config = TestConfig(database_url=f"sqlite:///{tmp_path / 'rl.db'}")
    config.RATELIMIT_ENABLED = True
    app = create_app(config)
    with app.app_context():
        db.create_all()
        make_forum(slug="rl")
        db.session.commit()
        client = app.test_client()
        codes = [client.post("/auth/password/forgot", data={"email": "someone@example.org"}).status_code
                 for _ in range(6)]
        assert codes == [302] * 5 + [429]
        assert client.post("/auth/password/forgot", data={"email": "other@example.org"}).status_code == 302


@pytest.mark.parametrize("path", ["/auth/confirm/nonsense", "/auth/password/reset/nonsense"])
def test_a_forged_link_opens_nothing(client, path):
    assert client.get(path).status_code == 404
