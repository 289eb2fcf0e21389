"""What every answer carries for the browser's protection, and who the client really is.

- A Content-Security-Policy on every HTML page: scripts and styles only from our static
  files (no inline script, style or handler), nothing from other sites. A few lines here
  rather than flask-talisman: Talisman's defaults also redirect to HTTPS and force secure
  cookies, which would break the venue laptop served over plain HTTP (docs/https.md), and
  all we need from it is one header.
- HSTS and `Secure` cookies when the request came over HTTPS, directly or through a trusted
  proxy's X-Forwarded-Proto.
- FORUM_TRUSTED_PROXIES (a number of proxies): Werkzeug's ProxyFix then takes the client's
  address and scheme from X-Forwarded-For / X-Forwarded-Proto, so rate limits count each
  phone rather than the proxy. Zero (the default) trusts no header: anyone could forge them.
"""
from __future__ import annotations

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",  # Pico's checkbox and select icons are data: SVGs in its CSS
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
])
HSTS = "max-age=31536000"


def init_app(app: Flask) -> None:
    app.session_interface = _CookieSessions()
    app.wsgi_app = _SecureCookies(app.wsgi_app)  # type: ignore[method-assign]  # Flask's documented way to wrap
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    app.after_request(_headers)


# On every answer, unless the view set its own. /r/<token> links are secrets: never leak them to
# other sites through Referer.
_EVERY_ANSWER = (("Referrer-Policy", "same-origin"), ("X-Content-Type-Options", "nosniff"),
                 ("X-Frame-Options", "SAMEORIGIN"))


def _headers(response):
    headers = response.headers
    # The names the view set, read once: Headers.setdefault asks `in`, which raises and catches
    # an exception for every name not there, three or four times on each request.
    present = {name.lower(): value for name, value in headers.items()}
    added = list(_EVERY_ANSWER)
    # The media type as response.mimetype gives it, without parsing its parameters.
    if present.get("content-type", "").partition(";")[0].strip().lower() == "text/html":
        added.append(("Content-Security-Policy", CONTENT_SECURITY_POLICY))
    if request.is_secure:
        added.append(("Strict-Transport-Security", HSTS))
    for name, value in added:
        if name.lower() not in present:
            headers.add(name, value)
    return response


class _CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, but a request without the cookie (every API call with a
    token, a first visit) gets its empty session without the signing machinery being built:
    Flask builds it first on every request, and the door's scans pay for it each time."""

    def open_session(self, app, request):
        # No Cookie header at all (the API's scans): not even an empty cookie jar is parsed.
        if app.secret_key and ("HTTP_COOKIE" not in request.environ
                               or not request.cookies.get(self.get_cookie_name(app))):
            return self.session_class()  # what Flask answers then, after building the serializer
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        if not session and not session.modified:
            # Nothing to write or delete: what Flask does then, without first reading the seven
            # cookie settings from the configuration.
            if session.accessed:
                _vary_by_cookie(response)
            return
        super().save_session(app, session, response)


def _vary_by_cookie(response) -> None:
    """Vary: Cookie, as Flask adds it. Most answers have no Vary yet: then the header is added
    as is, without response.vary, which parses and writes the header back (more than the rest of
    this hook)."""
    if response.headers.get("Vary") is None:
        response.headers.add("Vary", "Cookie")
    else:
        response.vary.add("Cookie")


class _SecureCookies:
    """Marks every cookie `Secure` on an HTTPS request (session, remember-me, language), so it is
    never sent back over plain HTTP. WSGI middleware, because Flask writes the session cookie
    after every after_request function has run."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("wsgi.url_scheme") != "https":
            return self.wsgi_app(environ, start_response)

        def start(status, headers, exc_info=None):
            headers = [(name, _secure(value) if name.lower() == "set-cookie" else value) for name, value in headers]
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)


def _secure(cookie: str) -> str:
    parts = [p.strip().lower() for p in cookie.split(";")]
    return cookie if "secure" in parts else cookie + "; Secure"
