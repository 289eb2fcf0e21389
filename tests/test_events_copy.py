"""Copying a forum as the next one: the whole setup at the same local hours, never people;
the page, the command and the checklist the copy ends on."""
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask import current_app

from forum import demo
from forum.agenda.models import AgendaItem, AgendaItemAttendee
from forum.auth.models import ForumMember
from forum.badges.models import BadgeCode
from forum.checkin.models import Checkin, Checkpoint, CheckpointAllowance
from forum.drawings.models import Drawing, DrawingSettings
from forum.events.checklist import checklist
from forum.events.service import forum_by_slug
from forum.exhibition.models import ExhibitionSettings, ExhibitorApplication, Stand, StandType
from forum.extensions import db
from forum.jobfair.models import Booth, Employer, InterviewSlot, Vacancy
from forum.messaging.models import Invitation, Message
from forum.people.models import Organization, Person, Registration
from forum.roundtable.models import Invitee, Problem, Quota, Recommendation, RoundTable
from forum.theatre.models import Performance, TheatreSlot
from tests.copy_fixtures import demo_copy_app, local_day, wall_clock  # noqa: F401  (demo_copy_app: a fixture)

COMMAND = ["forum", "copy", "isfara-2011", "isfara-2027", "--date", "2027-05-05", "--lang", "en"]


def _count(model, *where):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _all_rows() -> dict:
    return {t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in db.metadata.sorted_tables}


def _settings(forum) -> dict:
    """How many of each kind of setting a forum has."""
    round_tables = sa.select(RoundTable.id).where(RoundTable.forum_id == forum.id)
    return {
        "areas": len(forum.areas),
        "agenda": _count(AgendaItem, AgendaItem.forum_id == forum.id, AgendaItem.source == "agenda",
                         AgendaItem.status != "cancelled"),
        "checkpoints": _count(Checkpoint, Checkpoint.forum_id == forum.id),
        "rules": sorted(db.session.scalars(sa.select(Checkpoint.rule).where(Checkpoint.forum_id == forum.id))),
        "exhibition": _count(ExhibitionSettings, ExhibitionSettings.forum_id == forum.id),
        "stand_types": _count(StandType, StandType.forum_id == forum.id),
        "stands": _count(Stand, Stand.forum_id == forum.id),
        "slots": _count(TheatreSlot, TheatreSlot.forum_id == forum.id),
        "round_tables": _count(RoundTable, RoundTable.forum_id == forum.id),
        "quotas": _count(Quota, Quota.round_table_id.in_(round_tables)),
        "booths": _count(Booth, Booth.forum_id == forum.id),
    }


def _people_and_traces(forum) -> dict:
    """Everything that belongs to the people of a forum: never copied."""
    items = sa.select(AgendaItem.id).where(AgendaItem.forum_id == forum.id)
    tables = sa.select(RoundTable.id).where(RoundTable.forum_id == forum.id)
    checkpoints = sa.select(Checkpoint.id).where(Checkpoint.forum_id == forum.id)
    return {
        "registrations": _count(Registration, Registration.forum_id == forum.id),
        "badge codes": _count(BadgeCode, BadgeCode.forum_id == forum.id),
        "scans": _count(Checkin, Checkin.forum_id == forum.id),
        "allow-lists": _count(CheckpointAllowance, CheckpointAllowance.checkpoint_id.in_(checkpoints)),
        "attendees": _count(AgendaItemAttendee, AgendaItemAttendee.item_id.in_(items)),
        "performances": _count(Performance, Performance.forum_id == forum.id),
        "applications": _count(ExhibitorApplication, ExhibitorApplication.forum_id == forum.id),
        "assigned stands": _count(Stand, Stand.forum_id == forum.id, Stand.application_id.is_not(None)),
        "drawings": _count(Drawing, Drawing.forum_id == forum.id),
        "employers": _count(Employer, Employer.forum_id == forum.id),
        "vacancies": _count(Vacancy, Vacancy.forum_id == forum.id),
        "interview slots": _count(InterviewSlot, InterviewSlot.forum_id == forum.id),
        "taken booths": _count(Booth, Booth.forum_id == forum.id, Booth.employer_id.is_not(None)),
        "invitees": _count(Invitee, Invitee.round_table_id.in_(tables)),
        "problems": _count(Problem, Problem.round_table_id.in_(tables)),
        "recommendations": _count(Recommendation, Recommendation.forum_id == forum.id),
        "messages": _count(Message, Message.forum_id == forum.id),
        "invitations": _count(Invitation, Invitation.forum_id == forum.id),
    }


