"""The forum in figures (forum.reports.figures.collect): every count the dashboard, the report
PDF and its XLSX show, checked against data built by hand through the app's own services, so a
figure that counts the wrong people fails here."""
from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest

from forum.agenda import service as agenda
from forum.checkin import service as checkin
from forum.checkin.checkpoints import CheckpointData, save_checkpoint
from forum.db import utcnow
from forum.drawings import scoring as drawing_scoring
from forum.drawings import service as drawing_service
from forum.events.service import ForumData, forum_by_slug, save_forum
from forum.exhibition import plan as exhibition_plan
from forum.exhibition import review as exhibition_review
from forum.exhibition.service import ProductData as ExhibitionProduct
from forum.extensions import db
from forum.jobfair import pipeline as jobfair_pipeline
from forum.jobfair import service as jobfair_service
from forum.messaging import outbox
from forum.messaging.invitations import respond
from forum.reports.figures import Pair, collect
from forum.roundtable import recommendations
from forum.roundtable import service as roundtable
from forum.theatre import booking as theatre_booking
from forum.theatre import service as theatre_service
from tests.agenda_fixtures import at, place
from tests.checkin_fixtures import make_checkpoint, scan
from tests.drawings_fixtures import PLACE, make_drawing, open_contest
from tests.exhibition_fixtures import exhibition_forum, make_application, make_stands
from tests.exhibition_fixtures import make_type as make_stand_type
from tests.exhibition_fixtures import place as exhibition_place
from tests.factories import make_forum, make_organization, make_person, make_registration, make_user
from tests.jobfair_fixtures import make_employer, make_vacancy, quick_hashes  # noqa: F401  (quick_hashes: autouse)
from tests.people_fixtures import places_fixture  # noqa: F401  (`places`: Isfara and Ghonchi with jamoats)
from tests.roundtable_fixtures import invite_people, make_round_table
from tests.theatre_fixtures import approved, make_slots, request_data, theatre_forum

_phones = itertools.count(7770001)  # guardians' phones: one child per phone and name
HEADLINE_CORE = ["registered", "arrived", "women_arrived", "districts", "groups"]


def _en(name):
    """A translated name as its English text, for readable comparisons (None stays None)."""
    return name["en"] if name is not None else None


def _pair(pair: Pair) -> tuple[int, int]:
    return pair.expected, pair.arrived


def _hall_door(forum, key: str, area_key: str | None, rule: str = "all"):
    """A checkpoint at the door of an area (none: not tied to a place)."""
    area = next(a for a in forum.areas if a.key == area_key) if area_key else None
    checkpoint = save_checkpoint(forum, CheckpointData(key=key, name={"ru": f"Дверь {key}", "en": f"Door {key}"},
                                                       rule=rule, area_id=area.id if area else None))
    db.session.commit()
    return checkpoint


def _comes_in(forum, registration, door: str = "entrance", **extra):
    """The person's badge scanned at a door (through the check-in service)."""
    return scan(forum, registration.badge_secret, checkpoint=door, **extra)


# --- participation ------------------------------------------------------------------------

