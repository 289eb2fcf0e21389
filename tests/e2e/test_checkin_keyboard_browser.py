"""A USB scanner at the laptop: the next badge scanned while the last result is still on
screen is read whole, also when the result goes away in the middle of its typing (time held
by Playwright's clock, not waited for)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from forum.checkin.models import Checkin
from forum.extensions import db
from tests import factories
from tests.checkin_fixtures import make_checkpoint

pytestmark = pytest.mark.browser


def test_a_badge_typed_as_the_result_goes_away_is_read_whole(page, live_server, forum):
    make_checkpoint(forum, "entrance")
    first, second = (factories.make_registration(forum) for _ in range(2))
    secrets = [first.badge_secret, second.badge_secret]
    factories.make_user("staff")
    page.clock.install()
    page.goto(f"{live_server.url}/auth/login?next=/checkin/{forum.slug}")
    page.fill("input[name=email]", "staff@forum.example")
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("[type=submit]")
    page.wait_for_selector("#door-status[data-state='online']")
    page.keyboard.type(secrets[0])
    page.keyboard.press("Enter")
    page.wait_for_selector("#result[data-status='ok']:not([hidden])")
    page.clock.run_for(2400)  # the green result stays 2.5 s
    page.keyboard.type(secrets[1][:12])  # the scanner starts the next badge on the result
    page.clock.run_for(150)  # the result goes away mid-badge
    assert page.locator("#result").is_hidden()
    page.keyboard.type(secrets[1][12:])
    page.keyboard.press("Enter")
    page.wait_for_selector("#result[data-status='ok']:not([hidden])")
    db.session.expire_all()
    scanned = db.session.scalars(sa.select(Checkin.registration_id).order_by(Checkin.id)).all()
    assert scanned == [first.id, second.id]
