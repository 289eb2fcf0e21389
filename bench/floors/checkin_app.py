"""The check-in floor: a bare Flask app, served by the same gunicorn settings on the same
database as the product, doing the least work that gives the door the same result.

POST /forums/<slug>/checkins {"secret", "checkpoint", "nonce"} with `Authorization: Bearer …`:
  1. one SELECT of the token's active user (by the token's SHA-256, not revoked) with whether
     they may scan at the URL's forum (staff or organizer there, or an administrator; a token
     neither read-only nor limited to another forum): 401 if not;
  2. one SELECT of the checkpoint the URL and body name (forum slug, key) with whether it is
     open and whom it admits, and of the badge's registration (status, category) with the
     person's name and organization and their first entry there (time, staff member);
  3. the door's decision: closed checkpoint, unknown badge, cancelled or declined, not admitted
     by the checkpoint's categories, first entry, re-entry or "already";
  4. one INSERT of the scan, commit (on SQLite the writers take turns as the product's do, see
     _writers_turn);
  5. a small JSON answer: status, the person's name and organization, one sentence (for
     "already": the time and the staff member).
No framework extensions, ORM, rules, roles, session, translations or retries: what any
implementation of the door must do, and nothing else. SQLite and PostgreSQL alike.

FLOOR_DATABASE_URL names the database; the product's tables and rows are its own."""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
from contextlib import contextmanager
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask, jsonify, request

URL = sa.make_url(os.environ["FLOOR_DATABASE_URL"])
SQLITE = URL.get_backend_name() == "sqlite"
# SQLite: the driver begins nothing itself; a writer's BEGIN IMMEDIATE is its transaction.
engine = sa.create_engine(URL, connect_args={"isolation_level": None} if SQLITE else {})
# The token's active user, if they may scan at the URL's forum: door staff or organizer there (or
# an administrator), with a token that is not read-only and not limited to another forum.
TOKEN = sa.text("SELECT u.id FROM api_token t JOIN user_account u ON u.id = t.user_id "
                "JOIN forum f ON f.slug = :slug LEFT JOIN forum_member m ON m.forum_id = f.id AND m.user_id = u.id "
                "WHERE t.token_hash = :hash AND t.revoked_at IS NULL AND u.active AND NOT t.read_only "
                "AND (t.forum_id IS NULL OR t.forum_id = f.id) AND (u.role = 'admin' OR m.role IN ('staff', 'organizer'))")
BADGE = sa.text(
    "SELECT c.forum_id, c.id, c.active, c.rule, c.categories, c.reentry, r.id, r.status, r.category, p.full_name, "
    "o.name, e.id, e.created_at, s.name FROM forum f "
    "JOIN checkpoint c ON c.forum_id = f.id AND c.key = :key "
    "LEFT JOIN registration r ON r.forum_id = f.id AND r.badge_secret = :secret "
    "LEFT JOIN person p ON p.id = r.person_id LEFT JOIN organization o ON o.id = p.organization_id "
    "LEFT JOIN checkin e ON e.registration_id = r.id AND e.checkpoint_id = c.id AND e.reason = 'first' "
    "AND e.undone_at IS NULL LEFT JOIN user_account s ON s.id = e.user_id WHERE f.slug = :slug")
INSERT = sa.text("INSERT INTO checkin (forum_id, checkpoint_id, registration_id, result, reason, scanned, nonce, "
                 "method, device, user_id, created_at) VALUES (:forum, :checkpoint, :registration, :result, :reason, "
                 "'', :nonce, 'api', '', :user, :at)")

NAIVE = SQLITE  # stored as the product stores it: naive UTC there, timestamptz else

app = Flask(__name__)


def _now() -> datetime:
    now = datetime.now(UTC)
    return now.replace(tzinfo=None) if NAIVE else now


@app.get("/ping")
def ping():
    return "ok"


@app.post("/forums/<slug>/checkins")
def scan(slug: str):
    body = request.get_json(silent=True) or {}
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    with engine.begin() as connection:
        user = connection.execute(TOKEN, {"hash": hashlib.sha256(token.encode()).hexdigest(), "slug": slug}).scalar()
        if user is None:  # no such token, or one that may not scan here (the product tells 401 and 403 apart)
            return jsonify({"error": "unauthorized"}), 401
        found = connection.execute(BADGE, {"slug": slug, "key": body.get("checkpoint", ""),
                                           "secret": body.get("secret", "")}).first()
        if found is None or not found.active:
            return jsonify({"error": "checkpoint"}), 400
        (forum, checkpoint, _active, rule, categories, reentry, registration, status, category, name, organization,
         first, first_at, by) = found
        result, reason = _decide(rule, categories, reentry, registration, status, category, first)
        with _writers_turn(connection):
            connection.execute(INSERT, {"forum": forum, "checkpoint": checkpoint, "registration": registration,
                                        "result": result, "reason": reason, "nonce": body.get("nonce", ""),
                                        "user": user, "at": _now()})
    message = "Welcome!" if result == "ok" else f"Already in at {first_at}, by {by}." if first else "Not let in."
    return jsonify({"status": result, "name": name, "organization": organization or "", "message": message})


@contextmanager
def _writers_turn(connection):
    """On SQLite, one writer at a time without sleeping: a lock on a file of the floor's own,
    which the kernel hands to the next writer as it is released, then BEGIN IMMEDIATE, the
    INSERT, COMMIT. Left to SQLite's busy handler, waiting writers sleep 1, 2, 5, 10… ms
    between tries and the CPU idles meanwhile (measured: 1,021 scans a second without a
    competing load against 1,354 so, and a p99 of 60–420 ms for three phones against 4–8 ms),
    which flattered the product; it takes turns so too (forum.db). PostgreSQL waits on the
    row's lock."""
    if not SQLITE:
        yield
        return
    turn = os.open(f"{URL.database}.floor-writers", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(turn, fcntl.LOCK_EX)
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            connection.exec_driver_sql("ROLLBACK")
            raise
        connection.exec_driver_sql("COMMIT")
    finally:
        os.close(turn)  # closing it releases the lock


def _listed(categories) -> list:
    """A JSON column: text on SQLite, already a list from PostgreSQL's driver."""
    return categories if isinstance(categories, list) else json.loads(categories or "[]")


def _decide(rule, categories, reentry, registration, status, category, first) -> tuple[str, str]:
    if registration is None:
        return "unknown", "unknown_badge"
    if status in ("cancelled", "declined"):
        return "not_allowed", status
    if rule == "categories" and category not in _listed(categories):
        return "not_allowed", "checkpoint_rule"
    if first is None:
        return "ok", "first"
    return ("ok", "reentry") if reentry else ("already_checked_in", "already")
