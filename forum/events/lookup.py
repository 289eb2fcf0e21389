"""Finding the forum a URL names, for the routes of every package."""
from __future__ import annotations

from flask import abort
from flask_login import current_user

from forum.events.models import Forum
from forum.events.service import forum_by_slug


def public_forum_or_404(slug: str) -> Forum:
    """A forum the public may see (published or archived); its team also sees it as a draft."""
    forum = forum_by_slug(slug)
    if forum is None:
        abort(404)
    if not forum.is_public and not (current_user.is_authenticated and current_user.role_at(forum) is not None):
        abort(404)
    return forum


def forum_or_404(slug: str) -> Forum:
    """Any forum, for staff pages (access is checked by the route's decorator)."""
    forum = forum_by_slug(slug)
    if forum is None:
        abort(404)
    return forum
