"""Merging two organizations, or two persons, that are one: the pages at /manage/…/merge."""
import pytest
import sqlalchemy as sa

from forum.checkin.models import Checkin
from forum.drawings.models import Drawing
from forum.events.models import forum_partner
from forum.extensions import db
from forum.people import importer
from forum.people.models import Organization, Person, Registration
from tests.checkin_fixtures import make_checkpoint, scan
from tests.drawings_fixtures import make_drawing, open_contest
from tests.factories import make_forum, make_organization, make_person, make_registration, make_user
from tests.people_fixtures import csv_bytes

pytestmark = pytest.mark.both_dbs


def _text(response) -> str:
    return response.get_data(as_text=True)


def _count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0


def test_merge_pages_are_for_organizers_and_administrators(client, auth, forum):
    org, person = make_organization("ООН-Женщины", kind="international"), make_person()
    urls = [f"/manage/organizations/{org.id}/merge", f"/manage/persons/{person.id}/merge"]
    for url in urls:
        assert "/auth/login" in client.get(url).headers["Location"]
    auth.login("staff")
    assert [client.get(url).status_code for url in urls] == [403, 403]
    assert client.post(urls[0], data={"confirm": "yes"}).status_code == 403
    auth.logout()
    auth.login("admin", email="admin@forum.example")
    assert [client.get(url).status_code for url in urls] == [200, 200]


def test_two_organizations_become_one_keeping_members_forums_and_names(client, auth, forum):
    kept = make_organization("ООН-Женщины", kind="international", short_name="UN Women")
    twin = make_organization("UN Women", kind="shg", phone="+992927701806")  # an import's guess
    member = make_person("Каримова Зарина", organization_id=twin.id)
    other_forum = make_forum(slug="b-gafurov-test")
    forum.partners = [kept, twin]
    other_forum.partners = [twin]
    other_forum.organizer = twin
    db.session.commit()
    auth.login("organizer")
    client.get("/lang/en")

    found = _text(client.get(f"/manage/organizations/{kept.id}/merge?q=women"))
    assert f"/manage/organizations/{kept.id}/merge?other={twin.id}" in found
    page = _text(client.get(f"/manage/organizations/{kept.id}/merge?other={twin.id}"))
    assert "ООН-Женщины" in page and "UN Women" in page and "Will be kept" in page
    assert "People (members): 1" in page and "Forums it supports as a partner: 2" in page

    twin_id = twin.id
    url = f"/manage/organizations/{kept.id}/merge?other={twin_id}&keep={kept.id}"
    not_confirmed = client.post(url, data={})
    assert not_confirmed.status_code == 302 and db.session.get(Organization, twin_id) is not None
    done = client.post(url, data={"confirm": "yes"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/manage/organizations/{kept.id}")
    db.session.expire_all()
    assert db.session.get(Organization, twin_id) is None
    merged = db.session.get(Organization, kept.id)
    assert merged.kind == "international" and merged.phone == "+992927701806"
    assert db.session.get(Person, member.id).organization_id == kept.id
    assert db.session.get(type(forum), other_forum.id).organizer_id == kept.id
    partners = db.session.execute(sa.select(forum_partner.c.forum_id, forum_partner.c.organization_id)).all()
    assert sorted(partners) == sorted([(forum.id, kept.id), (other_forum.id, kept.id)])
    assert "Moved to the one kept" in _text(client.get(done.headers["Location"]))

    # Its name is now one of the kept one's: an import naming it finds the kept organization.
    report = importer.import_registrations(forum, "a.csv", csv_bytes("Саидова Мавлуда;92 770 11 24;;;;UN  WOMEN;;;;guest;"))
    db.session.commit()
    assert report.imported and report.new_organizations == 0
    assert db.session.scalar(sa.select(Person).where(Person.phone == "+992927701124")).organization_id == kept.id


def test_merging_two_employers_is_refused_and_changes_nothing(client, auth, forum):
    from forum.jobfair.models import SECTORS, Employer

    orgs = [make_organization(f"ООО «Нур-{n}»", kind="employer") for n in (1, 2)]
    for n, org in enumerate(orgs):
        user = make_user("employer", email=f"e{n}@example.org")
        db.session.add(Employer(user=user, organization=org, forum=forum, kind="employer", sector=SECTORS[0],
                                tax_number=f"12345678{n}", city="Исфара", status="approved"))
    db.session.commit()
    auth.login("organizer")
    client.get("/lang/en")
    url = f"/manage/organizations/{orgs[0].id}/merge?other={orgs[1].id}&keep={orgs[0].id}"
    response = client.post(url, data={"confirm": "yes"})
    assert response.status_code == 302
    assert "Not merged" in _text(client.get(response.headers["Location"]))
    assert _count(Organization, Organization.kind == "employer") == 2


def test_two_persons_become_one_and_a_shared_forum_keeps_the_kept_registration(app, client, auth, forum):
    other_forum = make_forum(slug="b-gafurov-test")
    kept = make_person("Раҳимова Гулнора", phone="+992927700001", email=None)
    twin = make_person("Рахимова Гулнора", phone="+992927700002", email="gulnora@example.org")
    mine, theirs = make_registration(forum, kept), make_registration(forum, twin, category="shg_leader")
    elsewhere = make_registration(other_forum, twin)
    make_checkpoint(forum)
    assert scan(forum, theirs.badge_secret).status == "ok"  # the twin's badge let her in first
    assert scan(forum, mine.badge_secret).status == "ok"
    db.session.commit()
    open_contest(forum)
    drawing = make_drawing(app, forum, phone="+992927700002", status="pending")
    auth.login("organizer")
    client.get("/lang/en")

    twin_id, theirs_id = twin.id, theirs.id
    page = _text(client.get(f"/manage/persons/{twin_id}/merge?other={kept.id}&keep={kept.id}"))
    assert "Both are registered at" in page and "Registrations: 2" in page and "Check-ins: 1" in page
    done = client.post(f"/manage/persons/{twin_id}/merge?other={kept.id}&keep={kept.id}", data={"confirm": "yes"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/manage/persons/{kept.id}")

    db.session.expire_all()
    assert db.session.get(Person, twin_id) is None and db.session.get(Registration, theirs_id) is None
    person = db.session.get(Person, kept.id)
    assert (person.phone, person.email) == ("+992927700001", "gulnora@example.org")  # blanks filled
    assert db.session.get(Registration, mine.id).category == "shg_member"  # the kept registration stays
    assert db.session.get(Registration, elsewhere.id).person_id == kept.id
    scans = db.session.scalars(sa.select(Checkin).where(Checkin.registration_id == mine.id).order_by(Checkin.id)).all()
    assert [(s.result, s.reason) for s in scans] == [("ok", "first"), ("ok", "reentry")]  # the earlier is the entry
    assert db.session.get(Drawing, drawing.id).guardian_phone == "+992927700001"


def test_a_person_without_a_phone_takes_the_other_ones(client, auth, forum):
    kept, twin = make_person("Назаров Фирдавс", phone=None), make_person("Nazarov Firdavs", phone="+992935550012")
    make_registration(forum, twin)
    auth.login("organizer")
    response = client.post(f"/manage/persons/{kept.id}/merge?other={twin.id}&keep={kept.id}", data={"confirm": "yes"})
    assert response.status_code == 302
    db.session.expire_all()
    person = db.session.get(Person, kept.id)
    assert person.phone == "+992935550012" and [r.forum_id for r in person.registrations] == [forum.id]
