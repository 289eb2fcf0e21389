"""What the scanner page is made of: the settings and sentences its scripts read, the static
files it needs (which the service worker keeps for opening it offline), and its web-app
manifest. The routes are in checkin.routes."""
from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import current_app, url_for
from flask_babel import gettext as _

from forum.badges.codes import reading_rules
from forum.events.models import Forum
from forum.i18n import current_language

# Every page loads BASE_SCRIPTS (base.html); the scanner adds its own. All are kept offline.
BASE_SCRIPTS = ["js/csrf.js", "js/page.js"]
PAGE_SCRIPTS = ["js/fold.js", "checkin/hash.js", "checkin/store.js", "checkin/door.js", "checkin/camera.js",
           "js/checkin.js"]
STYLES = ["vendor/pico/pico.min.css", "css/app.css", "css/checkin.css"]
ICONS = ["checkin/icons/icon-192.png", "checkin/icons/icon-512.png", "checkin/icons/maskable-512.png"]
LAZY = ["vendor/jsqr/jsQR.js"]  # loaded when a phone has no BarcodeDetector
SCRIPTS = BASE_SCRIPTS + PAGE_SCRIPTS
ASSETS = SCRIPTS + STYLES + ICONS + LAZY


@cache
def _assets_version(static_folder: str) -> str:
    """Changes whenever a file the page needs changes: the service worker then fetches them again."""
    digest = hashlib.sha256()
    for name in ASSETS + ["checkin/sw.js"]:
        digest.update((Path(static_folder) / name).read_bytes())
    return digest.hexdigest()[:12]


def assets_version() -> str:
    return _assets_version(current_app.static_folder)


def service_worker_settings() -> dict:
    return {"version": assets_version(), "assets": [url_for("static", filename=name) for name in ASSETS]}


def page_config(forum: Forum) -> dict:
    """Settings and sentences for static/js/checkin.js; `{name}` marks what the script fills in."""
    return {
        "slug": forum.slug, "timezone": forum.timezone, "language": current_language(),
        "scanUrl": url_for("checkin.scan", slug=forum.slug), "searchUrl": url_for("checkin.search", slug=forum.slug),
        "deviceUrl": url_for("checkin.device", slug=forum.slug),
        "rosterUrl": url_for("checkin_offline_api.checkpoint_roster", slug=forum.slug, key="__key__"),
        "batchUrl": url_for("checkin_offline_api.checkin_batch", slug=forum.slug),
        "serviceWorkerUrl": url_for("checkin.service_worker"), "serviceWorkerScope": url_for("checkin.choose_forum"),
        "jsqrUrl": url_for("static", filename="vendor/jsqr/jsQR.js"), "codes": reading_rules(),
        "text": {
            "ok": _("Welcome"), "reentry": _("Re-entry"), "already_checked_in": _("Already checked in"),
            "unknown": _("Unknown badge"), "not_allowed": _("Not admitted"), "cancelled": _("Registration cancelled"),
            "unchecked": _("Not checked"), "error": _("Not recorded"),
            "login": _("Your session has ended. Reload the page and log in again."),
            "cameraOn": _("Point the camera at the QR code."), "cameraOff": _("The camera is off."),
            "cameraDenied": _("The camera is not available. Allow it in the browser, or type the code below."),
            "cameraInsecure": _("The camera works only over HTTPS. Type the code below, or ask the organizers."),
            "admit": _("Admit"), "noResults": _("Nobody found."), "tapToContinue": _("Tap to continue"),
            "noCheckpoint": _("Choose a checkpoint first."),
            "online": _("Online"), "offline": _("OFFLINE"), "waiting": _("Waiting to send: {n}"),
            "roster": _("List of {n} people, {time}"), "noRoster": _("No list on this phone yet"),
            "decidedHere": _("OFFLINE: decided on this phone by its list; it will be sent"),
            "phone": _("Phone"), "sent": _("sent"), "queued": _("waiting"),
            "serverSays": _("the server says: {answer}"), "refused": _("refused: {reason}"),
            "anOrganizer": _("an organizer"),
            "first": _("Welcome!"), "reentryMessage": _("Welcome back (re-entry)."),
            "already": _("Already checked in at %(time)s, %(checkpoint)s, by %(user)s.",
                         time="{time}", checkpoint="{checkpoint}", user="{user}"),
            "cancelledMessage": _("This registration is cancelled. Do not let in on this badge; send the person "
                                  "to the organizers' desk."),
            "declined": _("This person declined the invitation; the registration is not active."),
            "checkpoint_rule": _("This badge does not admit to %(checkpoint)s.", checkpoint="{checkpoint}"),
            "reissued": _("Replaced badge of %(name)s, reissued %(time)s by %(who)s.",
                          name="{name}", time="{time}", who="{who}"),
            "unknown_badge": _("Unknown badge. Check the code, or search by name."),
            "unknown_code": _("No badge has this code at this forum. Check the code, or search by name."),
            "unreadable": _("This is not a badge code."),
            "no_roster": _("This phone has no list of participants yet. The scan is kept and will be checked "
                           "when the network is back."),
        },
    }


def manifest(forum: Forum) -> dict:
    """The web-app manifest: the scanner installs on a phone's home screen and opens full screen."""
    from forum.db import translated

    language = current_language()
    title = translated(forum.title, language)
    return {
        "name": f"{_('Check-in')} · {title}", "short_name": _("Check-in"), "lang": language,
        "start_url": url_for("checkin.scanner", slug=forum.slug), "scope": url_for("checkin.choose_forum"),
        "display": "standalone", "orientation": "portrait", "background_color": "#ffffff", "theme_color": "#1b8a2f",
        "icons": [
            {"src": url_for("static", filename=ICONS[0]), "sizes": "192x192", "type": "image/png"},
            {"src": url_for("static", filename=ICONS[1]), "sizes": "512x512", "type": "image/png"},
            {"src": url_for("static", filename=ICONS[2]), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        ],
    }
