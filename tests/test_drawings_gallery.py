"""What the public sees: approved drawings with only what the consent allows, clean images,
printable labels and the award list."""
import io

import pytest
from pypdf import PdfReader

from forum.extensions import db
from tests.drawings_fixtures import (
    CHILD,
    GUARDIAN,
    PHONE_E164,
    PLACE,
    TITLE,
    jpeg,
    make_drawing,
    no_metadata,
    open_contest,
)

PHONE_FORMS = ("927771234", "92 777 12 34", "+992 92 777 1234", "777 12 34", "777-12-34")


@pytest.fixture
def contest(forum):
    return open_contest(forum)


@pytest.fixture
def exhibition(app, contest):
    approved = make_drawing(app, contest, status="approved")
    approved.award = "first"
    pending = make_drawing(app, contest, status="pending", child="Фаррух", guardian="Каримова Зарина",
                           phone="+992935551122", title="Пинҳонии интизорӣ", place="Мактаби 7")
    rejected = make_drawing(app, contest, status="rejected", child="Нигина", guardian="Сафарова Малика",
                            phone="+992935553344", title="Расми радшуда", place="Ҷамоати Сурх")
    db.session.commit()
    return approved, pending, rejected


def test_gallery_shows_approved_drawings_with_only_the_consented_details(client, exhibition):
    approved, pending, rejected = exhibition
    client.get("/lang/ru")
    page = client.get("/f/isfara-test/drawings").get_data(as_text=True)
    assert TITLE in page and CHILD in page and "8 лет" in page and PLACE in page and "1-е место" in page
    assert f"/f/isfara-test/drawings/{approved.id}/thumb.jpg" in page
    assert f"/f/isfara-test/drawings/{approved.id}/full.jpg" in page
    for secret in (GUARDIAN, PHONE_E164, *PHONE_FORMS, approved.token, "Фаррух", "Пинҳонии интизорӣ", "Мактаби 7",
                   "Каримова Зарина", "Нигина", "Расми радшуда", "Расм хира аст", pending.token, rejected.token):
        assert secret not in page, secret


def test_every_public_page_keeps_guardians_and_unapproved_children_private(client, exhibition):
    _approved, pending, rejected = exhibition
    for url in ("/", "/f/isfara-test/", "/f/isfara-test/drawings", "/f/isfara-test/drawings/submit"):
        page = client.get(url).get_data(as_text=True)
        for secret in (GUARDIAN, *PHONE_FORMS, "Каримова Зарина", "Фаррух", "Нигина", pending.token, rejected.token):
            assert secret not in page, (url, secret)


def test_landing_page_links_to_the_gallery(client, contest):
    client.get("/lang/tg")
    page = client.get("/f/isfara-test/").get_data(as_text=True)
    assert "/f/isfara-test/drawings" in page and "Расмҳои кӯдакон" in page


def test_public_images_are_clean_jpegs_with_safe_headers(client, app, contest):
    drawing = make_drawing(app, contest, image=jpeg(gps=True, orientation=6))
    for size in ("thumb", "full"):
        response = client.get(f"/f/isfara-test/drawings/{drawing.id}/{size}.jpg")
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "image/jpeg"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response.headers["Content-Security-Policy"]
        assert "IMG_" not in response.headers["Content-Disposition"]
        assert no_metadata(response.data)


def test_organizer_may_open_a_pending_picture_the_public_cannot(client, auth, app, contest):
    drawing = make_drawing(app, contest, status="pending")
    assert client.get(f"/f/isfara-test/drawings/{drawing.id}/full.jpg").status_code == 404
    auth.login("jury")
    assert client.get(f"/f/isfara-test/drawings/{drawing.id}/full.jpg").status_code == 404
    auth.logout()
    auth.login("organizer")
    assert client.get(f"/f/isfara-test/drawings/{drawing.id}/full.jpg").status_code == 200


def test_draft_forum_gallery_is_hidden(client, contest):
    contest.status = "draft"
    db.session.commit()
    assert client.get("/f/isfara-test/drawings").status_code == 404


def _pdf_text(data: bytes) -> str:
    """The PDF's words, with line breaks made spaces (long titles wrap on a label)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def test_exhibition_labels_print_title_first_name_age_and_place_in_tajik(client, auth, exhibition):
    auth.login("organizer")
    client.get("/lang/tg")
    response = client.get("/manage/isfara-test/drawings/labels.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _pdf_text(response.data)
    assert TITLE in text and CHILD in text and "8 сола" in text and PLACE in text and "Ҷойи 1-ум" in text
    assert GUARDIAN not in text and "927771234" not in text and "Фаррух" not in text  # approved only, no contacts


def test_award_list_prints_awarded_drawings_per_age_group(client, auth, exhibition):
    auth.login("organizer")
    client.get("/lang/ru")
    text = _pdf_text(client.get("/manage/isfara-test/drawings/awards.pdf").data)
    assert "Детские рисунки: награды" in text and "6–9 лет" in text
    assert "1-е место" in text and TITLE in text and CHILD in text
    assert GUARDIAN not in text and "Нигина" not in text
