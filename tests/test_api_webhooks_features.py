"""Webhooks of the job fair and the round table, on the demo forum: an approved vacancy and a
changed recommendation each reach the partner's URL once, whichever page made them."""
from __future__ import annotations

import json
from datetime import datetime

import sqlalchemy as sa

from forum.api import webhooks
from forum.events.service import forum_by_slug
from forum.extensions import db
from forum.jobfair import service as jobfair
from forum.jobfair.models import Vacancy
from forum.messaging import outbox
from forum.roundtable.models import Recommendation
from tests import factories
from tests.test_api_webhooks import Receiver


def test_vacancy_approved_and_recommendation_changed(demo_app):
    receiver = Receiver()
    try:
        forum = forum_by_slug("isfara-2011")
        hook = webhooks.add_webhook(forum, receiver.url, ["vacancy.approved", "recommendation.changed"])
        db.session.commit()
        vacancy = db.session.scalar(sa.select(Vacancy).where(Vacancy.forum_id == forum.id, Vacancy.status == "pending",
                                                             Vacancy.employer.has(status="approved")))
        before = datetime.fromisoformat("2011-04-20T10:00:00+05:00")
        jobfair.decide_vacancy(vacancy, True, "", factories.make_user("organizer"), now=before)
        db.session.commit()
        recommendation = db.session.scalar(sa.select(Recommendation).where(Recommendation.forum_id == forum.id))
        recommendation.status = "done" if recommendation.status != "done" else "in_progress"
        db.session.commit()
        outbox.send_pending(now=None)
        bodies = {json.loads(r["body"])["event"]: json.loads(r["body"]) for r in receiver.received}
        assert set(bodies) == {"vacancy.approved", "recommendation.changed"}
        assert len(receiver.received) == 2
        assert bodies["vacancy.approved"]["data"]["id"] == vacancy.id
        assert bodies["recommendation.changed"]["data"]["status"] == recommendation.status
        assert all(webhooks.verify(hook.secret, r["headers"]["X-Forum-Signature"], r["body"]) for r in receiver.received)
    finally:
        receiver.close()
