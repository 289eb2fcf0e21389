"""Languages: which one a request gets, the switcher, and local times for display.

Locale order: the visitor's own choice (kept in the session and a year-long cookie), the
logged-in user's language, the browser's Accept-Language, then Russian.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from flask import Blueprint, current_app, redirect, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user

from forum.auth.access import public
from forum.db import translated
from forum.urls import safe_next

LANGUAGE_NAMES = {"ru": "Русский", "tg": "Тоҷикӣ", "en": "English"}
COOKIE = "forum_lang"

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang") or request.cookies.get(COOKIE)
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


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


def tr(value: dict | None) -> str:
    """Jinja filter: a translated JSON field in the page's language."""
    return translated(value, current_language())


def local_time(value: datetime | None, tz: str = "Asia/Dushanbe", fmt: str = "d MMMM y, HH:mm") -> str:
    """A UTC time shown in the forum's zone and the page's language (Babel pattern `fmt`)."""
    if value is None:
        return ""
    return babel_dates.format_datetime(value, fmt, tzinfo=ZoneInfo(tz), locale=current_language())


def to_local(value: datetime, tz: str = "Asia/Dushanbe") -> datetime:
    return value.astimezone(ZoneInfo(tz))
