"""The walk-in desk on a 360 px phone, in Russian, Tajik and English: from the scanner to the
form, registered and checked in, the badge's QR on screen; nothing scrolls sideways."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from forum.checkin.models import Checkin
from forum.extensions import db
from forum.people.models import Registration
from tests import factories
from tests.checkin_fixtures import make_checkpoint

pytestmark = pytest.mark.browser

# What must fit at 360 px: buttons, labels of fields and the answer.
FITTING = "button, [role=button], input, select, label, .walkin-answer, .walkin-name, .walkin-code, .qr"


def _fits(page) -> list[str]:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    return page.evaluate(f"""Array.from(document.querySelectorAll({FITTING!r}))
        .filter(el => el.offsetParent && (el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().right > 360))
        .map(el => el.outerHTML.slice(0, 80))""")


def test_door_staff_register_a_walk_in_on_a_phone_in_every_language(page, live_server, forum):
    make_checkpoint(forum, "entrance", name="Даромадгоҳи асосии Хонаи фарҳанг")
    factories.make_user("staff")
    page.goto(f"{live_server.url}/auth/login")
    page.fill("input[name=email]", "staff@forum.example")
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("[type=submit]")
    page.wait_for_load_state()
    for n, language in enumerate(("ru", "tg", "en")):
        page.goto(f"{live_server.url}/lang/{language}?next=/checkin/{forum.slug}")
        page.wait_for_selector("#door-status[data-state='online']")
        assert "checkpoint=entrance" in page.get_attribute("#walkin-link", "href")
        page.click("#walkin-link")
        page.wait_for_selector("form.walkin-form")
        assert _fits(page) == [], language
        page.fill("input[name=full_name]", f"Шарипова Дилафрӯз {n}")
        page.fill("input[name=phone]", f"93 555 12 3{n}")
        page.fill("input[name=organization_name]", "ГВП «Гулистон»")
        page.check("input[name=consent]")
        page.click("form.walkin-form [type=submit]")
        page.wait_for_selector(".walkin-answer[data-status='ok']")
        assert page.locator(".walkin-qr svg").is_visible()
        assert _fits(page) == [], language
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration).where(
        Registration.source == "walkin")) == 3
    assert db.session.scalars(sa.select(Checkin.result)).all() == ["ok", "ok", "ok"]
