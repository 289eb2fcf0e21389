"""Clean organizations: one name means one organization (name, short name, translation or
alias, folded as in search), imports never guess a kind, and names and forum texts show in
the page's language or say that they are not translated."""
import pytest
import sqlalchemy as sa
from flask_babel import force_locale, refresh

from forum.extensions import db
from forum.localize import localized
from forum.people import importer
from forum.people.models import Organization, Person
from forum.people.organizations import matching_organizations
from tests.checkin_fixtures import pdf_text
from tests.factories import make_forum, make_organization
from tests.people_fixtures import csv_bytes

pytestmark = pytest.mark.both_dbs


def _import(forum, *lines):
    report = importer.import_registrations(forum, "list.csv", csv_bytes(*lines))
    db.session.commit()
    return report


def _said(report) -> list[str]:
    with force_locale("en"):
        return [importer.describe(issue) for issue in report.errors]


def test_importing_un_women_twice_gives_one_organization_of_the_right_kind(app, forum):
    first = _import(forum, "Каримова Зарина;92 770 11 22;;;;UN Women;international;;;international;")
    assert first.imported and first.new_organizations == 1
    again = _import(make_forum(slug="b-gafurov-test"), "Рахимов Далер;92 770 11 23;;;;un  women;;;;international;",
                    "Саидова Мавлуда;92 770 11 24;;;;UN Women;shg;;;guest;")  # a known one, whatever the kind
    assert again.imported and again.new_organizations == 0
    assert db.session.execute(sa.select(Organization.name, Organization.kind)).all() == [("UN Women", "international")]
    assert len({p.organization_id for p in db.session.scalars(sa.select(Person))}) == 1


def test_an_unknown_organization_without_a_kind_is_a_row_error_listing_the_kinds(app, forum):
    report = _import(forum, "Каримова Зарина;92 770 11 22;;;;Структура ООН-женщины;;;;guest;")
    assert not report.imported
    assert _said(report) == [
        "Line 2: «Структура ООН-женщины» is not in the list of organizations: to add it, fill in organization_kind "
        "with one of shg, ngo, government, international, mfi, employer, school, theatre, media (or add the "
        "organization, or this name as one of its other names, on the organizations page)."]
    assert db.session.scalar(sa.select(sa.func.count(Organization.id))) == 0


def test_an_alias_or_a_translated_name_finds_the_organization(app, forum):
    un_women = make_organization("ООН-Женщины", kind="international", short_name="UN Women",
                                 names={"tg": "Занони СММ"}, aliases=["Структура ООН-женщины"])
    for written in ("структура оон женщины", "UN WOMEN", "Занони СММ", "ООН-ЖЕНЩИНЫ"):
        assert matching_organizations(written) == [un_women], written
    assert matching_organizations("ООН") == []
    report = _import(forum, "Каримова Зарина;92 770 11 22;;;;Структура ООН-Женщины;;;;guest;")
    assert report.imported and report.new_organizations == 0


def test_the_organizer_gives_names_and_aliases_and_one_name_means_one_organization(client, auth):
    make_organization("Международная организация по миграции", kind="international", short_name="МОМ")
    auth.login("organizer")
    client.get("/lang/en")
    form = {"name": "ООН-Женщины", "short_name": "", "kind": "international", "district_id": "0", "jamoat_id": "0",
            "names-ru": "ООН-Женщины", "names-tg": "", "names-en": "UN Women",
            "aliases": "Структура ООН-женщины\n\nUN-Women"}
    assert client.post("/manage/organizations/new", data=form).status_code == 302
    org = db.session.scalar(sa.select(Organization).where(Organization.name == "ООН-Женщины"))
    assert org.names == {"ru": "ООН-Женщины", "en": "UN Women"} and org.aliases == ["Структура ООН-женщины"]
    page = client.get(f"/manage/organizations/{org.id}").get_data(as_text=True)
    assert 'value="UN Women"' in page and "Структура ООН-женщины</textarea>" in page
    clash = client.post("/manage/organizations/new", data=dict(form, name="Всемирный банк", aliases="мом",
                                                                  **{"names-ru": "", "names-en": ""}))
    assert clash.status_code == 200
    assert "This name already means the organization «Международная организация по миграции»" in clash.get_data(
        as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Organization.id))) == 2


def test_english_and_tajik_pages_say_when_a_name_or_text_is_untranslated(client, forum):
    partner = make_organization("ООН-Женщины", kind="international", names={"en": "UN Women"})
    aws = make_organization("Ассоциация Женщина и Общество", kind="ngo")
    forum.partners, forum.organizer = [partner], aws
    forum.goals = {"ru": "Цели форума"}
    db.session.commit()
    client.get("/lang/en")
    page = client.get("/f/isfara-test/").get_data(as_text=True)
    assert "<li>UN Women</li>" in page or "<li>UN Women " in page
    assert '<span lang="ru" title="not translated">Ассоциация Женщина и Общество</span>' in page
    assert '<div lang="ru">' in page and "Цели форума" in page and "(ru) not translated" in page
    client.get("/lang/tg")
    refresh()  # the test's app context outlives requests: forget the locale it kept
    page = client.get("/f/isfara-test/").get_data(as_text=True)
    # no Tajik name: the original (Russian, which Tajik readers read) before the English one, marked
    assert '<span lang="ru" title="' in page and "ООН-Женщины</span>" in page
    client.get("/lang/ru")
    refresh()
    page = client.get("/f/isfara-test/").get_data(as_text=True)
    assert "<strong>Ассоциация Женщина и Общество</strong>" in page, [x for x in page.splitlines() if "Ассоц" in x]
    assert "not translated" not in page, [x for x in page.splitlines() if "not translated" in x]


def test_localized_prefers_the_reader_then_the_original_then_other_languages(app):
    org = Organization(name="Jovid", names={"ru": "Джовид"}, kind="ngo")
    assert (localized(org, "name", "ru"), localized(org, "name", "ru").untranslated) == ("Джовид", False)
    tajik = localized(org, "name", "tg")
    assert (tajik, tajik.language, tajik.untranslated, tajik.marked()) == ("Jovid", "en", True, "Jovid (en)")
    assert localized({"tg": "Ҳадафҳо"}, language="en").marked() == "Ҳадафҳо (tg)"
    assert localized({"en": "Goals"}, language="en").marked() == "Goals"


def test_the_english_report_marks_untranslated_names(client, auth, forum):
    forum.partners = [make_organization("Всемирный банк", kind="international", names={"en": "World Bank"}),
                      make_organization("ИМОН Интернешнл", kind="mfi")]
    forum.goals = {"ru": "Цели"}
    db.session.commit()
    auth.login("organizer")
    text = " ".join(pdf_text(client.get("/manage/isfara-test/report.pdf?lang=en").data).split())
    assert "With the support of World Bank, ИМОН Интернешнл (ru)" in text
    assert "Цели (ru)" in text and "not translated yet" in text
