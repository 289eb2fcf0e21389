"""The forum application: create_app() wires configuration, extensions, blueprints,
commands and error pages together."""
from __future__ import annotations

import importlib
from pathlib import Path

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter

# Imported as a module: binding `db` here would shadow the forum.db submodule.
from forum import extensions as ext
from forum import ratelimits, security

PACKAGE_DIR = Path(__file__).resolve().parent

# Blueprints of the core; feature packages add theirs through `forum.features`.
BLUEPRINT_MODULES = [
    "forum.i18n",
    "forum.auth.routes",
    "forum.auth.tokens",
    "forum.auth.team_manage",
    "forum.auth.admin",
    "forum.events.routes",
    "forum.events.manage",
    "forum.people.routes",
    "forum.people.manage",
    "forum.people.manage_orgs",
    "forum.people.manage_merge",
]


class ForumApp(Flask):
    """Flask, remembering which functions need an event loop: for every hook and view of every
    request Flask asks inspect whether it is a coroutine function (ten times per scan at the
    door), and a function's answer never changes. None of ours is one."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._sync: dict = {}

    def ensure_sync(self, func):
        try:
            return self._sync[func]
        except KeyError:
            made = super().ensure_sync(func)
            if len(self._sync) < _SYNC_KEPT:  # hooks and views are a few hundred: never grows without end
                self._sync[func] = made
            return made
        except TypeError:  # an unhashable callable: asked each time, as Flask does
            return super().ensure_sync(func)


_SYNC_KEPT = 4096


def create_app(config: object | None = None) -> Flask:
    app = ForumApp(__name__, instance_path=str(_instance_dir()))
    if config is None:
        from config import Config

        config = Config()
    app.config.from_object(config)
    app.url_map.converters["int"] = RowId  # before any route is added
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    # One catalog per package under forum/translations/<package>/, merged by Flask-Babel.
    # Later catalogs win on a shared msgid: the core goes last, so "Name" or "Cancelled" read
    # the same everywhere (tests/test_i18n.py also refuses catalogs that disagree).
    catalogs = sorted((p for p in (PACKAGE_DIR / "translations").iterdir() if p.is_dir()),
                      key=lambda p: (p.name == "core", p.name))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(str(p) for p in catalogs)
    register_extensions(app)
    security.init_app(app)  # headers, Secure cookies over HTTPS, trusted proxies
    ratelimits.warn_if_counts_are_per_process(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    _refuse_undeclared_routes(app)
    return app


class RowId(IntegerConverter):
    """`<int:…>` in every route: ids are INTEGER columns, so a larger number is no row of ours
    and is a 404 here, where PostgreSQL would answer "integer out of range" (a 500)."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def _instance_dir() -> Path:
    from config import INSTANCE_DIR

    return INSTANCE_DIR


def register_extensions(app: Flask) -> None:
    from forum import models  # noqa: F401  (every model known to SQLAlchemy and Alembic)
    from forum.i18n import babel_locale

    db, login_manager = ext.db, ext.login_manager
    db.init_app(app)
    ext.migrate.init_app(app, db, directory=str(PACKAGE_DIR.parent / "migrations"), render_as_batch=True)
    ext.csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    ext.babel.init_app(app, locale_selector=babel_locale)
    ext.limiter.init_app(app)
    ratelimits.check_only_where_limited(app)
    app.config.setdefault("COMPRESS_REGISTER", False)
    ext.compress.init_app(app)

    @login_manager.user_loader
    def load_user(user_id: str):
        from forum.auth.models import User

        return db.session.get(User, int(user_id))

    @login_manager.unauthorized_handler
    def unauthorized():
        from flask import flash, redirect, url_for

        if request.path.startswith("/api/"):
            from forum.auth.access import json_error

            return json_error(401, "unauthorized", str(_l("A valid API token is required.")))
        flash(str(login_manager.login_message), "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def register_blueprints(app: Flask) -> None:
    from forum import features

    for name in BLUEPRINT_MODULES + features.collect("BLUEPRINTS"):
        module = importlib.import_module(name)
        app.register_blueprint(module.bp)
        if getattr(module, "csrf_exempt", False):  # the Bearer-token API carries no cookies
            ext.csrf.exempt(module.bp)


# The API's error codes for HTTP errors, as its OpenAPI document lists them (forum.api.openapi).
API_ERROR_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                   405: "method_not_allowed", 413: "too_large", 429: "too_many_requests", 500: "server_error"}


def register_errorhandlers(app: Flask) -> None:
    from flask_wtf.csrf import CSRFError

    from forum.auth.access import json_error

    messages = {
        400: _l("The request could not be understood."),
        403: _l("You are not allowed to open this page."),
        404: _l("This page does not exist."),
        405: _l("This action is not allowed here."),
        413: _l("The file is too large."),
        429: _l("Too many attempts. Please wait a minute and try again."),
        500: _l("Something went wrong on our side. Your data is safe; please try again."),
    }

    def render(status: int, message: str, **page):
        if request.path.startswith("/api/"):
            return json_error(status, API_ERROR_CODES.get(status, "bad_request"), message)
        return render_template("error.html", status=status, message=message, **page), status

    def handler(error):
        status = getattr(error, "code", 500) or 500
        if status == 500:
            ext.db.session.rollback()
        message = str(messages.get(status, messages[400]))
        if status == 429:  # a decorator's limit (e.g. /r/<token>): say the real wait
            message = ratelimits.limit_reached_text() or message
        page = {}
        if status == 413:  # an upload over the limit: nothing was read, the form is still in the browser
            message, page["back"] = _too_large_message(), _form_page()
        response = app.make_response(render(status, message, **page))
        if status == 405 and getattr(error, "valid_methods", None):
            response.headers["Allow"] = ", ".join(error.valid_methods)  # HTTP requires it on a 405
        return response

    for status in messages:
        app.register_error_handler(status, handler)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render(400, str(_l("The form expired or was sent twice. Please reload the page and try again.")))


def _too_large_message() -> str:
    limit = request.max_content_length or 0
    return str(_l("What you sent is larger than %(mb)s MB, so it was not received. Go back with your browser's "
                  "Back button: what you typed is usually still in the form. Then choose a smaller photo (a phone "
                  "photo is usually 2 to 5 MB) and send it again.", mb=limit // (1024 * 1024)))


def _form_page() -> str:
    """The page the visitor sent the form from (this site only), else the form's own address."""
    from urllib.parse import urlsplit

    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path.startswith("/"):
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return request.path


def register_template_helpers(app: Flask) -> None:
    from forum import nav
    from forum.i18n import LANGUAGE_NAMES, current_language, language_url, local_time, tr
    from forum.localize import localized

    app.jinja_env.filters["tr"] = tr
    app.jinja_env.filters["localized"] = localized
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.globals.update(
        LANGUAGE_NAMES=LANGUAGE_NAMES, current_language=current_language, language_url=language_url,
        forum_tabs=nav.forum_tabs, public_links=nav.public_links, header_links=nav.header_links,
    )


def register_commands(app: Flask) -> None:
    from forum import features
    from forum.cli import forum_cli

    for name in features.collect("COMMANDS"):
        for command in importlib.import_module(name).commands:
            if command.name not in forum_cli.commands:
                forum_cli.add_command(command)
    app.cli.add_command(forum_cli)


def _refuse_undeclared_routes(app: Flask) -> None:
    from forum.auth.access import undeclared_views

    missing = undeclared_views(app)
    if missing:
        raise RuntimeError(f"routes without an access rule (use public/roles_required): {missing}")
