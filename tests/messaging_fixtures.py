"""A real SMTP server for messaging tests (aiosmtpd on 127.0.0.1, a free port), with
switches to make it slow or make it refuse, and helpers to run real sender processes."""
from __future__ import annotations

import asyncio
import email
import os
import socket
import subprocess
import sys
import threading
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent


class Mailbox:
    """What the SMTP server received, and how it should behave.

    - `refuse[address]`: replies given to RCPT for that address, one per try ("451 …", "550 …");
      when the list is used up the address is accepted;
    - `refuse_all`: a reply given to every RCPT (e.g. always "451 …");
    - `data_delay`: seconds the server takes before accepting each message;
    - `stall_at`: the RCPT number (1-based) at which the server sets `stalled` and stops answering
      for `stall_seconds`: a sender killed then has not delivered that message.
    """

    def __init__(self):
        self.received: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: dict[str, list[str]] = {}
        self.refuse_all: str | None = None
        self.data_delay = 0.0
        self.stall_at: int | None = None
        self.stall_seconds = 30.0
        self.stalled = threading.Event()
        self.delivered = threading.Event()  # set at each accepted message
        self.rcpt_count = 0
        self.lock = threading.Lock()
        self.port = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            self.rcpt_count += 1
            count = self.rcpt_count
            replies = self.refuse.get(address)
            reply = replies.pop(0) if replies else self.refuse_all
        if self.stall_at is not None and count == self.stall_at:
            self.stalled.set()
            await asyncio.sleep(self.stall_seconds)
            return "451 4.4.2 stalled"
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        parsed = email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self.lock:
            self.received.append(parsed)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.delivered.set()
        return "250 2.0.0 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [m["Message-ID"] for m in self.received]

    def to(self, address: str) -> list[email.message.EmailMessage]:
        with self.lock:
            return [m for m, (_f, rcpts) in zip(self.received, self.envelopes, strict=True) if address in rcpts]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1 and a free port; yields its Mailbox."""
    mailbox = Mailbox()
    mailbox.port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    yield mailbox
    controller.stop()


@pytest.fixture
def mail_app(app, smtp_server, tmp_path):
    """The app sending through the test SMTP server, SMS to a log file in tmp_path."""
    app.config.update(
        SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port, SMTP_TLS=False, SMTP_USER=None,
        MAIL_FROM="Форум <forum@forum.example>", BASE_URL="https://forum.example",
        SMS_BACKEND="log", SMS_LOG_PATH=str(tmp_path / "sms.log"), SMTP_TIMEOUT=10,
        SMS_HOURS="00:00-24:00",  # tests that check the sending hours set their own
    )
    return app


def sender_env(db_url: str, smtp_port: int, tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a real `flask forum outbox send` process on the test's database."""
    env = dict(os.environ)
    env.update({
        "FORUM_DATABASE_URL": db_url, "FORUM_SMTP_HOST": "127.0.0.1", "FORUM_SMTP_PORT": str(smtp_port),
        "FORUM_MAIL_FROM": "forum@forum.example", "FORUM_SECRET_KEY": "test-secret",
        "FORUM_INSTANCE_DIR": str(tmp_path / "instance"), "FORUM_SMS_LOG_PATH": str(tmp_path / "sms.log"),
        "FORUM_SMTP_TLS": "0", "PYTHONUNBUFFERED": "1", "FORUM_LANG": "en",  # what the tests read
    })
    env.update(extra)
    return env


def start_sender(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "forum", "outbox", "send", *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
