"""The README's gunicorn recipe serves the venue's phones directly (or behind Caddy, which
passes request bodies through as they arrive): phones whose uploads stall on a weak signal
must not stop everyone else. gunicorn started exactly as the README says, with as many stalled
uploads as it has workers, still answers a door phone's request."""
from __future__ import annotations

import http.client
import os
import socket

import pytest

from bench.checkin import THREADS, WORKERS, gunicorn_commands, option
from tests.gunicorn_server import ROOT, serving


def _workers(args: list[str]) -> tuple[str | None, str | None, str | None]:
    return option(args, "-w"), option(args, "-k"), option(args, "--threads")


def test_every_gunicorn_command_in_the_docs_starts_the_workers_the_bench_measures():
    recipe = gunicorn_commands(ROOT / "README.md")
    assert len(recipe) == 1
    venue = gunicorn_commands(ROOT / "docs" / "https.md")
    assert venue and all(_workers(args) == _workers(recipe[0]) for args in venue)
    assert _workers(recipe[0]) == (str(WORKERS), "gthread", str(THREADS))


def _stall_an_upload(port: int) -> socket.socket:
    """A phone on a weak signal: a form's headers and its first kilobyte, then nothing."""
    phone = socket.create_connection(("127.0.0.1", port))
    phone.sendall(b"POST /auth/login HTTP/1.1\r\nHost: forum.lan\r\n"
                  b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n" + b"x" * 1024)
    return phone


def test_the_readme_recipe_answers_while_as_many_uploads_as_it_has_workers_stall(tmp_path):
    args = gunicorn_commands(ROOT / "README.md")[0]
    bind = args.index("-b")
    options, app = args[1:bind] + args[bind + 2:-1], args[-1]  # the socket is the test's
    env = dict(os.environ, FORUM_DATABASE_URL=f"sqlite:///{tmp_path}/forum.db", FORUM_SECRET_KEY="test",
               FORUM_INSTANCE_DIR=str(tmp_path / "instance"), FORUM_UPLOAD_DIR=str(tmp_path / "uploads"))
    with serving(options, app, env, tmp_path / "gunicorn.log") as served:
        phones = [_stall_an_upload(served.port) for _ in range(int(option(args, "-w") or 1))]
        try:
            # gunicorn's default timeout frees a stalled sync worker after 30 s: an answer within
            # 20 s came from a worker the stalled uploads did not hold.
            door = http.client.HTTPConnection("127.0.0.1", served.port, timeout=20)
            try:
                door.request("GET", "/api/v1/openapi.json")
                status = door.getresponse().status
            except TimeoutError:
                pytest.fail("no answer while uploads stalled: " + served.logs_for_report()[-2000:])
            assert status == 200
        finally:
            for phone in phones:
                phone.close()
