"""/manage/tokens: the organizers' list of API tokens (door phones, partners' programs), to
create one (shown once) and to revoke one that is lost or no longer needed."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.auth import service
from forum.auth.access import roles_required
from forum.auth.forms import TokenForm
from forum.auth.models import ApiToken
from forum.auth.service import only_theirs
from forum.db import translated
from forum.events.models import Forum
from forum.extensions import db
from forum.i18n import current_language

bp = Blueprint("auth_tokens", __name__, url_prefix="/manage/tokens")


def _form() -> TokenForm:
    form = TokenForm()
    form.user_id.choices = [(user.id, f"{user.name} <{user.email}>") for user in service.token_holders(current_user)]
    forums = only_theirs(current_user, db.session.scalars(sa.select(Forum).order_by(Forum.starts_at.desc())), "organizer")
    form.forum_id.choices = [(0, _("Every forum"))] + [(f.id, f"{translated(f.title, current_language())} ({f.slug})")
                                                       for f in forums]
    return form


@bp.route("/", methods=["GET", "POST"])
@roles_required("organizer")
def tokens():
    form = _form()
    created = None
    if form.validate_on_submit():
        user = next(u for u in service.token_holders(current_user) if u.id == form.user_id.data)  # validated against choices
        forum = db.session.get(Forum, form.forum_id.data) if form.forum_id.data else None
        _token, created = service.create_token(user, name=form.name.data.strip(), forum=forum,
                                               read_only=form.read_only.data)
        db.session.commit()
        form = _form()
    # The new token is shown in this answer only (never in a redirect, a flash or a log).
    return render_template("auth/tokens.html", form=form, tokens=service.tokens(current_user), created=created)


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@roles_required("organizer")
def revoke(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or token not in service.tokens(current_user):  # another forum's team's token
        abort(404)
    if service.revoke_token(token):
        db.session.commit()
        flash(_("Token %(prefix)s… revoked: the API refuses it from now on.", prefix=token.prefix), "success")
    else:
        flash(_("This token was already revoked."), "info")
    return redirect(url_for("auth_tokens.tokens"))
