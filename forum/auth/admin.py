"""/admin/users: the administrators' list of every user with their forums, to create a user
(who gets a set-password link by email), change a user's own role, and lock or unlock one."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forum.auth import teams
from forum.auth.access import roles_required
from forum.auth.forms import USER_ROLE_LABELS, UserForm, UserRoleForm
from forum.auth.models import User
from forum.extensions import db
from forum.forms import required
from forum.nav import register_header_link

bp = Blueprint("auth_admin", __name__, url_prefix="/admin")

register_header_link("auth_admin.users", _l("Users"), roles=("admin",))

USER_ERRORS = {
    "bad_email": _l("This is not an email address, or a user with it already exists."),
    "bad_role": _l("Unknown role."),
    "self": _l("You cannot change your own account here."),
    "has_forums": _l("An administrator or an employer is in no team: take the user off their forums' teams first."),
}


def _user(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


@bp.route("/users", methods=["GET", "POST"])
@roles_required("admin")
def users():
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = teams.invite(required(form.email.data), required(form.role.data), current_user,
                                name=(form.name.data or "").strip())
        except teams.TeamError as error:
            db.session.rollback()
            flash(str(USER_ERRORS[error.code]), "error")
        else:
            db.session.commit()
            flash(_("%(email)s is created: a link to choose a password is on its way.", email=user.email), "success")
            return redirect(url_for("auth_admin.users"))
    return render_template("auth/users.html", form=form, users=teams.users(), role_form=UserRoleForm(),
                           role_labels=USER_ROLE_LABELS)


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@roles_required("admin")
def change_role(user_id: int):
    user = _user(user_id)
    form = UserRoleForm()
    if form.validate_on_submit():
        try:
            teams.set_user_role(user, required(form.role.data), current_user)
        except teams.TeamError as error:
            flash(str(USER_ERRORS[error.code]), "error")
        else:
            db.session.commit()
            flash(_("%(email)s is now %(role)s.", email=user.email, role=USER_ROLE_LABELS[user.role]), "success")
    return redirect(url_for("auth_admin.users"))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@roles_required("admin")
def toggle_active(user_id: int):
    user = _user(user_id)
    try:
        teams.set_active(user, not user.active, current_user)
    except teams.TeamError as error:
        flash(str(USER_ERRORS[error.code]), "error")
    else:
        db.session.commit()
        flash(_("%(email)s can log in again.", email=user.email) if user.active
              else _("%(email)s can no longer log in.", email=user.email), "success")
    return redirect(url_for("auth_admin.users"))