@pytest.mark.both_dbs
def test_participation_counts_who_was_expected_and_who_came_by_category_place_and_gender(app, forum, places):
    """Ten people of the Isfara forum, each chosen to land in one cell of the tables: expected
    is invited or confirmed only; arrived is a first entry not taken back."""
    isfara, ghonchi = places["isfara"], places["ghonchi"]
    umed = make_organization("ГВП «Умед»", district=isfara, jamoat=places["chorkuh"])
    bonu = make_organization("ГВП «Бону»", district=ghonchi, jamoat=places["mujun"])
    quiet = make_organization("ГВП «Ором»", district=isfara, jamoat=places["surkh"])  # only a declined member
    iom = make_organization("Международная организация по миграции", kind="international", short_name="МОМ")

    def person(name, category, status="confirmed", **extra):
        return make_registration(forum, make_person(name, **extra), category=category, status=status)

    gulnora = person("Раҳимова Гулнора", "shg_member", gender="f", organization=umed)  # Isfara/Chorkuh by her group
    # Her own district wins over her group's: Ghonchi/Mujun.
    zarina = person("Каримова Зарина", "shg_leader", "invited", gender="f", organization=umed,
                    district=ghonchi, jamoat=places["mujun"])
    munira = person("Назарова Мунира", "shg_member", gender="f", organization=bonu)  # scanned by mistake, undone
    person("Олимова Дилноза", "international", organization=iom)  # gender not recorded, no district
    person("Холов Ислом", "shg_member", gender="m", organization=umed)  # expected, stayed home
    nigina = person("Сафарова Нигина", "shg_member", "declined", gender="f", organization=quiet)
    farrukh = person("Зокиров Фаррух", "guest", "cancelled", gender="m", district=isfara)
    dilshod = person("Назаров Дилшод", "mobilizer", gender="m")  # no place recorded
    sabohat = person("Юсупова Сабохат", "shg_member", gender="f", district=isfara)  # district, jamoat not recorded
    person("Азизов Азиз", "press", gender="m")

    make_checkpoint(forum)
    for registration in (gulnora, zarina, dilshod, sabohat):
        assert _comes_in(forum, registration).status == "ok"
    assert _comes_in(forum, gulnora).status == "already_checked_in"  # a second scan is not a second person
    checkin.undo(_comes_in(forum, munira).checkin)
    assert _comes_in(forum, nigina).status == "not_allowed"  # declined: turned away
    assert _comes_in(forum, farrukh).status == "cancelled"
    assert scan(forum, "Z" * 32).status == "unknown"  # a badge nobody here was given
    other = make_forum(slug="b-gafurov-test")  # Gulnora at the B. Gafurov forum too: counted there, not here
    make_checkpoint(other)
    assert scan(other, make_registration(other, gulnora.person).badge_secret).status == "ok"

    figures = collect(forum)
    p = figures.participation
    assert _pair(p.total) == (8, 4) and p.total.rate == 50
    assert (p.declined, p.cancelled) == (1, 1)
    assert p.groups == 2  # Umed and Bonu; Orom had only a declined member, the IOM is no self-help group
    assert [(c, _pair(pair)) for c, pair in p.by_category] == [
        ("shg_member", (4, 2)), ("shg_leader", (1, 1)), ("mobilizer", (1, 1)), ("international", (1, 0)),
        ("press", (1, 0))]
    # By expected, most first; "not recorded" last even though it has more people than Ghonchi.
    assert [(_en(d), _pair(pair)) for d, pair in p.by_district] == [
        ("Isfara", (3, 2)), ("Ghonchi", (2, 1)), (None, (3, 1))]
    assert [(_en(d), _en(j), _pair(pair)) for d, j, pair in p.by_jamoat] == [
        ("Ghonchi", "Mujun", (2, 1)), ("Isfara", "Chorkuh", (2, 1)), ("Isfara", None, (1, 1)), (None, None, (3, 1))]
    assert [(g, _pair(pair)) for g, pair in p.by_gender] == [("f", (4, 3)), ("m", (3, 1)), (None, (1, 0))]
    assert dict(p.by_category)["international"].rate == 0 and Pair().rate is None and Pair(3, 2).rate == 67
    assert figures.arrivals.failed_scans == 3  # the declined, the cancelled and the unknown badge
    headline = dict(figures.headline())
    assert {k: headline[k] for k in HEADLINE_CORE} == {
        "registered": 8, "arrived": 4, "women_arrived": 3, "districts": 2, "groups": 2}


# --- arrivals -----------------------------------------------------------------------------

