"""The README's gunicorn recipe serves the venue's phones directly (or behind Caddy, which
passes request bodies through as they arrive): phones whose uploads stall on a weak signal
must not stop everyone else. gunicorn started exactly as the README says, with as many stalled
uploads as it has workers, still answers a door phone's request."""
from __future__ import annotations

import http.client
import os
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bench.checkin import THREADS, WORKERS

ROOT = Path(__file__).resolve().parent.parent


def _gunicorn_lines(path: Path) -> list[list[str]]:
    return [shlex.split(line.strip()) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip().startswith(".venv/bin/gunicorn ")]


def _option(args: list[str], name: str) -> str | None:
    return args[args.index(name) + 1] if name in args else None


def _workers(args: list[str]) -> tuple[str | None, str | None, str | None]:
    return _option(args, "-w"), _option(args, "-k"), _option(args, "--threads")


def test_every_gunicorn_command_in_the_docs_starts_the_workers_the_bench_measures():
    recipe = _gunicorn_lines(ROOT / "README.md")
    assert len(recipe) == 1
    venue = _gunicorn_lines(ROOT / "docs" / "https.md")
    assert venue and all(_workers(args) == _workers(recipe[0]) for args in venue)
    assert _workers(recipe[0]) == (str(WORKERS), "gthread", str(THREADS))


def _stall_an_upload(port: int) -> socket.socket:
    """A phone on a weak signal: a form's headers and its first kilobyte, then nothing."""
    phone = socket.create_connection(("127.0.0.1", port))
    phone.sendall(b"POST /auth/login HTTP/1.1\r\nHost: forum.lan\r\n"
                  b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n" + b"x" * 1024)
    return phone


def test_the_readme_recipe_answers_while_as_many_uploads_as_it_has_workers_stall(tmp_path):
    args = _gunicorn_lines(ROOT / "README.md")[0]
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    args[args.index("-b") + 1] = f"fd://{listener.fileno()}"  # requests wait in its backlog until a worker is up
    env = dict(os.environ, FORUM_DATABASE_URL=f"sqlite:///{tmp_path}/forum.db", FORUM_SECRET_KEY="test",
               FORUM_INSTANCE_DIR=str(tmp_path / "instance"), FORUM_UPLOAD_DIR=str(tmp_path / "uploads"),
               PYTHONPATH=str(ROOT))
    log = open(tmp_path / "gunicorn.log", "w+")  # noqa: SIM115  (closed below)
    process = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), *args[1:]], cwd=ROOT, env=env,
                               stdout=log, stderr=log, pass_fds=(listener.fileno(),))
    phones: list[socket.socket] = []
    try:
        phones = [_stall_an_upload(port) for _ in range(int(_option(args, "-w") or 1))]
        # gunicorn's default timeout frees a stalled sync worker after 30 s: an answer within 20 s
        # came from a worker the stalled uploads did not hold.
        door = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        try:
            door.request("GET", "/api/v1/openapi.json")
            status = door.getresponse().status
        except TimeoutError:
            log.seek(0)
            pytest.fail("no answer while uploads stalled: " + log.read()[-2000:])
        assert status == 200
    finally:
        for phone in phones:
            phone.close()
        process.terminate()
        process.wait(timeout=30)
        listener.close()
        log.close()
