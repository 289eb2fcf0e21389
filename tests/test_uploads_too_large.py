"""An upload over the request limit: the page says so in the visitor's language, explains what
to do and links back to the form; the forms tell the browser their limit so it can refuse the
file before sending (static/js/page.js; tests/e2e/test_upload_size_browser.py)."""
import io

import pytest
from flask_babel import refresh

from forum.images import MAX_UPLOAD_BYTES
from tests.drawings_fixtures import FORM, open_contest

TOO_BIG = 17 * 1024 * 1024  # over MAX_CONTENT_LENGTH (16 MB)
MESSAGES = {"ru": "Отправленное больше 16 МБ, поэтому оно не получено",
            "tg": "аз 16 МБ калонтар аст, бинобар ин қабул нашуд",
            "en": "What you sent is larger than 16 MB, so it was not received"}


@pytest.mark.both_dbs
@pytest.mark.parametrize("lang", ["ru", "tg", "en"])
def test_a_too_large_upload_explains_and_leads_back_to_the_form(app, client, forum, lang):
    open_contest(forum)
    client.get(f"/lang/{lang}")
    refresh()
    data = dict(FORM, image=(io.BytesIO(b"\xff\xd8\xff\xe0" + b"\0" * TOO_BIG), "huge.jpg", "image/jpeg"))
    response = client.post("/f/isfara-test/drawings/submit", data=data, content_type="multipart/form-data",
                           headers={"Referer": "http://localhost/f/isfara-test/drawings/submit"})
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert MESSAGES[lang] in page
    assert 'href="/f/isfara-test/drawings/submit" data-back' in page


def test_a_referrer_from_another_site_is_not_followed(app, client, forum):
    open_contest(forum)
    data = dict(FORM, image=(io.BytesIO(b"\0" * TOO_BIG), "huge.jpg", "image/jpeg"))
    page = client.post("/f/isfara-test/drawings/submit", data=data, content_type="multipart/form-data",
                       headers={"Referer": "https://evil.example/phish"}).get_data(as_text=True)
    assert "evil.example" not in page and 'href="/f/isfara-test/drawings/submit" data-back' in page


def test_the_photo_fields_carry_their_limit_for_the_browser(app, client, forum):
    open_contest(forum)
    forum.activities = ["drawings", "exhibition"]
    from forum.extensions import db

    db.session.commit()
    for url in ("/f/isfara-test/drawings/submit", "/f/isfara-test/exhibit/apply"):
        page = client.get(url).get_data(as_text=True)
        assert f'data-max-bytes="{MAX_UPLOAD_BYTES}"' in page, url
        assert "data-too-large=" in page, url