def test_arrivals_per_quarter_hour_in_dushanbe_time_per_door_and_failed_scans(app, forum):
    """First arrivals only, bucketed by 15 minutes of local time, empty quarters shown."""
    people = {name: make_registration(forum, make_person(name), category=category) for name, category in (
        ("Аминова Шаҳло", "shg_member"), ("Бобоева Мавлуда", "shg_leader"), ("Валиева Нилуфар", "shg_member"),
        ("Ғафурова Зулфия", "shg_member"), ("Давлатова Ойша", "shg_member"), ("Ёрова Малика", "shg_leader"))}
    make_registration(forum, make_person("Жураева Сурайё"), category="shg_leader", status="declined")
    shahlo, mavluda, nilufar, zulfiya, oisha, _malika = people.values()  # Malika, a leader, never comes
    make_checkpoint(forum, "entrance", name="Главный вход")
    make_checkpoint(forum, "leaders", rule="categories", categories=["shg_leader"], reentry=True, name="Зал лидеров")

    _comes_in(forum, shahlo, at=at("08:52"))
    _comes_in(forum, mavluda, at=at("09:01"))
    _comes_in(forum, nilufar, at=at("09:14"))
    _comes_in(forum, zulfiya, at=at("09:31"))
    _comes_in(forum, shahlo, at=at("09:40"))  # already in: no new arrival, no new entry
    checkin.undo(_comes_in(forum, oisha, at=at("09:44")).checkin)  # the wrong badge: taken back
    _comes_in(forum, mavluda, "leaders", at=at("09:50"))  # her first entry at this door, not a new arrival
    _comes_in(forum, mavluda, "leaders", at=at("10:20"))  # back in after lunch: an entry, not an arrival
    assert _comes_in(forum, nilufar, "leaders", at=at("10:02")).status == "not_allowed"
    assert scan(forum, "UNKNOWN-BADGE-0000000000000000", at=at("10:05")).status == "unknown"

    arrivals = collect(forum).arrivals
    assert [(q.strftime("%H:%M"), n) for q, n in arrivals.quarters] == [
        ("08:45", 1), ("09:00", 2), ("09:15", 0), ("09:30", 1)]
    assert all(q.utcoffset() == timedelta(hours=5) for q, _n in arrivals.quarters)
    assert arrivals.quarters[0][0] == at("08:45")
    assert arrivals.peak == (at("09:00"), 2)
    # (door, expected by its rule, people first in there, entries let through)
    assert [(name["ru"], expected, arrived, entries) for name, expected, arrived, entries in arrivals.by_checkpoint] == [
        ("Главный вход", 6, 4, 4), ("Зал лидеров", 2, 1, 2)]
    assert arrivals.failed_scans == 2  # the not-allowed one and the unknown badge; "already in" is no failure


def test_a_forum_without_activities_or_data_has_only_the_core_figures(app):
    """Sections of activities the forum does not hold are absent, not zero."""
    forum = make_forum(slug="plain-forum")
    forum.activities = []
    db.session.commit()
    figures = collect(forum)
    assert (figures.exhibition, figures.theatre, figures.drawings, figures.jobfair) == (None, None, None, None)
    assert figures.round_tables == [] and figures.recommendations == []
    assert figures.arrivals.quarters == [] and figures.arrivals.peak is None and figures.arrivals.by_checkpoint == []
    assert _pair(figures.participation.total) == (0, 0) and figures.participation.total.rate is None
    assert figures.participation.by_category == [] and figures.participation.by_gender == []
    assert figures.outbox == {"queued": 0, "sending": 0, "sent": 0, "failed": 0, "cancelled": 0}
    assert (figures.agenda.scheduled, figures.agenda.cancelled, figures.agenda.conflicts,
            figures.agenda.warnings) == (0, 0, [], [])
    assert figures.headline() == [(key, 0) for key in HEADLINE_CORE]


# --- agenda and outbox ----------------------------------------------------------------------

def test_agenda_separates_hard_conflicts_from_warnings_and_counts_cancelled_items(app, forum):
    """The service refuses hard conflicts when placing; one still arises when the organizers
    shorten the day afterwards (the play at 16:00 now runs past the new 16:30 close)."""
    host = make_person("Раҳимов Ислом")
    opening = place(forum, "09:00", "10:00", title="Открытие", kind="opening", host_person_ids=[host.id])
    table = place(forum, "09:30", "10:30", "round-table", title="Круглый стол", kind="round_table",
                  host_person_ids=[host.id])  # the same host twice at once: a warning
    training = place(forum, "11:00", "12:00", "round-table", title="Тренинг", expected_audience=60)  # hall holds 50
    cancelled = place(forum, "13:00", "14:00", title="Отменённый доклад")
    agenda.cancel_item(cancelled)
    db.session.commit()
    play = place(forum, "16:00", "17:00", title="Спектакль", kind="theatre", expected_audience=80)
    save_forum(ForumData(slug=forum.slug, title=forum.title, city=forum.city, venue=forum.venue, goals=forum.goals,
                         starts_at=forum.starts_at, ends_at=at("16:30"), activities=forum.activities,
                         registration_open=True), forum)
    db.session.commit()

    figures = collect(forum).agenda
    assert (figures.scheduled, figures.cancelled) == (4, 1)
    assert [(i.item_id, i.title["ru"], i.codes) for i in figures.conflicts] == [
        (play.id, "Спектакль", ["outside_hours", "over_capacity"])]  # hard first
    assert [(i.item_id, i.codes) for i in figures.warnings] == [
        (opening.id, ["host_busy"]), (table.id, ["host_busy"]), (training.id, ["over_capacity"])]
    assert figures.conflicts[0].starts_at == at("16:00")


