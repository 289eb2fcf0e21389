"""Employers sign themselves up; organizers approve or reject them, and say so through the outbox."""
import sqlalchemy as sa

from config import TestConfig
from forum import create_app
from forum.auth.models import User
from forum.extensions import db
from forum.jobfair.models import Employer
from forum.messaging.models import Message
from forum.people.models import Organization
from tests import messaging_fixtures
from tests.factories import PASSWORD, make_forum
from tests.jobfair_fixtures import job_fair, login_as, make_employer, new_locale, organizer, quick_hashes  # noqa: F401

# A real SMTP server for the one test that follows a decision all the way to the inbox.
mail_app = messaging_fixtures.mail_app
smtp_server = messaging_fixtures.smtp_server

FORM = {
    "organization_name": "ООО «Исфара Текстиль»", "kind": "employer", "sector": "textile",
    "tax_number": "520 011 234", "city": "Исфара", "contact_person": "Каримова Дилноза", "phone": "92 770 55 01",
    "email": "HR@Isfara-Textile.example", "language": "tg", "password": "long enough 1",
    "password_again": "long enough 1", "truthful": "y",
}


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_employer_signs_up_and_waits_for_approval(client, forum):
    """Confirming the email and the rest: test_jobfair_accounts.py."""
    response = client.post("/f/isfara-test/jobfair/register", data=FORM)
    assert response.status_code == 302 and response.headers["Location"] == "/f/isfara-test/jobfair/register/sent"
    employer = db.session.scalar(sa.select(Employer))
    assert employer.status == "pending" and employer.tax_number == "520011234" and employer.forum_id == forum.id
    assert employer.user.role == "employer" and employer.user.email == "hr@isfara-textile.example"
    assert employer.user.language == "tg"
    assert employer.organization.kind == "employer" and employer.organization.phone == "+992927705501"
    message = db.session.scalar(sa.select(Message).where(Message.recipient == employer.user.email))
    assert message.language == "tg" and "/auth/confirm/" in message.body


def test_second_sign_up_with_the_same_tax_number_points_to_the_existing_account(client, forum):
    client.post("/f/isfara-test/jobfair/register", data=FORM)
    client.post("/auth/logout")
    new_locale()
    again = dict(FORM, organization_name="Другое ООО", email="other@example.org")
    page = client.post("/f/isfara-test/jobfair/register", data=again).get_data(as_text=True)
    assert "У этой организации уже есть учётная запись." in page
    assert "с этим ИНН" in page
    assert "/auth/login?next=/employer/" in page
    assert _count(Employer) == 1 and _count(User) == 1 and _count(Organization) == 1


def test_second_sign_up_with_the_same_email_creates_nothing_and_says_so_only_by_email(client, forum):
    client.post("/f/isfara-test/jobfair/register", data=FORM)
    new_locale()
    again = dict(FORM, organization_name="Другое ООО", tax_number="520099999", email="hr@isfara-textile.example")
    response = client.post("/f/isfara-test/jobfair/register", data=again)
    assert response.status_code == 302 and response.headers["Location"] == "/f/isfara-test/jobfair/register/sent"
    assert _count(Employer) == 1 and _count(User) == 1
    told = db.session.scalar(sa.select(Message).order_by(Message.id.desc()))
    assert told.recipient == "hr@isfara-textile.example" and "/auth/password/reset/" in told.body


def test_tax_number_must_have_nine_digits(client, forum):
    for bad in ("52001123", "5200112345", "52001123X", "000000000"):
        page = client.post("/f/isfara-test/jobfair/register", data=dict(FORM, tax_number=bad)).get_data(as_text=True)
        assert "ИНН в Таджикистане состоит из 9 цифр" in page, bad
    assert _count(Employer) == 0 and _count(User) == 0


def test_recruitment_agency_must_give_its_licence(client, forum):
    page = client.post("/f/isfara-test/jobfair/register", data=dict(FORM, kind="agency")).get_data(as_text=True)
    assert "Кадровое агентство должно указать номер лицензии." in page
    assert _count(Employer) == 0
    assert client.post("/f/isfara-test/jobfair/register",
                       data=dict(FORM, kind="agency", licence_number="ЛЗ-0417")).status_code == 302
    assert db.session.scalar(sa.select(Employer)).licence_number == "ЛЗ-0417"


