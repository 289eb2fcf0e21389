"""The offline door's API: a checkpoint's roster for phones to decide scans without the
network, and the batch upload of the scans they made meanwhile. A staff API token, or the
scanner page itself with the staff member's login (and its CSRF token for the upload)."""
from __future__ import annotations

import json

from flask import Blueprint, abort, current_app, jsonify, request
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf

from forum.api import openapi
from forum.api.body import ApiError, json_object
from forum.auth.access import api_roles_required, api_user
from forum.checkin import batch, roster, service
from forum.checkin.answers import to_json
from forum.checkin.api import error_for
from forum.db import translated
from forum.events.lookup import forum_or_404
from forum.extensions import compress
from forum.i18n import current_language
from forum.people.forms import CATEGORY_LABELS, STATUS_LABELS

bp = Blueprint("checkin_offline_api", __name__, url_prefix="/api/v1")
csrf_exempt = True  # tokens carry no cookies; the page's own calls are checked in api_roles_required


@bp.route("/forums/<slug>/checkpoints/<key>/roster")
@api_roles_required("staff", "organizer", session=True)
@compress.compressed()
def checkpoint_roster(slug: str, key: str):
    forum = forum_or_404(slug)
    checkpoint = service.checkpoint_by_key(forum, key)
    if checkpoint is None:
        abort(404)
    body = roster.roster(forum, checkpoint, request.args.get("since"))
    language = current_language()
    body["checkpoint"]["name"] = translated(body["checkpoint"]["name"], language)
    body["labels"] = {"categories": {k: str(v) for k, v in CATEGORY_LABELS.items()},
                      "statuses": {k: str(v) for k, v in STATUS_LABELS.items()}}
    if request.headers.get("Authorization") is None:
        body["csrf_token"] = generate_csrf()  # a page open all day keeps a token that works
    # Cyrillic as UTF-8, not \u escapes: a third of the size before compression
    response = current_app.response_class(json.dumps(body, ensure_ascii=False, separators=(",", ":")),
                                          mimetype="application/json")
    response.headers["Cache-Control"] = "private, no-store"  # names of people: never in a shared cache
    return response


def _refusal_json(refusal: batch.Refusal, forum) -> dict:
    first, last = batch.forum_days(forum)
    messages = {
        "invalid": _("Each scan needs exactly one of secret, code or registration."),
        "time": _("The scan's time is missing or has no time zone (ISO 8601 with an offset, e.g. "
                  "2011-05-05T09:12:00+05:00)."),
        "outside_days": _("The scan's time is outside the forum's days (%(first)s – %(last)s).",
                          first=first.isoformat(), last=last.isoformat()),
        "future": _("The scan's time is in the future: check the phone's clock."),
    }
    message = messages.get(refusal.code) or error_for(service.CheckinError(refusal.code)).message
    return {"nonce": refusal.nonce, "error": {"code": refusal.code, "message": message}}


@bp.route("/forums/<slug>/checkins/batch", methods=["POST"])
@api_roles_required("staff", "organizer", session=True)
def checkin_batch(slug: str):
    forum = forum_or_404(slug)
    data = json_object()
    scans, device = data.get("scans"), data.get("device")
    if not isinstance(scans, list):
        raise ApiError(400, "invalid", _("Send the scans as a list: {\"scans\": […]}."))
    if len(scans) > batch.MAX_SCANS:
        raise ApiError(400, "too_many", _("At most %(max)s scans per request; send the rest in the next one.",
                                          max=batch.MAX_SCANS), max=batch.MAX_SCANS)
    timezone = forum.timezone
    results = batch.record_batch(forum, scans, user=api_user(), device=device if isinstance(device, str) else "")
    return jsonify({"results": [_refusal_json(r, forum) if isinstance(r, batch.Refusal)
                                else {"nonce": scans[i]["nonce"], **to_json(r, timezone)}
                                for i, r in enumerate(results)]})