class _Channels:
    """Stands in for the SMTP/SMS channels: accepts, or refuses for good."""

    def __init__(self, refuse: bool = False):
        self.refuse = refuse

    def send(self, message):
        if self.refuse:
            raise outbox.DeliveryError("550 no such mailbox", permanent=True)


def test_outbox_counts_this_forums_messages_by_status(app, forum):
    other = make_forum(slug="b-gafurov-test")
    later = utcnow() + timedelta(days=1)  # not due yet: never claimed below
    for n in range(4):
        outbox.queue(channel="email", recipient=f"member{n}@example.org", body="Приглашение", forum=forum)
    outbox.queue(channel="email", recipient="x@example.org", body="Другой форум", forum=other, not_before=later)
    outbox.queue(channel="email", recipient="y@example.org", body="Без форума", not_before=later)
    db.session.commit()
    report = outbox.Report()
    outbox.deliver(outbox.claim_next("worker-a"), _Channels(), "worker-a", report)
    outbox.deliver(outbox.claim_next("worker-a"), _Channels(refuse=True), "worker-a", report)
    assert outbox.claim_next("worker-b") is not None  # held by a sender right now
    assert (report.sent, report.failed) == (1, 1)
    assert collect(forum).outbox == {"queued": 1, "sending": 1, "sent": 1, "failed": 1, "cancelled": 0}
    assert collect(other).outbox == {"queued": 1, "sending": 0, "sent": 0, "failed": 0, "cancelled": 0}


# --- exhibition ------------------------------------------------------------------------------

def _product(name: str, category: str) -> ExhibitionProduct:
    return ExhibitionProduct(name=name, category=category, price=Decimal("40"))


def test_exhibition_counts_applications_stands_and_products_of_approved_groups_only(app):
    forum = exhibition_forum()
    _district, chorkuh = exhibition_place()
    gulistan = make_application(forum, chorkuh, "approved", group="ГВП «Гулистон»", products=[
        _product("Сузани", "sewing"), _product("Курага", "dried_fruit")])
    obodi = make_application(forum, chorkuh, "approved", group="ГВП «Ободӣ»", products=[_product("Туршак", "dried_fruit")])
    nur = make_application(forum, chorkuh, "approved", group="ГВП «Нур»", products=[
        _product("Гилем", "carpets"), _product("Тюбетейка", "embroidery"), _product("Курта", "sewing")])
    make_application(forum, chorkuh, "pending", group="ГВП «Бахор»", products=[
        _product("Мёд", "food"), _product("Нон", "food")])
    zebo = make_application(forum, chorkuh, "approved", group="ГВП «Зебо»", products=[_product("Кулча", "food")])
    stands = {s.number: s for s in make_stands(forum, rows=2, columns=6)}  # "1" … "12"
    reserve = stands["2"]
    for number, state in (("2", "reserved"), ("5", "reserved"), ("7", "blocked")):
        s = stands[number]
        exhibition_plan.change_stand(s, exhibition_plan.StandData(s.number, s.x, s.y, s.w, s.h, s.type_id, state=state))
    exhibition_plan.assign(reserve, obodi)  # a reserved stand given to a group counts as assigned
    exhibition_plan.assign(stands["10"], gulistan)
    exhibition_plan.assign(stands["3"], zebo)
    db.session.commit()
    exhibition_review.reject(zebo, None, "Товар не собственного производства")  # frees stand 3
    db.session.commit()

    figures = collect(forum).exhibition
    assert figures.applications == {"pending": 1, "approved": 3, "rejected": 1}
    assert figures.stands == {"free": 8, "reserved": 1, "assigned": 2, "blocked": 1}
    assert figures.products == 6  # not Bakhor's (pending) nor Zebo's (rejected)
    assert figures.by_product_category == [("dried_fruit", 2), ("sewing", 2), ("carpets", 1), ("embroidery", 1)]
    # By stand number as numbers ("2" before "10"); a group without a stand yet comes last.
    assert [(e.stand, e.group, e.members, e.products) for e in figures.exhibitors] == [
        ("2", "ГВП «Ободӣ»", 1, 1), ("10", "ГВП «Гулистон»", 1, 2), ("", "ГВП «Нур»", 1, 3)]
    assert {(_en(e.district), _en(e.jamoat_name), e.jamoat) for e in figures.exhibitors} == {("Isfara", "Chorkuh", "")}
    assert nur.stand is None
    headline = dict(collect(forum).headline())
    assert (headline["exhibitors"], headline["products"]) == (3, 6)


