"""The demo: checkpoints for both forums, a morning of scans at Isfara for the live board, and
the whole Isfara demo's badges printed as one PDF whose every QR decodes and checks in."""
from __future__ import annotations

import sqlalchemy as sa

from forum.badges import service
from forum.badges.pdf import render
from forum.checkin.models import Checkin, Checkpoint
from forum.extensions import db
from forum.people.models import Registration
from tests.checkin_fixtures import decode_qr_codes, make_checkpoint, scan


def test_demo_checkpoints_scans_and_every_isfara_badge_checks_in(app, client, auth):
    from forum.demo import load

    forums = load()
    for forum in forums.values():
        checkpoints = db.session.scalars(sa.select(Checkpoint).where(Checkpoint.forum_id == forum.id)
                                         .order_by(Checkpoint.position)).all()
        assert [c.key for c in checkpoints] == ["entrance", "round-table", "job-fair"]
        assert checkpoints[0].rule == "all" and checkpoints[2].rule == "all"
        # invited guests only: our allow-list, or the rule the round-table package provides
        assert checkpoints[1].rule not in ("all", "categories")
    isfara = forums["isfara-2011"]
    scans = db.session.scalars(sa.select(Checkin).where(Checkin.forum_id == isfara.id)).all()
    assert sum(1 for s in scans if s.reason == "first" and s.checkpoint.key == "entrance") > 200
    assert {s.result for s in scans} >= {"ok", "already_checked_in", "unknown", "not_allowed"}
    gafurov = forums["b-gafurov-2011"]  # the second forum took place too: its own morning at the door
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Checkin).where(
        Checkin.forum_id == gafurov.id, Checkin.reason == "first")) > 100
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Checkin))
    load()  # idempotent: nothing is scanned twice
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Checkin)) == count
    auth.login("organizer", email="board@forum.example")  # the demo's organizer has its own password
    board = client.get("/manage/isfara-2011/checkin").get_data(as_text=True)
    assert "<svg" in board and "<rect" in board

    # Every badge of the forum in one PDF: each QR decodes, and each decoded secret checks in.
    registrations = service.registrations_to_print(isfara, service.BadgeFilter())
    expected = set(db.session.scalars(sa.select(Registration.badge_secret).where(Registration.forum_id == isfara.id)))
    assert len(registrations) == len(expected) > 300
    pdf = render(service.badges_for(isfara, registrations), "a4", title="isfara-2011")
    decoded = decode_qr_codes(pdf, dpi=100)
    assert len(decoded) == len(expected) and set(decoded) == expected
    make_checkpoint(isfara, "badge-test")  # a door nobody has passed yet in the demo
    assert {scan(isfara, secret, "badge-test").status for secret in decoded} == {"ok"}
