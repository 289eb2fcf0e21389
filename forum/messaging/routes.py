"""The participant's side: the short link of an SMS (/i/<code>), and accepting or declining
invitations on the private page /r/<token>; and where the SMS gateway reports delivery."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from forum.auth.access import public
from forum.db import writes_on_get
from forum.extensions import db, limiter
from forum.messaging import delivery, invitations
from forum.messaging.models import Invitation
from forum.people.personal import register_panel
from forum.people.service import registration_by_token

bp = Blueprint("messaging", __name__)


def invitations_panel(registration) -> Markup | None:
    found = invitations.invitations_of(registration)
    if not found:
        return None
    return Markup(render_template("messaging/panel.html", registration=registration, forum=registration.forum,
                                  invitations=found))


register_panel("invitations", invitations_panel, order=30)


@bp.route("/i/<code>")
@limiter.limit("30 per minute")
@public  # the short link of an SMS: the random code is the key; unknown codes get a plain 404
def short_link(code: str):
    invitation = invitations.invitation_by_code(code)
    if invitation is None:
        abort(404)
    return redirect(url_for("people.personal", token=invitation.registration.token, _anchor="invitations"))


@bp.route("/r/<token>/invitations/<int:invitation_id>", methods=["POST"])
@limiter.limit("60 per minute")
@public  # access by the private token in the URL; unknown tokens get a plain 404
def answer(token: str, invitation_id: int):
    registration = registration_by_token(token)
    invitation = db.session.get(Invitation, invitation_id) if registration is not None else None
    if (registration is None or invitation is None or invitation.registration_id != registration.id
            or invitation.invited_at is None):
        abort(404)
    choice = request.form.get("answer", "")
    if choice not in ("accepted", "declined"):
        flash(_("Please choose whether you will come."), "error")
    else:
        invitations.respond(invitation, choice, via="link")
        db.session.commit()
        flash(_("Thank you! We will expect you.") if choice == "accepted"
              else _("Thank you for telling us. Your seat will go to someone else."), "success")
    return redirect(url_for("people.personal", token=token, _anchor="invitations"))


@bp.route("/sms/report/<int:message_id>/<token>")
@public  # Kannel's smsbox fetches this; the per-message HMAC in the path is the key, unknown ones get a 404
@writes_on_get  # records the delivery
def delivery_report(message_id: int, token: str):
    message = delivery.message_for_report(message_id, token)
    if message is None:
        abort(404)
    state = delivery.KANNEL_REPORTS.get(request.args.get("status", 0, type=int))
    if state is None:
        return "unknown status\n", 400, {"Content-Type": "text/plain; charset=utf-8"}
    delivery.record(message, state, note=request.args.get("answer", ""))
    db.session.commit()
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8"}