def test_sign_up_errors_come_in_tajik(client, forum):
    client.get("/lang/tg")
    page = client.post("/f/isfara-test/jobfair/register", data=dict(FORM, tax_number="12", email="")).get_data(
        as_text=True)
    assert "Ин майдон ҳатмӣ аст." in page
    assert "9 рақам" in page


def test_forum_without_a_job_fair_has_no_sign_up(client, forum):
    forum.activities = ["exhibition", "round_table"]
    db.session.commit()
    assert client.get("/f/isfara-test/jobfair/register").status_code == 404


def test_refused_sign_ups_are_not_counted_by_the_limit(tmp_path):
    """Only accepted sign-ups count (forum.ratelimits.EMPLOYERS, per email and per address)."""
    config = TestConfig(database_url=f"sqlite:///{tmp_path / 'rl.db'}")
    config.RATELIMIT_ENABLED = True
    app = create_app(config)
    with app.app_context():
        db.create_all()
        forum = make_forum(slug="rl")
        forum.activities = ["job_fair"]
        db.session.commit()
        client = app.test_client()
        codes = [client.post("/f/rl/jobfair/register", data=dict(FORM, tax_number="12")).status_code
                 for _ in range(11)]
    assert codes == [200] * 11


def test_organizer_approves_and_the_employer_is_told_by_email(client, auth, forum):
    employer = make_employer(forum, status="pending")
    auth.login("organizer")
    page = client.get(f"/manage/isfara-test/jobfair/employers/{employer.id}").get_data(as_text=True)
    assert employer.tax_number in page
    response = client.post(f"/manage/isfara-test/jobfair/employers/{employer.id}", data={"approve": "1", "reason": ""})
    assert response.status_code == 302
    db.session.refresh(employer)
    assert employer.status == "approved" and employer.decided_by_id is not None
    message = db.session.scalar(sa.select(Message).where(Message.recipient == employer.user.email))
    assert message.channel == "email" and message.status == "queued"
    assert "одобрена" in message.subject and employer.name in message.body


def test_rejection_needs_a_reason_which_reaches_the_employer(mail_app, smtp_server, client, auth, forum):
    from forum.messaging.outbox import send_pending

    employer = make_employer(forum, status="pending")
    auth.login("organizer")
    page = client.post(f"/manage/isfara-test/jobfair/employers/{employer.id}",
                       data={"reject": "1", "reason": " "}).get_data(as_text=True)
    assert "Пожалуйста, напишите причину" in page
    db.session.refresh(employer)
    assert employer.status == "pending" and _count(Message) == 0
    client.post(f"/manage/isfara-test/jobfair/employers/{employer.id}",
                data={"reject": "1", "reason": "ИНН не найден в реестре налогового комитета."})
    assert send_pending().sent == 1
    received = smtp_server.to(employer.user.email)[0]
    assert "ИНН не найден в реестре налогового комитета." in received.get_content()


def test_pending_and_rejected_employers_cannot_post_vacancies(client, forum):
    for status in ("pending", "rejected"):
        employer = make_employer(forum, status=status)
        login_as(client, employer.user)
        response = client.get("/employer/vacancies/new?forum=isfara-test")
        assert response.status_code == 302 and response.headers["Location"] == "/employer/"
        page = client.get("/employer/").get_data(as_text=True)
        if status == "rejected":
            assert "Нет лицензии" in page  # the reason is shown to them
        client.post("/auth/logout")


def test_employer_logs_in_to_their_own_page(client, forum):
    employer = make_employer(forum)
    response = client.post("/auth/login", data={"email": employer.user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert employer.name in client.get("/employer/").get_data(as_text=True)


def test_an_employer_login_without_an_employer_is_refused(client, auth, forum):
    auth.login("employer")
    assert client.get("/employer/").status_code == 403


def test_organizers_list_only_employers_of_their_forum(client, auth, forum):
    here = make_employer(forum, organization_name="ООО «Здешний»")
    other_forum = make_forum(slug="elsewhere")
    other_forum.activities = ["job_fair"]
    db.session.commit()
    make_employer(other_forum, organization_name="ООО «Чужой»")
    auth.login("organizer")
    page = client.get("/manage/isfara-test/jobfair/employers").get_data(as_text=True)
    assert "ООО «Здешний»" in page and "ООО «Чужой»" not in page
    assert client.get(f"/manage/elsewhere/jobfair/employers/{here.id}").status_code == 404
    assert organizer() is not None
