"""Employers post vacancies; only vetted ones with both promises ever reach the public."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from forum.extensions import db
from forum.jobfair import service
from forum.jobfair.models import Vacancy
from forum.messaging.models import Message
from tests.jobfair_fixtures import FAR, job_fair, login_as, make_employer, make_vacancy, quick_hashes, vacancy_data  # noqa: F401

FORM = {
    "title-ru": "Швея-мотористка", "title-tg": "Дӯзанда", "description-ru": "Пошив спецодежды, смена 8:00–17:00.",
    "requirements-ru": "Опыт не обязателен.", "location": "tajikistan", "country": "", "city": "Исфара",
    "positions": "15", "wage_min": "1200", "wage_max": "1800", "currency": "TJS", "contract_type": "permanent",
    "languages": ["tg", "ru"], "closes_on": FAR.isoformat(), "no_fee": "y", "written_contract": "y",
}


def _public_titles(client) -> str:
    return client.get("/f/isfara-test/jobs").get_data(as_text=True)


def test_employer_posts_a_vacancy_that_is_public_only_after_approval(client, auth, forum):
    employer = make_employer(forum)
    login_as(client, employer.user)
    response = client.post("/employer/vacancies/new?forum=isfara-test", data=dict(FORM, send="1"))
    assert response.status_code == 302
    vacancy = db.session.scalar(sa.select(Vacancy))
    assert vacancy.status == "pending" and vacancy.title == {"ru": "Швея-мотористка", "tg": "Дӯзанда"}
    assert vacancy.languages == ["tg", "ru"] and vacancy.closes_on == FAR
    client.post("/auth/logout")
    assert "Швея-мотористка" not in _public_titles(client)
    assert client.get(f"/f/isfara-test/jobs/{vacancy.id}").status_code == 404
    auth.login("organizer")
    page = client.get(f"/manage/isfara-test/jobfair/vacancies/{vacancy.id}").get_data(as_text=True)
    assert "Швея-мотористка" in page and "Пошив спецодежды" in page
    client.post(f"/manage/isfara-test/jobfair/vacancies/{vacancy.id}",
                data={"approve": "1", "version": service.version_of(vacancy)})
    client.post("/auth/logout")
    assert "Швея-мотористка" in _public_titles(client)
    assert client.get(f"/f/isfara-test/jobs/{vacancy.id}").status_code == 200
    assert db.session.scalar(sa.select(Message).where(Message.recipient == employer.user.email)
                             .order_by(Message.id.desc())).subject.endswith("Швея-мотористка")


@pytest.mark.parametrize("missing", ["no_fee", "written_contract"])
def test_a_vacancy_without_both_promises_cannot_be_sent_for_approval(client, forum, missing):
    employer = make_employer(forum)
    login_as(client, employer.user)
    data = dict(FORM, send="1")
    data.pop(missing)
    page = client.post("/employer/vacancies/new?forum=isfara-test", data=data).get_data(as_text=True)
    assert "Вакансию публикуют, только если кандидаты ничего не платят" in page
    assert db.session.scalar(sa.select(sa.func.count(Vacancy.id))) == 0
    # Saved as a draft it stays invisible to organizers' queue and to the public.
    client.post("/employer/vacancies/new?forum=isfara-test", data=dict(data, save="1", send=""))
    vacancy = db.session.scalar(sa.select(Vacancy))
    assert vacancy.status == "draft"
    response = client.post(f"/employer/vacancies/{vacancy.id}/submit", follow_redirects=True)
    assert "только если кандидаты ничего не платят" in response.get_data(as_text=True)
    db.session.refresh(vacancy)
    assert vacancy.status == "draft"


def test_the_database_refuses_a_submitted_vacancy_without_the_promises(app, forum):
    employer = make_employer(forum)
    vacancy = make_vacancy(employer, forum, status="draft", no_fee=False)
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.update(Vacancy).where(Vacancy.id == vacancy.id).values(status="approved"))
        db.session.commit()


def test_editing_an_approved_vacancy_keeps_it_public_until_the_changes_are_approved(client, forum):
    """The whole path is in test_jobfair_revisions.py."""
    employer = make_employer(forum)
    vacancy = make_vacancy(employer, forum)
    login_as(client, employer.user)
    form = client.get(f"/employer/vacancies/{vacancy.id}/edit").get_data(as_text=True)
    assert "Швея" in form and "все по-прежнему видят вакансию в одобренном виде" in form
    changed = dict(FORM, **{"title-ru": "Швея (вечерняя смена)", "wage_max": "2500"}, send="1")
    page = client.post(f"/employer/vacancies/{vacancy.id}/edit", data=changed, follow_redirects=True)
    assert "Изменения ждут одобрения организаторов" in page.get_data(as_text=True)
    db.session.refresh(vacancy)
    assert vacancy.status == "approved" and vacancy.wage_max == 1800
    client.post("/auth/logout")
    page = _public_titles(client)
    assert "Швея" in page and "вечерняя смена" not in page
    assert client.get("/api/v1/forums/isfara-test/vacancies").json["count"] == 1


def test_saving_an_approved_vacancy_unchanged_keeps_it_public(app, forum):
    employer = make_employer(forum)
    vacancy = make_vacancy(employer, forum)
    service.save_vacancy(employer, forum, vacancy_data(), vacancy, submit=True)
    assert vacancy.status == "approved"


def test_closing_date_in_the_past_is_refused_on_submission(client, forum):
    employer = make_employer(forum)
    login_as(client, employer.user)
    yesterday = (date.today() - timedelta(days=2)).isoformat()
    page = client.post("/employer/vacancies/new?forum=isfara-test",
                       data=dict(FORM, closes_on=yesterday, send="1")).get_data(as_text=True)
    assert "Срок подачи заявок прошёл." in page
    assert db.session.scalar(sa.select(sa.func.count(Vacancy.id))) == 0


def test_vacancy_abroad_needs_a_country_and_a_wage_range_that_makes_sense(client, forum):
    employer = make_employer(forum)
    login_as(client, employer.user)
    page = client.post("/employer/vacancies/new?forum=isfara-test",
                       data=dict(FORM, location="abroad", wage_min="3000", wage_max="1000", send="1")).get_data(
        as_text=True)
    assert "Выберите страну работы." in page
    assert "Наибольшая зарплата не может быть меньше наименьшей." in page
    client.post("/employer/vacancies/new?forum=isfara-test",
                data=dict(FORM, location="abroad", country="RU", city="Москва", currency="RUB", wage_min="60000",
                          wage_max="80000", send="1"))
    vacancy = db.session.scalar(sa.select(Vacancy))
    assert (vacancy.location, vacancy.country, vacancy.currency) == ("abroad", "RU", "RUB")


def test_a_title_in_tajik_only_is_enough(client, forum):
    employer = make_employer(forum)
    login_as(client, employer.user)
    data = {k: v for k, v in FORM.items() if not k.endswith("-ru")}
    data.update({"description-tg": "Дӯхтани либос.", "send": "1"})
    client.post("/employer/vacancies/new?forum=isfara-test", data=data)
    assert db.session.scalar(sa.select(Vacancy)).title == {"tg": "Дӯзанда"}
    page = client.post("/employer/vacancies/new?forum=isfara-test",
                       data=dict(data, **{"title-tg": ""})).get_data(as_text=True)
    assert "Укажите название хотя бы на одном языке." in page


def test_rejected_vacancy_shows_the_reason_and_can_be_corrected_and_sent_again(client, forum):
    employer = make_employer(forum)
    vacancy = make_vacancy(employer, forum, status="rejected")
    login_as(client, employer.user)
    assert "Кандидат платит за билет" in client.get(f"/employer/vacancies/{vacancy.id}").get_data(as_text=True)
    client.post(f"/employer/vacancies/{vacancy.id}/edit",
                data=dict(FORM, **{"description-ru": "Билет оплачивает работодатель."}, send="1"))
    db.session.refresh(vacancy)
    assert vacancy.status == "pending" and vacancy.decision_reason == ""


def test_organizer_cannot_approve_a_vacancy_of_an_employer_not_approved(app, forum):
    employer = make_employer(forum)
    vacancy = make_vacancy(employer, forum, status="pending")
    service.decide_employer(employer, False, "Проверка лицензии не пройдена", None)
    with pytest.raises(service.JobFairError) as error:
        service.decide_vacancy(vacancy, True, "", None)
    assert error.value.code == "employer_not_approved"


def test_rejecting_an_employer_hides_all_its_vacancies(client, forum):
    employer = make_employer(forum)
    make_vacancy(employer, forum)
    assert "Швея" in _public_titles(client)
    service.decide_employer(employer, False, "Жалобы работников", None)
    db.session.commit()
    assert "Швея" not in _public_titles(client)


def test_closed_vacancy_leaves_the_public_list(client, forum):
    employer = make_employer(forum)
    vacancy = make_vacancy(employer, forum)
    login_as(client, employer.user)
    client.post(f"/employer/vacancies/{vacancy.id}/close")
    client.post("/auth/logout")
    assert "Швея" not in _public_titles(client)


def test_employer_a_cannot_see_or_touch_employer_bs_vacancies_or_seekers(client, forum):
    from forum.jobfair.pipeline import express_interest
    from tests.factories import make_registration

    a = make_employer(forum, organization_name="ООО «А»")
    b = make_employer(forum, organization_name="ООО «Б»")
    theirs = make_vacancy(b, forum, title={"ru": "Вакансия Б"})
    interest = express_interest(make_registration(forum), theirs, "name_phone")
    db.session.commit()
    login_as(client, a.user)
    assert client.get(f"/employer/vacancies/{theirs.id}").status_code == 404
    assert client.get(f"/employer/vacancies/{theirs.id}/edit").status_code == 404
    assert client.post(f"/employer/vacancies/{theirs.id}/edit", data=dict(FORM, send="1")).status_code == 404
    assert client.post(f"/employer/vacancies/{theirs.id}/close").status_code == 404
    assert client.post(f"/employer/vacancies/{theirs.id}/submit").status_code == 404
    assert client.post(f"/employer/interests/{interest.id}/stage", data={"stage": "hired"}).status_code == 404
    assert client.post(f"/employer/interests/{interest.id}/interview", data={"slot_id": "1"}).status_code == 404
    assert "Вакансия Б" not in client.get("/employer/").get_data(as_text=True)
    db.session.refresh(theirs)
    db.session.refresh(interest)
    assert theirs.status == "approved" and interest.stage == "interested"


def test_other_roles_cannot_open_employer_pages(client, auth, forum):
    auth.login("staff")
    assert client.get("/employer/").status_code == 403
