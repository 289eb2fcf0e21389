"""HTTP benchmarking: gunicorn servers started and stopped with deadlines that grow with the
machine's load, and `wrk` (Debian package, installed here when missing, as .ci/run installs
chromium) as the client: written in C, it costs the server's two cores little."""
from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench import deadline

ROOT = Path(__file__).resolve().parent.parent
START, STOP = 30.0, 15.0  # seconds on an idle machine; stretched by bench.deadline()


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
        subprocess.run(sudo + command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return shutil.which("wrk") or "/usr/bin/wrk"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log: Path

    def stop(self) -> None:
        self.process.terminate()
        until = deadline(STOP)
        while self.process.poll() is None and time.monotonic() < until:
            time.sleep(0.1)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def gunicorn(app: str, env: dict, probe: str, log: Path, workers: int = 4, worker_class: str = "sync",
             threads: int = 1) -> Server:
    """gunicorn serving `app` (module:variable) on a free port; returns once `probe` answers 200."""
    port = free_port()
    command = [str(Path(sys.executable).parent / "gunicorn"), "-w", str(workers), "-k", worker_class,
               "-b", f"127.0.0.1:{port}", "--log-level", "warning", app]
    if worker_class == "gthread":
        command[1:1] = ["--threads", str(threads)]
    output = log.open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **env},
                               stdout=output, stderr=subprocess.STDOUT)
    server = Server(process, port, log)
    until = deadline(START)
    while time.monotonic() < until:
        if process.poll() is not None:
            break
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", probe)
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"gunicorn {app} did not start: " + log.read_text(errors="replace")[-500:])


@dataclass
class Load:
    requests: int
    seconds: float
    bad_status: int  # answers other than 2xx/3xx
    socket_errors: int
    p99_ms: float
    mean_ms: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


RESULT = re.compile(r"^RESULT (\d+) (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+)$", re.M)


def wrk(url: str, script: Path, seconds: float, connections: int, args: list[str]) -> Load:
    """Run wrk against `url` with a Lua script whose done() prints a RESULT line (see LUA_DONE)."""
    command = [ensure_wrk(), "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
               "-s", str(script), url, "--", *args]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=60 + seconds * 4)
    found = RESULT.search(finished.stdout)
    if not found:
        raise RuntimeError("wrk gave no result: " + (finished.stdout + finished.stderr)[-400:])
    requests, micros, bad, errors, p99, mean = found.groups()
    return Load(int(requests), int(micros) / 1e6, int(bad), int(errors), float(p99) / 1000, float(mean) / 1000)


LUA_DONE = """
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %.1f %.1f\\n", summary.requests, summary.duration, e.status,
           e.connect + e.read + e.write + e.timeout, latency:percentile(99), latency.mean))
end
"""
