"""A real Kannel for the SMS tests: bearerbox and smsbox from Debian's `kannel` package, with
Debian's fakesmsc (package `kannel-extras`) as the operator's SMS centre.

Started once per test session (per xdist worker) on free ports, from a configuration written to
a temporary directory; readiness is polled on bearerbox's status page, never waited for with
sleeps; stopped at the end. A failing test that used it gets the boxes' logs in its report.
fakesmsc prints every SMS it receives; `Kannel.received()` reads them back as a phone would
show them: UCS-2 decoded, concatenated parts joined.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import struct
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pytest

from bench import deadline

BEARERBOX = "/usr/sbin/bearerbox"
SMSBOX = "/usr/sbin/smsbox"
FAKESMSC = "/usr/lib/kannel/test/fakesmsc"
USER, PASSWORD = "forum", "sendsms-secret"
MAX_PARTS = 10  # the sendsms-user's max-messages, as docs/sms.md advises
START_SECONDS = 30.0  # on an idle machine; stretched by its load (bench.deadline)
ARRIVAL_SECONDS = 20.0  # the same, for an SMS to reach fakesmsc
POLL = 0.05  # how often to ask a process outside this one, which gives no event to wait on

CONFIG = """\
group = core
admin-port = {admin}
admin-password = {admin_password}
admin-allow-ip = "127.0.0.1"
smsbox-port = {smsbox}
box-allow-ip = "127.0.0.1"
log-file = "{folder}/bearerbox.log"
log-level = 0
access-log = "{folder}/access.log"
dlr-storage = internal
store-type = file
store-location = "{folder}/store"

group = smsc
smsc = fake
smsc-id = fake
host = 127.0.0.1
port = {smsc}
connect-allow-ip = "127.0.0.1"

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {smsbox}
sendsms-port = {sendsms}
sendsms-interface = 127.0.0.1
log-file = "{folder}/smsbox.log"
log-level = 0

group = sendsms-user
username = {user}
password = {password}
default-sender = Forum
concatenation = true
max-messages = {max_parts}

group = sms-service
keyword = default
text = "This number does not take messages."
"""

LINE = re.compile(r"Got message \d+: <(.*)>$")


@dataclass
class Received:
    """One SMS as the phone shows it."""

    sender: str
    receiver: str
    text: str
    parts: int


def _decode(field: str) -> bytes:
    return unquote_to_bytes(field.replace("+", "%20"))  # fakesmsc url-encodes, spaces as '+'


def parse_fakesmsc(lines: list[str]) -> list[Received]:
    """SMS from fakesmsc's "Got message" lines: text, ucs-2, or udh+data parts of a
    concatenated SMS (UDH 00 03 ref total seq), joined once all parts are in."""
    done: list[Received] = []
    pending: dict[tuple[str, str, int], dict[int, bytes]] = {}
    for line in lines:
        match = LINE.search(line.rstrip("\n"))
        if not match:
            continue
        sender, receiver, kind, *rest = match.group(1).split(" ")
        if kind == "text":
            done.append(Received(sender, receiver, " ".join(rest), 1))
        elif kind == "ucs-2":
            done.append(Received(sender, receiver, _decode(rest[0]).decode("utf-16-be"), 1))
        elif kind == "udh" and rest[1] == "data":
            udh, data = _decode(rest[0]), _decode(rest[2])
            if udh[1] == 0x00:  # concatenation, 8-bit reference
                reference, total, seq = udh[3], udh[4], udh[5]
            else:  # 0x08: 16-bit reference
                reference, total, seq = udh[3] << 8 | udh[4], udh[5], udh[6]
            parts = pending.setdefault((sender, receiver, reference), {})
            parts[seq] = data  # we always send UCS-2 (coding=2)
            if len(parts) == total:
                text = b"".join(parts[i] for i in sorted(parts)).decode("utf-16-be")
                done.append(Received(sender, receiver, text, total))
                del pending[(sender, receiver, reference)]
    return done


def free_ports(count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


class Kannel:
    """bearerbox + smsbox + fakesmsc in `folder`; start() and stop() may be called again."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.admin_password = "admin-secret"
        self.processes: dict[str, subprocess.Popen] = {}
        self.ports: dict[str, int] = {}

    @property
    def sendsms_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['sendsms']}/cgi-bin/sendsms"

    @property
    def fakesmsc_log(self) -> Path:
        return self.folder / "fakesmsc.log"

    def _configure(self, fresh_ports: bool) -> Path:
        if fresh_ports or not self.ports:
            admin, smsbox, smsc, sendsms = free_ports(4)
            self.ports = {"admin": admin, "smsbox": smsbox, "smsc": smsc, "sendsms": sendsms}
        path = self.folder / "kannel.conf"
        path.write_text(CONFIG.format(folder=self.folder, admin_password=self.admin_password, user=USER,
                                      password=PASSWORD, max_parts=MAX_PARTS, **self.ports))
        return path

    def _spawn(self, name: str, *command: str) -> None:
        out = (self.folder / f"{name}.out").open("ab")
        self.processes[name] = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                                cwd=self.folder, start_new_session=True)
        out.close()

    def status(self) -> str:
        url = f"http://127.0.0.1:{self.ports['admin']}/status.txt?password={self.admin_password}"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode("utf-8", "replace")
        except (OSError, urllib.error.URLError):
            return ""

    def _died(self) -> str | None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                return f"{name} exited with {process.returncode}"
        return None

    def _wait(self, what: str, ready, until: float) -> None:
        """Ask `ready` every POLL seconds until it answers; `until` only ends a wait for a box
        that never comes up (it died, or the machine is far slower than its load says)."""
        while not ready():
            died = self._died()
            if died or time.monotonic() > until:
                raise RuntimeError(f"Kannel did not become ready ({what}): {died or 'timed out'}\n{self.logs()}")
            time.sleep(POLL)

    def start(self) -> None:
        """Start the three (on the ports of the last start, if any) and return once smsbox takes
        requests and the SMS centre is online. A port taken meanwhile by another test run: try
        other free ports (then `sendsms_url` changes)."""
        for attempt in range(3):
            config = self._configure(fresh_ports=attempt > 0)
            try:
                self._start(config)
                return
            except RuntimeError:
                self.stop()
                if attempt == 2:
                    raise
            except BaseException:
                self.stop()  # any other failure (a bug, Ctrl+C): no box left running behind it
                raise

    def _start(self, config: Path) -> None:
        until = deadline(START_SECONDS)
        self._spawn("bearerbox", BEARERBOX, "-v", "1", str(config))
        self._wait("bearerbox status page", lambda: "Status: running" in self.status(), until)
        # fakesmsc connects to bearerbox's fake SMSC port (-m 0: it sends nothing, only receives;
        # -v 0 logs each received SMS).
        self._spawn("fakesmsc", FAKESMSC, "-H", "127.0.0.1", "-r", str(self.ports["smsc"]), "-m", "0",
                    "-v", "2", "-F", str(self.fakesmsc_log), "-V", "0", "0 0 text unused")
        self._wait("fakesmsc connected", lambda: re.search(r"FAKE:\d+ \(online", self.status()), until)
        self._spawn("smsbox", SMSBOX, "-v", "1", str(config))
        self._wait("smsbox connected", lambda: re.search(r"smsbox:.*on-line", self.status()), until)
        self._wait("sendsms port", self._sendsms_open, until)

    def _sendsms_open(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.ports["sendsms"]), timeout=1):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        """Stop all three: bearerbox tells smsbox to go, fakesmsc leaves when its line drops."""
        for name in ("smsbox", "bearerbox", "fakesmsc"):
            process = self.processes.get(name)
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        self.processes = {}

    def ensure_running(self) -> None:
        """Start again what a test stopped (or what died)."""
        if len(self.processes) < 3 or self._died():
            self.stop()
            self.start()

    def mark(self) -> int:
        """A point in fakesmsc's log: received(after=mark) gives only what came later."""
        return len(self._lines())

    def _lines(self) -> list[str]:
        if not self.fakesmsc_log.exists():
            return []
        return self.fakesmsc_log.read_text(encoding="latin-1").splitlines()

    def received(self, after: int = 0) -> list[Received]:
        return parse_fakesmsc(self._lines()[after:])

    def wait_for(self, count: int, after: int = 0, to: str | None = None) -> list[Received]:
        """The SMS (to `to`, if given) that arrived after `after`, once there are `count`:
        fakesmsc's log is read every POLL seconds (another process's file: nothing to wait
        on); ARRIVAL_SECONDS, stretched by the load, only ends a wait for an SMS that never comes."""
        until = deadline(ARRIVAL_SECONDS)
        while True:
            got = [r for r in self.received(after) if to is None or r.receiver == to]
            if len(got) >= count or time.monotonic() > until:
                return got
            time.sleep(POLL)

    def logs(self) -> str:
        parts = []
        for name in ("bearerbox.log", "smsbox.log", "bearerbox.out", "smsbox.out", "fakesmsc.out", "fakesmsc.log"):
            path = self.folder / name
            if path.exists():
                tail = path.read_text(encoding="utf-8", errors="replace").splitlines()[-60:]
                parts.append(f"--- {name} (last {len(tail)} lines) ---\n" + "\n".join(tail))
        return "\n".join(parts)

    logs_for_report = logs  # tests/conftest.py adds it to the report of a failing test


