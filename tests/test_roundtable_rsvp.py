"""Answers to round-table invitations: quotas per stakeholder group, the waitlist (also under
concurrent acceptances), promotion through the outbox, and the hall's checkpoint."""
from __future__ import annotations

import threading
import uuid

import pytest
import sqlalchemy as sa

from forum.checkin import service as checkin
from forum.checkin.checkpoints import CheckpointData, save_checkpoint
from forum.extensions import db
from forum.messaging.invitations import respond
from forum.messaging.models import Invitation, Message
from forum.roundtable.models import Invitee
from tests.roundtable_fixtures import invite_people, make_round_table

pytestmark = pytest.mark.both_dbs


def _state(invitee_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Invitee, invitee_id).state


def test_invitations_go_through_the_outbox_by_email_and_sms_in_each_language(app, forum):
    table = make_round_table(forum, {"government": 2})
    [invitee] = invite_people(table, forum, "government", 1, language="tg")
    messages = list(db.session.scalars(sa.select(Message).where(Message.invitation_id == invitee.invitation_id)))
    assert sorted(m.channel for m in messages) == ["email", "sms"]
    assert all(m.language == "tg" for m in messages)
    assert invitee.invitation.item_id == table.item_id and invitee.state == "invited"


def test_acceptances_past_the_quota_go_to_the_waitlist_and_a_decline_promotes_the_first(app, forum):
    table = make_round_table(forum, {"mfi": 2})
    a, b, c, d = invite_people(table, forum, "mfi", 4)
    ids = [i.id for i in (a, b, c, d)]
    for invitee in (a, b, c, d):
        respond(invitee.invitation, "accepted")
        db.session.commit()
    assert [_state(i) for i in ids] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    before = db.session.scalar(sa.select(sa.func.count(Message.id)))
    respond(db.session.get(Invitee, ids[0]).invitation, "declined")
    db.session.commit()
    assert [_state(i) for i in ids] == ["declined", "confirmed", "confirmed", "waitlisted"]
    told = list(db.session.scalars(sa.select(Message).where(Message.id > 0).order_by(Message.id).offset(before)))
    assert {m.registration_id for m in told} == {db.session.get(Invitee, ids[2]).registration_id}
    assert any("подтверждено" in m.body for m in told)


def test_a_waitlisted_person_who_declines_frees_nothing(app, forum):
    table = make_round_table(forum, {"coordinator": 1})
    a, b = invite_people(table, forum, "coordinator", 2)
    for invitee in (a, b):
        respond(invitee.invitation, "accepted")
        db.session.commit()
    respond(b.invitation, "declined")
    db.session.commit()
    assert (_state(a.id), _state(b.id)) == ("confirmed", "declined")


def test_concurrent_acceptances_for_the_last_seat_confirm_exactly_one(app, forum):
    table = make_round_table(forum, {"shg_leader": 3})
    first, second, *racers = invite_people(table, forum, "shg_leader", 7)
    for invitee in (first, second):
        respond(invitee.invitation, "accepted")
        db.session.commit()
    invitation_ids = [r.invitation_id for r in racers]
    racer_ids = [r.id for r in racers]
    db.session.remove()
    barrier = threading.Barrier(len(invitation_ids))
    errors: list[BaseException] = []

    def accept(invitation_id: int) -> None:
        with app.app_context():
            try:
                invitation = db.session.get(Invitation, invitation_id)
                barrier.wait(10)
                respond(invitation, "accepted")
                db.session.commit()
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=accept, args=(i,)) for i in invitation_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    states = sorted(_state(i) for i in racer_ids)
    assert states == ["confirmed"] + ["waitlisted"] * (len(racer_ids) - 1)


def test_the_round_table_checkpoint_admits_only_confirmed_invitees(app, forum):
    table = make_round_table(forum, {"government": 1})
    confirmed, waiting, silent = invite_people(table, forum, "government", 3)
    for invitee in (confirmed, waiting):
        respond(invitee.invitation, "accepted")
        db.session.commit()
    hall = save_checkpoint(forum, CheckpointData(key="rt", name={"ru": "Зал"}, rule="roundtable",
                                                 area_id=table.item.area_id))
    db.session.commit()

    def scan(invitee):
        return checkin.scan(forum, hall, uuid.uuid4().hex, value=invitee.registration.badge_secret).status

    assert scan(confirmed) == "ok"
    assert scan(waiting) == "not_allowed"
    assert scan(silent) == "not_allowed"
    respond(confirmed.invitation, "declined")  # the seat goes to the waitlisted one
    db.session.commit()
    assert scan(waiting) == "ok"
