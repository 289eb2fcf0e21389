"""The check-in API: POST /api/v1/forums/<slug>/checkins with a staff API token."""
from __future__ import annotations

from flask import Blueprint, abort, g, jsonify
from flask_babel import gettext as _

from forum.api import openapi
from forum.api.body import ApiError, json_object, require_strings
from forum.auth.access import api_roles_required
from forum.checkin import service
from forum.checkin.answers import to_json
from forum.checkin.models import RESULTS
from forum.db import reads_first, translated
from forum.events.lookup import forum_or_404
from forum.i18n import current_language

bp = Blueprint("checkin_api", __name__, url_prefix="/api/v1")
csrf_exempt = True  # Bearer tokens, no cookies


def error_for(error: service.CheckinError) -> ApiError:
    messages = {
        "checkpoint": _("There is no such checkpoint at this forum."),
        "checkpoint_closed": _("This checkpoint is closed."),
        "nonce": _("Each scan needs a nonce: a random text of 8 to 64 characters."),
        "method": _("Unknown scan method."),
    }
    return ApiError(400, error.code, messages.get(error.code, error.code))


@bp.route("/forums/<slug>/checkins", methods=["POST"])
@api_roles_required("staff", "organizer")
@reads_first  # the token is read before the write lock; service.scan takes it
def create_checkin(slug: str):
    token = g.api_token
    if token.url_forum_id is None:  # read with the token: the URL names no forum of ours
        abort(404)
    forum = service.DoorForum(token.url_forum_id, slug, token.url_forum_timezone, token.url_forum_status)
    fields = require_strings(json_object(), "secret", "checkpoint", "nonce", optional=("device",))
    device = fields.get("device") or ""  # the scanner's name for itself: the board shows it, never a user-agent string
    try:
        # The checkpoint is named by its key: it is read with the badge, in one statement.
        answer = service.scan(forum, fields["checkpoint"], fields["nonce"], value=fields["secret"],
                              user_id=token.user_id, device=device, method="api")
    except service.CheckinError as error:
        raise error_for(error) from None
    return jsonify(to_json(answer, forum.timezone))


@bp.route("/forums/<slug>/checkpoints")
@api_roles_required("staff", "organizer")
def list_checkpoints(slug: str):
    forum = forum_or_404(slug)
    language = current_language()
    return jsonify([{"key": c.key, "name": translated(c.name, language), "rule": c.rule, "reentry": c.reentry}
                    for c in service.checkpoints(forum, active_only=True)])


openapi.add_schema("CheckinRequest", {
    "type": "object", "required": ["secret", "checkpoint", "nonce"],
    "properties": {
        "secret": {"type": "string", "description": "What the QR holds (the badge secret) or the short code "
                                                     "printed under it, as read or typed."},
        "checkpoint": {"type": "string", "description": "The checkpoint's key, e.g. entrance."},
        "nonce": {"type": "string", "minLength": 8, "maxLength": 64,
                  "description": "Random per scan; send the same one again when retrying after a timeout: "
                                 "the same nonce is the same scan and gets the first answer again."},
        "device": {"type": "string", "description": "Which phone or laptop scanned (optional)."},
    },
})
_person = {
    "type": "object", "required": ["name", "organization", "category", "category_label"],
    "description": "Who the badge belongs to: no phone or other private data.",
    "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"}, "organization": {"type": "string"},
        "category": {"type": "string"}, "category_label": {"type": "string"},
        "status": {"type": "string"}, "status_label": {"type": "string"},
    },
}
_place = {"type": "object", "required": ["key", "name"],
          "properties": {"key": {"type": "string"}, "name": {"type": "string"}}}
openapi.add_schema("CheckinAnswer", {
    "type": "object", "required": ["status", "reason", "message", "scan_id", "at", "checkpoint"],
    "properties": {
        "status": {"type": "string", "enum": list(RESULTS)},
        "reason": {"type": "string", "description": "first, reentry, already, unknown_badge, unknown_code, reissued, "
                                                    "other_forum, unreadable, declined, cancelled, checkpoint_rule"},
        "message": {"type": "string", "description": "A sentence for the staff, in the request's language."},
        "scan_id": {"type": "integer"},
        "at": {"type": "string", "format": "date-time"},
        "checkpoint": _place,
        "registration": _person,
        "first": {"type": "object", "description": "When already checked in (or re-entering): the first entry.",
                  "properties": {"at": {"type": "string", "format": "date-time"}, "at_local": {"type": "string"},
                                 "checkpoint": _place, "by": {"type": "string", "description": "staff member"}}},
    },
})
openapi.add_schema("Checkpoint", {
    "type": "object", "required": ["key", "name", "rule", "reentry"],
    "properties": {"key": {"type": "string"}, "name": {"type": "string"}, "rule": {"type": "string"},
                   "reentry": {"type": "boolean"}},
})
openapi.add_operation("/forums/{slug}/checkins", "post", {
    "operationId": "createCheckin",
    "summary": "Scan a badge at a checkpoint", "tags": ["check-in"], "security": openapi.BEARER,
    "description": "Finds the registration by badge secret or short code, checks the checkpoint's rule and the "
                   "registration's status, and records the scan (failed ones too). Two phones scanning the same "
                   "badge at once: exactly one gets \"ok\". Roles: staff, organizer.",
    "parameters": [openapi.SLUG],
    "requestBody": openapi.json_body("CheckinRequest"),
    "responses": {"200": openapi.json_response("The scan's result (also for unknown or refused badges).",
                                               "CheckinAnswer"),
                  **openapi.INVALID, **openapi.ERRORS},
})
openapi.add_operation("/forums/{slug}/checkpoints", "get", {
    "operationId": "listCheckpoints",
    "summary": "The forum's open checkpoints", "tags": ["check-in"], "security": openapi.BEARER,
    "parameters": [openapi.SLUG],
    "responses": {"200": openapi.json_response("Checkpoints in order.", "Checkpoint", array=True), **openapi.ERRORS},
})
