"""SMS through Kannel, the open-source SMS gateway: one request to smsbox's `sendsms` HTTP
interface per message (Kannel user guide, "Using the HTTP interface to send SMS messages").

The request carries the text as UTF-8 (`charset=UTF-8`) and asks for UCS-2 (`coding=2`), so
Cyrillic and the Tajik letters ғ ӣ қ ӯ ҳ ҷ arrive intact; smsbox cuts long texts into
concatenated parts (the sendsms-user group's `concatenation = true`, up to its
`max-messages`). `dlr-mask` asks for delivery reports, which smsbox fetches from `dlr-url`
with `%d` replaced by the report's type and `%A` by the SMS centre's words.

smsbox answers once bearerbox has taken the message: 202 "0: Accepted for delivery", or 202
"3: Queued for later delivery" when no SMS centre is connected (Kannel sends it later); 4xx
when the request can never succeed; 503 for a temporary failure. What the outbox makes of it:

- no connection (refused, timed out, no route) → GatewayDown: nothing was sent, the message
  waits and keeps its tries;
- a refused login, a wrong URL, no sender configured → GatewayDown too: Kannel's or our
  configuration, every message would fail the same way until someone fixes it;
- the request went out but the answer did not come back → AnswerLost: Kannel may have taken
  it, so it is not sent again; the delivery report settles it (see outbox.deliver);
- other 4xx → permanent failure of this message; 5xx → temporary, tried again later.
"""
from __future__ import annotations

import http.client
from collections.abc import Mapping
from urllib.parse import urlencode, urlsplit

from forum.messaging import settings
from forum.messaging.sms import AnswerLost, GatewayDown, SmsError

# Reports wanted: 1 delivered to the phone, 2 not delivered to the phone, 4 queued on the
# SMS centre, 8 accepted by the SMS centre, 16 rejected by the SMS centre.
DLR_MASK = 1 | 2 | 4 | 8 | 16
# smsbox answers that concern its configuration or ours, not the message.
CONFIGURATION_ANSWERS = ("Authorization failed", "Sender missing")


class KannelGateway:
    def __init__(self, config: Mapping):
        url = config.get("KANNEL_URL")
        if not url:
            raise RuntimeError("SMS_BACKEND is kannel but KANNEL_URL (FORUM_KANNEL_URL) is not set")
        self.url = urlsplit(url)
        if self.url.scheme not in ("http", "https") or not self.url.hostname:
            raise RuntimeError(f"KANNEL_URL {url!r} is not an http(s) URL")
        self.where = f"{self.url.hostname}:{self.url.port or (443 if self.url.scheme == 'https' else 80)}"
        self.user = config.get("KANNEL_USER") or ""
        self.password = config.get("KANNEL_PASSWORD") or ""
        self.timeout = settings.setting(config, "KANNEL_TIMEOUT", float)

    def request_target(self, phone: str, text: str, report_url: str = "") -> str:
        """The path and query of the sendsms request (the password is in it: never log it)."""
        params = {"username": self.user, "password": self.password, "to": phone, "text": text,
                  "coding": "2", "charset": "UTF-8"}
        if report_url:
            params["dlr-mask"] = str(DLR_MASK)
            params["dlr-url"] = f"{report_url}{'&' if '?' in report_url else '?'}status=%d&answer=%A"
        query = f"{self.url.query}&" if self.url.query else ""
        return f"{self.url.path or '/'}?{query}{urlencode(params)}"

    def send(self, phone: str, text: str, message_id: str = "", report_url: str = "") -> None:
        connection_class = http.client.HTTPSConnection if self.url.scheme == "https" else http.client.HTTPConnection
        connection = connection_class(self.url.hostname, self.url.port, timeout=self.timeout)
        try:
            try:
                connection.connect()
                connection.request("GET", self.request_target(phone, text, report_url))
            except OSError as error:  # nothing reached smsbox, or not a whole request
                raise GatewayDown(f"Kannel {self.where}: {type(error).__name__}: {error}") from error
            try:
                response = connection.getresponse()
                answer = response.read(1000).decode("utf-8", "replace").strip()
            except (OSError, http.client.HTTPException) as error:
                raise AnswerLost(f"Kannel {self.where} took the request but its answer was lost "
                                 f"({type(error).__name__}: {error})") from error
        finally:
            connection.close()
        check_answer(response.status, answer)


def check_answer(status: int, answer: str) -> None:
    """Nothing when smsbox took the message; else the SmsError its answer means."""
    if status in (200, 202):
        return
    reason = f"Kannel {status}: {answer}"
    if status in (401, 404, 405) or any(words in answer for words in CONFIGURATION_ANSWERS):
        raise GatewayDown(reason)
    raise SmsError(reason, permanent=400 <= status < 500)
