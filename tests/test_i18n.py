"""Three languages: Russian by default, Tajik and English one click away, remembered."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import i18n as catalogs  # noqa: E402


def test_every_string_has_russian_and_tajik_translations():
    assert catalogs.missing() == []


def test_catalogs_agree_on_shared_strings():
    assert catalogs.conflicts() == []


def test_russian_is_the_default(client, forum):
    page = client.get("/f/isfara-test/").get_data(as_text=True)
    assert 'lang="ru"' in page
    assert "Цели форума" in page
    assert "четверг, 5 мая 2011" in page


@pytest.mark.parametrize("code, heading, weekday", [
    ("tg", "Ҳадафҳои форум", "Панҷшанбе"),
    ("en", "Goals of the forum", "Thursday"),
    ("ru", "Цели форума", "четверг"),
])
def test_switching_language_is_one_click_and_remembered(client, forum, code, heading, weekday):
    response = client.get(f"/lang/{code}?next=/f/isfara-test/")
    assert response.status_code == 302 and response.headers["Location"] == "/f/isfara-test/"
    for _ in range(2):  # the next visits keep the choice
        page = client.get("/f/isfara-test/").get_data(as_text=True)
        assert heading in page and weekday in page


def test_choice_survives_a_new_session_through_the_cookie(app, client, forum):
    client.get("/lang/tg")
    cookie = client.get_cookie("forum_lang")
    fresh = app.test_client()
    fresh.set_cookie("forum_lang", cookie.value)
    assert "Ҳадафҳои форум" in fresh.get("/f/isfara-test/").get_data(as_text=True)


def test_browser_language_is_used_before_russian(client, forum):
    page = client.get("/f/isfara-test/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert "Goals of the forum" in page


def test_browser_language_is_chosen_as_werkzeug_chooses_it(app):
    from flask import request

    from forum.i18n import select_locale

    headers = ["", "en-GB,en;q=0.9", "tg", "uz,ru;q=0.5", "de", "*", "en;q=0, ru;q=0.1",
               "fr;q=0.9, " * 40 + "en"]  # the last too long to be kept
    languages = app.config["LANGUAGES"]
    for header in headers + headers[::-1]:  # each again, from what was kept, after the others
        with app.test_request_context("/", headers={"Accept-Language": header} if header else {}):
            expected = request.accept_languages.best_match(languages) or app.config["BABEL_DEFAULT_LOCALE"]
            assert select_locale() == expected, header


def test_unknown_language_is_ignored(client, forum):
    client.get("/lang/xx")
    assert "Цели форума" in client.get("/f/isfara-test/").get_data(as_text=True)


def test_switcher_does_not_redirect_elsewhere(client):
    assert client.get("/lang/en?next=//evil.example/").headers["Location"] == "/"


@pytest.mark.parametrize("code, text", [("ru", "Такой страницы нет."), ("tg", "Чунин саҳифа вуҷуд надорад."),
                                        ("en", "This page does not exist.")])
def test_error_pages_speak_the_visitors_language(client, code, text):
    client.get(f"/lang/{code}")
    response = client.get("/f/no-such-forum/")
    assert response.status_code == 404
    assert text in response.get_data(as_text=True)


def test_form_errors_come_in_tajik(client, forum):
    client.get("/lang/tg")
    page = client.post("/f/isfara-test/register", data={"full_name": "", "phone": "12"}).get_data(as_text=True)
    assert "Ин майдон ҳатмӣ аст." in page
    assert "Ба ин рақам занг задан мумкин нест." in page


def test_local_time_speaks_the_language_given_else_the_pages_without_reading_babels_files(app, monkeypatch):
    """A scan's answer gives its language once; local_time hands Babel the process's Locale,
    so no locale is parsed again (with a look at its data file) on every scan."""
    from datetime import datetime

    import babel.localedata

    from forum.i18n import local_time

    may_5 = datetime(2011, 5, 5, 4, 30)  # UTC: 09:30 in Dushanbe
    with app.test_request_context("/", headers={"Accept-Language": "ru"}):
        assert local_time(may_5, "Asia/Dushanbe", "EEEE, HH:mm") == "четверг, 09:30"
        for language in ("tg", "en"):
            local_time(may_5, "Asia/Dushanbe", "EEEE", language)  # each Locale made once per process
        monkeypatch.setattr(babel.localedata, "exists", lambda name: pytest.fail(f"{name} looked up again"))
        assert local_time(may_5, "Asia/Dushanbe", "EEEE, HH:mm") == "четверг, 09:30"
        assert local_time(may_5, "Asia/Dushanbe", "EEEE", "tg") == "Панҷшанбе"
        assert local_time(may_5, "Asia/Dushanbe", "EEEE d MMMM", "en") == "Thursday 5 May"
