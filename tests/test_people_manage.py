"""The organizer keeps the people: organizations, persons and registrations at /manage/…"""
import pytest
import sqlalchemy as sa

from forum.extensions import db
from forum.people.models import Organization, Person, Registration
from tests.factories import make_forum, make_organization, make_person, make_registration
from tests.people_fixtures import counts, places_fixture  # noqa: F401

PAGES = ["/manage/organizations", "/manage/organizations/new", "/manage/persons", "/manage/persons/new",
         "/manage/isfara-test/registrations", "/manage/isfara-test/registrations/new",
         "/manage/isfara-test/registrations/import", "/manage/isfara-test/registrations/export?format=xlsx"]


def _text(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_log_in_and_staff_is_refused(client, auth, forum, url):
    response = client.get(url)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    auth.login("staff")
    assert client.get(url).status_code == 403


def test_staff_cannot_change_anything_by_posting(client, auth, forum):
    registration = make_registration(forum)
    auth.login("staff")
    response = client.post(f"/manage/isfara-test/registrations/{registration.id}",
                           data={"category": "guest", "status": "cancelled"})
    assert response.status_code == 403
    db.session.refresh(registration)
    assert registration.status == "confirmed"


def test_the_forum_list_links_to_organizations_and_people(client, auth, forum):
    auth.login("organizer")
    page = _text(client.get("/manage/"))
    assert 'href="/manage/organizations"' in page and 'href="/manage/persons"' in page


def test_organizer_creates_an_organization_then_edits_it(client, auth, places):
    auth.login("organizer")
    response = client.post("/manage/organizations/new", data={
        "name": "ГВП  «Ситора», Сурх", "short_name": "Ситора", "kind": "shg", "district_id": "0",
        "jamoat_id": str(places["surkh"].id), "contact_person": "Юсупова Малика", "phone": "92 770 18 06",
        "email": "", "website": "", "notes": ""})
    assert response.status_code == 302
    org = db.session.scalar(sa.select(Organization))
    assert org.name == "ГВП «Ситора», Сурх" and org.phone == "+992927701806"
    assert (org.district_id, org.jamoat_id) == (places["isfara"].id, places["surkh"].id)  # the jamoat's district
    form = _text(client.get(f"/manage/organizations/{org.id}"))
    assert 'value="Юсупова Малика"' in form and "+992 92 770 1806" in form
    response = client.post(f"/manage/organizations/{org.id}", data={
        "name": org.name, "kind": "ngo", "district_id": str(places["isfara"].id), "jamoat_id": "0", "phone": ""})
    assert response.status_code == 302
    db.session.refresh(org)
    assert (org.kind, org.jamoat_id, org.phone) == ("ngo", None, None)


def test_organization_form_explains_what_is_wrong_and_changes_nothing(client, auth, places):
    auth.login("organizer")
    make_organization("ГВП «Умед»", kind="shg")
    data = {"name": "гвп «умед»", "kind": "shg", "district_id": "0", "jamoat_id": "0"}
    page = _text(client.post("/manage/organizations/new", data=data))
    assert "Это название уже означает организацию «ГВП «Умед»». Если это одна организация, объедините их." in page
    wrong_place = dict(data, name="ГВП «Нур»", district_id=str(places["ghonchi"].id), jamoat_id=str(places["surkh"].id),
                       phone="123")
    page = _text(client.post("/manage/organizations/new", data=wrong_place))
    assert "На этот номер нельзя позвонить." in page
    page = _text(client.post("/manage/organizations/new", data=dict(wrong_place, phone="")))
    assert "Этот джамоат не находится в выбранном районе." in page
    assert 'value="ГВП «Нур»"' in page  # the input is kept
    assert counts() == (0, 1, 0)


def test_organizations_are_searched_filtered_and_paged(app, client, auth, places):
    auth.login("organizer")
    app.config["PAGE_SIZE"] = 2
    make_organization("ГВП «Умед», Чоркӯҳ", district_id=places["isfara"].id)
    make_organization("ГВП «Нур», Муҷун", district_id=places["ghonchi"].id)
    make_organization("ГВП «Баракат»", district_id=places["isfara"].id)
    make_organization("Международная организация по миграции", kind="international", short_name="МОМ")
    page = _text(client.get("/manage/organizations?q=умед"))
    assert "Чоркӯҳ" in page and "Муҷун" not in page
    page = _text(client.get("/manage/organizations?q=мом"))  # the short name, any case
    assert "Международная организация по миграции" in page
    page = _text(client.get("/manage/organizations?kind=international"))
    assert "миграции" in page and "Умед" not in page
    page = _text(client.get(f"/manage/organizations?kind=shg&district={places['isfara'].id}"))
    assert "Умед" in page and "Баракат" in page and "Нур" not in page
    first = _text(client.get("/manage/organizations?kind=shg"))
    second = _text(client.get("/manage/organizations?kind=shg&page=2"))
    assert "Страница 1 из 2" in first and "kind=shg" in first.split("Далее")[0].rsplit("href=", 1)[1]
    assert sum(name in first + second for name in ("Умед", "Нур", "Баракат")) == 3


def test_organizer_adds_a_person_and_finds_them_by_part_of_the_name(client, auth, places):
    auth.login("organizer")
    org = make_organization("ГВП «Умед»")
    response = client.post("/manage/persons/new", data={
        "full_name": "Ҷӯраева Гулноза", "phone": "0 92 770 44 55", "email": "", "language": "tg", "gender": "f",
        "position": "лидер ГВП", "organization_id": str(org.id), "district_id": "0", "jamoat_id": str(places["chorkuh"].id)})
    assert response.status_code == 302
    person = db.session.scalar(sa.select(Person))
    assert (person.phone, person.language, person.gender, person.organization_id) == ("+992927704455", "tg", "f", org.id)
    for q in ("гулноза", "ҶӮРАЕВА", "770 44", "умед"):
        assert "Ҷӯраева Гулноза" in _text(client.get("/manage/persons", query_string={"q": q})), q
    assert "Ҷӯраева Гулноза" not in _text(client.get("/manage/persons?q=Зарина"))
    assert "Ҷӯраева Гулноза" in _text(client.get(f"/manage/persons?organization={org.id}"))
    assert "Ҷӯраева Гулноза" in _text(client.get(f"/manage/persons?district={places['isfara'].id}"))
    assert "Ҷӯраева Гулноза" not in _text(client.get(f"/manage/persons?district={places['ghonchi'].id}"))


def test_a_phone_of_someone_else_is_refused_and_names_them(client, auth, forum):
    auth.login("organizer")
    make_person("Каримова Зарина", phone="+992927701122")
    mine = make_person("Сафарова Малика", phone="+992927703333")
    page = _text(client.post(f"/manage/persons/{mine.id}", data={
        "full_name": "Сафарова Малика", "phone": "92 770 11 22", "language": "ru", "organization_id": "0",
        "district_id": "0", "jamoat_id": "0"}))
    assert "Этот номер телефона уже есть в списке людей: Каримова Зарина." in page
    db.session.refresh(mine)
    assert mine.phone == "+992927703333"


def test_registering_someone_already_in_the_list(client, auth, forum):
    auth.login("organizer")
    person = make_person("Назарова Мунира", phone="+992927706677")
    page = _text(client.get("/manage/isfara-test/registrations/new?q=мунира"))
    assert "Назарова Мунира" in page and f"person={person.id}" in page
    page = _text(client.get(f"/manage/isfara-test/registrations/new?person={person.id}"))
    assert "Зарегистрировать на этот форум" in page
    response = client.post("/manage/isfara-test/registrations/new", data={
        "existing-person_id": str(person.id), "existing-category": "shg_leader", "existing-status": "invited",
        "existing-submit": "y"})
    assert response.status_code == 302
    registration = db.session.scalar(sa.select(Registration))
    assert (registration.category, registration.status, registration.source) == ("shg_leader", "invited", "organizer")
    again = _text(client.post("/manage/isfara-test/registrations/new", data={
        "existing-person_id": str(person.id), "existing-category": "guest", "existing-status": "confirmed",
        "existing-submit": "y"}, follow_redirects=True))
    assert "Назарова Мунира уже зарегистрирован(а) на этот форум." in again
    assert counts()[2] == 1
    assert "уже зарегистрирован(а)" in _text(client.get("/manage/isfara-test/registrations/new?q=мунира"))


NEW = {"new-full_name": "Ойниса Раҳимова", "new-phone": "93 555 77 88", "new-email": "", "new-language": "tg",
       "new-gender": "f", "new-position": "", "new-organization_id": "0", "new-district_id": "0",
       "new-jamoat_id": "0", "new-category": "shg_member", "new-status": "confirmed", "new-submit": "y"}


def test_registering_a_new_person_at_the_forum(client, auth, forum):
    auth.login("organizer")
    response = client.post("/manage/isfara-test/registrations/new", data=NEW)
    assert response.status_code == 302
    page = _text(client.get(response.headers["Location"]))
    assert "Ойниса Раҳимова: регистрация добавлена." in page and "+992935557788" in page


def test_a_new_person_with_a_known_phone_is_offered_the_existing_one(client, auth, forum):
    auth.login("organizer")
    known = make_person("Раҳимова Ойниса", phone="+992935557788")
    page = _text(client.post("/manage/isfara-test/registrations/new", data=NEW))
    assert "Этот номер телефона уже есть в списке людей: Раҳимова Ойниса." in page
    assert f"/manage/isfara-test/registrations/new?person={known.id}" in page
    assert counts() == (1, 0, 0)
    page = _text(client.post("/manage/isfara-test/registrations/new", data=dict(NEW, **{"new-full_name": ""})))
    assert "Обязательное поле." in page


def test_changing_the_category_and_cancelling_keeps_the_secrets(client, auth, forum):
    auth.login("organizer")
    registration = make_registration(forum, make_person("Каримова Зарина"))
    secret, token = registration.badge_secret, registration.token
    page = _text(client.get("/manage/isfara-test/registrations"))
    assert f'href="/manage/isfara-test/registrations/{registration.id}"' in page
    response = client.post(f"/manage/isfara-test/registrations/{registration.id}",
                           data={"category": "shg_leader", "status": "cancelled", "notes": "заболела"})
    assert response.status_code == 302
    db.session.refresh(registration)
    assert (registration.category, registration.status, registration.notes) == ("shg_leader", "cancelled", "заболела")
    assert (registration.badge_secret, registration.token) == (secret, token)
    page = _text(client.post(f"/manage/isfara-test/registrations/{registration.id}",
                             data={"category": "king", "status": "confirmed"}))
    assert "Недопустимый вариант." in page
    db.session.refresh(registration)
    assert registration.status == "cancelled"


def test_a_registration_of_another_forum_is_not_found_here(client, auth, forum):
    auth.login("organizer")
    other = make_registration(make_forum(slug="b-gafurov-test"))
    assert client.get(f"/manage/isfara-test/registrations/{other.id}").status_code == 404
    assert client.get("/manage/no-such-forum/registrations").status_code == 404
    assert client.get("/manage/persons/999").status_code == 404
    assert client.get("/manage/organizations/999").status_code == 404


def test_registrations_are_searched_filtered_and_paged(app, client, auth, forum, places):
    auth.login("organizer")
    app.config["PAGE_SIZE"] = 2
    group = make_organization("ГВП «Умед»", district_id=places["ghonchi"].id)
    make_registration(forum, make_person("Ализода Фарзона", organization=group), category="shg_leader")
    make_registration(forum, make_person("Бобоева Нигина", district_id=places["isfara"].id), status="invited")
    make_registration(forum, make_person("Валиева Сабо", phone="+992918880011"), category="guest", status="cancelled")
    page = _text(client.get("/manage/isfara-test/registrations?q=888"))
    assert "Валиева Сабо" in page and "Бобоева" not in page
    page = _text(client.get("/manage/isfara-test/registrations?q=умед"))
    assert "Ализода Фарзона" in page and "Валиева" not in page
    page = _text(client.get("/manage/isfara-test/registrations?category=shg_leader"))
    assert "Ализода Фарзона" in page and "Бобоева" not in page
    page = _text(client.get(f"/manage/isfara-test/registrations?district={places['ghonchi'].id}"))
    assert "Ализода Фарзона" in page and "Бобоева" not in page  # through the organization's district
    page = _text(client.get("/manage/isfara-test/registrations?status=cancelled"))
    assert "Валиева Сабо" in page and "Ализода" not in page
    first = _text(client.get("/manage/isfara-test/registrations"))
    assert "Найдено 3 регистрации." in first and "Страница 1 из 2" in first
    assert "Валиева Сабо" in _text(client.get("/manage/isfara-test/registrations?page=2"))


def test_the_list_links_to_adding_importing_and_exporting_with_the_filters(client, auth, forum):
    auth.login("organizer")
    page = _text(client.get("/manage/isfara-test/registrations?q=Гул&status=invited&page=1"))
    assert 'href="/manage/isfara-test/registrations/new"' in page
    assert 'href="/manage/isfara-test/registrations/import"' in page
    assert "/manage/isfara-test/registrations/export?format=xlsx&amp;q=%D0%93%D1%83%D0%BB&amp;status=invited" in page
    assert "page=1" not in page.split("export?format=csv")[1].split('"')[0]


def test_forms_speak_tajik(client, auth, forum):
    auth.login("organizer")
    client.get("/lang/tg")
    page = _text(client.get("/manage/isfara-test/registrations/new"))
    assert "Илова кардани бақайдгирӣ" in page and "Шахси нав" in page
    page = _text(client.post("/manage/persons/new", data={"full_name": "", "phone": "1", "language": "tg",
                                                          "organization_id": "0", "district_id": "0", "jamoat_id": "0"}))
    assert "Ин майдон ҳатмӣ аст." in page and "Ба ин рақам занг задан мумкин нест." in page


def test_a_new_phone_or_email_is_shown_before_it_is_saved(client, auth, forum):
    auth.login("organizer")
    person = make_person("Сафарова Малика", phone="+992927703333", email="malika@example.tj")
    data = {"full_name": "Сафарова Малика", "phone": "93 555 12 34", "email": "malika@other.tj", "language": "ru",
            "organization_id": "0", "district_id": "0", "jamoat_id": "0"}
    page = _text(client.post(f"/manage/persons/{person.id}", data=data))
    assert "Ещё не сохранено" in page
    shown = " ".join(page.replace("<strong>", "").replace("</strong>", "").split())
    assert "+992 92 770 3333 → +992 93 555 1234" in shown and "malika@example.tj → malika@other.tj" in shown
    db.session.refresh(person)
    assert (person.phone, person.email) == ("+992927703333", "malika@example.tj")
    # Shown one thing, saved another: shown again, not saved.
    stale = dict(data, contact_seen="+992935551234|malika@other.tj", email="someone@else.tj")
    assert "Ещё не сохранено" in _text(client.post(f"/manage/persons/{person.id}", data=stale))
    confirmed = client.post(f"/manage/persons/{person.id}", data=dict(data, contact_seen="+992935551234|malika@other.tj"))
    assert confirmed.status_code == 302
    db.session.refresh(person)
    assert (person.phone, person.email) == ("+992935551234", "malika@other.tj")


def test_other_changes_save_at_once(client, auth, forum):
    auth.login("organizer")
    person = make_person("Сафарова Малика", phone="+992927703333", email="Malika@example.tj")
    response = client.post(f"/manage/persons/{person.id}", data={
        "full_name": "Сафарова Малика Ахмедовна", "phone": "92 770 33 33", "email": "malika@example.tj",
        "language": "tg", "organization_id": "0", "district_id": "0", "jamoat_id": "0"})
    assert response.status_code == 302
    db.session.refresh(person)
    assert (person.full_name, person.language) == ("Сафарова Малика Ахмедовна", "tg")