@pytest.fixture(scope="session")
def kannel(tmp_path_factory):
    missing = [path for path in (BEARERBOX, SMSBOX, FAKESMSC) if not os.access(path, os.X_OK)]
    if missing:
        pytest.skip(f"SMS tests need Debian's kannel and kannel-extras ({', '.join(missing)} missing); "
                    ".ci/run installs them")
    gateway = Kannel(tmp_path_factory.mktemp("kannel"))
    gateway.start()
    yield gateway
    gateway.stop()


@pytest.fixture
def kannel_app(mail_app, kannel, live_server):
    """The app sending SMS through Kannel; delivery reports come back to the live server."""
    kannel.ensure_running()
    mail_app.config.update(SMS_BACKEND="kannel", KANNEL_URL=kannel.sendsms_url, KANNEL_USER=USER,
                           KANNEL_PASSWORD=PASSWORD, BASE_URL=live_server.url, KANNEL_TIMEOUT=10)
    return mail_app


class AnswerDroppingProxy:
    """Stands between the app and smsbox, hands each request on, reads smsbox's answer and
    drops the connection instead of passing the answer back: "sent, but the answer was lost"."""

    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.forwarded = 0
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> AnswerDroppingProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown(socket.SHUT_RDWR)  # wakes the accept() below
        self.server.close()
        self.thread.join(timeout=5)

    def _serve(self) -> None:
        while True:
            try:
                client, _address = self.server.accept()
            except OSError:  # closed: the test is over
                return
            with client:
                request = b""
                while b"\r\n\r\n" not in request:
                    chunk = client.recv(65536)
                    if not chunk:
                        break
                    request += chunk
                with socket.create_connection(("127.0.0.1", self.upstream_port), timeout=10) as upstream:
                    # As HTTP/1.0, so that smsbox closes the connection after its answer.
                    upstream.sendall(request.replace(b" HTTP/1.1\r\n", b" HTTP/1.0\r\n", 1))
                    while upstream.recv(65536):
                        pass
                self.forwarded += 1
                # Reset instead of a clean close: the client sees the connection die mid-answer.
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
