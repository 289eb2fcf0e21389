"""A guardian on a 360 px Android phone, in Tajik, sends a drawing through the real form."""
import re

import pytest
import sqlalchemy as sa

from forum.drawings.models import Drawing
from forum.extensions import db
from tests.browser_checks import expect_picture_shown
from tests.drawings_fixtures import jpeg, no_metadata, open_contest, stored_files


@pytest.fixture
def contest(forum):
    return open_contest(forum)


def _starting(text: str) -> re.Pattern:
    """A label that begins with `text` (required fields end with a star)."""
    return re.compile("^" + re.escape(text))


def test_guardian_on_a_phone_in_tajik_sends_a_photo_and_opens_the_private_page_from_the_sms(live_server, page, app,
                                                                                              contest, tmp_path):
    photo = tmp_path / "IMG_20110501_101010.jpg"
    photo.write_bytes(jpeg(size=(1200, 900), gps=True, orientation=6))

    page.goto(f"{live_server.url}/lang/tg?next=/f/isfara-test/drawings/submit")
    assert page.locator("html").get_attribute("lang") == "tg"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling on the phone
    page.get_by_label(_starting("Номи кӯдак")).fill("Мадина")
    page.get_by_label(_starting("Синну сол")).fill("8")
    page.get_by_label(_starting("Мактаб ё ҷамоат")).fill("Ҷамоати Чоркӯҳ")
    page.get_by_label(_starting("Номи расм")).fill("Падарам ба Русия парвоз мекунад")
    page.get_by_label(_starting("Акси расм")).set_input_files(str(photo))
    page.get_by_label(_starting("Номи шумо (падар, модар ё васӣ)")).fill("Раҳмонова Гулчеҳра")
    page.get_by_label(_starting("Телефони мобилии шумо")).fill("92 777 12 34")
    page.get_by_label("Ман падар, модар ё васии кӯдак ҳастам", exact=False).check()
    page.get_by_role("button", name="Расмро фиристодан").click()

    page.wait_for_url("**/drawings/sent")  # the same answer as the same child sent again: the link by SMS
    assert "+992 ** *** 12 34" in page.content()
    with app.app_context():
        token = db.session.scalar(sa.select(Drawing.token))
    page.goto(f"{live_server.url}/f/isfara-test/drawings/d/{token}")
    assert page.get_by_text("Интизори баррасӣ").is_visible()
    image = page.locator(".drawing-full img")
    expect_picture_shown(image)
    assert image.evaluate("img => img.naturalWidth < img.naturalHeight")  # upright: turned per its EXIF

    with app.app_context():
        drawing = db.session.scalar(sa.select(Drawing))
        assert drawing.consent_language == "tg" and drawing.child_first_name == "Мадина"
        assert page.url.endswith(f"/f/isfara-test/drawings/d/{drawing.token}")
    assert all(no_metadata(path.read_bytes()) for path in stored_files(app))
