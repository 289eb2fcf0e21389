from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from forum.auth import service
from forum.auth.access import public, roles_required
from forum.auth.forms import LoginForm
from forum.auth.models import ROLES
from forum.extensions import db, limiter
from forum.urls import safe_next

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = service.authenticate(form.email.data, form.password.data)
        if user is None:
            flash(_("Wrong email or password."), "error")
        else:
            db.session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")) or home_for(user))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@roles_required(*ROLES)
def logout():
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("events.index"))


def home_for(user) -> str:
    """Where a user lands after logging in: their own area of the app (see nav.register_role_home)."""
    from forum.nav import role_home

    return url_for(role_home(user.role))
