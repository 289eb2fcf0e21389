"""SMS gateways. Config `SMS_BACKEND` is "log" (the default: messages are written to a
file, so the forum runs without a contract with an operator), "kannel" (the Kannel SMS
gateway's smsbox, see forum.messaging.kannel and docs/sms.md) or the dotted path of a class,
e.g. "mycompany.sms:OperatorGateway", built with the app config and offering
`send(phone, text, message_id=…, report_url=…)`. `report_url` is where a gateway that can
report delivery should report it (see forum.messaging.delivery); others ignore it.

A gateway raises SmsError (temporary unless `permanent`), GatewayDown when nothing was sent
because the gateway cannot be reached or refuses our login, and AnswerLost when the request
went out but no answer came back, so the SMS may have been sent.
"""
from __future__ import annotations

import fcntl
import importlib
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from flask import Flask

from forum.db import utcnow
from forum.messaging import settings

# One SMS part: 160 GSM-7 characters, or 70 when the text has Cyrillic (UCS-2);
# longer texts travel in parts of 153 / 67.
GSM_CHARS = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ ÆæßÉ!\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
                "¿abcdefghijklmnopqrstuvwxyzäöñüà")


class SmsError(Exception):
    def __init__(self, reason: str, permanent: bool = False):
        super().__init__(reason)
        self.permanent = permanent


class GatewayDown(SmsError):
    """Nothing was sent: the gateway is unreachable or refuses us. Not the message's fault."""


class AnswerLost(SmsError):
    """The gateway got the request but its answer never came back: the SMS may be on its way."""


def sms_parts(text: str) -> int:
    """How many SMS parts a text takes (what the operator bills)."""
    if all(c in GSM_CHARS for c in text):
        single, multi = 160, 153
    else:
        single, multi = 70, 67
    return 1 if len(text) <= single else -(-len(text) // multi)


class Gateway(Protocol):
    """What an SMS backend (SMS_BACKEND) offers: LogGateway, KannelGateway or a deployment's own class."""

    def send(self, phone: str, text: str, message_id: str = "", report_url: str = "") -> None: ...


class LogGateway:
    """Writes each SMS as one line of a UTF-8 file: time, phone, Message-ID, text."""

    def __init__(self, config: Mapping, instance_path: str = "instance"):
        self.path = settings.sms_log_path(config, instance_path)

    def send(self, phone: str, text: str, message_id: str = "", report_url: str = "") -> None:
        line = "\t".join((utcnow().isoformat(timespec="seconds"), phone, message_id,
                          text.replace("\\", "\\\\").replace("\n", "\\n"))) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with Path(self.path).open("a", encoding="utf-8") as log:
                fcntl.flock(log, fcntl.LOCK_EX)  # lines of two senders never interleave
                log.write(line)
        except OSError as error:
            raise SmsError(f"SMS log {self.path}: {error}") from error


def load_gateway(app: Flask) -> Gateway:
    backend = app.config.get("SMS_BACKEND") or "log"
    if backend == "log":
        return LogGateway(app.config, app.instance_path)
    if backend == "kannel":
        from forum.messaging.kannel import KannelGateway

        return KannelGateway(app.config)
    module_name, sep, class_name = backend.partition(":")
    if not sep:
        module_name, _dot, class_name = backend.rpartition(".")
    try:
        gateway_class = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError, ValueError) as error:
        raise RuntimeError(f"SMS_BACKEND {backend!r} cannot be loaded: {error}") from error
    return gateway_class(app.config)
