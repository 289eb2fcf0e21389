"""The participant's badge on their private page /r/<token>: the QR to show on a phone's
screen, and the badge as a PDF to print."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from forum.auth.access import public
from forum.badges import codes, qr, service
from forum.badges.pdf import render
from forum.db import writes_on_get
from forum.extensions import db, limiter
from forum.people.personal import register_panel
from forum.people.service import registration_by_token

bp = Blueprint("badges", __name__)


def _has_badge(registration) -> bool:
    return registration.status in service.PRINTABLE_STATUSES


def _code(registration) -> str:
    had = db.session.get(service.BadgeCode, registration.id) is not None
    code = service.short_code(registration)
    if not had:  # a registration older than badges: its code is issued once and kept
        db.session.commit()
    return code


def badge_panel(registration) -> Markup | None:
    """The badge section of /r/<token>: QR on screen, short code, PDF download."""
    if not _has_badge(registration):
        return Markup(render_template("badges/panel_none.html", registration=registration))
    return Markup(render_template(
        "badges/panel.html", registration=registration, code=codes.display(_code(registration)),
        qr_svg=qr.svg(qr.matrix(registration.badge_secret), label=_("QR code of your badge")),
        pdf_url=url_for("badges.badge_pdf", token=registration.token),
        screen_url=url_for("badges.badge_screen", token=registration.token),
    ))


register_panel("badge", badge_panel, order=10)


def _registration_with_badge(token: str):
    registration = registration_by_token(token)
    if registration is None or not _has_badge(registration):
        abort(404)
    return registration


@bp.route("/r/<token>/badge")
@limiter.limit("120 per minute")
@public  # access by the private token in the URL; unknown tokens get a plain 404
def badge_screen(token: str):
    """The QR large on a bright page, to show the phone at the door instead of a printed badge."""
    registration = _registration_with_badge(token)
    return render_template(
        "badges/screen.html", registration=registration, forum=registration.forum, person=registration.person,
        code=codes.display(_code(registration)),
        qr_svg=qr.svg(qr.matrix(registration.badge_secret), label=_("QR code of your badge")),
    )


@bp.route("/r/<token>/badge.pdf")
@limiter.limit("30 per minute")
@public  # access by the private token in the URL; unknown tokens get a plain 404
@writes_on_get  # may issue short codes for older registrations
def badge_pdf(token: str):
    registration = _registration_with_badge(token)
    badges = service.badges_for(registration.forum, [registration])
    db.session.commit()
    data = render(badges, "a6", title=registration.person.full_name)
    return pdf_response(data, "badge.pdf")


def pdf_response(data: bytes, filename: str):
    from flask import Response

    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
