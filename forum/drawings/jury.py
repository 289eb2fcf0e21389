"""The jury's pages: approved drawings shown blind (picture, title, age group), scored 1–10."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forum.auth.access import roles_required
from forum.auth.service import only_theirs
from forum.drawings import scoring, service
from forum.drawings.forms import score_form
from forum.events.lookup import forum_or_404
from forum.events.service import forum_of_the_day, public_forums
from forum.extensions import db
from forum.i18n import current_language
from forum.nav import register_header_link, register_role_home

bp = Blueprint("drawings_jury", __name__, url_prefix="/jury")

register_role_home("jury", "drawings_jury.today")  # the jury lands on its queue
register_header_link("drawings_jury.today", _l("Drawings to score"), roles=("jury",))

JURY_ROLES = ("jury", "organizer")


def _approved_or_404(forum, drawing_id: int):
    drawing = service.drawing_of(forum, drawing_id)
    if drawing is None or drawing.status != "approved":
        abort(404)
    return drawing


@bp.route("/")
@roles_required(*JURY_ROLES)
def index():
    forums = [f for f in only_theirs(current_user, public_forums(), *JURY_ROLES) if service.has_drawings(f)]
    return render_template("drawings/jury_index.html", forums=forums)


@bp.route("/today")
@roles_required(*JURY_ROLES)
def today():
    """Where the jury lands after logging in and from the header: the queue of the forum of the
    day among those with drawings, or the list of them."""
    forum = forum_of_the_day([f for f in only_theirs(current_user, public_forums(), *JURY_ROLES)
                              if service.has_drawings(f)])
    return redirect(url_for("drawings_jury.drawings", slug=forum.slug) if forum else url_for("drawings_jury.index"))


@bp.route("/<slug>/drawings")
@roles_required(*JURY_ROLES)
def drawings(slug: str):
    forum = forum_or_404(slug)
    items = scoring.jury_items(forum, current_user)
    done = sum(1 for item in items if item.state != "todo")
    groups: dict = {}
    for item in items:  # already youngest first, so groups come in age order
        groups.setdefault(item.age_group, []).append(item)
    return render_template("drawings/jury_list.html", forum=forum, items=items, done=done,
                           groups=sorted(groups.items(), key=lambda g: (g[0] is None, g[0] or (0, 0))))


@bp.route("/<slug>/drawings/<int:drawing_id>", methods=["GET", "POST"])
@roles_required(*JURY_ROLES)
def score(slug: str, drawing_id: int):
    forum = forum_or_404(slug)
    drawing = _approved_or_404(forum, drawing_id)
    settings = service.settings_for(forum)
    form = score_form(settings.criteria, current_language())
    conflict = scoring.has_conflict(drawing, current_user)
    if form.is_submitted() and not conflict:
        if form.validate():
            scores = {c["key"]: getattr(form, f"c_{c['key']}").data for c in settings.criteria}
            scoring.save_scores(drawing, current_user, scores)
            db.session.commit()
            flash(_("Your scores are saved."), "success")
            return redirect(_next_url(forum, drawing))
    elif not form.is_submitted():
        for key, value in scoring.juror_scores(drawing, current_user).items():
            if hasattr(form, f"c_{key}"):
                getattr(form, f"c_{key}").data = value
    return render_template("drawings/jury_score.html", forum=forum, drawing=drawing, form=form, conflict=conflict,
                           age_group=service.age_group_of(settings, drawing.child_age))


def _next_url(forum, drawing) -> str:
    """The next drawing this juror has not scored yet, else the list."""
    items = scoring.jury_items(forum, current_user)
    following = [i for i in items if i.state == "todo" and i.id != drawing.id]
    if following:
        return url_for("drawings_jury.score", slug=forum.slug, drawing_id=following[0].id)
    return url_for("drawings_jury.drawings", slug=forum.slug)


@bp.route("/<slug>/drawings/<int:drawing_id>/conflict", methods=["POST"])
@roles_required(*JURY_ROLES)
def conflict(slug: str, drawing_id: int):
    forum = forum_or_404(slug)
    drawing = _approved_or_404(forum, drawing_id)
    scoring.declare_conflict(drawing, current_user)
    db.session.commit()
    flash(_("Noted: you do not score this drawing."), "info")
    return redirect(_next_url(forum, drawing))


@bp.route("/<slug>/drawings/<int:drawing_id>/conflict/withdraw", methods=["POST"])
@roles_required(*JURY_ROLES)
def withdraw_conflict(slug: str, drawing_id: int):
    forum = forum_or_404(slug)
    drawing = _approved_or_404(forum, drawing_id)
    scoring.withdraw_conflict(drawing, current_user)
    db.session.commit()
    return redirect(url_for("drawings_jury.score", slug=slug, drawing_id=drawing.id))
