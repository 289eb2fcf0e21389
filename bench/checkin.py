"""Check-in under gunicorn with 16 concurrent clients, against its floor.

gunicorn serves the real app (bench/checkin_app.py) on a free port of 127.0.0.1 with a
fresh database: SQLite in a temporary folder, or PostgreSQL when FORUM_BENCH_DATABASE_URL
names a server (a database of its own is made and dropped). A bounded client of 16 threads
sends, one request per connection as a phone does:
  - measured: POST /api/v1/forums/<slug>/checkins with a staff token, a new badge each time;
  - floor: POST /bench/bare, one indexed SELECT and one UPDATE on the same database.
Bound: check-ins reach at least 60% of the floor's requests per second, with no error.
"""
from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from bench import Row

CLIENTS = 16
WORKERS = 4
ROUNDS = 6  # alternating runs of each endpoint: the machine's load varies, both see the same
PER_ROUND = 300  # requests per run; every run is also bounded in time
REQUESTS = ROUNDS * PER_ROUND
TIME_LIMIT = 30.0
ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prepare(database_url: str, count: int) -> tuple[list[str], str]:
    """Schema, a forum with a checkpoint, `count` registrations and a staff token."""
    from datetime import date
    from datetime import time as clock

    from config import TestConfig
    from forum import create_app
    from forum.auth.service import create_token, create_user
    from forum.checkin.checkpoints import CheckpointData, save_checkpoint
    from forum.events.models import Forum
    from forum.events.service import local_span
    from forum.extensions import db
    from forum.people.models import Person
    from forum.people.service import new_registration

    app = create_app(TestConfig(database_url=database_url))
    with app.app_context():
        db.create_all()
        starts_at, ends_at = local_span(date(2011, 5, 5), clock(9), clock(17), "Asia/Dushanbe")
        forum = Forum(slug="bench-door", status="published", starts_at=starts_at, ends_at=ends_at,
                      title={"ru": "Бенч"}, city={}, venue={}, address={}, goals={}, description={}, contacts={})
        db.session.add(forum)
        save_checkpoint(forum, CheckpointData(key="entrance", name={"ru": "Вход"}))
        registrations = [new_registration(forum, Person(full_name=f"Участник {n}", phone=f"+99293{n:07d}"), "shg_member")
                         for n in range(count)]
        user, _ = create_user("bench-staff@forum.example", "staff", password="bench", name="Bench")
        _token, plain = create_token(user, name="bench")
        db.session.commit()
        secrets = [r.badge_secret for r in registrations]
        db.session.remove()
        db.engine.dispose()
    return secrets, plain


def _serve(database_url: str, instance: str, port: int) -> subprocess.Popen:
    env = dict(os.environ, FORUM_DATABASE_URL=database_url, FORUM_SECRET_KEY="bench-secret",
               FORUM_INSTANCE_DIR=instance, PYTHONPATH=str(ROOT))
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-w", str(WORKERS), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "bench.checkin_app:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/v1/openapi.json")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not start: " + process.stderr.read().decode()[-2000:])


def _drive(port: int, path: str, bodies: list[dict], headers: dict, expect: str) -> tuple[float, list[float], int]:
    """Send the bodies from CLIENTS threads; (requests per second, latencies, errors)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    index = [0]
    deadline = time.monotonic() + TIME_LIMIT

    def worker():
        while time.monotonic() < deadline:
            with lock:
                if index[0] >= len(bodies):
                    return
                body = bodies[index[0]]
                index[0] += 1
            start = time.perf_counter()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                connection.request("POST", path, json.dumps(body), {"Content-Type": "application/json", **headers})
                response = connection.getresponse()
                answer = json.loads(response.read())
                connection.close()
                ok = response.status == 200 and answer.get("status") == expect
            except (OSError, ValueError):
                ok = False
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors[0] += 1

    threads = [threading.Thread(target=worker) for _ in range(CLIENTS)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    return len(latencies) / wall, latencies, errors[0]


def _p99(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000 if ordered else 0.0


def _database(tmp: str) -> tuple[str, callable]:
    server = os.environ.get("FORUM_BENCH_DATABASE_URL")
    if not server:
        return f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", lambda: None
    import sqlalchemy as sa

    url = sa.engine.make_url(server).set(drivername="postgresql+psycopg")
    name = f"forum_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


def run() -> list[Row]:
    warmup = 200
    with tempfile.TemporaryDirectory() as tmp:
        database_url, drop = _database(tmp)
        try:
            secrets, token = _prepare(database_url, 2 * (REQUESTS + warmup))
            port = _free_port()
            server = _serve(database_url, tmp, port)
            try:
                auth = {"Authorization": f"Bearer {token}"}
                bare_bodies = [{"secret": s} for s in secrets]
                scans = [{"secret": s, "checkpoint": "entrance", "nonce": uuid.uuid4().hex} for s in secrets]
                path = "/api/v1/forums/bench-door/checkins"
                # warm both up, then alternate short runs of each; the median run of each counts
                _drive(port, "/bench/bare", bare_bodies[:warmup], {}, "ok")
                _drive(port, path, scans[:warmup], auth, "ok")
                results = {"bare": [], "checkin": []}
                for round_ in range(ROUNDS):
                    chunk = slice(warmup + round_ * PER_ROUND, warmup + (round_ + 1) * PER_ROUND)
                    results["bare"].append(_drive(port, "/bench/bare", bare_bodies[chunk], {}, "ok"))
                    results["checkin"].append(_drive(port, path, scans[chunk], auth, "ok"))
            finally:
                server.terminate()
                server.wait(timeout=15)
        finally:
            drop()
    bare = sorted(results["bare"], key=lambda r: r[0])[ROUNDS // 2]
    checkin = sorted(results["checkin"], key=lambda r: r[0])[ROUNDS // 2]
    errors = sum(r[2] for r in results["checkin"]) + sum(r[2] for r in results["bare"])
    latencies = [t for r in results["checkin"] for t in r[1]]
    bare_latencies = [t for r in results["bare"] for t in r[1]]
    kind = "PostgreSQL" if database_url.startswith("postgresql") else "SQLite"
    note = (f"{kind}, gunicorn -w {WORKERS}, {CLIENTS} clients, median of {ROUNDS} runs; p99 {_p99(latencies):.0f} ms "
            f"(floor p99 {_p99(bare_latencies):.0f} ms); {len(latencies)} check-ins, errors {errors}")
    return [Row("checkin: POST /api/v1/…/checkins", checkin[0], bare[0], "req/s", "≥ 60% of floor, 0 errors",
                checkin[0] >= 0.6 * bare[0] and errors == 0, note)]
