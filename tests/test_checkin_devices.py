"""Scanner phones are numbered per forum, so an unnamed phone is "Phone 2" on the board."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from forum.checkin.devices import new_device_number
from forum.checkin.models import ScannerDevice
from forum.extensions import db
from tests import factories

pytestmark = pytest.mark.both_dbs


def test_phones_are_numbered_in_the_order_they_ask_per_forum(client, auth, forum):
    staff = auth.login("staff")
    answers = [client.post("/checkin/isfara-test/device").json for _ in range(3)]
    assert [a["number"] for a in answers] == [1, 2, 3]
    assert answers[1]["name"] == "Телефон 2"
    other = factories.make_forum(slug="gafurov-test")
    assert new_device_number(other) == 1
    assert db.session.scalar(sa.select(ScannerDevice.user_id).where(ScannerDevice.number == 3)) == staff.id


def test_only_door_roles_number_phones(client, auth, forum):
    auth.login("jury")
    assert client.post("/checkin/isfara-test/device").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScannerDevice)) == 0
