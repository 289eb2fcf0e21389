"""Strict headers: every HTML page has a Content-Security-Policy without 'unsafe-inline' (and
nothing inline that it would block); HTTPS through a trusted proxy gets HSTS and Secure cookies."""
import re
from pathlib import Path

import pytest
from werkzeug.routing import IntegerConverter

from config import TestConfig
from forum import create_app
from forum.auth.access import PUBLIC
from forum.extensions import db
from tests.factories import PASSWORD, make_user

INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=|\sstyle=|<style", re.I)


def _url(rule, slug: str) -> str:
    values = {}
    for name, converter in rule._converters.items():
        kind = type(converter).__name__
        if isinstance(converter, IntegerConverter):  # the app's RowId too
            values[name] = 1
        elif kind == "AnyConverter":
            values[name] = converter.items[0] if hasattr(converter, "items") else "full"
        else:
            values[name] = slug
    return rule.build(values, append_unknown=False)[1]


def _walk(app, client, public_only: bool):
    """Every GET route of the app with sample values: (url, response)."""
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or rule.rule.startswith("/api/"):
            continue
        if public_only and getattr(app.view_functions[rule.endpoint], "access", None) != PUBLIC:
            continue
        try:
            url = _url(rule, "isfara-2011")
        except Exception:  # a converter with other needs (e.g. any(...)): skip, counted below
            continue
        yield url, client.get(url)


def _policy(response) -> dict:
    header = response.headers.get("Content-Security-Policy", "")
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("who", ["anonymous", "organizer"])
def test_every_html_page_has_a_strict_content_security_policy(demo_app, demo_client, who):
    if who == "organizer":
        make_user("organizer", "walker@forum.example")
        db.session.commit()
        assert demo_client.post("/auth/login", data={"email": "walker@forum.example",
                                                     "password": PASSWORD}).status_code == 302
    pages = 0
    for url, response in _walk(demo_app, demo_client, public_only=who == "anonymous"):
        if response.mimetype != "text/html":
            continue
        policy = _policy(response)
        assert policy, url
        assert policy["default-src"] == ["'self'"], url
        assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"], url
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"], url
        assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"], url
        page = response.get_data(as_text=True)
        found = INLINE.search(page)
        assert found is None, (url, found and found.group(0))
        for asset in re.findall(r'(?:src|href)="/static/([^"?]+)', page):  # moved scripts are really there
            assert (Path(demo_app.static_folder) / asset).is_file(), (url, asset)
        pages += response.status_code == 200
    assert pages >= (10 if who == "anonymous" else 40)


def test_scripts_send_the_csrf_token_one_way_only():
    """static/js/csrf.js is the only script that knows where the token is and how it is sent."""
    static = Path(__file__).resolve().parent.parent / "forum" / "static"
    for script in static.rglob("*.js"):
        if "vendor" in script.parts or script.name == "csrf.js":
            continue
        text = script.read_text()
        assert "X-CSRFToken" not in text and "csrf-token" not in text, script


def test_error_pages_have_the_policy_too(demo_client):
    response = demo_client.get("/no/such/page")
    assert response.status_code == 404 and "'self'" in response.headers["Content-Security-Policy"]


def _app(tmp_path, proxies: int):
    config = TestConfig(database_url=f"sqlite:///{tmp_path / 'h.db'}")
    config.TRUSTED_PROXIES = proxies
    app = create_app(config)
    with app.app_context():
        db.create_all()
        make_user("organizer")
    return app


HTTPS_PROXY = {"X-Forwarded-For": "10.0.0.7", "X-Forwarded-Proto": "https"}


def test_https_through_a_trusted_proxy_gets_hsts_and_secure_cookies(tmp_path):
    app = _app(tmp_path, proxies=1)
    client = app.test_client()
    response = client.post("/auth/login", data={"email": "organizer@forum.example", "password": PASSWORD,
                                                "remember": "y"}, headers=HTTPS_PROXY)
    assert response.status_code == 302
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    cookies = response.headers.getlist("Set-Cookie")
    assert {c.split("=")[0] for c in cookies} >= {"session", "remember_token"}
    assert all("; Secure" in c for c in cookies), cookies
    language = client.get("/lang/en", headers=HTTPS_PROXY).headers.getlist("Set-Cookie")
    assert language and all("; Secure" in c for c in language)


