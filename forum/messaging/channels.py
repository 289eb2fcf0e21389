"""How a message leaves: email over a real SMTP connection (smtplib), SMS through a gateway.

`Channels` keeps one SMTP connection open while a sender drains the queue and turns every
failure into a DeliveryError: 4xx answers, dropped connections and timeouts are temporary,
5xx answers to the message are permanent.
"""
from __future__ import annotations

import os
import smtplib
import ssl
import tempfile
from email.header import Header
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, parseaddr

from flask import Flask

from forum import clock
from forum.calendar import ics
from forum.messaging import delivery, settings
from forum.messaging.models import Message
from forum.messaging.outbox import ChannelDown, DeliveryError, DeliveryUnconfirmed
from forum.messaging.sms import AnswerLost, Gateway, GatewayDown, SmsError, load_gateway


class MailPolicy(EmailPolicy):
    """email.policy.SMTP, but a non-ASCII Subject is folded by email.header.Header, which keeps
    every space: the policy's own folder (Python 3.11) drops the space between two encoded
    words, so a long Cyrillic subject lost one where it was folded."""

    def _fold(self, name, value, refold_binary=False):
        text = str(value)
        if name.lower() == "subject" and not text.isascii():
            encoded = Header(text, "utf-8", header_name=name).encode(linesep=self.linesep,
                                                                     maxlinelen=self.max_line_length)
            return f"{name}: {encoded}{self.linesep}"
        return super()._fold(name, value, refold_binary)


MAIL_POLICY = MailPolicy(linesep="\r\n")


def build_email(message: Message, mail_from: str, now=None) -> EmailMessage:
    """The MIME message of an outbox row, as sent at `now` (its Date, and the DTSTAMP of its
    calendar). With a calendar it is an iTIP message (RFC 6047): multipart/mixed
    [multipart/alternative [text/plain, text/html, text/calendar; method=…], the same calendar
    as an .ics attachment]."""
    payload = message.payload or {}
    now = now or clock.now()
    email = EmailMessage(policy=MAIL_POLICY)
    email["Subject"] = message.subject
    email["From"] = mail_from
    email["To"] = message.recipient
    email["Date"] = format_datetime(now)  # RFC 5322 with a numeric offset: "+0000", not "-0000"
    email["Message-ID"] = message.message_id  # the same on every try
    email["Content-Language"] = message.language
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body)
    if payload.get("html"):
        email.add_alternative(payload["html"], subtype="html")
    calendar = payload.get("calendar")
    if calendar:
        calendar = ics.stamped(calendar, now)
        method = payload.get("method", "REQUEST")
        email.add_alternative(calendar, subtype="calendar", params={"method": method})
        email.add_attachment(calendar.encode("utf-8"), maintype="application", subtype="ics",
                             filename=payload.get("filename") or "invite.ics")
    return email


def _code(error: smtplib.SMTPException) -> int | None:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = list(error.recipients.values())
        return answers[0][0] if answers else None
    return getattr(error, "smtp_code", None)


def _reason(error: Exception) -> str:
    code: int | None
    text: bytes | str
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()), (None, b""))
    elif isinstance(error, smtplib.SMTPResponseException):
        code, text = error.smtp_code, error.smtp_error
    else:
        return f"{type(error).__name__}: {error}"
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()


class Smtp:
    """One SMTP connection, opened on first use and reused for the following messages."""

    def __init__(self, config):
        self.config = config
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        try:
            connection = smtplib.SMTP(config["SMTP_HOST"], int(config["SMTP_PORT"]),
                                      timeout=settings.setting(config, "SMTP_TIMEOUT", float))
            connection.ehlo()
            if config.get("SMTP_TLS"):
                connection.starttls(context=ssl.create_default_context())
                connection.ehlo()
            if config.get("SMTP_USER"):
                connection.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
        except (OSError, smtplib.SMTPException) as error:
            raise ChannelDown(f"SMTP {config['SMTP_HOST']}:{config['SMTP_PORT']}: {_reason(error)}") from error
        return connection

    def send(self, message: Message) -> None:
        email = build_email(message, self.config["MAIL_FROM"])
        if self.connection is None:
            self.connection = self._connect()
        try:
            envelope_from = parseaddr(self.config["MAIL_FROM"])[1]
            self.connection.send_message(email, from_addr=envelope_from, to_addrs=[message.recipient])
        except smtplib.SMTPException as error:
            self.close()
            code = _code(error)
            raise DeliveryError(_reason(error), permanent=code is not None and 500 <= code < 600) from error
        except OSError as error:  # reset, timeout: the server may come back
            self.close()
            raise DeliveryError(_reason(error)) from error

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (OSError, smtplib.SMTPException):
                self.connection.close()
            self.connection = None


class MailFiles:
    """No SMTP server configured (`make run` on a laptop): each email is written, exactly as it
    would go out, to <MAIL_DIR>/message-<id>.eml (default instance/mail/), which any mail
    program opens. A message sent again overwrites its own file: one file per message."""

    def __init__(self, config, instance_path: str):
        self.config = config
        self.folder = settings.mail_dir(config, instance_path)

    def path_of(self, message: Message):
        return self.folder / f"message-{message.id:06d}.eml"

    def send(self, message: Message) -> None:
        data = build_email(message, self.config["MAIL_FROM"]).as_bytes()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # Written aside, then renamed: a reader never sees half a message.
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".part")
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, self.path_of(message))
        except OSError as error:
            raise ChannelDown(f"mail folder {self.folder}: {error}") from error

    def close(self) -> None:
        pass


def mail_file(app: Flask, message: Message):
    """The file an email went to when no SMTP server is configured, if it is there."""
    if app.config.get("SMTP_HOST") or message.channel != "email":
        return None
    path = MailFiles(app.config, app.instance_path).path_of(message)
    return path if path.exists() else None


class Channels:
    """Email and SMS for one sending run; closes the SMTP connection at the end."""

    def __init__(self, app: Flask):
        self.app = app
        self.smtp: Smtp | MailFiles = (Smtp(app.config) if app.config.get("SMTP_HOST")
                                       else MailFiles(app.config, app.instance_path))
        self._sms: Gateway | None = None  # loaded at the first SMS

    def __enter__(self) -> Channels:
        return self

    def __exit__(self, *exc) -> None:
        self.smtp.close()

    def send(self, message: Message) -> None:
        if message.channel == "email":
            self.smtp.send(message)
            return
        if message.channel == "webhook":
            from forum.api.webhooks import post  # the API package signs and posts its events

            post(message, self.app.config)
            return
        if self._sms is None:
            try:
                self._sms = load_gateway(self.app)
            except RuntimeError as error:
                raise ChannelDown(str(error)) from error
        try:
            self._sms.send(message.recipient, message.body, message_id=message.message_id,
                           report_url=delivery.report_url(message))
        except GatewayDown as error:
            raise ChannelDown(str(error)) from error
        except AnswerLost as error:
            raise DeliveryUnconfirmed(str(error)) from error
        except SmsError as error:
            raise DeliveryError(str(error), permanent=error.permanent) from error