@pytest.mark.both_dbs
def test_copying_the_isfara_demo_brings_every_setting_shifted_and_no_people(app, runner):
    demo.load()
    people = (_count(Person), _count(Organization))
    result = runner.invoke(args=COMMAND)
    assert result.exit_code == 0, result.output

    source, copy = forum_by_slug("isfara-2011"), forum_by_slug("isfara-2027")
    assert copy.status == "draft" and copy.registration_open is False
    expected = _settings(source)
    assert all(expected[kind] for kind in expected), expected  # the demo really has every kind of setting
    assert _settings(copy) == expected
    assert db.session.scalar(sa.select(DrawingSettings).where(DrawingSettings.forum_id == copy.id)) is not None

    # Times: the same local hours, 16 years later to the day.
    assert local_day(copy.starts_at).isoformat() == "2027-05-05"
    assert wall_clock(copy.starts_at) == wall_clock(source.starts_at)
    for model in (AgendaItem, TheatreSlot):
        old = db.session.scalars(sa.select(model).where(model.forum_id == source.id)
                                 .order_by(model.starts_at, model.id))
        old = [row for row in old if getattr(row, "source", "agenda") == "agenda" and
               getattr(row, "status", "") != "cancelled"]
        new = list(db.session.scalars(sa.select(model).where(model.forum_id == copy.id)
                                      .order_by(model.starts_at, model.id)))
        assert [(wall_clock(r.starts_at), wall_clock(r.ends_at)) for r in new] == \
               [(wall_clock(r.starts_at), wall_clock(r.ends_at)) for r in old]
        assert {local_day(r.starts_at).year for r in new} == {2027}

    assert all(_people_and_traces(source)[k] for k in ("registrations", "scans", "drawings", "messages"))
    assert not any(_people_and_traces(copy).values()), _people_and_traces(copy)
    assert (_count(Person), _count(Organization)) == people
    # The team comes along: whoever organized, scanned or judged Isfara 2011 does so in 2027.
    team = {(m.user.email, m.role) for m in db.session.scalars(sa.select(ForumMember).where(ForumMember.forum_id == copy.id))}
    assert team and team == {(m.user.email, m.role) for m in db.session.scalars(
        sa.select(ForumMember).where(ForumMember.forum_id == source.id))}

    # What the organizer reads: what was copied, then what is still to do.
    out = result.output
    assert "Created the draft forum isfara-2027." in out
    for line in ("7 areas", f"{expected['agenda']} agenda items", "3 checkpoints with their rules",
                 f"{expected['stands']} stands on the floor plan", f"{expected['slots']} theatre slots",
                 "1 round table with its group quotas", f"{expected['booths']} job-fair booths",
                 "Drawing contest:", f"{len(team)} members of the team"):
        assert line in out, line
    assert out.index("Copied:") < out.index("Still to do:")
    assert "[ ] Published (no)" in out and "[ ] Invitations (none sent yet)" in out


def test_copying_into_a_taken_address_is_refused_and_changes_nothing(demo_app):
    runner = demo_app.test_cli_runner()
    assert runner.invoke(args=COMMAND).exit_code == 0
    before = _all_rows()
    again = runner.invoke(args=COMMAND)
    assert again.exit_code == 1
    assert "isfara-2027: Another forum already uses this address." in again.output
    assert _all_rows() == before
    taken = runner.invoke(args=["forum", "copy", "isfara-2011", "b-gafurov-2011", "--date", "2027-05-07"])
    assert taken.exit_code == 1 and "уже занят" in taken.output  # Russian unless told otherwise
    assert _all_rows() == before


def test_the_command_refuses_a_bad_address_or_an_unknown_source(demo_app):
    runner = demo_app.test_cli_runner()
    before = _all_rows()
    bad = runner.invoke(args=["forum", "copy", "isfara-2011", "Isfara 2027", "--date", "2027-05-05", "--lang", "en"])
    assert bad.exit_code == 1 and "small Latin letters" in bad.output
    unknown = runner.invoke(args=["forum", "copy", "nowhere", "x-2027", "--date", "2027-05-05", "--lang", "en"])
    assert unknown.exit_code == 1 and "There is no forum with the address nowhere." in unknown.output
    assert _all_rows() == before


