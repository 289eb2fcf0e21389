"""Self-registration at /f/<slug>/register and the private page /r/<token>."""
import sqlalchemy as sa

from forum.extensions import db
from forum.people.models import Person, Registration
from tests.factories import make_forum, make_person, make_registration

GOOD = {"full_name": "Каримова Зарина", "phone": "92 770 11 22", "language": "tg", "category": "shg_member",
        "gender": "f", "organization_name": "ГВП «Умед»", "jamoat_id": "0", "consent": "y"}


def _count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_participant_registers_and_gets_their_page_by_sms(client, forum):
    response = client.post("/f/isfara-test/register", data=GOOD)
    assert response.status_code == 302
    registration = db.session.scalar(sa.select(Registration))
    assert response.headers["Location"] == "/f/isfara-test/link/sent"
    assert registration.person.phone == "+992927701122"
    assert registration.person.organization.name == "ГВП «Умед»"
    assert registration.source == "self" and registration.consent_at is not None
    page = client.get(f"/r/{registration.token}").get_data(as_text=True)
    assert "Каримова Зарина" in page and "+992 92 770 1122" in page


def test_same_phone_twice_gets_the_same_answer_and_is_not_duplicated(client, forum):
    first = client.post("/f/isfara-test/register", data=GOOD)
    again = dict(GOOD, full_name="Другое имя", phone="+992 (92) 770-11-22")
    second = client.post("/f/isfara-test/register", data=again)
    assert first.headers["Location"] == second.headers["Location"]
    assert "уже зарегистрирован" not in client.get(second.headers["Location"]).get_data(as_text=True)
    assert _count(Registration) == 1 and _count(Person) == 1
    assert db.session.scalar(sa.select(Person.full_name)) == "Каримова Зарина"


def test_known_phone_registers_at_a_second_forum_as_the_same_person(client, forum):
    make_forum(slug="second")
    client.post("/f/isfara-test/register", data=GOOD)
    assert client.post("/f/second/register", data=GOOD).status_code == 302
    assert _count(Registration) == 2 and _count(Person) == 1


def test_missing_consent_and_bad_phone_explain_and_keep_the_input(client, forum):
    data = dict(GOOD, phone="12345")
    data.pop("consent")
    page = client.post("/f/isfara-test/register", data=data).get_data(as_text=True)
    assert "Пожалуйста, дайте согласие" in page
    assert "На этот номер нельзя позвонить." in page
    assert 'value="Каримова Зарина"' in page
    assert _count(Registration) == 0


def test_closed_registration_refuses(client, app):
    make_forum(slug="closed", registration_open=False)
    assert client.get("/f/closed/register").status_code == 403
    assert client.post("/f/closed/register", data=GOOD).status_code == 403
    assert _count(Registration) == 0


def test_unknown_token_is_a_plain_404(client, forum):
    make_registration(forum)
    assert client.get("/r/not-a-real-token").status_code == 404
    assert client.get("/r/" + "x" * 500).status_code == 404


def test_private_page_is_not_indexed_and_leaks_no_referrer(client, forum):
    registration = make_registration(forum, make_person("Сафарова Малика"))
    response = client.get(f"/r/{registration.token}")
    assert 'name="robots" content="noindex"' in response.get_data(as_text=True)
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_public_pages_never_show_participants_phones(client, forum):
    make_registration(forum, make_person("Сафарова Малика", phone="+992927705555"))
    for url in ("/", "/f/isfara-test/", "/f/isfara-test/register"):
        page = client.get(url).get_data(as_text=True)
        assert "927705555" not in page and "Сафарова Малика" not in page
