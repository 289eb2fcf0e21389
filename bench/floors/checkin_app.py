"""The check-in floor: a bare Flask app, served by the same gunicorn settings on the same
database as the product. POST /scan {"secret", "nonce"}: one SELECT of the badge, one INSERT
of the scan, commit, a small JSON answer. No tokens, rules, ORM or answers in three languages.

FLOOR_DATABASE_URL names the database; FLOOR_FORUM and FLOOR_CHECKPOINT the ids to write."""
from __future__ import annotations

import os
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask, jsonify, request

engine = sa.create_engine(os.environ["FLOOR_DATABASE_URL"])
FORUM, CHECKPOINT = int(os.environ["FLOOR_FORUM"]), int(os.environ["FLOOR_CHECKPOINT"])
SELECT = sa.text("SELECT id FROM registration WHERE badge_secret = :secret")
INSERT = sa.text("INSERT INTO checkin (forum_id, checkpoint_id, registration_id, result, reason, scanned, nonce, "
                 "method, device, created_at) VALUES (:forum, :checkpoint, :registration, 'ok', 'floor', '', :nonce, "
                 "'api', '', :at)")

NAIVE = engine.dialect.name == "sqlite"  # stored as the product stores it: naive UTC there, timestamptz else

app = Flask(__name__)


def _now() -> datetime:
    now = datetime.now(UTC)
    return now.replace(tzinfo=None) if NAIVE else now


@app.get("/ping")
def ping():
    return "ok"


@app.post("/scan")
def scan():
    body = request.get_json(silent=True) or {}
    with engine.begin() as connection:
        found = connection.execute(SELECT, {"secret": body.get("secret", "")}).scalar()
        connection.execute(INSERT, {"forum": FORUM, "checkpoint": CHECKPOINT, "registration": found,
                                    "nonce": body.get("nonce", ""), "at": _now()})
    return jsonify({"status": "ok" if found else "unknown", "id": found})