def test_exhibitors_are_listed_in_the_floor_plans_stand_order(app):
    """A stand split in two ("5" and "5a"): "5a" comes right after "5", before "10", as on the plan."""
    forum = exhibition_forum()
    _district, chorkuh = exhibition_place()
    stand_type = make_stand_type(forum)
    for n, number in enumerate(("10", "5a", "5")):
        stand = exhibition_plan.add_stand(forum, exhibition_plan.StandData(
            number, Decimal(1 + 4 * n), Decimal("1"), Decimal("3"), Decimal("2"), stand_type.id))
        exhibition_plan.assign(stand, make_application(forum, chorkuh, "approved", group=f"ГВП у стенда {number}"))
    db.session.commit()
    plan_order = [s.number for s in exhibition_plan.stands_of(forum)]
    assert plan_order == ["5", "5a", "10"]
    assert [e.stand for e in collect(forum).exhibition.exhibitors] == plan_order


# --- theatre -------------------------------------------------------------------------------

@pytest.mark.both_dbs
def test_theatre_counts_slots_filled_requests_and_lists_booked_plays_in_time_order(app):
    forum = theatre_forum()
    first, second, third = make_slots(forum)  # 10:00, 10:45, 11:30 on the theatre stage
    late = approved(forum, troupe="Театр «Ойина»", title="Дом, где ждут")
    early = approved(forum, troupe="Театр «Бахор»", title="Письмо из России",
                     cast=[(f"Актёр {n}", None) for n in range(5)])  # five on the list, three announced
    dropped = approved(forum, troupe="Театр «Нур»", title="Снятый спектакль")
    approved(forum, troupe="Театр «Зебо»", title="Ждёт слота")  # approved, not booked yet
    theatre_service.request_slot(forum, request_data(troupe="Театр «Навбаҳор»", title="Ещё не решено"))
    theatre_booking.book(late, third)
    theatre_booking.book(early, first)
    theatre_booking.book(dropped, second)
    db.session.commit()
    theatre_service.decide(dropped, approve=False)  # declined after booking: its slot is free again
    db.session.commit()

    figures = collect(forum).theatre
    assert (figures.slots, figures.filled) == (3, 2)
    assert figures.requests == {"pending": 1, "approved": 3, "declined": 1}
    assert [(p.starts_at, p.troupe, p.title["ru"], _en(p.stage), p.cast) for p in figures.plays] == [
        (at("10:00"), "Театр «Бахор»", "Письмо из России", "Theatre stage", 5),
        (at("11:30"), "Театр «Ойина»", "Дом, где ждут", "Theatre stage", 3)]
    assert dict(collect(forum).headline())["performances"] == 2


# --- drawings ------------------------------------------------------------------------------

def _scores(drawing, juror, value: int) -> None:
    drawing_scoring.save_scores(drawing, juror, {"theme": value, "originality": value, "technique": value})


def test_drawings_by_status_awards_in_order_and_drawings_awaiting_the_jury(app, forum):
    open_contest(forum)

    def drawing(child, age, title, status="approved", award=None):
        made = make_drawing(app, forum, status=status, child=child, age=age, title=title,
                            phone=f"+99292{next(_phones):07d}")
        if award:
            drawing_service.set_award(made, award)
            db.session.commit()
        return made

    plane = drawing("Мадина", 8, "Падарам ба Русия парвоз мекунад", award="second")
    garden = drawing("Фаррух", 12, "Боғи мо", award="first")
    mother = drawing("Зебо", 7, "Модарам", award="special")
    drawing("Дилшод", 10, "Кӯҳ", award="third")  # no juror has scored it yet
    river = drawing("Ситора", 15, "Дарё", award="special")
    drawing("Бахтиёр", 9, "Ҳанӯз тафтиш нашуд", status="pending")
    drawing("Шерзод", 11, "Расми хира", status="rejected")
    one, two = make_user("jury", "one@jury.example"), make_user("jury", "two@jury.example")
    for done in (plane, river):
        _scores(done, one, 8)
        _scores(done, two, 7)
    _scores(garden, one, 9)
    drawing_scoring.declare_conflict(garden, two)  # two's niece: one's score is all it needs
    _scores(mother, one, 6)  # two has not scored it yet
    db.session.commit()

    figures = collect(forum).drawings
    assert figures.by_status == {"pending": 1, "approved": 5, "rejected": 1}
    assert figures.jurors == 2
    assert figures.awaiting_scores == 2  # "Модарам" (two has not scored it) and "Кӯҳ" (nobody has)
    assert figures.by_age_group == [((6, 9), 2), ((10, 13), 2), ((14, 17), 1)]
    # first, second, third, then the specials (younger child first)
    assert [(a.award, a.title, a.first_name, a.age, a.place) for a in figures.awards] == [
        ("first", "Боғи мо", "Фаррух", 12, PLACE), ("second", "Падарам ба Русия парвоз мекунад", "Мадина", 8, PLACE),
        ("third", "Кӯҳ", "Дилшод", 10, PLACE), ("special", "Модарам", "Зебо", 7, PLACE),
        ("special", "Дарё", "Ситора", 15, PLACE)]
    headline = dict(collect(forum).headline())
    assert (headline["drawings"], headline["awards"]) == (5, 5)