def test_the_page_copies_and_ends_on_the_checklist(demo_client):
    demo_client.post("/auth/login", data={"email": demo.DEMO_ORGANIZER_EMAIL, "password": demo.DEMO_ORGANIZER_PASSWORD})
    page = demo_client.get("/manage/isfara-2011/copy").get_data(as_text=True)
    assert "Люди никогда не копируются" in page
    response = demo_client.post("/manage/isfara-2011/copy", data={"slug": "isfara-2027", "day": "2027-05-05"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/manage/isfara-2027/checklist")
    page = demo_client.get("/manage/isfara-2027/checklist").get_data(as_text=True)
    assert "Копия создана как черновик" in page and "35 стендов на плане" in page
    for href in ("/manage/isfara-2027/edit", "/manage/isfara-2027/invitations", "/manage/isfara-2027/"):
        assert f'href="{href}"' in page
    assert "Опубликован" in page and "Приглашения" in page
    before = _all_rows()
    page = demo_client.post("/manage/isfara-2011/copy", data={"slug": "isfara-2027", "day": "2027-05-06"}).get_data(
        as_text=True)
    assert "Этот адрес уже занят другим форумом." in page
    assert _all_rows() == before


@pytest.mark.usefixtures("demo_copy_app")
def test_the_checklist_ticks_what_is_done():
    runner = current_app.test_cli_runner()
    assert runner.invoke(args=COMMAND).exit_code == 0
    forum = forum_by_slug("isfara-2027")
    spring = datetime(2027, 3, 1, tzinfo=UTC)
    assert {t.label: t.done for t in checklist(forum, spring)} == {
        "Дата и часы": True, "Партнёры": True, "Самостоятельная регистрация открыта": False,
        "Приглашения": False, "Опубликован": False}
    forum.status, forum.registration_open = "published", True
    ticks = {t.endpoint + t.label: t.done for t in checklist(forum, datetime(2027, 6, 1, tzinfo=UTC))}
    assert ticks["events_manage.overviewОпубликован"] is True
    assert ticks["events_manage.edit_forumДата и часы"] is False  # the day has passed


@pytest.mark.parametrize("path", ["/manage/isfara-2011/copy", "/manage/isfara-2011/checklist"])
def test_only_organizers_copy_and_see_the_checklist(demo_client, path):
    assert "/auth/login" in demo_client.get(path).headers["Location"]
    from tests.factories import PASSWORD, make_user

    for role in ("staff", "jury", "employer"):
        user = make_user(role, email=f"copy-{role}@forum.example")  # not the demo's own accounts
        demo_client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
        assert demo_client.get(path).status_code == 403, role
        assert demo_client.post(path).status_code in (403, 405), role
        demo_client.post("/auth/logout")
    demo_client.post("/auth/login", data={"email": demo.DEMO_ORGANIZER_EMAIL, "password": demo.DEMO_ORGANIZER_PASSWORD})
    assert demo_client.get(path).status_code == 200


def test_times_keep_their_local_hours_across_a_clock_change(app):
    """A winter forum copied to summer in a zone with daylight saving: 09:00 stays 09:00 there."""
    from datetime import date, time

    from forum.agenda import service as agenda
    from forum.events.service import copy_forum, local_span
    from tests.factories import make_forum

    source = make_forum(slug="berlin-2011", day=date(2011, 1, 10))
    source.timezone = "Europe/Berlin"
    source.starts_at, source.ends_at = local_span(date(2011, 1, 10), time(9), time(17), "Europe/Berlin")
    start, end = local_span(date(2011, 1, 10), time(10), time(11), "Europe/Berlin")
    agenda.create_item(source, agenda.ItemData(kind="opening", title={"ru": "Открытие"},
                                               area_id=source.areas[0].id, starts_at=start, ends_at=end))
    with app.test_request_context("/"):
        made = copy_forum(source, "berlin-2027", date(2027, 7, 5))
    assert made.target.starts_at == datetime(2027, 7, 5, 7, 0, tzinfo=UTC)  # 09:00 CEST (winter: 08:00 UTC)
    [item] = made.items.values()
    assert (item.starts_at, item.ends_at) == (datetime(2027, 7, 5, 8, 0, tzinfo=UTC), datetime(2027, 7, 5, 9, 0,
                                                                                                tzinfo=UTC))
