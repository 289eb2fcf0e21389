"""The demo's drawings: a dozen painted pictures for Isfara, some approved, scored and awarded."""
import sqlalchemy as sa

from forum.drawings import demo, scoring
from forum.drawings.models import Drawing, DrawingScore
from forum.extensions import db
from tests.drawings_fixtures import no_metadata, stored_files
from tests.factories import make_forum, make_user


def test_demo_paints_a_dozen_drawings_with_scores_and_awards_once(app, client, auth):
    forum = make_forum(slug="isfara-2011")
    forum.activities = ["drawings"]
    db.session.commit()
    juror = make_user("jury", "jury@forum.example")
    make_user("organizer", "organizer@forum.example")
    demo.load({"isfara-2011": forum})
    demo.load({"isfara-2011": forum})  # idempotent

    statuses = dict(db.session.execute(sa.select(Drawing.status, sa.func.count()).group_by(Drawing.status)).all())
    assert statuses == {"approved": 8, "pending": 4}
    assert db.session.scalar(sa.select(sa.func.count(sa.distinct(DrawingScore.drawing_id)))
                             .where(DrawingScore.juror_id == juror.id)) == 7
    awards = sorted(a for a in db.session.scalars(sa.select(Drawing.award)) if a)
    assert awards == ["first", "first", "first", "second", "second", "special"]
    files = stored_files(app)
    assert len(files) == 24 and all(no_metadata(p.read_bytes()) for p in files)
    groups = scoring.results(forum)
    assert [len(g.rows) for g in groups] == [3, 3, 2]
    assert any(r.tied for g in groups for r in g.rows)  # the demo shows what a tie looks like

    client.post("/auth/login", data={"email": "jury@forum.example", "password": "correct horse battery"})
    page = client.get("/jury/isfara-2011/drawings").get_data(as_text=True)
    assert page.count("/jury/isfara-2011/drawings/") == 8
