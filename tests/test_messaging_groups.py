"""Writing to any group of a forum's people: the filters (not arrived, category, organization,
round-table invitees, exhibitors, status), the preview per language with its SMS parts, the
confirmation, one message per person queued once, cancelling what is still queued, and the
outbox delivering the rest by email (aiosmtpd) and SMS."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from forum.extensions import db
from forum.messaging import groups
from forum.messaging.models import Message, MessageBatch
from forum.messaging.outbox import send_pending
from tests import factories, kannel_fixtures, messaging_fixtures
from tests.checkin_fixtures import make_checkpoint, scan

pytestmark = pytest.mark.both_dbs
smtp_server = messaging_fixtures.smtp_server
mail_app = messaging_fixtures.mail_app
kannel = kannel_fixtures.kannel
kannel_app = kannel_fixtures.kannel_app

URL = "/manage/isfara-test/messages/groups/new"
RU = "Завтра в 9:00 автобус от джамоата."
EN = "The bus leaves the jamoat at 9:00 tomorrow."


@pytest.fixture
def people(forum):
    """Aziza (ru, group Umed, arrived), Daler (tg, phone and email), Malika (en, email only),
    Sitora (cancelled), Nigina (no phone, no email), Farrukh (a guest who declined)."""
    umed = factories.make_organization("ГВП «Умед»")
    found = {
        "aziza": factories.make_registration(forum, factories.make_person("Азизова Азиза", organization=umed)),
        "daler": factories.make_registration(forum, factories.make_person("Бобоев Далер", email="daler@example.org",
                                                                          language="tg", organization=umed)),
        "malika": factories.make_registration(forum, factories.make_person("Валиева Малика", phone=None, language="en",
                                                                           email="malika@example.org"),
                                              category="guest"),
        "sitora": factories.make_registration(forum, factories.make_person("Гафурова Ситора"), status="cancelled"),
        "nigina": factories.make_registration(forum, factories.make_person("Давлатова Нигина", phone=None)),
        "farrukh": factories.make_registration(forum, factories.make_person("Ёров Фаррух"), category="guest",
                                               status="declined"),
    }
    make_checkpoint(forum, "entrance")
    scan(forum, found["aziza"].badge_secret, "entrance", at=datetime(2011, 5, 5, 4, 12, tzinfo=UTC))
    return found


def _nonce(client, query: str = "") -> str:
    page = client.get(URL + query).get_data(as_text=True)
    return re.search(r'name="nonce" type="hidden" value="([^"]+)"', page).group(1)


def _messages() -> list[Message]:
    return list(db.session.scalars(sa.select(Message).order_by(Message.recipient)))


def test_the_preview_shows_each_language_with_its_sms_parts_and_sends_nothing(client, auth, forum, people):
    auth.login("organizer")
    nonce = _nonce(client)
    page = client.post(URL, data={"text_ru": RU, "text_en": EN, "channels": "sms_first", "nonce": nonce,
                                  "preview": "1"}).get_data(as_text=True)
    preview = page[page.index('id="group-preview"'):]
    rows = {code: preview[preview.index(f'id="preview-{code}"'):].split("</tr>")[0] for code in ("ru", "tg", "en")}
    assert RU in rows["ru"] and "1 часть SMS" in rows["ru"] and "<td>2</td>" in rows["ru"]  # Aziza, Nigina
    assert RU in rows["tg"] and "На этом языке не написано" in rows["tg"]  # Daler gets the Russian text
    assert EN in rows["en"] and "1 часть SMS" in rows["en"]
    assert "В этой группе 4 человека." in preview  # not Sitora (cancelled), not Farrukh (declined)
    assert "у 2 есть телефон," in preview and "у 2 есть эл. почта." in preview
    assert "SMS в очередь: 2." in preview and "Писем в очередь: 1." in preview  # Malika: no phone
    assert "1 человеку нельзя написать таким способом." in preview  # Nigina
    assert "data-confirm=" in preview
    assert not re.search(r"<script(?![^>]*\bsrc=)|\son\w+=|\sstyle=", page)
    assert _messages() == []


def test_a_long_cyrillic_text_counts_ucs2_parts_and_a_too_long_one_is_refused(client, auth, forum, people):
    auth.login("organizer")
    nonce = _nonce(client)
    page = client.post(URL, data={"text_ru": "Ҳ" * 71, "text_en": "a" * 161, "channels": "sms_first",
                                  "nonce": nonce, "preview": "1"}).get_data(as_text=True)
    assert page.count("2 части SMS") == 3  # ru and tg: 71 Cyrillic letters (UCS-2, 70 a part); en: 161 (GSM-7)
    page = client.post(URL, data={"text_ru": "Ҳ" * 500, "channels": "sms", "nonce": nonce, "confirm": "y",
                                  "send": "1"}).get_data(as_text=True)
    assert "занимает частей SMS: 8" in page
    page = client.post(URL, data={"channels": "sms", "nonce": nonce, "send": "1"}).get_data(as_text=True)
    assert "Напишите текст хотя бы на одном языке." in page
    assert _messages() == []


def test_sending_needs_the_confirmation_and_queues_one_message_per_person_once(client, auth, forum, people):
    auth.login("organizer")
    nonce = _nonce(client)
    data = {"text_ru": RU, "text_en": EN, "channels": "sms_first", "nonce": nonce, "send": "1"}
    page = client.post(URL, data=data).get_data(as_text=True)
    assert "Отметьте флажок" in page and _messages() == []
    for _twice in range(2):
        response = client.post(URL, data={**data, "confirm": "y"})
        assert response.status_code == 302
    sent = [(m.channel, m.recipient, m.language, m.body) for m in _messages()]
    assert sent == sorted([
        ("sms", people["aziza"].person.phone, "ru", RU), ("sms", people["daler"].person.phone, "tg", RU),
        ("email", "malika@example.org", "en", EN)], key=lambda row: row[1])
    batch = db.session.scalars(sa.select(MessageBatch)).one()
    assert batch.recipients == 3 and batch.texts == {"ru": RU, "en": EN}
    listing = client.get("/manage/isfara-test/messages/groups").get_data(as_text=True)
    assert f'id="batch-{batch.id}"' in listing and "Отменить то, что ещё в очереди" in listing and "3 человека" in listing


@pytest.mark.parametrize(("filters", "expected"), [
    ({"category": "guest"}, ["Валиева Малика"]),
    ({"organization": "umed"}, ["Азизова Азиза", "Бобоев Далер"]),
    ({"not_arrived": "any"}, ["Бобоев Далер", "Валиева Малика", "Давлатова Нигина"]),
    ({"not_arrived": "entrance", "category": "shg_member"}, ["Бобоев Далер", "Давлатова Нигина"]),
    ({"status": "declined"}, ["Ёров Фаррух"]),
    ({"status": "cancelled"}, []),  # never written to
    ({"category": "no-such-category"}, []),  # an unknown value picks nobody, never everyone
])
def test_the_filters_pick_their_group(forum, people, filters, expected):
    if filters.get("organization") == "umed":
        filters = {"organization": str(people["aziza"].person.organization_id)}
    from forum.people.models import Person, Registration

    names = db.session.scalars(sa.select(Person.full_name).join(Registration.person)
                               .where(groups.condition(forum, groups.clean_filters(filters))).order_by(Person.full_name))
    assert list(names) == expected


def test_round_table_invitees_and_exhibitors_are_groups(forum, people):
    from forum.exhibition import plan
    from forum.people.models import Person, Registration
    from tests.exhibition_fixtures import make_application, make_stands, place
    from tests.roundtable_fixtures import invite_people, make_round_table

    table = make_round_table(forum, {"government": 2})
    invite_people(table, forum, "government", 1, full_name="Исмоилов Исмоил")
    _district, jamoat = place()
    from forum.events.models import Area

    forum.areas.append(Area(key="exhibition", name={"ru": "Выставка"}, kind="exhibition", capacity=None, position=5))
    db.session.commit()
    with_stand = make_application(forum, jamoat, status="approved", members=[("Назарова Мунира", "+992981112233")])
    make_application(forum, jamoat, status="approved", members=[])
    make_application(forum, jamoat, status="pending")
    stand = make_stands(forum, rows=1, columns=1)[0]
    plan.assign(stand, with_stand, notify_group=False)
    db.session.commit()

    def names(**filters):
        return list(db.session.scalars(sa.select(Person.full_name).join(Registration.person)
                                       .where(groups.condition(forum, filters)).order_by(Person.full_name)))

    assert names(round_table="invited") == ["Исмоилов Исмоил"]
    assert names(round_table="declined") == []
    assert len(names(exhibitors="approved")) == 3  # two contacts and one member
    assert names(exhibitors="with_stand") == sorted([with_stand.registration.person.full_name, "Назарова Мунира"])


def test_cancelling_takes_back_what_is_queued_and_the_outbox_sends_the_rest(client, auth, mail_app, smtp_server,
                                                                           forum, people, tmp_path):
    auth.login("organizer")
    nonce = _nonce(client, "?category=shg_member")
    client.post(URL, data={"group_category": "shg_member", "text_ru": RU, "channels": "both", "nonce": nonce,
                           "confirm": "y", "send": "1"})
    first = db.session.scalars(sa.select(MessageBatch)).one()
    assert {m.recipient for m in _messages()} == {people["aziza"].person.phone, people["daler"].person.phone,
                                                  "daler@example.org"}
    report = send_pending(limit=1)  # one goes out before the organizer cancels
    assert report.sent == 1
    response = client.post(f"/manage/isfara-test/messages/groups/{first.id}/cancel")
    assert response.status_code == 302
    statuses = sorted(m.status for m in _messages())
    assert statuses == ["cancelled", "cancelled", "sent"]
    assert send_pending().sent == 0  # nothing cancelled goes
    listing = client.get("/manage/isfara-test/messages/groups").get_data(as_text=True)
    assert "Отменить то, что ещё в очереди" not in listing and "Отменено" in listing

    nonce = _nonce(client)
    client.post(URL, data={"group_category": "guest", "text_en": EN, "channels": "email", "nonce": nonce,
                           "confirm": "y", "send": "1"})
    assert send_pending().sent == 1
    received = smtp_server.to("malika@example.org")
    assert len(received) == 1 and EN in received[0].get_content()
    other = factories.make_forum(slug="b-gafurov-test")
    assert client.post(f"/manage/{other.slug}/messages/groups/{first.id}/cancel").status_code in (403, 404)


def test_the_board_links_to_writing_to_those_not_arrived(client, auth, forum, people):
    auth.login("organizer")
    page = client.get(URL + "?not_arrived=entrance").get_data(as_text=True)
    assert re.search(r'<option selected value="entrance">|<option value="entrance" selected>', page)


def test_a_group_sms_goes_through_kannel_in_each_persons_language(kannel_app, kannel, client, auth, forum, people):
    auth.login("organizer")
    tajik = "Пагоҳ соати 9:00 автобус аз ҷамоат мебарояд: ғ ӣ қ ӯ ҳ ҷ"
    umed = str(people["aziza"].person.organization_id)
    client.post(URL, data={"group_organization": umed, "text_ru": RU, "text_tg": tajik, "channels": "sms",
                           "nonce": _nonce(client), "confirm": "y", "send": "1"})
    mark = kannel.mark()
    assert send_pending().sent == 2
    (daler,) = kannel.wait_for(1, after=mark, to=people["daler"].person.phone)
    (aziza,) = kannel.wait_for(1, after=mark, to=people["aziza"].person.phone)
    assert daler.text == tajik and aziza.text == RU
