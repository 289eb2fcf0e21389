"""Webhooks: an organizer adds a URL and its events on a page; each event goes through the
outbox to a real local HTTP server once, signed with HMAC-SHA256 of time and body, retried
when the server fails, and the answers are listed on the page."""
from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa

from forum.api import webhooks
from forum.api.models import Webhook
from forum.db import utcnow
from forum.extensions import db
from forum.messaging import outbox
from forum.messaging.models import Message
from forum.people.models import Registration
from tests import factories
from tests.api_fixtures import bearer
from tests.checkin_fixtures import make_checkpoint, scan

pytestmark = pytest.mark.both_dbs


class Receiver:
    """A partner's program: an HTTP server on a free port that records each POST and answers
    with the next of `answers` (then 200)."""

    def __init__(self):
        self.received: list[dict] = []
        self.answers: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"thanks" if status == 200 else b"busy")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/forum-hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def events(self) -> list[str]:
        return [json.loads(r["body"])["event"] for r in self.received]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def _add_on_the_page(client, auth, receiver, events) -> Webhook:
    auth.login("organizer")
    page = client.post("/manage/isfara-test/webhooks", data={"url": receiver.url, "events": events},
                       follow_redirects=True)
    assert page.status_code == 200
    assert receiver.url in page.get_data(as_text=True)
    return db.session.scalar(sa.select(Webhook))


def test_each_event_arrives_once_signed(client, auth, forum, receiver):
    hook = _add_on_the_page(client, auth, receiver, ["registration.created", "registration.changed", "checkin"])
    assert hook.secret in client.get("/manage/isfara-test/webhooks").get_data(as_text=True)
    make_checkpoint(forum)
    created = client.post("/api/v1/forums/isfara-test/registrations", headers=bearer(), json={
        "full_name": "Каримова Мавлуда", "phone": "92 770 18 06", "category": "shg_member", "consent": True})
    registration_id = created.json["id"]
    client.patch(f"/api/v1/forums/isfara-test/registrations/{registration_id}", headers=bearer(),
                 json={"status": "invited"})
    assert receiver.received == []
    badge = db.session.get(Registration, registration_id).badge_secret
    scan(forum, badge, nonce="door-1-scan-0001")
    scan(forum, badge, nonce="door-1-scan-0001")  # the same scan again: no second event
    scan(forum, badge, nonce="door-1-scan-0002")  # already in: not an arrival

    report = outbox.send_pending()
    assert report.sent == 3 and report.failed == 0
    assert receiver.events() == ["registration.created", "registration.changed", "checkin"]
    for request in receiver.received:
        header = request["headers"]["X-Forum-Signature"]
        assert webhooks.verify(hook.secret, header, request["body"])
        assert not webhooks.verify("another secret", header, request["body"])
        assert not webhooks.verify(hook.secret, header, request["body"] + b" ")
    checkin = json.loads(receiver.received[2]["body"])
    assert checkin["forum"] == "isfara-test"
    assert checkin["data"]["registration"]["name"] == "Каримова Мавлуда"
    assert "+992" not in receiver.received[0]["body"].decode()  # a partner's URL gets no phone numbers

    assert outbox.send_pending().total == 0  # exactly once
    assert len(receiver.received) == 3
    page = client.get("/manage/isfara-test/webhooks").get_data(as_text=True)
    assert page.count("HTTP 200") == 3 and "thanks" in page


def test_a_failing_url_is_tried_again_and_its_answers_listed(client, auth, forum, receiver):
    _add_on_the_page(client, auth, receiver, ["registration.created"])
    receiver.answers = [503]
    factories.make_registration(forum)
    first = outbox.send_pending()
    assert first.retry == 1 and len(receiver.received) == 1
    assert outbox.send_pending().total == 0  # not before its backoff
    later = outbox.send_pending(now=utcnow() + timedelta(hours=1))
    assert later.sent == 1 and len(receiver.received) == 2
    assert receiver.received[0]["headers"]["X-Forum-Delivery"] == receiver.received[1]["headers"]["X-Forum-Delivery"]
    page = client.get("/manage/isfara-test/webhooks").get_data(as_text=True)
    assert "HTTP 503" in page and "HTTP 200" in page and "busy" in page


def test_gone_stops_and_switched_off_sends_nothing(client, auth, forum, receiver):
    hook = _add_on_the_page(client, auth, receiver, ["registration.created"])
    receiver.answers = [410]
    factories.make_registration(forum)
    assert outbox.send_pending().failed == 1
    client.post(f"/manage/isfara-test/webhooks/{hook.id}/off")
    factories.make_registration(forum)
    assert outbox.send_pending().total == 0 and len(receiver.received) == 1


def test_events_not_chosen_and_other_forums_send_nothing(client, auth, forum, receiver):
    _add_on_the_page(client, auth, receiver, ["checkin"])
    factories.make_registration(forum)
    factories.make_registration(factories.make_forum())
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 0


def test_the_page_refuses_a_bad_url_or_no_event(client, auth, forum):
    auth.login("organizer")
    page = client.post("/manage/isfara-test/webhooks", data={"url": "ftp://partner.example/x", "events": ["checkin"]},
                       headers={"Accept-Language": "ru"})
    assert "https://" in page.get_data(as_text=True)
    page = client.post("/manage/isfara-test/webhooks", data={"url": "https://partner.example/x"},
                       headers={"Accept-Language": "ru"})
    assert db.session.scalar(sa.select(sa.func.count(Webhook.id))) == 0
    assert page.status_code == 200


@pytest.mark.parametrize("role", ["staff", "employer", "jury"])
def test_only_organizers_manage_webhooks(client, auth, forum, role):
    auth.login(role)
    assert client.get("/manage/isfara-test/webhooks").status_code == 403
    assert client.post("/manage/isfara-test/webhooks/1/off").status_code == 403


def test_a_registration_changed_again_before_commit_sends_its_final_state(client, auth, forum, receiver):
    """One transaction creates a registration (a flush queues its event) and changes it again
    (a second flush): the one message tells the final state. The second flush's change was
    once dropped by the unit of work (SQLAlchemy warned: "will not result in database updates")."""
    _add_on_the_page(client, auth, receiver, ["registration.created", "registration.changed"])
    registration = factories.new_registration(forum, factories.make_person(), "shg_member", status="confirmed")
    db.session.flush()
    db.session.flush()  # the event's message is written
    registration.status = "invited"
    db.session.commit()
    db.session.expire_all()
    stored = db.session.scalars(sa.select(Message).where(Message.channel == "webhook")).all()
    assert len(stored) == 1
    assert json.loads(stored[0].body)["data"]["status"] == "invited"
    outbox.send_pending()
    assert receiver.events() == ["registration.created"]
    assert json.loads(receiver.received[0]["body"])["data"]["status"] == "invited"