def test_plain_http_gets_no_hsts_and_ordinary_cookies(tmp_path):
    client = _app(tmp_path, proxies=1).test_client()
    response = client.post("/auth/login", data={"email": "organizer@forum.example", "password": PASSWORD})
    assert "Strict-Transport-Security" not in response.headers
    assert not any("Secure" in c for c in response.headers.getlist("Set-Cookie"))


def test_forwarded_headers_are_ignored_without_trusted_proxies(tmp_path):
    client = _app(tmp_path, proxies=0).test_client()
    response = client.post("/auth/login", data={"email": "organizer@forum.example", "password": PASSWORD},
                           headers=HTTPS_PROXY)
    assert "Strict-Transport-Security" not in response.headers  # anyone can send the header
    assert not any("Secure" in c for c in response.headers.getlist("Set-Cookie"))


def test_every_answer_gets_the_browser_headers_once_and_a_views_own_are_kept(tmp_path):
    from forum.auth.access import public

    app = _app(tmp_path, proxies=0)

    @public
    def own_policy():
        from flask_babel import gettext

        return gettext("Forums"), 200, {"Content-Security-Policy": "default-src 'none'; sandbox", "X-Frame-Options": "DENY"}

    app.add_url_rule("/test-own-policy", view_func=own_policy)

    @public
    def own_vary():
        from flask_babel import gettext

        return gettext("Forums"), 200, {"Vary": "Accept-Language"}

    app.add_url_rule("/test-own-vary", view_func=own_vary)
    client = app.test_client()
    browser = {"Referrer-Policy": "same-origin", "X-Content-Type-Options": "nosniff", "X-Frame-Options": "SAMEORIGIN"}
    api = client.get("/api/v1/openapi.json")
    assert {name: api.headers.getlist(name) for name in browser} == {k: [v] for k, v in browser.items()}
    assert "Content-Security-Policy" not in api.headers  # JSON, not a page
    page = client.get("/auth/login")
    assert len(page.headers.getlist("Content-Security-Policy")) == 1 and page.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    own = client.get("/test-own-policy")
    assert own.headers.getlist("Content-Security-Policy") == ["default-src 'none'; sandbox"]
    assert own.headers.getlist("X-Frame-Options") == ["DENY"] and own.headers["Referrer-Policy"] == "same-origin"
    # A first visit to an answer without a form: its language was looked for in the (empty)
    # session, so it varies with the cookie, and no cookie is written for an empty session.
    first = app.test_client().get("/test-own-policy")
    assert "Cookie" in first.headers.get("Vary", "") and not first.headers.getlist("Set-Cookie")
    varies = app.test_client().get("/test-own-vary").headers.getlist("Vary")  # the view's own Vary is kept
    assert varies == ["Accept-Language, Cookie"]
    assert page.headers.getlist("Set-Cookie")  # the login form's CSRF token is kept in the session


def test_a_request_without_a_cookie_header_parses_no_cookie_jar(tmp_path, monkeypatch):
    """The door's scans come with an API token and no Cookie header: their empty session is had
    without parsing cookies (a cost on every scan); a browser's session cookie is still read."""
    import werkzeug.sansio.request as sansio

    client = _app(tmp_path, proxies=0).test_client()
    parsed: list[str] = []
    parse = sansio.parse_cookie
    monkeypatch.setattr(sansio, "parse_cookie", lambda cookie, *args, **kwargs: parsed.append(cookie) or parse(
        cookie, *args, **kwargs))
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert parsed == []
    login = client.post("/auth/login", data={"email": "organizer@forum.example", "password": PASSWORD})
    assert login.status_code == 302
    assert client.get(login.headers["Location"]).status_code == 200  # signed in: the session cookie was read
    assert any(cookie.startswith("session=") for cookie in parsed)
