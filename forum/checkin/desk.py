"""The walk-in desk at a checkpoint, reached from the scanner page: register a person who came
without a registration and check them in, then show their badge's QR and print it (A6 PDF).
Same roles as the scanner. The logic is in checkin.walkins."""
from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forum.auth.access import roles_required
from forum.badges import codes, qr
from forum.badges import service as badges
from forum.badges.pdf import render
from forum.badges.routes import pdf_response
from forum.checkin import service, walkins
from forum.checkin.answers import to_json
from forum.checkin.forms import WalkInForm
from forum.checkin.models import Checkin
from forum.db import translated, writes_on_get
from forum.events.lookup import forum_or_404
from forum.extensions import db
from forum.forms import required
from forum.i18n import current_language
from forum.people.forms import CATEGORY_LABELS, LANGUAGE_CHOICES
from forum.people.models import Organization, Registration

bp = Blueprint("checkin_desk", __name__, url_prefix="/checkin")

DOOR_ROLES = ("staff", "organizer")
ERRORS = {
    "phone_elsewhere": _l("This phone number is in our lists for another person. Check the number, leave it "
                          "empty, or send the person to the organizers' desk."),
    "invalid": _l("Choose a category and a language from the lists."),
    "checkpoint": _l("There is no such checkpoint at this forum."),
    "checkpoint_closed": _l("This checkpoint is closed."),
    "nonce": _l("The form has expired. Please fill it in again."),
}
# Categories door staff choose from for walk-ins, most likely first; organizers change them later.
WALK_IN_CATEGORIES = ("guest", "shg_member", "shg_leader", "mobilizer", "press", "government", "international",
                      "mfi", "employer", "exhibitor", "performer", "coordinator", "staff")


def _form(forum) -> WalkInForm:
    form = WalkInForm()
    form.category.choices = [(c, str(CATEGORY_LABELS[c])) for c in WALK_IN_CATEGORIES]
    form.language.choices = LANGUAGE_CHOICES
    language = current_language()
    form.checkpoint.choices = [(c.key, translated(c.name, language)) for c in service.checkpoints(forum, active_only=True)]
    if request.method == "GET":
        form.checkpoint.data = request.args.get("checkpoint", "")
        form.device.data = request.args.get("device", "")[:120]
        form.language.data = language
        form.category.data = "guest"
        form.nonce.data = secrets.token_urlsafe(16)
    return form


@bp.route("/<slug>/walk-in", methods=["GET", "POST"])
@roles_required(*DOOR_ROLES)
def walk_in(slug: str):
    forum = forum_or_404(slug)
    form = _form(forum)
    status = 200
    if form.validate_on_submit():
        data = walkins.WalkIn(full_name=required(form.full_name.data), phone=form.phone.data or None,
                              category=form.category.data,
                              language=form.language.data, organization_name=form.organization_name.data or "")
        try:
            result = walkins.walk_in(forum, form.checkpoint.data, data, form.nonce.data or "", user=current_user,
                                     device=form.device.data or "")
        except (walkins.WalkInError, service.CheckinError) as error:
            db.session.rollback()
            target = form.phone if error.code == "phone_elsewhere" else form.checkpoint
            target.errors = [*target.errors, ERRORS.get(error.code, ERRORS["invalid"])]
            status = 422
        else:
            return redirect(url_for("checkin_desk.walk_in_done", slug=slug, checkin_id=result.answer.checkin_id))
    elif form.is_submitted():
        status = 422
    organizations = db.session.scalars(sa.select(Organization.name).order_by(Organization.name).limit(500)).all()
    return render_template("checkin/walkin.html", forum=forum, form=form, organizations=organizations), status


def _walk_in_scan(forum, checkin_id: int) -> tuple[Checkin, Registration]:
    """A check-in made by the walk-in desk of this forum (no other scan is shown here), and
    its registration."""
    checkin = db.session.get(Checkin, checkin_id)
    if checkin is None or checkin.forum_id != forum.id or checkin.method != "walkin" or checkin.registration is None:
        abort(404)
    return checkin, checkin.registration


def _has_new_badge(registration: Registration) -> bool:
    """Only a badge made at the door is shown and printed here; someone found by their phone
    has theirs (the organizers' desk reprints or reissues it)."""
    return registration.source == "walkin" and registration.status in badges.PRINTABLE_STATUSES


@bp.route("/<slug>/walk-in/<int:checkin_id>")
@roles_required(*DOOR_ROLES)
@writes_on_get  # may issue the badge's short code
def walk_in_done(slug: str, checkin_id: int):
    """What the door did: the answer of the check-in, and for a new walk-in the badge's QR on
    screen (to scan at once, or photograph) and its A6 PDF to print."""
    forum = forum_or_404(slug)
    checkin, registration = _walk_in_scan(forum, checkin_id)
    answer = to_json(service.answer_for(checkin), forum.timezone)
    badge = None
    if _has_new_badge(registration):
        code = badges.short_code(registration)
        db.session.commit()  # a code issued now is kept
        badge = {"code": codes.display(code), "qr": qr.svg(qr.matrix(registration.badge_secret),
                                                            label=_("QR code of the badge"))}
    return render_template("checkin/walkin_done.html", forum=forum, checkin=checkin, answer=answer,
                           registration=registration, badge=badge,
                           category_label=CATEGORY_LABELS[registration.category])


@bp.route("/<slug>/walk-in/<int:checkin_id>/badge.pdf")
@roles_required(*DOOR_ROLES)
@writes_on_get  # marks the badge printed
def walk_in_badge(slug: str, checkin_id: int):
    forum = forum_or_404(slug)
    _checkin, registration = _walk_in_scan(forum, checkin_id)
    if not _has_new_badge(registration):
        abort(404)
    contents = badges.badges_for(forum, [registration])
    badges.mark_printed([registration])
    db.session.commit()
    response = pdf_response(render(contents, "a6", title=registration.person.full_name), f"badge-{registration.id}.pdf")
    response.headers["Content-Disposition"] = f'inline; filename="badge-{registration.id}.pdf"'  # opens, to print
    return response
