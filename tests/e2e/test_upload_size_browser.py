"""A guardian picks a photo over the limit: the browser refuses it before sending anything, says
why in the page's language, and everything typed stays in the form."""
import pytest
import sqlalchemy as sa

from forum.drawings.models import Drawing
from forum.extensions import db
from tests.drawings_fixtures import jpeg, open_contest

pytestmark = pytest.mark.browser


def test_a_photo_over_the_limit_is_refused_before_sending_and_the_form_is_kept(live_server, page, app, forum,
                                                                              tmp_path):
    open_contest(forum)
    huge = tmp_path / "IMG_huge.jpg"
    huge.write_bytes(jpeg(size=(64, 64)) + b"\0" * (13 * 1024 * 1024))  # 13 MB: over the 12 MB limit
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)

    page.goto(f"{live_server.url}/lang/en?next=/f/isfara-test/drawings/submit")
    page.fill("#child_first_name", "Madina")
    page.fill("#title", "My father flies to Russia")
    page.set_input_files("#image", str(huge))
    message = page.eval_on_selector("#image", "input => input.validationMessage")
    assert message == "The file is larger than 12 MB. Please send a smaller photo."
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_function("() => true")

    assert posts == []  # nothing was sent
    assert page.url.endswith("/f/isfara-test/drawings/submit")
    assert page.input_value("#child_first_name") == "Madina" and page.input_value("#title") == "My father flies to Russia"
    # A smaller photo clears the refusal.
    small = tmp_path / "IMG_small.jpg"
    small.write_bytes(jpeg(size=(300, 200)))
    page.set_input_files("#image", str(small))
    assert page.eval_on_selector("#image", "input => input.validationMessage") == ""
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Drawing.id))) == 0