def test_a_drawing_scored_only_by_an_organizer_still_awaits_the_jurors(app, forum):
    """The jury page is open to organizers (drawings.jury.JURY_ROLES); an organizer's score
    does not stand in for the one juror who has not looked at the drawing yet."""
    open_contest(forum)
    drawing = make_drawing(app, forum)
    make_user("jury", "one@jury.example")
    _scores(drawing, make_user("organizer"), 9)
    db.session.commit()
    figures = collect(forum).drawings
    assert figures.jurors == 1
    assert figures.awaiting_scores == 1


# --- round tables and recommendations ---------------------------------------------------------

def _answer(invitees, answer: str) -> None:
    for invitee in invitees:
        respond(invitee.invitation, answer)
        db.session.commit()


@pytest.mark.both_dbs
def test_round_table_seats_per_group_and_attendance_through_the_halls_door(app, forum):
    """Attended: confirmed invitees who came in through a door of the round table's hall. The
    waitlisted leader who slipped in, the leader seen only at the main entrance and the one
    whose hall scan was taken back do not count."""
    table = make_round_table(forum, {"shg_leader": 2, "government": 1, "international": 1})
    aziza, bahor, chaman, dilbar = invite_people(table, forum, "shg_leader", 4)
    hukumat, silent = invite_people(table, forum, "government", 2)
    invite_people(table, forum, "mfi", 1)  # a group without a quota, not answered yet
    _answer([aziza, bahor, chaman, hukumat], "accepted")  # chaman comes third of two seats: waitlisted
    _answer([dilbar], "declined")
    roundtable.submit_problem(aziza, "Нет залога для кредита")
    roundtable.submit_problem(hukumat, "Мало ГВП зарегистрировано")
    roundtable.add_topic(table, {"ru": "Доступ к кредитам"})
    db.session.commit()
    make_checkpoint(forum, "entrance")
    _hall_door(forum, "hall", "round-table")
    for invitee, doors in ((aziza, ("entrance", "hall")), (bahor, ("entrance",)), (hukumat, ("hall",)),
                           (chaman, ("entrance", "hall"))):
        for door in doors:
            assert _comes_in(forum, invitee.registration, door).status == "ok"
    checkin.undo(_comes_in(forum, silent.registration, "hall").checkin)  # not even confirmed; and taken back

    [figures] = collect(forum).round_tables
    assert (figures.title["ru"], figures.item_id, figures.capacity) == ("Круглый стол", table.item_id, 4)
    assert (figures.problems, figures.topics) == (2, 1)
    rows = [(g.group, g.quota, g.invited, g.confirmed, g.waitlisted, g.declined, g.attended) for g in figures.groups]
    assert rows == [("shg_leader", 2, 0, 2, 1, 1, 1), ("government", 1, 1, 1, 0, 0, 1),
                    ("international", 1, 0, 0, 0, 0, 0), ("mfi", None, 1, 0, 0, 0, 0)]
    total = figures.total
    assert (total.quota, total.invited, total.confirmed, total.waitlisted, total.declined, total.attended) == (
        4, 2, 3, 1, 1, 2)
    assert dict(collect(forum).headline())["roundtable_attended"] == 2


