"""Counts speak each language's plural: Russian has three forms (1 регистрация, 2 регистрации,
5 регистраций, 21 регистрация), English two, and the catalogs' Plural-Forms headers say so."""
from __future__ import annotations

import glob

import pytest
from babel.messages.pofile import read_po
from flask import render_template_string
from flask_babel import force_locale, ngettext

PAGE = '{{ ngettext("%(num)s registration found.", "%(num)s registrations found.", n) }}'


@pytest.mark.parametrize(("n", "ru", "en"), [
    (1, "Найдена 1 регистрация.", "1 registration found."),
    (2, "Найдено 2 регистрации.", "2 registrations found."),
    (5, "Найдено 5 регистраций.", "5 registrations found."),
    (21, "Найдена 21 регистрация.", "21 registrations found."),
])
def test_a_count_takes_the_plural_form_of_each_language(app, n, ru, en):
    with app.test_request_context():
        with force_locale("ru"):
            assert render_template_string(PAGE, n=n) == ru
            assert ngettext("%(num)s SMS part", "%(num)s SMS parts", n) == {
                1: "1 часть SMS", 2: "2 части SMS", 5: "5 частей SMS", 21: "21 часть SMS"}[n]
        with force_locale("en"):
            assert render_template_string(PAGE, n=n) == en
        with force_locale("tg"):
            assert render_template_string(PAGE, n=n) == f"{n} бақайдгирӣ ёфт шуд."  # Tajik counts with the singular


def test_the_people_list_counts_in_russian(client, auth, forum):
    from tests import factories

    factories.make_registration(forum)
    auth.login("organizer")
    page = client.get("/manage/isfara-test/registrations").get_data(as_text=True)
    assert "Найдена 1 регистрация." in page


def test_every_catalog_declares_the_plural_forms_of_its_language():
    expected = {"ru": 3, "tg": 2, "en": 2}
    paths = glob.glob("forum/translations/*/*/LC_MESSAGES/messages.po")
    assert paths
    for path in paths:
        lang = path.split("/")[-3]
        with open(path, "rb") as f:
            catalog = read_po(f, locale=lang)
        assert catalog.num_plurals == expected[lang], path
        for message in catalog:
            if isinstance(message.id, tuple) and message.string and any(message.string):
                assert len(message.string) == expected[lang], (path, message.id)
