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