def test_round_table_attendance_falls_back_to_any_door_until_the_forum_has_a_round_table_door(app, forum):
    table = make_round_table(forum, {"mfi": 2})
    imon, other = invite_people(table, forum, "mfi", 2)
    _answer([imon, other], "accepted")
    make_checkpoint(forum, "entrance")
    _comes_in(forum, imon.registration)
    assert collect(forum).round_tables[0].total.attended == 1  # no door of its own: the main entrance counts

    _hall_door(forum, "invitees", None, rule="roundtable")  # a door that admits confirmed invitees only
    assert collect(forum).round_tables[0].total.attended == 0  # now only that door counts
    _comes_in(forum, imon.registration, "invitees")
    _comes_in(forum, other.registration, "entrance")
    assert collect(forum).round_tables[0].total.attended == 1


def test_recommendations_rows_name_the_owner_the_deadline_and_the_latest_note(app, forum):
    table = make_round_table(forum, {"government": 1})
    topic = roundtable.add_topic(table, {"ru": "Доступ к кредитам", "en": "Access to credit"})
    azho = make_organization("Ассоциация «Женщина и общество»", kind="ngo", short_name="АЖО")
    imon = make_organization("IMON International", kind="mfi")
    hukumat = make_organization("Хукумат района Исфара", kind="government")
    owner = make_person("Раҳимова Гулнора", organization=azho)
    credit = recommendations.save(table, recommendations.RecommendationData(
        text={"ru": "Снизить требования к залогу для ГВП"}, status="agreed", topic_id=topic.id,
        addressed_to_id=imon.id, owner_person_id=owner.id, deadline=date(2011, 12, 31)))
    recommendations.save(table, recommendations.RecommendationData(
        text={"ru": "Объединить ГВП в сети и кооперативы"}, status="in_progress", addressed_to_id=hukumat.id,
        owner_organization_id=azho.id))
    recommendations.save(table, recommendations.RecommendationData(text={"ru": "Отброшенная идея"}, status="dropped"))
    # Written out of order: the later day is the latest note, whatever order they were typed in.
    recommendations.add_note(credit, date(2011, 9, 15), "Проведено обучение с IMON")
    recommendations.add_note(credit, date(2011, 7, 1), "Создана инициативная группа")
    db.session.commit()

    rows = collect(forum).recommendations
    assert [(r.position, r.text["ru"], _en(r.topic), r.addressed_to, r.owner, r.deadline, r.status, r.last_note,
             r.last_note_on) for r in rows] == [
        (1, "Снизить требования к залогу для ГВП", "Access to credit", "IMON International",
         "Раҳимова Гулнора (АЖО)", date(2011, 12, 31), "agreed", "Проведено обучение с IMON", date(2011, 9, 15)),
        (2, "Объединить ГВП в сети и кооперативы", None, "Хукумат района Исфара", "АЖО", None, "in_progress", "",
         None),
        (3, "Отброшенная идея", None, "", "", None, "dropped", "", None)]


# --- job fair ------------------------------------------------------------------------------

def test_job_fair_counts_only_offered_vacancies_of_approved_employers(app, forum):
    forum.activities = [*forum.activities, "job_fair"]
    db.session.commit()
    sewing = make_employer(forum, organization_name="ООО «Ватан Текстиль»", sector="textile")
    agency = make_employer(forum, organization_name="ООО «Меҳнат»", kind="agency", licence_number="ЛЗ-1",
                           sector="services")
    banned = make_employer(forum, organization_name="ООО «Сояи Кӯҳ»", sector="construction")
    make_employer(forum, status="pending", organization_name="ООО «Навкор»")
    seamstress = make_vacancy(sewing, forum, positions=15)
    make_vacancy(sewing, forum, "closed", positions=3)  # was on the list, then filled: still counts
    make_vacancy(sewing, forum, "pending", positions=2)
    make_vacancy(sewing, forum, "rejected", positions=4)
    make_vacancy(sewing, forum, "draft", positions=6)
    abroad = make_vacancy(agency, forum, positions=20, location="abroad", country="RU", city="Москва",
                          currency="RUB", wage_min=60000, wage_max=80000)
    make_vacancy(banned, forum, positions=7)  # approved, then its employer is rejected: off the list
    jobfair_service.decide_employer(banned, False, "Жалобы работников", make_user("organizer"))
    lola, karim = (make_registration(forum, make_person(name)) for name in ("Исмоилова Лола", "Ғаниев Карим"))
    jobfair_pipeline.express_interest(lola, seamstress, "name")
    jobfair_pipeline.set_stage(jobfair_pipeline.express_interest(lola, abroad, "name_phone"), "offered")
    jobfair_pipeline.set_stage(jobfair_pipeline.express_interest(karim, seamstress, "name_phone"), "hired")
    db.session.commit()

    figures = collect(forum).jobfair
    assert figures.total == {"employers": 2, "vacancies": 3, "positions": 38, "seekers": 2, "interviews": 2,
                             "offers": 2, "hires": 1}
    assert figures.employers == {"approved": 2, "pending": 1, "rejected": 1}
    assert figures.vacancies == {"draft": 1, "pending": 1, "approved": 3, "rejected": 1, "closed": 1}
    assert [(e.name, e.sector, e.figures["vacancies"], e.figures["positions"], e.figures["seekers"])
            for e in figures.by_employer] == [("ООО «Меҳнат»", "services", 1, 20, 1),
                                              ("ООО «Ватан Текстиль»", "textile", 2, 18, 2)]
    headline = dict(collect(forum).headline())
    assert [headline[k] for k in ("employers", "vacancies", "positions", "seekers", "hires")] == [2, 3, 38, 2, 1]


