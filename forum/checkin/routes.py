"""The scanner page /checkin/<slug> for door staff, and the same-origin JSON endpoints it
posts to (session login, CSRF token in the X-CSRFToken header). They call the same service
as the API."""
from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forum.auth.access import json_error, public, roles_required
from forum.auth.service import only_theirs
from forum.badges import codes
from forum.badges.models import BadgeCode
from forum.checkin import devices, service
from forum.checkin import scanner as page
from forum.checkin.answers import to_json
from forum.checkin.api import error_for
from forum.checkin.models import SCANNER_METHODS
from forum.events.lookup import forum_or_404
from forum.events.models import Forum
from forum.events.service import forum_of_the_day, public_forums
from forum.extensions import db
from forum.nav import register_header_link, register_role_home
from forum.people.forms import CATEGORY_LABELS, STATUS_LABELS

bp = Blueprint("checkin", __name__, url_prefix="/checkin")

DOOR = ("staff", "organizer")  # who opens the scanner (at their own forums)

register_role_home("staff", "checkin.today")  # door staff land on their scanner
register_header_link("checkin.today", _l("Scanner"), roles=("staff",))


@bp.route("/")
@roles_required("staff", "organizer")
def choose_forum():
    forums = db.session.scalars(sa.select(Forum).where(Forum.status != "archived").order_by(Forum.starts_at))
    return render_template("checkin/choose.html", forums=only_theirs(current_user, forums, *DOOR))


@bp.route("/today")
@roles_required("staff", "organizer")
def today():
    """Where door staff land after logging in and from the header: the scanner of the forum of
    the day (going on, else next, else the last one), or the list of forums when there is none."""
    forum = forum_of_the_day(only_theirs(current_user, public_forums(), *DOOR))
    return redirect(url_for("checkin.scanner", slug=forum.slug) if forum else url_for("checkin.choose_forum"))


@bp.route("/<slug>")
@roles_required("staff", "organizer")
def scanner(slug: str):
    forum = forum_or_404(slug)
    return render_template("checkin/scanner.html", forum=forum, checkpoints=service.checkpoints(forum, active_only=True),
                           config=page.page_config(forum), scripts=page.PAGE_SCRIPTS)


@bp.route("/<slug>/manifest.webmanifest")
@roles_required("staff", "organizer")
def manifest(slug: str):
    response = jsonify(page.manifest(forum_or_404(slug)))
    response.mimetype = "application/manifest+json"
    return response


@bp.route("/sw.js")
@public  # the service worker script: no data in it; a phone fetches it to update, logged in or not
def service_worker():
    """static/checkin/sw.js with the list of files to keep, served from /checkin/ so that it
    may serve the scanner pages under /checkin/ when the network is gone."""
    settings = json.dumps(page.service_worker_settings())
    script = (Path(current_app.static_folder) / "checkin" / "sw.js").read_text()
    response = current_app.response_class(f"self.FORUM_SW = {settings};\n{script}", mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


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
    method = data["method"] if data.get("method") in SCANNER_METHODS else "camera"
    try:
        answer = service.scan(
            forum, str(data.get("checkpoint") or ""), data.get("nonce"),
            value=secret if registration_id is None else None,
            registration_id=registration_id if isinstance(registration_id, int) else None,
            user=current_user, device=str(data.get("device") or "")[:120],  # the phone's name, as staff named it
            method=method)
    except service.CheckinError as error:
        api_error = error_for(error)
        return json_error(api_error.status, api_error.code, api_error.message)
    return jsonify(to_json(answer, forum.timezone))


@bp.route("/<slug>/device", methods=["POST"])
@roles_required("staff", "organizer")
def device(slug: str):
    """A number for a phone that has no name yet: it calls itself "Phone <number>"."""
    forum = forum_or_404(slug)
    number = devices.new_device_number(forum, current_user)
    return jsonify({"number": number, "name": _("Phone %(number)s", number=number)})


@bp.route("/<slug>/search")
@roles_required("staff", "organizer")
def search(slug: str):
    """People matching a name, phone or short code, to admit someone without a badge. The
    answer names them; it never shows a phone number."""
    forum = forum_or_404(slug)
    found = service.search(forum, request.args.get("q", ""))
    short_codes = dict(db.session.execute(sa.select(BadgeCode.registration_id, BadgeCode.code).where(
        BadgeCode.registration_id.in_([r.id for r in found]))).tuples().all()) if found else {}
    return jsonify({"results": [{
        "id": r.id, "name": r.person.full_name,
        "organization": r.person.organization.name if r.person.organization else "",
        "category_label": str(CATEGORY_LABELS[r.category]), "status": r.status,
        "status_label": str(STATUS_LABELS[r.status]), "code": codes.display(short_codes.get(r.id)),
    } for r in found]})
