"""The public sees vetted vacancies only, in its language, and never a job seeker's name or phone."""
import pytest

from forum.extensions import db
from forum.jobfair import pipeline
from tests.factories import make_person, make_registration
from tests.jobfair_fixtures import job_fair, login_as, make_employer, make_vacancy, new_locale, quick_hashes  # noqa: F401

STATUSES = ("draft", "pending", "rejected", "closed")


@pytest.fixture
def market(forum):
    """One approved vacancy beside one of every other status, and one of a pending employer."""
    employer = make_employer(forum, organization_name="ООО «Одобренный»")
    shown = make_vacancy(employer, forum, title={"ru": "Каменщик", "tg": "Сангтарош", "en": "Bricklayer"},
                         location="tajikistan", city="Худжанд")
    hidden = {status: make_vacancy(employer, forum, status=status, title={"ru": f"Скрытая-{status}"})
              for status in STATUSES}
    pending_employer = make_employer(forum, status="pending", organization_name="ООО «Непроверенный»")
    return {"shown": shown, "hidden": hidden, "pending_employer": pending_employer, "employer": employer}


def _public_pages(client, market):
    yield client.get("/f/isfara-test/").get_data(as_text=True)
    yield client.get("/f/isfara-test/jobs").get_data(as_text=True)
    yield client.get(f"/f/isfara-test/jobs/{market['shown'].id}").get_data(as_text=True)
    for query in ("", "?location=tajikistan", "?location=abroad", "?sector=textile", "?language=tg"):
        yield client.get(f"/api/v1/forums/isfara-test/vacancies{query}").get_data(as_text=True)
        yield client.get(f"/f/isfara-test/jobs{query}").get_data(as_text=True)


def test_nothing_unapproved_is_on_any_public_page_or_the_api(client, market):
    for page in _public_pages(client, market):
        for status in STATUSES:
            assert f"Скрытая-{status}" not in page
        assert "Непроверенный" not in page
    for vacancy in market["hidden"].values():
        assert client.get(f"/f/isfara-test/jobs/{vacancy.id}").status_code == 404
    assert "Каменщик" in client.get("/f/isfara-test/jobs").get_data(as_text=True)


def test_api_lists_approved_vacancies_as_json(client, market):
    response = client.get("/api/v1/forums/isfara-test/vacancies", headers={"Accept-Language": "tg"})
    assert response.status_code == 200 and response.is_json
    data = response.json
    assert data["count"] == 1 and data["forum"] == "isfara-test"
    item = data["vacancies"][0]
    assert item["title"] == "Сангтарош" and item["employer"]["name"] == "ООО «Одобренный»"
    assert item["wage"] == {"min": 1200, "max": 1800, "currency": "TJS", "per": "month"}
    assert item["no_fee"] is True and item["written_contract"] is True
    assert set(item) >= {"id", "location", "positions", "contract_type", "closes_on", "booth"}


def test_api_answers_404_in_json_for_unknown_or_draft_forums(client, forum):
    from tests.factories import make_forum

    assert client.get("/api/v1/forums/nope/vacancies").json["error"]["code"] == "not_found"
    draft = make_forum(slug="draft-fair", status="draft")
    draft.activities = ["job_fair"]
    db.session.commit()
    assert client.get("/api/v1/forums/draft-fair/vacancies").status_code == 404


def test_api_operation_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").json
    operation = document["paths"]["/forums/{slug}/vacancies"]["get"]
    assert operation["security"] == [] and "Vacancy" in document["components"]["schemas"]


def test_no_seeker_name_or_phone_on_any_public_page_or_api_answer(client, market):
    seeker = make_registration(market["shown"].forum, make_person("Сафарова Малика", phone="+992927705555"))
    pipeline.express_interest(seeker, market["shown"], "name_phone")
    booth_seeker = make_person("Юсупова Зебо", phone="+992935550101")
    from forum.jobfair import booths

    booth = booths.add_booths(market["shown"].forum, 1)[0]
    booths.assign_booth(booth, market["employer"])
    pipeline.record_walk_in(booth, pipeline.WalkIn("Юсупова Зебо", booth_seeker.phone, [market["shown"].id]))
    db.session.commit()
    for page in _public_pages(client, market):
        for secret in ("Сафарова", "927705555", "92 770 5555", "Юсупова", "935550101"):
            assert secret not in page


def test_vacancies_are_shown_in_the_visitors_language(client, market):
    client.get("/lang/en")
    page = client.get("/f/isfara-test/jobs").get_data(as_text=True)
    assert "Bricklayer" in page and "a month" in page
    client.get("/lang/tg")
    new_locale()
    assert "Сангтарош" in client.get("/f/isfara-test/jobs").get_data(as_text=True)


def test_filters_by_location_sector_language_and_wage(client, forum):
    employer = make_employer(forum, sector="construction")
    agency = make_employer(forum, kind="agency", licence_number="ЛЗ-1", sector="services")
    make_vacancy(employer, forum, title={"ru": "Каменщик"}, languages=["tg"], wage_min=2500, wage_max=3500)
    make_vacancy(agency, forum, title={"ru": "Монтажник в Москве"}, location="abroad", country="RU", city="Москва",
                 currency="RUB", wage_min=60000, wage_max=80000, languages=["ru"])

    def titles(query: str) -> set[str]:
        page = client.get(f"/f/isfara-test/jobs{query}").get_data(as_text=True)
        return {t for t in ("Каменщик", "Монтажник в Москве") if t in page}

    assert titles("") == {"Каменщик", "Монтажник в Москве"}
    assert titles("?location=abroad") == {"Монтажник в Москве"}
    assert titles("?location=tajikistan") == {"Каменщик"}
    assert titles("?sector=construction") == {"Каменщик"}
    assert titles("?language=ru") == {"Монтажник в Москве"}
    assert titles("?currency=TJS&min_wage=3000") == {"Каменщик"}
    assert titles("?currency=TJS&min_wage=4000") == set()
    assert titles("?location=everywhere&min_wage=abc") == {"Каменщик", "Монтажник в Москве"}


def test_vacancy_past_its_closing_date_is_not_public(client, forum):
    from datetime import date, timedelta

    from forum.jobfair.models import Vacancy

    employer = make_employer(forum)
    vacancy = make_vacancy(employer, forum)
    db.session.execute(Vacancy.__table__.update().values(closes_on=date.today() - timedelta(days=3)))
    db.session.commit()
    assert "Швея" not in client.get("/f/isfara-test/jobs").get_data(as_text=True)
    assert client.get(f"/f/isfara-test/jobs/{vacancy.id}").status_code == 404


def test_landing_page_links_to_the_vacancies_when_the_forum_has_a_job_fair(client, forum):
    assert "/f/isfara-test/jobs" in client.get("/f/isfara-test/").get_data(as_text=True)
    forum.activities = ["exhibition"]
    db.session.commit()
    assert "/f/isfara-test/jobs" not in client.get("/f/isfara-test/").get_data(as_text=True)
    assert client.get("/f/isfara-test/jobs").status_code == 404


def test_employer_sees_their_pending_vacancy_but_the_public_does_not(client, forum):
    employer = make_employer(forum)
    vacancy = make_vacancy(employer, forum, status="pending", title={"ru": "На проверке"})
    login_as(client, employer.user)
    assert "На проверке" in client.get(f"/employer/vacancies/{vacancy.id}").get_data(as_text=True)
    assert "На проверке" not in client.get("/f/isfara-test/jobs").get_data(as_text=True)
