"""Calendar feeds (.ics): a forum's agenda, one item, a participant's own schedule; and the
"My schedule" panel of the participant's page."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for

from forum.agenda import queries
from forum.agenda.forms import ROLE_LABELS
from forum.auth.access import public
from forum.calendar import ics, service
from forum.events.lookup import public_forum_or_404
from forum.extensions import limiter
from forum.i18n import current_language
from forum.people.personal import register_panel
from forum.people.service import registration_by_token

bp = Blueprint("calendar", __name__)


def _base_url() -> str:
    # The configured address, not the request's: UIDs must not change with the host name used.
    return current_app.config["BASE_URL"]


def _ics_response(cal, filename: str, private: bool = False, download: bool = False):
    response = current_app.response_class(ics.to_ical(cal), mimetype="text/calendar")
    disposition = "attachment" if download else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-cache" if private else "public, max-age=300"
    if private:
        response.headers["X-Robots-Tag"] = "noindex"
    response.add_etag()  # calendar apps poll: an unchanged feed answers 304
    return response.make_conditional(request)


def webcal(url: str) -> str:
    """The webcal:// form of a feed's http(s) address, which phones open as a subscription."""
    return "webcal://" + url.split("://", 1)[1] if "://" in url else url


@bp.route("/f/<slug>/agenda.ics")
@public
def forum_feed(slug: str):
    forum = public_forum_or_404(slug)
    lang = service.language(request.args.get("lang"), current_language())
    return _ics_response(service.forum_calendar(forum, lang, _base_url()), f"{forum.slug}-{lang}.ics",
                         private=not forum.is_public)  # an organizer's preview of a draft stays out of caches


@bp.route("/f/<slug>/agenda/<int:item_id>.ics")
@public
def item_ics(slug: str, item_id: int):
    forum = public_forum_or_404(slug)
    item = queries.public_item(forum, item_id)
    if item is None:
        abort(404)
    lang = service.language(request.args.get("lang"), current_language())
    return _ics_response(service.item_calendar(item, lang, _base_url()), f"{forum.slug}-{item.id}.ics",
                         private=not forum.is_public, download=True)


@bp.route("/r/<token>/calendar.ics")
@limiter.limit("120 per minute")
@public  # access by the private token in the URL; unknown tokens get a plain 404
def personal_feed(token: str):
    registration = registration_by_token(token)
    if registration is None:
        abort(404)
    lang = service.language(request.args.get("lang"), registration.person.language)
    return _ics_response(service.personal_calendar(registration, lang, _base_url()), "schedule.ics", private=True)


def schedule_panel(registration):
    """"My schedule" on the participant's page: their items and the link to subscribe. Items
    they declined are left out (their feed marks them cancelled); accepted ones say so."""
    answered = service.answers(registration)
    items = [p for p in queries.personal_items(registration) if answered.get(p.item.id) != "declined"]
    if not items:
        return None
    lang = current_language()
    feed = url_for("calendar.personal_feed", token=registration.token, lang=lang, _external=True)
    return render_template("calendar/schedule_panel.html", items=items, forum=registration.forum,
                           feed=feed, webcal_feed=webcal(feed), role_labels=ROLE_LABELS, answered=answered)


register_panel("schedule", schedule_panel, order=20)
