"""Organizers' job-fair pages: the tab, the queue of decisions, figures and the CSV export."""
import csv
import io

from forum.extensions import db
from forum.jobfair import pipeline, service
from tests.factories import make_registration
from tests.jobfair_fixtures import job_fair, make_employer, make_vacancy, quick_hashes, vacancy_data  # noqa: F401


def test_manage_pages_have_a_job_fair_tab_with_the_waiting_decisions(client, auth, forum):
    employer = make_employer(forum, status="pending", organization_name="ООО «Ждущий»")
    approved = make_employer(forum)
    make_vacancy(approved, forum, status="pending", title={"ru": "Электрик"})
    auth.login("organizer")
    overview = client.get("/manage/isfara-test/").get_data(as_text=True)
    assert "Ярмарка вакансий" in overview and "/manage/isfara-test/jobfair" in overview
    page = client.get("/manage/isfara-test/jobfair").get_data(as_text=True)
    assert "ООО «Ждущий»" in page and "Электрик" in page
    assert f"/manage/isfara-test/jobfair/employers/{employer.id}" in page


def test_organizer_reads_every_language_of_a_vacancy_before_deciding(client, auth, forum):
    employer = make_employer(forum)
    vacancy = make_vacancy(employer, forum, status="pending",
                           description={"ru": "Работа в цеху.", "tg": "Кор дар сех."})
    auth.login("organizer")
    page = client.get(f"/manage/isfara-test/jobfair/vacancies/{vacancy.id}").get_data(as_text=True)
    assert "Работа в цеху." in page and "Кор дар сех." in page
    seen = service.version_of(vacancy)
    page = client.post(f"/manage/isfara-test/jobfair/vacancies/{vacancy.id}",
                       data={"reject": "1", "reason": "", "version": seen}).get_data(as_text=True)
    assert "Пожалуйста, напишите причину" in page
    client.post(f"/manage/isfara-test/jobfair/vacancies/{vacancy.id}",
                data={"reject": "1", "reason": "Укажите реальную зарплату.", "version": seen})
    db.session.refresh(vacancy)
    assert vacancy.status == "rejected" and vacancy.decision_reason == "Укажите реальную зарплату."


def test_figures_by_sector_and_location(app, forum):
    from forum.jobfair.figures import forum_figures

    sewing = make_employer(forum, sector="textile")
    agency = make_employer(forum, kind="agency", licence_number="ЛЗ-1", sector="services")
    first = make_vacancy(sewing, forum, positions=15)
    make_vacancy(sewing, forum, positions=2, status="pending")
    abroad = make_vacancy(agency, forum, positions=20, location="abroad", country="RU", city="Москва", currency="RUB",
                          wage_min=60000, wage_max=80000)
    seeker = make_registration(forum)
    pipeline.express_interest(seeker, first, "name")
    pipeline.set_stage(pipeline.express_interest(seeker, abroad, "name_phone"), "offered")
    figures = forum_figures(forum)
    assert figures["total"]["positions"] == 35 and figures["total"]["seekers"] == 1
    assert figures["total"]["offers"] == 1 and figures["vacancies"]["pending"] == 1
    by_sector = dict(figures["by_sector"])
    assert by_sector["services"]["positions"] == 20 and by_sector["textile"]["vacancies"] == 1
    by_location = dict(figures["by_location"])
    assert by_location[("abroad", "RU")]["offers"] == 1 and by_location[("tajikistan", "Исфара")]["seekers"] == 1


def test_csv_export_neutralizes_formulas_and_holds_no_seeker_data(client, auth, forum):
    employer = make_employer(forum, organization_name="=HYPERLINK(\"http://evil.example\")")
    vacancy = make_vacancy(employer, forum, title={"ru": "+7 работа", "en": "@job"}, city="-Исфара")
    pipeline.express_interest(make_registration(forum), vacancy, "name_phone")
    db.session.commit()
    auth.login("organizer")
    response = client.get("/manage/isfara-test/jobfair/figures.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, row = rows[0], rows[1]
    assert row[header.index("employer")] == "'=HYPERLINK(\"http://evil.example\")"
    assert row[header.index("title")] == "'+7 работа" and row[header.index("city")] == "'-Исфара"
    assert row[header.index("interested")] == "1"
    assert "Раҳимова" not in text and "+99292" not in text


def test_csv_title_is_in_the_organizers_language(client, auth, forum):
    employer = make_employer(forum)
    make_vacancy(employer, forum, title={"ru": "Швея", "en": "Seamstress"})
    auth.login("organizer")
    client.get("/lang/en")
    assert "Seamstress" in client.get("/manage/isfara-test/jobfair/figures.csv").data.decode("utf-8-sig")


def test_a_vacancy_changed_while_the_organizer_reads_it_is_not_approved_unread(client, auth, forum):
    employer = make_employer(forum)
    vacancy = make_vacancy(employer, forum, status="pending", description={"ru": "Оплата сдельная."})
    auth.login("organizer")
    page = client.get(f"/manage/isfara-test/jobfair/vacancies/{vacancy.id}").get_data(as_text=True)
    seen = service.version_of(vacancy)
    assert f'value="{seen}"' in page
    service.save_vacancy(employer, forum, vacancy_data(description={"ru": "Кандидат платит 500 долларов за визу."}),
                         vacancy, submit=True)  # the employer edits meanwhile
    db.session.commit()
    page = client.post(f"/manage/isfara-test/jobfair/vacancies/{vacancy.id}",
                       data={"approve": "1", "version": seen}).get_data(as_text=True)
    assert "Эта вакансия больше не ждёт решения" in page and "500 долларов" in page
    db.session.refresh(vacancy)
    assert vacancy.status == "pending"
