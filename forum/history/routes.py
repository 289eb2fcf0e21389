"""The history on pages: `history_of(entity, id, forum)` for an object's page (the newest
entries), and the page with all of one object's history."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from forum.auth.access import roles_required
from forum.events.lookup import forum_or_404
from forum.history import display
from forum.history.tracked import BY_ENTITY
from forum.pagination import paginate

bp = Blueprint("history", __name__, url_prefix="/manage")


@bp.app_template_global()
def history_of(entity: str, entity_id: int, forum) -> dict:
    """The newest entries of one object's history and how many there are in all."""
    return {"entity": entity, "entity_id": entity_id, "entries": display.newest(entity, entity_id, forum),
            "total": display.count(entity, entity_id, forum.id), "limit": display.LIMIT}


# Organizers only, like the objects' pages: the history names who changed what.
@bp.route("/<slug>/history/<entity>/<int:entity_id>")
@roles_required("organizer")
def full(slug: str, entity: str, entity_id: int):
    forum = forum_or_404(slug)
    spec = BY_ENTITY.get(entity) or abort(404)
    page = paginate(display.query(entity, entity_id, forum.id), request.args.get("page"), size=100)
    return render_template("history/full.html", forum=forum, spec=spec, entity_id=entity_id, page=page,
                           entries=display.shown(entity, page.items, forum))