_hash = {"type": "string", "description": roster.HASH}
openapi.add_schema("RosterEntry", {
    "type": "object", "required": ["id", "secret", "name", "folded", "category", "status", "admitted"],
    "properties": {
        "id": {"type": "integer"}, "secret": _hash, "code": {**_hash, "nullable": True},
        "name": {"type": "string"}, "folded": {"type": "string", "description": "the name folded for search "
                                                                               "(forum.people.folding, static/js/fold.js)"},
        "organization": {"type": "string"}, "category": {"type": "string"}, "status": {"type": "string"},
        "admitted": {"type": "boolean", "description": "whether this checkpoint's rule admits them (status aside)"},
        "in": {"type": "object", "nullable": True, "description": "their entry here: when, by whom, on which device",
               "properties": {"at": {"type": "string", "format": "date-time"}, "by": {"type": "string"},
                              "device": {"type": "string"}}},
    },
})
openapi.add_schema("Roster", {
    "type": "object", "required": ["key", "hash", "cursor", "full", "registrations", "reissued"],
    "properties": {
        "forum": {"type": "string"}, "timezone": {"type": "string"},
        "days": {"type": "array", "items": {"type": "string", "format": "date"}, "description": "first and last day"},
        "checkpoint": {"type": "object"}, "key": {"type": "string", "description": "the roster key, base64url"},
        "hash": {"type": "string"}, "server_time": {"type": "string", "format": "date-time"},
        "cursor": {"type": "string", "description": "send as ?since= to get only what changed"},
        "full": {"type": "boolean", "description": "false: only changed registrations; keep the others"},
        "registrations": {"type": "array", "items": openapi.ref("RosterEntry")},
        "reissued": {"type": "array", "description": "replaced badges and whose they were", "items": {
            "type": "object", "properties": {"secret": _hash, "code": {**_hash, "nullable": True},
                                             "registration": {"type": "integer"},
                                             "at": {"type": "string", "format": "date-time"}, "by": {"type": "string"}}}},
        "labels": {"type": "object"}, "csrf_token": {"type": "string", "description": "only for the scanner page"},
    },
})
openapi.add_operation("/forums/{slug}/checkpoints/{key}/roster", "get", {
    "operationId": "getCheckpointRoster",
    "summary": "A checkpoint's roster, for deciding scans offline", "tags": ["check-in"], "security": openapi.BEARER,
    "description": "Every registration of the forum with keyed hashes of its badge secret and short code (never "
                   "the values), name, organization, category, status, whether this checkpoint admits them and "
                   "whether they are in; and the replaced badges. gzip (or br, zstd) when accepted. Roles: staff, "
                   "organizer.",
    "parameters": [openapi.SLUG, {"name": "key", "in": "path", "required": True, "schema": {"type": "string"}},
                   {"name": "since", "in": "query", "required": False, "schema": {"type": "string"},
                    "description": "the cursor of the last roster: only what changed since"}],
    "responses": {"200": openapi.json_response("The roster.", "Roster"), **openapi.ERRORS},
})
openapi.add_schema("BatchRequest", {
    "type": "object", "required": ["scans"],
    "properties": {
        "device": {"type": "string", "description": "the phone's name, e.g. Door phone 2"},
        "scans": {"type": "array", "maxItems": batch.MAX_SCANS, "items": {
            "type": "object", "required": ["checkpoint", "nonce", "at"],
            "description": "exactly one of secret, code, registration",
            "properties": {
                "secret": {"type": "string"}, "code": {"type": "string"},
                "registration": {"type": "integer", "description": "admitted by name search"},
                "checkpoint": {"type": "string"}, "nonce": {"type": "string", "minLength": 8, "maxLength": 64},
                "at": {"type": "string", "format": "date-time", "description": "when it was scanned, with offset"},
                "method": {"type": "string", "enum": ["camera", "keyboard", "search", "api"]},
                "answered": {"type": "string", "description": "what the phone answered offline"},
                "device": {"type": "string"},
            }}},
    },
})
openapi.add_schema("BatchAnswer", {
    "type": "object", "required": ["results"],
    "properties": {"results": {"type": "array", "description": "one per scan, in order: a check-in answer with "
                                                               "its nonce, or {nonce, error} when refused",
                               "items": {"type": "object"}}},
})
openapi.add_operation("/forums/{slug}/checkins/batch", "post", {
    "operationId": "uploadCheckinBatch",
    "summary": "Upload scans made offline", "tags": ["check-in"], "security": openapi.BEARER,
    "description": "Records each scan at its own time, idempotent by nonce (a batch sent twice records nothing "
                   "new). The earliest scan of a person at a checkpoint is the entry, even when uploaded after a "
                   "later one. Scans outside the forum's days are refused. Roles: staff, organizer.",
    "parameters": [openapi.SLUG],
    "requestBody": openapi.json_body("BatchRequest"),
    "responses": {"200": openapi.json_response("One answer per scan.", "BatchAnswer"),
                  **openapi.INVALID, **openapi.ERRORS},
})
