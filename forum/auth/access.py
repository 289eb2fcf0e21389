"""Who may use a route. Every view declares it with exactly one of these decorators;
create_app() refuses to start when a view declares nothing, so no route is forgotten.

- `public`: anyone (public pages, and pages reached by a private token in the URL);
- `roles_required(*roles)`: a logged-in user with one of the roles (pages);
- `api_roles_required(*roles)`: a Bearer API token of a user with one of the roles (JSON).
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, g, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from forum.auth.service import user_for_token

PUBLIC = "public"


def public(view: Callable) -> Callable:
    view.access = PUBLIC
    return view


def roles_required(*roles: str) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            from forum.extensions import login_manager

            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.access = tuple(roles)
        return wrapped

    return decorator


def json_error(status: int, code: str, message: str, **extra):
    """The API's one error shape: {"error": {"code", "message", …}} with the HTTP status."""
    response = jsonify({"error": {"code": code, "message": message, **extra}})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


def api_roles_required(*roles: str) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            header = request.headers.get("Authorization", "")
            scheme, _sep, plain = header.partition(" ")
            user = user_for_token(plain.strip()) if scheme.lower() == "bearer" else None
            if user is None:
                return json_error(401, "unauthorized", _("A valid API token is required."))
            if not user.has_role(*roles):
                return json_error(403, "forbidden", _("Your role may not do this."))
            g.api_user = user
            return view(*args, **kwargs)

        wrapped.access = ("api",) + tuple(roles)
        return wrapped

    return decorator


def undeclared_views(app) -> list[str]:
    """Endpoints whose view declares no access rule (static files excepted)."""
    return sorted(
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static" and not endpoint.endswith(".static") and not hasattr(view, "access")
    )
