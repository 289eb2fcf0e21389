"""The forum application: create_app() wires configuration, extensions, blueprints,
commands and error pages together."""
from __future__ import annotations

import importlib
from pathlib import Path

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l

# Imported as a module: binding `db` here would shadow the forum.db submodule.
from forum import extensions as ext

PACKAGE_DIR = Path(__file__).resolve().parent

# Blueprints of the core; feature packages add theirs through `forum.features`.
BLUEPRINT_MODULES = [
    "forum.i18n",
    "forum.auth.routes",
    "forum.events.routes",
    "forum.events.manage",
    "forum.people.routes",
    "forum.people.manage",
    "forum.people.manage_orgs",
]


def create_app(config: object | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(_instance_dir()))
    if config is None:
        from config import Config

        config = Config()
    app.config.from_object(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    # One catalog per package under forum/translations/<package>/, merged by Flask-Babel.
    # Later catalogs win on a shared msgid: the core goes last, so "Name" or "Cancelled" read
    # the same everywhere (tests/test_i18n.py also refuses catalogs that disagree).
    catalogs = sorted((p for p in (PACKAGE_DIR / "translations").iterdir() if p.is_dir()),
                      key=lambda p: (p.name == "core", p.name))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(str(p) for p in catalogs)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    _refuse_undeclared_routes(app)
    return app


def _instance_dir() -> Path:
    from config import INSTANCE_DIR

    return INSTANCE_DIR


def register_extensions(app: Flask) -> None:
    from forum import models  # noqa: F401  (every model known to SQLAlchemy and Alembic)
    from forum.i18n import select_locale

    db, login_manager = ext.db, ext.login_manager
    db.init_app(app)
    ext.migrate.init_app(app, db, directory=str(PACKAGE_DIR.parent / "migrations"), render_as_batch=True)
    ext.csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    ext.babel.init_app(app, locale_selector=select_locale)
    ext.limiter.init_app(app)

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

    def render(status: int, message: str):
        if request.path.startswith("/api/"):
            return json_error(status, f"http_{status}", message)
        return render_template("error.html", status=status, message=message), status

    def handler(error):
        status = getattr(error, "code", 500) or 500
        if status == 500:
            ext.db.session.rollback()
        return render(status, str(messages.get(status, messages[400])))

    for status in messages:
        app.register_error_handler(status, handler)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render(400, str(_l("The form expired or was sent twice. Please reload the page and try again.")))

    @app.after_request
    def security_headers(response):
        # /r/<token> links are secrets: never leak them to other sites through Referer.
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response


def register_template_helpers(app: Flask) -> None:
    from forum import nav
    from forum.i18n import LANGUAGE_NAMES, current_language, local_time, tr

    app.jinja_env.filters["tr"] = tr
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.globals.update(
        LANGUAGE_NAMES=LANGUAGE_NAMES, current_language=current_language, forum_tabs=nav.forum_tabs,
        public_links=nav.public_links,
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
