"""The check-in bench's floor (bench/floors/checkin_app.py), served by gunicorn in a process of
its own as the bench serves it (forum.db's engine hooks must not reach it): it gives the
door's result, and on SQLite its writers wait their turn in the kernel, as the product's do,
rather than sleeping in SQLite's busy handler (which left the CPU idle and flattered the
product)."""
from __future__ import annotations

import fcntl
import http.client
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.checkin import _prepare
from tests.gunicorn_server import Served, serving

DEADLINE = 30.0  # seconds; a step that takes this long is stuck, not slow


@dataclass
class Floor:
    """The floor being served, with a badge list and a staff token of its database."""

    served: Served
    secrets: list[str]
    token: str
    turn: Path  # the writers' turn: the file the floor's SQLite writers lock

    def logs_for_report(self) -> str:  # tests/conftest.py adds gunicorn's log to a failing test's report
        return self.served.logs_for_report()

    def scan(self, secret: str, nonce: str, token: str | None = None) -> tuple[int, dict]:
        door = http.client.HTTPConnection("127.0.0.1", self.served.port, timeout=DEADLINE)
        try:
            door.request("POST", "/forums/bench/checkins",
                         json.dumps({"secret": secret, "checkpoint": "floor", "nonce": nonce}),
                         {"Content-Type": "application/json", "Authorization": f"Bearer {token or self.token}"})
            answer = door.getresponse()
            body = answer.read()
            return answer.status, json.loads(body) if answer.getheader("Content-Type") == "application/json" else {}
        finally:
            door.close()


@pytest.fixture
def floor(tmp_path):
    database = tmp_path / "bench.sqlite3"
    url = f"sqlite:///{database}"
    secrets, token = _prepare(url, 6)
    env = dict(os.environ, FLOOR_DATABASE_URL=url)
    with serving(["-w", "1"], "bench.floors.checkin_app:app", env, tmp_path / "floor.log") as served:
        yield Floor(served, secrets, token, Path(f"{database}.floor-writers"))


def test_the_floor_answers_as_the_door_does(floor):
    status, first = floor.scan(floor.secrets[0], "nonce-0001")
    assert status == 200 and first["status"] == "ok" and first["message"] == "Welcome!" and first["name"]
    _status, again = floor.scan(floor.secrets[0], "nonce-0002")
    assert again["status"] == "already_checked_in" and again["message"].startswith("Already in at ")
    assert floor.scan("X" * 22, "nonce-0003")[1]["status"] == "unknown"
    assert floor.scan(floor.secrets[1], "nonce-0004", token="not-a-token")[0] == 401


def _blocked_on(path: Path) -> bool:
    """Whether some process waits for a lock on `path` (a "->" line of /proc/locks)."""
    inode = f":{os.stat(path).st_ino}"
    return any(fields[1] == "->" and fields[6].endswith(inode)
               for fields in (line.split() for line in Path("/proc/locks").read_text().splitlines()))


def test_a_writer_waits_for_its_turn_in_the_kernel(floor):
    assert floor.scan(floor.secrets[0], "nonce-warm")[0] == 200  # the turn's file is made
    answers: list = []
    held = os.open(floor.turn, os.O_RDWR)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)  # another writer's turn
        scanning = threading.Thread(target=lambda: answers.append(floor.scan(floor.secrets[1], "nonce-wait")))
        scanning.start()
        looked = threading.Event()  # never set: its wait() is the pause between looks
        # Until /proc/locks shows the scan waiting on the turn; the deadline only ends a wait that never comes.
        waiting = any(_blocked_on(floor.turn) or looked.wait(0.01) for _ in range(int(DEADLINE * 100)))
        assert waiting, "the scan did not wait for the writers' turn"
        assert answers == []
    finally:
        os.close(held)  # the turn is handed on
    scanning.join(DEADLINE)
    assert not scanning.is_alive() and answers[0][1]["status"] == "ok"


def test_a_write_that_fails_gives_its_turn_back(floor):
    assert floor.scan(floor.secrets[0], "nonce-same")[1]["status"] == "ok"
    assert floor.scan(floor.secrets[1], "nonce-same")[0] == 500  # the nonce's unique key refuses the row
    status, answer = floor.scan(floor.secrets[1], "nonce-next")  # times out if the turn were kept
    assert status == 200 and answer["status"] == "ok"
