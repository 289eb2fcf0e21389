"""The app the check-in benchmark serves under gunicorn: the product, plus one bare endpoint
that exists only here (never in the product): one indexed SELECT and one UPDATE."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify, request

from forum import create_app
from forum.auth.access import public
from forum.db import utcnow
from forum.extensions import csrf, db
from forum.people.models import Registration

bare = Blueprint("bench_bare", __name__)


@bare.route("/bench/bare", methods=["POST"])
@public
def bare_checkin():
    secret = (request.get_json(silent=True) or {}).get("secret", "")
    table = Registration.__table__
    found = db.session.execute(sa.select(table.c.id).where(table.c.badge_secret == secret)).scalar()
    db.session.execute(table.update().where(table.c.id == found).values(badge_printed_at=utcnow()))
    db.session.commit()
    return jsonify({"status": "ok", "id": found})


app = create_app()
app.register_blueprint(bare)
csrf.exempt(bare)  # a JSON endpoint for the benchmark's client, like the Bearer API
