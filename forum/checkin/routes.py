"""The scanner page /checkin/<slug> for door staff, and the same-origin JSON endpoints it
posts to (session login, CSRF token in the X-CSRFToken header). They call the same service
as the API."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from forum.auth.access import json_error, roles_required
from forum.badges import codes
from forum.badges.models import BadgeCode
from forum.checkin import service
from forum.checkin.answers import to_json
from forum.checkin.api import error_for
from forum.events.lookup import forum_or_404
from forum.events.models import Forum
from forum.extensions import db
from forum.people.forms import CATEGORY_LABELS, STATUS_LABELS

bp = Blueprint("checkin", __name__, url_prefix="/checkin")


@bp.route("/")
@roles_required("staff", "organizer")
def choose_forum():
    forums = db.session.scalars(sa.select(Forum).where(Forum.status != "archived").order_by(Forum.starts_at))
    return render_template("checkin/choose.html", forums=list(forums))


@bp.route("/<slug>")
@roles_required("staff", "organizer")
def scanner(slug: str):
    forum = forum_or_404(slug)
    return render_template("checkin/scanner.html", forum=forum, checkpoints=service.checkpoints(forum, active_only=True))


@bp.route("/<slug>/scan", methods=["POST"])
@roles_required("staff", "organizer")
def scan(slug: str):
    forum = forum_or_404(slug)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return json_error(400, "invalid_json", _("The request body must be a JSON object."))
    registration_id = data.get("registration")
    secret = data.get("secret")
    if not (isinstance(registration_id, int) or (isinstance(secret, str) and secret.strip())):
        return json_error(400, "invalid", _("Scan a badge, type its code, or choose a person."))
    method = data.get("method") if data.get("method") in ("camera", "keyboard", "search") else "camera"
    try:
        answer = service.scan(
            forum, str(data.get("checkpoint") or ""), data.get("nonce"),
            value=secret if registration_id is None else None,
            registration_id=registration_id if isinstance(registration_id, int) else None,
            user=current_user, device=str(data.get("device") or request.headers.get("User-Agent", ""))[:120],
            method=method)
    except service.CheckinError as error:
        api_error = error_for(error)
        return json_error(api_error.status, api_error.code, api_error.message)
    return jsonify(to_json(answer, forum.timezone))


@bp.route("/<slug>/search")
@roles_required("staff", "organizer")
def search(slug: str):
    """People matching a name, phone or short code, to admit someone without a badge. The
    answer names them; it never shows a phone number."""
    forum = forum_or_404(slug)
    found = service.search(forum, request.args.get("q", ""))
    short_codes = dict(db.session.execute(sa.select(BadgeCode.registration_id, BadgeCode.code).where(
        BadgeCode.registration_id.in_([r.id for r in found]))).all()) if found else {}
    return jsonify({"results": [{
        "id": r.id, "name": r.person.full_name,
        "organization": r.person.organization.name if r.person.organization else "",
        "category_label": str(CATEGORY_LABELS[r.category]), "status": r.status,
        "status_label": str(STATUS_LABELS[r.status]), "code": codes.display(short_codes.get(r.id)),
    } for r in found]})
