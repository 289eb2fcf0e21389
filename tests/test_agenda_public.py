"""The public agenda: the page in the visitor's language, the printed programme, and the demo
forums' agendas from the press release."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from forum.agenda import queries, service
from forum.extensions import db
from tests.agenda_fixtures import QueryCounter, fill, place
from tests.factories import make_forum, make_organization


@pytest.fixture
def count_queries(app):
    return lambda: QueryCounter(db.engine)


TITLES = {"ru": "Круглый стол: рекомендации", "tg": "Мизи мудаввар: тавсияҳо барои ҳамкорӣ", "en": "Round table"}


@pytest.fixture
def agenda(forum):
    iom = make_organization("Международная организация по миграции", kind="international", short_name="МОМ")
    opening = place(forum, "09:00", "09:45", title={"ru": "Открытие форума", "tg": "Ифтитоҳи форум",
                                                   "en": "Opening of the forum"}, kind="opening",
                    host_organization_ids=[iom.id])
    table = place(forum, "10:00", "12:00", "round-table", title=TITLES, kind="round_table",
                  description={"ru": "Выработка рекомендаций", "tg": "Таҳияи тавсияҳо"})
    briefing = place(forum, "09:00", "09:30", "round-table", title="Инструктаж волонтёров", is_public=False)
    play = place(forum, "13:00", "13:40", title={"ru": "Спектакль", "tg": "Намоиш"}, kind="theatre")
    service.cancel_item(play)
    db.session.commit()
    return {"opening": opening, "table": table, "briefing": briefing, "play": play}


def test_landing_page_links_to_the_agenda(client, forum):
    page = client.get("/f/isfara-test/").get_data(as_text=True)
    assert 'href="/f/isfara-test/agenda"' in page and "Программа" in page


def test_agenda_by_time_in_russian_without_internal_items(client, agenda):
    page = client.get("/f/isfara-test/agenda").get_data(as_text=True)
    assert page.index("Открытие форума") < page.index("Круглый стол: рекомендации") < page.index("Спектакль")
    assert "09:00–09:45" in page and "Ведущие: МОМ" in page
    assert "Инструктаж волонтёров" not in page
    assert "ОТМЕНЕНО" in page  # the cancelled play says so


def test_agenda_speaks_the_visitors_language(client, agenda):
    client.get("/lang/tg")
    page = client.get("/f/isfara-test/agenda").get_data(as_text=True)
    assert "Мизи мудаввар: тавсияҳо барои ҳамкорӣ" in page and "Таҳияи тавсияҳо" in page
    assert "Ба тақвим илова кардан" in page and "Аз рӯи майдонҳо" in page


def test_agenda_filtered_by_kind_and_grouped_by_area(client, agenda):
    page = client.get("/f/isfara-test/agenda?kind=round_table").get_data(as_text=True)
    assert "Круглый стол: рекомендации" in page and "Открытие форума" not in page
    page = client.get("/f/isfara-test/agenda?view=area").get_data(as_text=True)
    assert page.index("<h2>main-stage</h2>") < page.index("Открытие форума") < page.index("<h2>round-table</h2>")
    assert client.get("/f/isfara-test/agenda?kind=nonsense").status_code == 200


def test_each_item_offers_add_to_calendar_and_the_page_a_webcal_subscription(client, agenda):
    page = client.get("/f/isfara-test/agenda").get_data(as_text=True)
    assert f'href="/f/isfara-test/agenda/{agenda["opening"].id}.ics?lang=ru"' in page
    assert 'href="webcal://localhost/f/isfara-test/agenda.ics?lang=ru"' in page
    assert 'href="/f/isfara-test/agenda.pdf?lang=ru"' in page


def test_a_draft_forums_agenda_is_hidden_from_the_public(client, app):
    make_forum(slug="draft-forum", status="draft")
    for url in ("/f/draft-forum/agenda", "/f/draft-forum/agenda.pdf", "/f/draft-forum/agenda.ics"):
        assert client.get(url).status_code == 404


def test_agenda_page_costs_the_same_queries_for_ten_and_three_hundred_items(client, forum, count_queries):
    fill(forum, 10)
    with count_queries() as small:
        client.get("/f/isfara-test/agenda")
    fill(forum, 290, prefix="room")
    with count_queries() as large:
        page = client.get("/f/isfara-test/agenda").get_data(as_text=True)
    assert page.count('class="agenda-item') == 300
    assert small.count == large.count


# --- the printed programme ----------------------------------------------------------------------

def _pdf_text(response) -> str:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert reader.pages[0].mediabox.width == pytest.approx(595.27, abs=0.1)  # A4
    return "\n".join(page.extract_text() for page in reader.pages)


def test_printed_programme_in_russian_and_in_tajik(client, agenda):
    russian = _pdf_text(client.get("/f/isfara-test/agenda.pdf?lang=ru"))
    assert "Открытие форума" in russian and "Круглый стол: рекомендации" in russian and "Программа" in russian
    tajik = _pdf_text(client.get("/f/isfara-test/agenda.pdf?lang=tg"))
    assert "Мизи мудаввар: тавсияҳо барои ҳамкорӣ" in tajik and "Ифтитоҳи форум" in tajik and "Барнома" in tajik
    for text in (russian, tajik):
        assert "Инструктаж" not in text and "Спектакль" not in text and "Намоиш" not in text


def test_printed_programme_takes_the_pages_language_without_a_parameter(client, agenda):
    client.get("/lang/en")
    text = _pdf_text(client.get("/f/isfara-test/agenda.pdf"))
    assert "Opening of the forum" in text and "Programme" in text


def test_a_long_programme_runs_over_several_pages(client, forum):
    fill(forum, 120)
    reader = PdfReader(io.BytesIO(client.get("/f/isfara-test/agenda.pdf").data))
    assert len(reader.pages) > 2
    assert "Пункт 119" in reader.pages[-1].extract_text()


# --- the demo forums --------------------------------------------------------------------------

def test_demo_forums_have_full_conflict_free_agendas_from_the_press_release(app, client):
    from forum.agenda import demo as agenda_demo
    from forum.demo.core import load_core

    forums = load_core()  # the core demo, then the agenda's step (other features test their own)
    for _ in range(2):  # idempotent: the second load adds nothing
        agenda_demo.load(forums)
        db.session.commit()
    isfara, gafurov = forums["isfara-2011"], forums["b-gafurov-2011"]
    items = queries.forum_items(isfara, public_only=False)
    copies = queries.forum_items(gafurov, public_only=False)
    assert len(items) == len(copies) >= 15
    assert {i.kind for i in items} >= {"opening", "exhibition", "theatre", "drawings", "round_table", "job_fair",
                                       "break"}
    assert queries.day_conflicts(isfara) == {} and queries.day_conflicts(gafurov) == {}
    first = items[0]
    assert (first.kind, first.area.key, first.starts_at) == ("opening", "main-stage", isfara.starts_at)
    assert items[-1].ends_at == isfara.ends_at and "Закрытие" in items[-1].title["ru"]
    assert [i.area.key for i in items if i.kind == "job_fair"] == ["job-fair"]
    assert any("рекомендац" in i.title["ru"] for i in items if i.kind == "round_table")
    # B. Gafurov is Isfara's plan two days later, through the copy service
    assert [(c.title, c.area.key, c.starts_at) for c in copies] == [
        (i.title, i.area.key, i.starts_at + timedelta(days=2)) for i in items]
    opening = copies[0]
    assert "Хукумат Б. Гафурова" in [h.name for h in opening.hosts]
    table = next(i for i in items if i.kind == "round_table")
    # 40 seats: guests of the government, international organisations and MFIs first, then the team
    assert len(table.attendees) == 40
    assert {a.registration.category for a in table.attendees} >= {"government", "international", "mfi",
                                                                   "coordinator"}
    client.get("/lang/tg")
    page = client.get("/f/b-gafurov-2011/agenda").get_data(as_text=True)
    assert "Ифтитоҳи форум" in page and "Ярмаркаи ҷойҳои корӣ" in page


def test_hosts_phone_numbers_never_reach_public_pages_programme_or_feeds(client, forum):
    from tests.factories import make_person

    host = make_person("Раҳимов Ислом", phone="+992927701806", email="aws95@mail.ru")
    place(forum, "09:00", "09:45", title="Открытие форума", host_person_ids=[host.id])
    page = client.get("/f/isfara-test/agenda").get_data(as_text=True)
    feed = client.get("/f/isfara-test/agenda.ics").get_data(as_text=True)
    programme = _pdf_text(client.get("/f/isfara-test/agenda.pdf"))
    for text in (page, feed, programme):
        assert "Раҳимов Ислом" in text.replace("\r\n ", "")  # hosts are named…
        for secret in ("927701806", "92 770 18 06", "aws95@mail.ru"):  # …but never reachable
            assert secret not in text.replace("\r\n ", "")
