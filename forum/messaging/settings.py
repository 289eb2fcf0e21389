"""Settings of the outbox and its channels.

SMTP_*, MAIL_FROM, SMS_BACKEND, KANNEL_URL, KANNEL_USER, KANNEL_PASSWORD and BASE_URL come from
config.py. The few settings only this package reads are taken from the app config when set
there, else from the FORUM_<NAME> environment variable, else the default below.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

DEFAULTS: dict[str, Any] = {
    "OUTBOX_LEASE_SECONDS": 600,  # a claimed message is another worker's again after this
    "OUTBOX_MAX_ATTEMPTS": 6,  # tries before a message is marked failed
    "SMTP_TIMEOUT": 30,  # seconds per SMTP socket operation; keep it well under the lease
    "SMS_HOURS": "09:00-20:00",  # local hours in which SMS may go out
    "SMS_TIMEZONE": "Asia/Dushanbe",
    "SMS_LOG_PATH": "",  # the log gateway's file; default <instance>/sms.log
    "MAIL_DIR": "",  # with no SMTP_HOST, emails are written here, one .eml each; default <instance>/mail
    "KANNEL_TIMEOUT": 30,  # seconds to connect to smsbox and for its answer; keep it well under the lease
}

# Seconds to wait before try 2, 3, 4…; the last value repeats.
BACKOFF = (60, 300, 900, 3600, 3 * 3600)


def setting(config: Mapping, name: str, cast: Callable[[Any], Any] = str) -> Any:
    value = config.get(name)
    if value in (None, ""):
        value = os.environ.get(f"FORUM_{name}") or DEFAULTS[name]
    return cast(value)


def backoff_seconds(attempts: int) -> int:
    """Delay after the `attempts`-th failed try (1-based)."""
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def sms_hours(config: Mapping) -> tuple[time, time, ZoneInfo]:
    """(start, end, zone) of the SMS sending window, e.g. 09:00–20:00 in Dushanbe."""
    start, _sep, end = setting(config, "SMS_HOURS").partition("-")
    end_time = time.max if end.strip() == "24:00" else time.fromisoformat(end.strip())  # "00:00-24:00": any time
    return time.fromisoformat(start.strip()), end_time, ZoneInfo(setting(config, "SMS_TIMEZONE"))


def sms_log_path(config: Mapping, instance_path: str) -> Path:
    configured = setting(config, "SMS_LOG_PATH")
    return Path(configured) if configured else Path(instance_path) / "sms.log"


def mail_dir(config: Mapping, instance_path: str) -> Path:
    configured = setting(config, "MAIL_DIR")
    return Path(configured) if configured else Path(instance_path) / "mail"


def mail_domain(config: Mapping) -> str:
    """The domain of MAIL_FROM, used in Message-IDs."""
    from email.utils import parseaddr

    address = parseaddr(config.get("MAIL_FROM") or "forum@localhost")[1]
    return address.rpartition("@")[2] or "localhost"
