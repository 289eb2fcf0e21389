"""The jury scores approved drawings blind; results rank per age group with ties; organizers award."""
import pytest
import sqlalchemy as sa

from forum.drawings import scoring, service
from forum.drawings.models import Drawing, DrawingScore
from forum.extensions import db
from tests.drawings_fixtures import (
    CHILD,
    GUARDIAN,
    PLACE,
    make_drawing,
    open_contest,
)
from tests.factories import make_user

pytestmark = pytest.mark.both_dbs

SECRETS = (CHILD, GUARDIAN, PLACE, "927771234", "92 777 12 34", "+992 92 777 1234", "Каримова", "Фаррух",
           "Мактаби 7")


@pytest.fixture
def contest(forum):
    return open_contest(forum)


def _score(client, slug, drawing_id, theme, originality, technique):
    return client.post(f"/jury/{slug}/drawings/{drawing_id}",
                       data={"c_theme": theme, "c_originality": originality, "c_technique": technique})


def test_jury_pages_never_show_names_contacts_or_places(client, auth, app, contest):
    drawing = make_drawing(app, contest)
    make_drawing(app, contest, child="Фаррух", guardian="Каримова Зарина", phone="+992935551122",
                 place="Мактаби 7", age=12, title="Самолёт")
    auth.login("jury")
    pages = {url: client.get(url) for url in (
        "/jury/", "/jury/isfara-test/drawings", f"/jury/isfara-test/drawings/{drawing.id}")}
    pages["score with an error"] = _score(client, "isfara-test", drawing.id, "", "5", "11")
    for url, response in pages.items():
        page = response.get_data(as_text=True)
        assert response.status_code == 200, url
        for secret in SECRETS:
            assert secret not in page, (url, secret)
    listing = pages["/jury/isfara-test/drawings"].get_data(as_text=True)
    assert "Падарам ба Русия парвоз мекунад" in listing and "Самолёт" in listing  # titles are shown
    assert "6–9 лет" in listing and "10–13 лет" in listing  # and age groups


def test_juror_scores_every_criterion_from_1_to_10(client, auth, app, contest):
    drawing = make_drawing(app, contest)
    other = make_drawing(app, contest, child="Фаррух", age=12)
    juror = auth.login("jury")
    client.get("/lang/ru")
    page = _score(client, "isfara-test", drawing.id, "", "5", "11").get_data(as_text=True)
    assert "Поставьте оценку от 1 до 10." in page
    assert db.session.scalar(sa.select(sa.func.count(DrawingScore.id))) == 0

    response = _score(client, "isfara-test", drawing.id, "9", "8", "7")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/jury/isfara-test/drawings/{other.id}"  # on to the next one
    assert scoring.juror_scores(drawing, juror) == {"theme": 9, "originality": 8, "technique": 7}
    _score(client, "isfara-test", drawing.id, "10", "8", "7")  # a juror may change their mind
    assert scoring.juror_scores(drawing, juror)["theme"] == 10
    assert db.session.scalar(sa.select(sa.func.count(DrawingScore.id))) == 3


def test_unapproved_drawings_are_not_shown_to_the_jury(client, auth, app, contest):
    pending = make_drawing(app, contest, status="pending")
    auth.login("jury")
    assert client.get(f"/jury/isfara-test/drawings/{pending.id}").status_code == 404
    assert _score(client, "isfara-test", pending.id, "5", "5", "5").status_code == 404
    assert "Падарам" not in client.get("/jury/isfara-test/drawings").get_data(as_text=True)


def test_conflict_of_interest_skips_the_drawing_and_drops_its_scores(client, auth, app, contest):
    drawing = make_drawing(app, contest)
    juror = auth.login("jury")
    _score(client, "isfara-test", drawing.id, "9", "9", "9")
    client.post(f"/jury/isfara-test/drawings/{drawing.id}/conflict")
    assert scoring.juror_scores(drawing, juror) == {}
    client.get("/lang/ru")
    assert "Пропущен: конфликт интересов" in client.get("/jury/isfara-test/drawings").get_data(as_text=True)
    page = client.get(f"/jury/isfara-test/drawings/{drawing.id}").get_data(as_text=True)
    assert "Вы заявили о конфликте интересов" in page and 'name="c_theme"' not in page
    _score(client, "isfara-test", drawing.id, "5", "5", "5")
    assert scoring.juror_scores(drawing, juror) == {}  # a declared conflict cannot be scored by a stray post
    with pytest.raises(service.DrawingError):
        scoring.save_scores(drawing, juror, {"theme": 5, "originality": 5, "technique": 5})
    row = scoring.results(contest)[0].rows[0]
    assert row.conflicts == 1 and row.average is None


