"""Organizers review applications: approval registers the group's members as exhibitors (with
badges), rejection needs a reason; the group is told either way through the outbox."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from forum.exhibition.models import ExhibitorApplication
from forum.extensions import db
from forum.messaging.models import Message
from forum.people.models import Person, Registration
from tests import factories
from tests.exhibition_fixtures import exhibition_forum, make_application, make_stands, place


@pytest.fixture
def exhibition(app):
    return exhibition_forum()


@pytest.fixture
def jamoat(app):
    return place()[1]


def _messages(kind_word: str = "") -> list[Message]:
    found = db.session.scalars(sa.select(Message).order_by(Message.id)).all()
    return [m for m in found if kind_word in m.body]


def test_review_list_shows_pending_applications_with_their_needs(client, auth, exhibition, jamoat):
    make_application(exhibition, jamoat, group="ГВП «Меҳр»")
    make_application(exhibition, jamoat, group="ГВП «Нур»", status="approved")
    auth.login("organizer")
    page = client.get("/manage/isfara-test/exhibition").get_data(as_text=True)
    assert "ГВП «Меҳр»" in page and "ГВП «Нур»" not in page
    assert "Заявка на рассмотрении (1)" in page and "Заявка одобрена (1)" in page
    approved = client.get("/manage/isfara-test/exhibition?status=approved").get_data(as_text=True)
    assert "ГВП «Нур»" in approved


def test_approval_registers_members_as_exhibitors_reusing_persons_by_phone(client, auth, exhibition, jamoat):
    known = factories.make_person("Назарова Мунира", phone="+992981234567")
    application = make_application(exhibition, jamoat, members=[
        ("Назарова Мунира", "+992981234567"), ("Холова Дилноза", "+992935550011"), ("Ҳасанова Раъно", None)])
    persons_before = db.session.scalar(sa.select(sa.func.count(Person.id)))
    auth.login("organizer")
    response = client.post(f"/manage/isfara-test/exhibition/applications/{application.id}/approve",
                           data={"note": "Приходите к 8:30"})
    assert response.status_code == 302
    db.session.expire_all()
    application = db.session.get(ExhibitorApplication, application.id)
    assert application.status == "approved"
    registrations = [m.registration for m in application.members]
    assert all(r is not None and (r.category, r.status) == ("exhibitor", "confirmed") for r in registrations)
    assert registrations[0].person_id == known.id  # found again by phone, not a second person
    assert db.session.scalar(sa.select(sa.func.count(Person.id))) == persons_before + 2
    assert (application.registration.category, application.registration.status) == ("exhibitor", "confirmed")
    sms = [m for m in _messages("одобрена") if m.channel == "sms"]
    assert len(sms) == 1 and sms[0].recipient == application.contact_phone
    assert f"/r/{application.registration.token}" in sms[0].body


def test_member_gets_an_exhibitor_badge(client, auth, exhibition, jamoat):
    application = make_application(exhibition, jamoat, status="approved",
                                   members=[("Холова Дилноза", "+992935550011")])
    member = application.members[0].registration
    response = client.get(f"/r/{member.token}/badge.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert "Холова Дилноза" in text
    assert "ВЫСТАВКИ" in text.upper()  # the category word "Участник выставки"
    panel = client.get(f"/r/{member.token}").get_data(as_text=True)
    assert application.group_name in panel


def test_a_known_contact_phone_is_not_attached_and_members_become_exhibitors(app, exhibition, jamoat):
    leader = factories.make_registration(exhibition, factories.make_person(phone="+992927701806"), "shg_leader")
    member = factories.make_registration(exhibition, factories.make_person(phone="+992935550011"), "shg_member")
    application = make_application(exhibition, jamoat, phone="+992927701806", status="approved",
                                   members=[("Член", "+992935550011")])
    assert application.registration_id is None  # a public form attaches nothing to a known person
    assert db.session.get(Registration, leader.id).category == "shg_leader"
    assert db.session.get(Registration, member.id).category == "exhibitor"
    assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 2  # no new registrations


def test_rejection_needs_a_reason_and_tells_the_group(client, auth, exhibition, jamoat):
    application = make_application(exhibition, jamoat)
    auth.login("organizer")
    url = f"/manage/isfara-test/exhibition/applications/{application.id}/reject"
    page = client.post(url, data={"reason": "  "}, follow_redirects=True).get_data(as_text=True)
    assert "Напишите причину: её сообщат группе." in page
    assert db.session.get(ExhibitorApplication, application.id).status == "pending"
    client.post(url, data={"reason": "Покупные товары не выставляются"})
    db.session.expire_all()
    application = db.session.get(ExhibitorApplication, application.id)
    assert (application.status, application.decision_reason) == ("rejected", "Покупные товары не выставляются")
    assert application.registration.status == "cancelled"  # no badge for a group that does not come
    sms = [m for m in _messages("Покупные товары") if m.channel == "sms"]
    assert len(sms) == 1 and "не одобрена" in sms[0].body
    own = client.get(f"/r/{application.registration.token}/exhibit").get_data(as_text=True)
    assert "Заявка не одобрена" in own and "Покупные товары не выставляются" in own


def test_rejecting_an_approved_group_frees_its_stand_and_approving_again_restores_badges(app, exhibition, jamoat):
    from forum.exhibition import plan, review

    stand = make_stands(exhibition, 1, 2)[0]
    application = make_application(exhibition, jamoat, status="approved", members=[("Член без телефона", None)])
    plan.assign(stand, application)
    db.session.commit()
    review.reject(application, None, "Группа не сможет приехать")
    db.session.commit()
    db.session.refresh(stand)
    assert stand.application_id is None
    member = application.members[0].registration
    assert member.status == "cancelled"
    persons = db.session.scalar(sa.select(sa.func.count(Person.id)))
    review.approve(application, None)
    db.session.commit()
    assert member.status == "confirmed" and application.registration.status == "confirmed"
    assert db.session.scalar(sa.select(sa.func.count(Person.id))) == persons  # nobody registered twice


def test_messages_are_in_the_groups_language(client, exhibition, jamoat):
    client.get("/lang/tg")
    from tests.test_exhibition_apply import URL, form

    client.post(URL, data=form(jamoat), content_type="multipart/form-data")
    sms = db.session.scalar(sa.select(Message).where(Message.channel == "sms"))
    assert sms.language == "tg" and "аризаи шумо барои намоишгоҳ қабул шуд" in sms.body


def test_organizer_can_send_the_link_again(client, auth, exhibition, jamoat):
    application = make_application(exhibition, jamoat)
    auth.login("organizer")
    before = len(_messages(application.registration.token))
    client.post(f"/manage/isfara-test/exhibition/applications/{application.id}/resend")
    assert len(_messages(application.registration.token)) == before + 1


def test_organizer_sees_contacts_the_public_never_does(client, auth, exhibition, jamoat):
    application = make_application(exhibition, jamoat, members=[("Холова Дилноза", "+992935550011")])
    auth.login("organizer")
    page = client.get(f"/manage/isfara-test/exhibition/applications/{application.id}").get_data(as_text=True)
    assert application.contact_name in page and "Холова Дилноза" in page and "+992 93 555 0011" in page


def test_other_roles_cannot_review(client, auth, exhibition, jamoat):
    application = make_application(exhibition, jamoat)
    auth.login("staff")
    assert client.post(f"/manage/isfara-test/exhibition/applications/{application.id}/approve").status_code == 403
    assert db.session.get(ExhibitorApplication, application.id).status == "pending"
