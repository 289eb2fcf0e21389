"""Who may use a route. Every view declares it with exactly one of these decorators;
create_app() refuses to start when a view declares nothing, so no route is forgotten.

- `public`: anyone (public pages, and pages reached by a private token in the URL);
- `roles_required(*roles)`: a logged-in user with one of the roles (pages);
- `api_roles_required(*roles)`: a Bearer API token of a user with one of the roles (JSON),
  within the token's limits: its forum (the view's `slug`) and read-only (GET only);

Roles are per forum: when the URL names a forum (the view's `slug`), the user must hold one
of the roles at that forum (a ForumMember row; an administrator holds them everywhere), and
`g.forum_role` tells the view which. Pages not tied to a forum need the role at any forum
(or as the user's own role) and show only the user's forums (service.forum_ids_of).
  with `session=True` also this site's own pages, for a logged-in user with one of the roles
  (unsafe methods then need the CSRF token in the X-CSRFToken header, as forms do).
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, current_app, g, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from forum.auth.models import FORUM_ROLES
from forum.auth.service import RoleThere, forum_role, token_for

PUBLIC = "public"


def public(view: Callable) -> Callable:
    view.access = PUBLIC  # type: ignore[attr-defined]  # read by the access walker, as below
    return view


def roles_required(*roles: str) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            from forum.extensions import login_manager

            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not allowed(current_user, roles, kwargs.get("slug")):
                abort(403)
            return view(*args, **kwargs)

        wrapped.access = tuple(roles)  # type: ignore[attr-defined]
        return wrapped

    return decorator


def allowed(user, roles: tuple[str, ...], slug: str | None, there: RoleThere | None = None) -> bool:
    """Whether `user` may use a view declared for `roles`, at the forum `slug` when the URL
    names one (`there`: the user's role at it, when already known); sets g.forum_role (the
    user's role there) for the view. A forum that does not exist is left to the view's 404."""
    g.forum_role = None
    if slug is None:
        return user.has_role(*roles)
    if user.role in roles and user.role not in FORUM_ROLES:  # an employer's own pages
        g.forum_role = user.role
        return True
    there = there or forum_role(user, slug)
    g.forum_role = there.role
    return not there.exists or there.role in roles


def _refused():
    """The API's 403 after allowed(): a role at this forum that may not do this, or none here."""
    if g.forum_role is None and request.view_args and request.view_args.get("slug") is not None:
        return json_error(403, "forbidden", _("You have no role at this forum."))
    return json_error(403, "forbidden", _("Your role may not do this."))


def json_error(status: int, code: str, message: str, **extra):
    """The API's one error shape: {"error": {"code", "message", …}} with the HTTP status."""
    response = jsonify({"error": {"code": code, "message": message, **extra}})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


def api_roles_required(*roles: str, session: bool = False) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            header = request.headers.get("Authorization", "")
            if session and not header and current_user.is_authenticated:
                return _session_call(view, roles, *args, **kwargs)
            scheme, _sep, plain = header.partition(" ")
            slug = kwargs.get("slug")
            token = token_for(plain.strip(), slug) if scheme.lower() == "bearer" else None
            if token is None:
                return json_error(401, "unauthorized", _("A valid API token is required."))
            if not allowed(token, roles, slug, token.there if slug is not None else None):
                return _refused()
            refused = _outside_token(token, kwargs.get("slug"))
            if refused is not None:
                return refused
            g.api_token, g.api_page_user = token, None
            return view(*args, **kwargs)

        wrapped.access = ("api",) + tuple(roles)  # type: ignore[attr-defined]
        return wrapped

    return decorator


def _outside_token(token, slug: str | None):
    """The refusal of a request beyond what the token allows (one forum, reading only), or None."""
    if token.read_only and request.method not in ("GET", "HEAD", "OPTIONS"):
        return json_error(403, "read_only", _("This API token may only read."))
    if token.forum_id is not None and slug is not None and slug != token.forum_slug:
        return json_error(403, "other_forum", _("This API token is for another forum."))
    return None


def _session_call(view: Callable, roles: tuple[str, ...], *args, **kwargs):
    """An API view called by a page of this site with the login cookie instead of a token."""
    from forum.extensions import csrf

    if not allowed(current_user, roles, kwargs.get("slug")):
        return _refused()
    if current_app.config["WTF_CSRF_ENABLED"]:
        csrf.protect()  # the API is exempt for tokens; a cookie needs the form's token (unsafe methods)
    g.api_token, g.api_page_user = None, current_user._get_current_object()
    return view(*args, **kwargs)


def api_user():
    """The user an API view acts for: the token's (its row read now, on first use) or, for a
    call from this site's own pages, the logged-in user."""
    token = g.api_token
    return token.user if token is not None else g.api_page_user


def api_user_id() -> int | None:
    """The id of api_user(), without reading the user's row; None outside an API view."""
    token = g.get("api_token")
    if token is not None:
        return token.user_id
    page_user = g.get("api_page_user")
    return page_user.id if page_user is not None else None


def undeclared_views(app) -> list[str]:
    """Endpoints whose view declares no access rule (static files excepted)."""
    return sorted(
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static" and not endpoint.endswith(".static") and not hasattr(view, "access")
    )
