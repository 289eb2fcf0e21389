"""Public forms close after the forum's last day: the 2011 demo forums take no more
registrations, stands, theatre requests, drawings or employer sign-ups, and say why."""
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from forum.drawings.models import Drawing
from forum.events.service import forms_close_at, forum_by_slug
from forum.exhibition.models import ExhibitorApplication
from forum.extensions import db
from forum.jobfair.models import Employer
from forum.people.models import Registration
from forum.theatre.models import Performance
from tests.drawings_fixtures import jpeg, submit

# Isfara's forum: 5 May 2011, 09:00–17:00 in Dushanbe (UTC+5).
DAY_AFTER = datetime(2011, 5, 5, 19, 0, tzinfo=UTC)  # 6 May, 00:00 in Dushanbe
LAST_MINUTE = datetime(2011, 5, 5, 18, 59, tzinfo=UTC)  # 5 May, 23:59 in Dushanbe
TODAY = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)

FORMS = ["/f/isfara-2011/register", "/f/isfara-2011/drawings/submit", "/f/isfara-2011/exhibit/apply",
         "/f/isfara-2011/theatre/request", "/f/isfara-2011/jobfair/register"]
OVER = {"en": "is over: it no longer accepts registrations, stands, theatre requests or drawings",
        "ru": "завершился", "tg": "анҷом ёфт"}


def counts():
    return [db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (Registration, Drawing, ExhibitorApplication, Performance, Employer)]


def test_forms_close_at_the_end_of_the_last_local_day(demo_app):
    assert forms_close_at(forum_by_slug("isfara-2011")) == DAY_AFTER
    assert forms_close_at(forum_by_slug("b-gafurov-2011")) == datetime(2011, 5, 7, 19, 0, tzinfo=UTC)


@pytest.mark.parametrize("url", FORMS)
def test_the_form_is_open_until_the_last_day_ends(demo_app, demo_client, url):
    demo_app.config["CLOCK"] = LAST_MINUTE
    response = demo_client.get(url)
    assert response.status_code == 200
    assert 'method="post"' in response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["en", "ru", "tg"])
@pytest.mark.parametrize("url", FORMS)
def test_after_the_last_day_the_form_says_the_forum_is_over(demo_app, demo_client, url, lang):
    demo_app.config["CLOCK"] = TODAY
    demo_client.get(f"/lang/{lang}")
    response = demo_client.get(url)
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert OVER[lang] in page
    assert "enctype" not in page and 'name="phone"' not in page  # the form is not shown


def test_posts_after_the_last_day_change_nothing(demo_app, demo_client):
    demo_app.config["CLOCK"] = DAY_AFTER
    before = counts()
    demo_client.post("/f/isfara-2011/register", data={
        "full_name": "Нигина Каримова", "phone": "+992 92 777 1234", "category": "guest", "language": "ru",
        "jamoat_id": "0", "consent": "y"})
    submit(demo_client, "isfara-2011", jpeg())
    demo_client.post("/f/isfara-2011/theatre/request", data={
        "troupe_name": "Новая труппа", "title-ru": "Пьеса", "theme": "rights", "duration_minutes": "20",
        "cast_size": "3", "contact_name": "Фарход", "contact_phone": "+992 92 777 1236"})
    demo_client.post("/f/isfara-2011/jobfair/register", data={
        "organization_name": "Новая фирма", "kind": "company", "sector": "trade", "tax_number": "123456789",
        "city": "Исфара", "contact_person": "Фарход", "phone": "+992 92 777 1237", "email": "new@firm.example",
        "password": "a long enough password", "language": "ru"})
    assert counts() == before


def test_the_landing_page_offers_registration_only_while_open(demo_app, demo_client):
    demo_app.config["CLOCK"] = LAST_MINUTE
    assert "/f/isfara-2011/register" in demo_client.get("/f/isfara-2011/").get_data(as_text=True)
    demo_app.config["CLOCK"] = DAY_AFTER
    assert "/f/isfara-2011/register" not in demo_client.get("/f/isfara-2011/").get_data(as_text=True)


def test_the_real_clock_is_used_when_none_is_set(demo_app, demo_client):
    demo_app.config["CLOCK"] = None  # production: today, long after 2011
    assert demo_client.get("/f/b-gafurov-2011/register").status_code == 403


@pytest.mark.both_dbs
def test_the_rule_is_kept_where_registrations_are_written(app, client):
    from forum.people import self_registration as people
    from tests.factories import make_forum

    forum = make_forum(slug="isfara-test")
    app.config["CLOCK"] = LAST_MINUTE
    assert client.get("/f/isfara-test/register").status_code == 200
    app.config["CLOCK"] = DAY_AFTER
    assert client.get("/f/isfara-test/register").status_code == 403
    with pytest.raises(people.RegistrationError) as refused:
        people.register_self(forum, people.SelfRegistration(
            full_name="Нигина Каримова", phone="+992927771234", email=None, language="ru", category="guest",
            gender=None, organization_name="", district_id=None, jamoat_id=None))
    assert refused.value.code == "closed"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0