# --- the headline ----------------------------------------------------------------------------

ALL_ACTIVITIES = ["exhibition", "theatre", "drawings", "round_table", "job_fair"]
HEADLINE_ALL = [*HEADLINE_CORE, "exhibitors", "products", "performances", "drawings", "awards",
                "roundtable_attended", "recommendations", "employers", "vacancies", "positions", "seekers", "hires"]


def test_headline_keys_follow_the_forums_activities_in_report_order(app, forum):
    forum.activities = ALL_ACTIVITIES
    db.session.commit()
    make_round_table(forum, {"government": 1})
    assert collect(forum).headline() == [(key, 0) for key in HEADLINE_ALL]
    forum.activities = ["drawings", "exhibition"]  # the order of the forum's list does not matter
    db.session.commit()
    assert [key for key, _n in collect(forum).headline()] == [
        *HEADLINE_CORE, "exhibitors", "products", "drawings", "awards"]


def test_a_planned_round_table_has_its_headline_figures_before_it_is_set_up(app, forum):
    forum.activities = ["round_table"]
    db.session.commit()
    assert [key for key, _n in collect(forum).headline()] == [*HEADLINE_CORE, "roundtable_attended", "recommendations"]


@pytest.mark.parametrize("slug", ["isfara-2011", "b-gafurov-2011"])
def test_the_demo_forums_headline_equals_their_section_figures(demo_app, slug):
    """Both forums of the press release, every feature filled in by the demo: collect() runs
    through all of it, and each headline figure is the figure its section shows."""
    figures = collect(forum_by_slug(slug))
    p = figures.participation
    expected = {
        "registered": p.total.expected, "arrived": p.total.arrived,
        "women_arrived": dict(p.by_gender).get("f", Pair()).arrived,
        "districts": len([d for d, pair in p.by_district if d is not None and pair.arrived]),
        "groups": p.groups}
    if figures.exhibition is not None:
        expected |= {"exhibitors": len(figures.exhibition.exhibitors), "products": figures.exhibition.products}
        assert figures.exhibition.products == sum(e.products for e in figures.exhibition.exhibitors)
    if figures.theatre is not None:
        expected["performances"] = figures.theatre.filled
    if figures.drawings is not None:
        expected |= {"drawings": sum(n for _g, n in figures.drawings.by_age_group),
                     "awards": len(figures.drawings.awards)}
    expected |= {"roundtable_attended": sum(g.attended for t in figures.round_tables for g in t.groups),
                 "recommendations": len(figures.recommendations)}  # 0 at B. Gafurov: none set up
    if figures.jobfair is not None:
        expected |= {key: sum(e.figures[key] for e in figures.jobfair.by_employer)
                     for key in ("vacancies", "positions", "hires")}
        expected |= {"employers": len(figures.jobfair.by_employer), "seekers": figures.jobfair.total["seekers"]}
    headline = dict(figures.headline())
    assert list(headline) == [key for key in HEADLINE_ALL if key in headline]  # report order
    assert set(expected) == set(headline)
    assert headline == {key: expected[key] for key in headline}
    tables = (p.by_category, p.by_district, p.by_jamoat, p.by_gender)  # each splits the same people
    assert {sum(pair.expected for *_key, pair in rows) for rows in tables} == {p.total.expected}
    assert {sum(pair.arrived for *_key, pair in rows) for rows in tables} == {p.total.arrived}