def test_results_rank_by_average_per_age_group_and_show_ties(client, auth, app, contest):
    a = make_drawing(app, contest, child="Аня", age=7, title="A")
    b = make_drawing(app, contest, child="Бахром", age=8, title="B")
    c = make_drawing(app, contest, child="Вали", age=9, title="C")
    make_drawing(app, contest, child="Гули", age=6, title="D")  # nobody scores it
    e = make_drawing(app, contest, child="Дилшод", age=12, title="E")
    one, two = make_user("jury", "one@jury.example"), make_user("jury", "two@jury.example")
    for juror, scores in ((one, {a: (9, 9, 9), b: (8, 8, 8), c: (8, 8, 8), e: (5, 5, 5)}),
                          (two, {a: (7, 7, 7), b: (8, 8, 8), c: (8, 8, 8)})):
        for drawing, (t, o, q) in scores.items():
            scoring.save_scores(drawing, juror, {"theme": t, "originality": o, "technique": q})
    db.session.commit()
    groups = scoring.results(contest)
    young = groups[0]
    assert young.age_group == (6, 9)
    ranking = [(r.drawing.title, r.rank, r.tied, r.average, r.jurors) for r in young.rows]
    assert ranking == [("A", 1, True, 8.0, 2), ("B", 1, True, 8.0, 2), ("C", 1, True, 8.0, 2), ("D", None, False, None, 0)]
    assert [(r.drawing.title, r.rank, r.tied) for r in groups[1].rows] == [("E", 1, False)]
    assert groups[2].rows == []

    auth.login("organizer")
    client.get("/lang/ru")
    page = client.get("/manage/isfara-test/drawings/results").get_data(as_text=True)
    assert page.count("поровну") == 3 and "8.00" in page and "6–9 лет" in page


def test_ties_share_a_place_and_the_next_place_is_skipped(app, contest):
    drawings = [make_drawing(app, contest, child=name, age=10, title=name) for name in ("Ш", "Щ", "Э", "Ю")]
    juror = make_user("jury")
    for drawing, score in zip(drawings, (9, 7, 7, 5), strict=True):
        scoring.save_scores(drawing, juror, {"theme": score, "originality": score, "technique": score})
    rows = scoring.results(contest)[1].rows
    assert [(r.drawing.title, r.rank, r.tied) for r in rows] == [("Ш", 1, False), ("Щ", 2, True), ("Э", 2, True),
                                                                  ("Ю", 4, False)]


def test_organizer_marks_awards_only_on_approved_drawings(client, auth, app, contest):
    drawing = make_drawing(app, contest)
    pending = make_drawing(app, contest, status="pending", child="Фаррух")
    auth.login("organizer")
    client.post(f"/manage/isfara-test/drawings/{drawing.id}/award", data={"award": "special"})
    client.post(f"/manage/isfara-test/drawings/{pending.id}/award", data={"award": "first"})
    client.post(f"/manage/isfara-test/drawings/{drawing.id}/award", data={"award": "gold"})
    db.session.expire_all()
    assert db.session.get(Drawing, drawing.id).award == "special"
    assert db.session.get(Drawing, pending.id).award is None
    client.get("/lang/ru")
    assert "Специальный приз" in client.get("/f/isfara-test/drawings").get_data(as_text=True)


def test_database_keeps_scores_between_1_and_10_and_one_drawing_per_child(app, contest):
    drawing = make_drawing(app, contest)
    juror = make_user("jury")
    db.session.add(DrawingScore(drawing_id=drawing.id, juror_id=juror.id, criterion="theme", score=11))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()
    twin = Drawing(**{c.name: getattr(drawing, c.name) for c in Drawing.__table__.columns
                      if c.name not in ("id", "token", "image_key")}, token="t" * 32, image_key="k" * 32)
    db.session.add(twin)
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_organizer_also_reaches_the_jury_page(client, auth, app, contest):
    make_drawing(app, contest)
    auth.login("organizer")
    assert client.get("/jury/isfara-test/drawings").status_code == 200
