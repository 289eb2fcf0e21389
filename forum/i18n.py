"""Languages: which one a request gets, the switcher, and local times for display.

Locale order: the page's reader's language where a page has one (the personal pages /r/<token>
speak the person's language), the visitor's own choice (kept in the session and a year-long cookie), the
logged-in user's language, the browser's Accept-Language, then Russian. A request with an API
token acts for the token's user, not for whoever is logged in on that browser: it skips the
logged-in user (and the cost of loading them on every scan at the door).
"""
from __future__ import annotations

from datetime import datetime
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel import dates as babel_dates
from flask import Blueprint, current_app, g, redirect, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from forum.auth.access import public
from forum.db import translated
from forum.urls import safe_next

LANGUAGE_NAMES = {"ru": "Русский", "tg": "Тоҷикӣ", "en": "English"}
COOKIE = "forum_lang"
# Set by a page for its own request (the request's, not `g`, which may outlive it): the language
# it speaks whatever the visitor chose, and how its language switcher changes that.
PAGE_LANGUAGE = "forum.page_language"
LANGUAGE_URL = "forum.language_url"

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    config = current_app.config
    languages = config["LANGUAGES"]
    environ = request.environ
    page_language = str(environ.get(PAGE_LANGUAGE, ""))
    if page_language in languages:  # a page that speaks its reader's own language (/r/<token>)
        return page_language
    # Without a Cookie header (an API call with a token, a first visit) no language was chosen:
    # the cookie jar is not parsed then. The session is still asked, so the answer says it
    # varies by Cookie.
    chosen = session.get("lang") or (request.cookies.get(COOKIE) if "HTTP_COOKIE" in environ else None)
    if chosen and chosen in languages:
        return chosen
    if g.get("api_token") is None and current_user and current_user.is_authenticated \
            and current_user.language in languages:
        return current_user.language
    return _browsers_choice(environ.get("HTTP_ACCEPT_LANGUAGE", ""), tuple(languages)) or config["BABEL_DEFAULT_LOCALE"]


def _browsers_choice(header: str, languages: tuple[str, ...]) -> str | None:
    """The best of `languages` for an Accept-Language header, as request.accept_languages
    finds it. A venue's phones and laptops send a handful of different headers, so each is
    parsed once per process rather than on every request (every scan at the door)."""
    if len(header) > _HEADER_KEPT:  # no one's browser sends that much: parsed, not kept
        return _parse_choice(header, languages)
    return _kept_choice(header, languages)


def _parse_choice(header: str, languages: tuple[str, ...]) -> str | None:
    return parse_accept_header(header, LanguageAccept).best_match(languages)


_HEADER_KEPT = 200
_kept_choice = lru_cache(maxsize=256)(_parse_choice)  # bounded: the header is the client's to choose


def babel_locale() -> Locale:
    """select_locale() as Flask-Babel keeps it, one Locale per language and process: parsing one
    anew on every request also checked its data file on disk (a stat per scan at the door)."""
    return _locale(select_locale())


@cache
def _locale(code: str) -> Locale:
    return Locale.parse(code)


def current_language() -> str:
    return str(get_locale() or "ru")


@bp.route("/lang/<code>")
@public
def switch(code: str):
    """One click to change the language; remembered for the session and in a cookie."""
    target = safe_next(request.args.get("next")) or url_for("events.index")
    response = redirect(target)
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
        response.set_cookie(COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


def language_url(code: str) -> str:
    """Where the language switcher's `code` leads: the page's own way to change language when
    it has one (LANGUAGE_URL, e.g. the personal page remembers it on the person), else /lang/<code>."""
    own = request.environ.get(LANGUAGE_URL)
    if own is not None:
        return own(code)
    return url_for("i18n.switch", code=code, next=request.full_path.rstrip("?"))


def speak(language: str, switch_url) -> None:
    """This request's page speaks `language`; its switcher leads to `switch_url(code)`."""
    from flask_babel import refresh

    request.environ[PAGE_LANGUAGE] = language
    request.environ[LANGUAGE_URL] = switch_url
    refresh()  # a locale chosen earlier in this context is chosen again


def tr(value: dict | None) -> str:
    """Jinja filter: a translated JSON field in the page's language, as plain text (titles,
    attributes); `localized` (forum.localize) is the filter that marks an untranslated text."""
    return translated(value, current_language())


def local_time(value: datetime | None, tz: str = "Asia/Dushanbe", fmt: str = "d MMMM y, HH:mm",
               language: str | None = None) -> str:
    """A UTC time shown in the forum's zone and the page's language, or `language` (Babel
    pattern `fmt`). The Locale is the process's own: a language code given to Babel is parsed
    anew each time, with a look at its data file on disk."""
    if value is None:
        return ""
    return babel_dates.format_datetime(value, fmt, tzinfo=ZoneInfo(tz), locale=_locale(language or current_language()))


def to_local(value: datetime, tz: str = "Asia/Dushanbe") -> datetime:
    return value.astimezone(ZoneInfo(tz))
