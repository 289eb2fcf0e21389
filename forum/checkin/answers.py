"""A scan's answer as JSON, the same for the scanner page and the API, with a sentence in the
request's language. It names the person, their organization and category, never their
phone or anything else private."""
from __future__ import annotations

from flask_babel import gettext as _

from forum.checkin.service import Answer
from forum.db import translated
from forum.i18n import current_language, local_time
from forum.people.forms import CATEGORY_LABELS, STATUS_LABELS

# Sentences and labels without a variable part, per language: the same in every answer, so each
# is translated once per process rather than on every scan at the door.
_fixed: dict[tuple[str, str, str], str] = {}


def _once(language: str, kind: str, key: str, translate) -> str:
    found = _fixed.get((language, kind, key))
    if found is None:
        found = _fixed[(language, kind, key)] = str(translate())
    return found


def _message(answer: Answer, view: dict, language: str, first_at: str, reissued_at: str) -> str:
    reason = answer.reason
    if answer.status == "ok":
        if reason == "reentry":
            return _once(language, "message", reason, lambda: _("Welcome back (re-entry)."))
        return _once(language, "message", "welcome", lambda: _("Welcome!"))
    if answer.status == "already_checked_in":
        first = view.get("first")
        return _("Already checked in at %(time)s, %(checkpoint)s, by %(user)s.",
                 time=first_at,
                 checkpoint=translated(first["checkpoint"]["name"], language) if first else "?",
                 user=(first["by"] if first and first["by"] else _("an organizer")))
    if answer.status == "cancelled":
        return _("This registration is cancelled. Do not let in on this badge; send the person to the organizers' desk.")
    if answer.status == "not_allowed":
        if reason == "reissued":
            person, reissued = view.get("registration") or {}, view.get("reissued") or {}
            return _("Replaced badge of %(name)s, reissued %(time)s by %(who)s.", name=person.get("name", "?"),
                     time=reissued_at,
                     who=reissued.get("by") or _("an organizer"))
        if reason == "declined":
            return _("This person declined the invitation; the registration is not active.")
        return _("This badge does not admit to %(checkpoint)s.",
                 checkpoint=translated(view["checkpoint"]["name"], language))
    return {
        "other_forum": _("This badge is for another forum."),
        "unknown_code": _("No badge has this code at this forum. Check the code, or search by name."),
        "not_found": _("This registration was not found."),
        "unreadable": _("This is not a badge code."),
    }.get(reason, _("Unknown badge. Check the code, or search by name."))


def _place(place: dict, language: str) -> dict:
    return {"key": place["key"], "name": translated(place["name"], language)}


def to_json(answer: Answer, tz: str) -> dict:
    """The answer's JSON: status, reason, message, the person, and for "already in" the
    first entry's time, place and staff member. Made from `answer.view`: no query."""
    language = current_language()
    view = answer.view
    assert view is not None  # every Answer that scan() or answer_for() makes carries its view
    first, reissued = view.get("first"), view.get("reissued")
    # Each time is formatted once: the answer gives it and its sentence says it.
    first_at = local_time(first["at"], tz, "HH:mm", language) if first else "?"
    reissued_at = local_time(reissued["at"], tz, "d MMMM, HH:mm", language) if reissued else "?"
    body: dict = {
        "status": answer.status,
        "reason": answer.reason,
        "message": _message(answer, view, language, first_at, reissued_at),
        "scan_id": view["scan_id"],
        "at": view["at"].isoformat(),
        "checkpoint": _place(view["checkpoint"], language),
    }
    person = view.get("registration")
    if person is not None:
        body["registration"] = {
            **person,
            "category_label": _once(language, "category", person["category"], CATEGORY_LABELS[person["category"]].__str__),
            "status_label": _once(language, "status", person["status"], STATUS_LABELS[person["status"]].__str__),
        }
    if first is not None:
        body["first"] = {"at": first["at"].isoformat(), "at_local": first_at,
                         "checkpoint": _place(first["checkpoint"], language), "by": first["by"],
                         "device": first["device"]}
    if reissued is not None:
        body["reissued"] = {"at": reissued["at"].isoformat(), "at_local": reissued_at, "by": reissued["by"]}
    return body
