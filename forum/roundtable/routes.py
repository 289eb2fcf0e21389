"""Public side of the round table: its recommendations and how they are followed up, and
the invitee's panel on /r/<token> (their seat, and the problems they want discussed)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from forum.auth.access import public
from forum.events.lookup import public_forum_or_404
from forum.extensions import db, limiter
from forum.nav import register_public_link
from forum.people.personal import register_panel
from forum.people.service import registration_by_token
from forum.roundtable import recommendations, service
from forum.roundtable.forms import ProblemForm
from forum.roundtable.models import Invitee
from forum.roundtable.service import RoundTableError
from forum.roundtable.texts import ERRORS, GROUP_LABELS, STATE_LABELS, STATUS_LABELS

bp = Blueprint("roundtable", __name__)

register_public_link("roundtable.public_recommendations", _l("Round-table recommendations"),
                     activity="round_table", order=60)


def roundtable_panel(registration) -> Markup | None:
    mine = service.my_invitees(registration)
    if not mine:
        return None
    return Markup(render_template(
        "roundtable/panel.html", registration=registration, forum=registration.forum,
        entries=[(i, service.problems_of(i)) for i in mine], form=ProblemForm(),
        state_labels=STATE_LABELS, group_labels=GROUP_LABELS))


register_panel("roundtable", roundtable_panel, order=35)


@bp.route("/r/<token>/roundtable/<int:invitee_id>/problems", methods=["POST"])
@limiter.limit("20 per minute")
@public  # access by the private token in the URL; unknown tokens get a plain 404
def submit_problem(token: str, invitee_id: int):
    registration = registration_by_token(token)
    invitee = db.session.get(Invitee, invitee_id) if registration is not None else None
    if registration is None or invitee is None or invitee.registration_id != registration.id or invitee.state == "declined":
        abort(404)
    form = ProblemForm()
    if not form.validate():
        flash(_("Please describe the problem."), "error")
    else:
        try:
            service.submit_problem(invitee, form.text.data or "")
        except RoundTableError as error:
            db.session.rollback()
            flash(str(ERRORS[error.code]), "error")
        else:
            db.session.commit()
            flash(_("Thank you! The organizers will put it on the round table's agenda."), "success")
    return redirect(url_for("people.personal", token=token, _anchor="roundtable"))


@bp.route("/f/<slug>/recommendations")
@public
def public_recommendations(slug: str):
    forum = public_forum_or_404(slug)
    return render_template("roundtable/public.html", forum=forum,
                           recs=recommendations.of_forum(forum, public_only=True),
                           owner_name=recommendations.owner_name, status_labels=STATUS_LABELS)
