"""/manage/<slug>/team: the forum's organizers add colleagues (an existing user, or a new one
invited by email), change their role at this forum, and take them off the team."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forum.auth import service, teams
from forum.auth.access import roles_required
from forum.auth.forms import TEAM_ROLE_LABELS, MemberForm, MemberRoleForm
from forum.auth.models import ForumMember
from forum.events.lookup import forum_or_404
from forum.extensions import db
from forum.nav import register_forum_tab

bp = Blueprint("auth_team", __name__, url_prefix="/manage")

register_forum_tab("auth_team.team", _l("Team"), order=90)

TEAM_ERRORS = {
    "not_team": _l("This user is an administrator or an employer and cannot join a team."),
    "bad_email": _l("This is not an email address."),
    "last_organizer": _l("The forum needs at least one organizer: add another one first."),
}


def _member(forum, member_id: int) -> ForumMember:
    member = db.session.get(ForumMember, member_id)
    if member is None or member.forum_id != forum.id:
        abort(404)
    return member


@bp.route("/<slug>/team", methods=["GET", "POST"])
@roles_required("organizer")
def team(slug: str):
    forum = forum_or_404(slug)
    form = MemberForm()
    if form.validate_on_submit():
        try:
            user, new = teams.add_to_team(forum, form.email.data or "", form.role.data or "", current_user)
        except teams.TeamError as error:
            db.session.rollback()
            flash(str(TEAM_ERRORS[error.code]), "error")
        else:
            db.session.commit()
            role = TEAM_ROLE_LABELS[form.role.data or ""]
            flash(_("%(email)s is invited as %(role)s: a link to choose a password is on its way.", email=user.email,
                    role=role) if new else _("%(email)s is now %(role)s here.", email=user.email, role=role), "success")
            return redirect(url_for("auth_team.team", slug=slug))
    return render_template("auth/team.html", forum=forum, form=form, members=service.members(forum),
                           role_form=MemberRoleForm(), role_labels=TEAM_ROLE_LABELS)


@bp.route("/<slug>/team/<int:member_id>/role", methods=["POST"])
@roles_required("organizer")
def change_role(slug: str, member_id: int):
    forum = forum_or_404(slug)
    member = _member(forum, member_id)
    form = MemberRoleForm()
    if form.validate_on_submit():
        try:
            teams.change_role(member, form.role.data or "")
        except teams.TeamError as error:
            flash(str(TEAM_ERRORS[error.code]), "error")
        else:
            db.session.commit()
            flash(_("%(email)s is now %(role)s here.", email=member.user.email,
                    role=TEAM_ROLE_LABELS[form.role.data or ""]), "success")
    return redirect(url_for("auth_team.team", slug=slug))


@bp.route("/<slug>/team/<int:member_id>/remove", methods=["POST"])
@roles_required("organizer")
def remove(slug: str, member_id: int):
    forum = forum_or_404(slug)
    member = _member(forum, member_id)
    email = member.user.email
    try:
        teams.remove(member)
    except teams.TeamError as error:
        flash(str(TEAM_ERRORS[error.code]), "error")
    else:
        db.session.commit()
        flash(_("%(email)s is no longer in the team of this forum.", email=email), "success")
    return redirect(url_for("auth_team.team", slug=slug))
