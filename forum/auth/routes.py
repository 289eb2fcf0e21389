from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from forum import ratelimits
from forum.auth import links, recovery, service
from forum.auth.access import public, roles_required
from forum.auth.forms import ConfirmEmailForm, ForgotPasswordForm, LoginForm, ResetPasswordForm, SetPasswordForm
from forum.auth.models import ROLES
from forum.extensions import db
from forum.urls import safe_next

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.route("/login", methods=["GET", "POST"])
@public  # failed attempts are limited per account and per address (forum.ratelimits)
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit() and not ratelimits.held_back(ratelimits.LOGIN, form.email.data):
        user = service.authenticate(form.email.data, form.password.data)
        if user is None:
            ratelimits.count(ratelimits.LOGIN, form.email.data)
            flash(_("Wrong email or password."), "error")
        else:
            db.session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")) or home_for(user))
    return ratelimits.answer(render_template("auth/login.html", form=form))


@bp.route("/logout", methods=["POST"])
@roles_required(*ROLES)
def logout():
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("events.index"))


@bp.route("/password/<token>", methods=["GET", "POST"])
@public  # the emailed link is the key: signed, expiring, working once (forum.auth.links)
def set_password(token: str):
    user = links.user_for_link(token)
    if user is None:
        return render_template("auth/set_password.html", form=None), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        recovery.set_new_password(user, form.password.data or "")
        db.session.commit()
        logout_user()
        flash(_("Your password is saved. Log in with it."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form, user=user)


@bp.route("/password/forgot", methods=["GET", "POST"])
@public  # each request sends an email: limited per email and per address (forum.ratelimits)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit() and not ratelimits.held_back(ratelimits.EMAIL_LINKS, form.email.data):
        recovery.request_reset(form.email.data or "")
        db.session.commit()
        ratelimits.count(ratelimits.EMAIL_LINKS, form.email.data)
        # The same answer whether or not the email has an account: only its mailbox learns which.
        flash(_("If an account uses %(email)s, we have sent it a link to choose a new password. "
                "Check your email (and the spam folder).", email=form.email.data), "success")
        return redirect(url_for("auth.login"))
    return ratelimits.answer(render_template("auth/forgot_password.html", form=form))


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public  # the emailed link is the key: signed, expiring, working once (forum.auth.recovery)
def reset_password(token: str):
    user = recovery.user_to_reset(token)
    if user is None:
        return render_template("auth/set_password.html", form=None, reset=True), 404
    form = ResetPasswordForm()
    if form.validate_on_submit() and not ratelimits.held_back(ratelimits.EMAIL_LINKS, user.email):
        recovery.set_new_password(user, form.password.data or "")
        db.session.commit()
        ratelimits.count(ratelimits.EMAIL_LINKS, user.email)
        login_user(user)
        flash(_("Your new password is saved and you are logged in."), "success")
        return redirect(home_for(user))
    return ratelimits.answer(render_template("auth/set_password.html", form=form, user=user, reset=True))


@bp.route("/confirm/<token>", methods=["GET", "POST"])
@public  # the emailed link is the key: signed, expiring, working once (forum.auth.recovery)
def confirm_email(token: str):
    user = recovery.user_to_confirm(token)
    if user is None:
        return render_template("auth/confirm_email.html", form=None), 404
    form = ConfirmEmailForm()
    if form.validate_on_submit():
        recovery.confirm_email(user)
        db.session.commit()
        login_user(user)
        flash(_("Thank you: your email is confirmed."), "success")
        return redirect(home_for(user))
    return render_template("auth/confirm_email.html", form=form, user=user)


def home_for(user) -> str:
    """Where a user lands after logging in: their own area of the app (see nav.register_role_home)."""
    from forum.nav import role_home

    return url_for(role_home(user.role))
