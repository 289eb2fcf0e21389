"""The guardian's private link: status, the picture, and withdrawal that deletes everything."""
import pytest
import sqlalchemy as sa

from forum.drawings.models import Drawing, DrawingScore
from forum.extensions import db
from tests.drawings_fixtures import (
    CHILD,
    GUARDIAN,
    drawing_count,
    jpeg,
    make_drawing,
    no_metadata,
    open_contest,
    stored_files,
    submit,
)
from tests.factories import make_user


@pytest.fixture
def contest(forum):
    return open_contest(forum)


def test_private_page_shows_status_and_is_not_indexed(client, app, contest):
    drawing = make_drawing(app, contest, status="pending")
    client.get("/lang/ru")
    response = client.get(f"/f/isfara-test/drawings/d/{drawing.token}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Ожидает проверки" in page and CHILD in page
    assert 'name="robots" content="noindex"' in page and response.headers["Referrer-Policy"] == "same-origin"


def test_rejected_drawing_shows_the_reason_to_the_guardian(client, app, contest):
    drawing = make_drawing(app, contest, status="rejected")
    client.get("/lang/tg")
    page = client.get(f"/f/isfara-test/drawings/d/{drawing.token}").get_data(as_text=True)
    assert "Қабул нашуд" in page and "Расм хира аст" in page


def test_unknown_or_foreign_token_is_a_plain_404(client, app, contest):
    from tests.factories import make_forum

    drawing = make_drawing(app, contest)
    other = make_forum(slug="other")
    other.activities = ["drawings"]
    db.session.commit()
    assert client.get("/f/isfara-test/drawings/d/not-a-token").status_code == 404
    assert client.get("/f/isfara-test/drawings/d/" + "x" * 300).status_code == 404
    assert client.get(f"/f/other/drawings/d/{drawing.token}").status_code == 404
    assert client.post("/f/isfara-test/drawings/d/nope/withdraw", data={"confirm": "y"}).status_code == 404


def test_guardian_sees_the_pending_picture_that_the_public_cannot(client, app, contest):
    drawing = make_drawing(app, contest, status="pending")
    own = client.get(f"/f/isfara-test/drawings/d/{drawing.token}/thumb.jpg")
    assert own.status_code == 200 and own.mimetype == "image/jpeg" and no_metadata(own.data)
    assert own.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in own.headers["Cache-Control"]
    assert "drawing-" in own.headers["Content-Disposition"] and CHILD not in own.headers["Content-Disposition"]
    assert client.get(f"/f/isfara-test/drawings/{drawing.id}/full.jpg").status_code == 404
    assert client.get(f"/f/isfara-test/drawings/{drawing.id}/thumb.jpg").status_code == 404


def test_withdrawal_needs_the_tick_and_then_deletes_picture_row_and_scores(client, app, contest):
    drawing = make_drawing(app, contest)
    juror = make_user("jury")
    db.session.add(DrawingScore(drawing_id=drawing.id, juror_id=juror.id, criterion="theme", score=7))
    db.session.commit()
    token, drawing_id = drawing.token, drawing.id
    assert len(stored_files(app)) == 2

    client.post(f"/f/isfara-test/drawings/d/{token}/withdraw", data={})
    assert drawing_count() == 1 and len(stored_files(app)) == 2  # nothing happens without the tick

    client.get("/lang/ru")
    response = client.post(f"/f/isfara-test/drawings/d/{token}/withdraw", data={"confirm": "y"}, follow_redirects=True)
    assert "Рисунок отозван" in response.get_data(as_text=True)
    db.session.expire_all()
    assert drawing_count() == 0 and stored_files(app) == []
    assert db.session.scalar(sa.select(sa.func.count(DrawingScore.id))) == 0
    assert client.get(f"/f/isfara-test/drawings/d/{token}").status_code == 404
    assert client.get(f"/f/isfara-test/drawings/{drawing_id}/full.jpg").status_code == 404
    page = client.get("/f/isfara-test/drawings").get_data(as_text=True)
    assert CHILD not in page and GUARDIAN not in page


def test_after_withdrawal_the_child_may_send_again(client, app, contest):
    submit(client, "isfara-test", jpeg())
    token = db.session.scalar(sa.select(Drawing.token))
    client.post(f"/f/isfara-test/drawings/d/{token}/withdraw", data={"confirm": "y"})
    assert submit(client, "isfara-test", jpeg()).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Drawing.id))) == 1


def test_guardian_gets_the_private_link_by_sms_in_their_language_without_the_child_s_name(client, app, contest):
    pytest.importorskip("forum.messaging.outbox")
    from forum.messaging.models import Message

    client.get("/lang/tg")
    submit(client, "isfara-test", jpeg())
    token = db.session.scalar(sa.select(Drawing.token))
    message = db.session.scalar(sa.select(Message))
    assert message.channel == "sms" and message.recipient == "+992927771234" and message.language == "tg"
    assert message.body.endswith(f"/f/isfara-test/drawings/d/{token}") and "Расми кӯдаки шумо" in message.body
    assert CHILD not in message.body and GUARDIAN not in message.body
