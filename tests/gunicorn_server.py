"""gunicorn as the tests start it: on a socket the test binds and hands over (fd://), so
requests made before the workers are up wait in its backlog and nothing polls for gunicorn to
listen."""
from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Served:
    """A running gunicorn: its port, and its log for a failing test's report."""

    def __init__(self, process: subprocess.Popen, port: int, log) -> None:
        self.process, self.port, self._log = process, port, log

    def logs_for_report(self) -> str:  # tests/conftest.py adds it to the report of a failing test
        self._log.seek(0)
        return self._log.read()[-5000:]


@contextmanager
def serving(options: list[str], app: str, env: dict[str, str], log_path: Path) -> Iterator[Served]:
    """gunicorn with `options` (no -b: the socket is the test's) serving `app` from the project."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    log = open(log_path, "w+")  # noqa: SIM115  (closed below)
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), *options, "-b", f"fd://{listener.fileno()}", app],
        cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)}, stdout=log, stderr=log, pass_fds=(listener.fileno(),))
    try:
        yield Served(process, listener.getsockname()[1], log)
    finally:
        process.terminate()
        process.wait(timeout=30)
        listener.close()
        log.close()
