"""The organizer's "Check-in" tab: the live board, the checkpoints, undoing a check-in and
clearing failed scans that were dealt with."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forum.auth.access import roles_required
from forum.checkin import board, missing, service
from forum.checkin.checkpoints import CheckpointData, CheckpointError, allowed_count, save_checkpoint
from forum.checkin.forms import CheckpointForm
from forum.checkin.models import Checkin, Checkpoint
from forum.checkin.rules import rules
from forum.events.lookup import forum_or_404
from forum.extensions import db
from forum.nav import register_forum_tab
from forum.people.forms import CATEGORY_LABELS

bp = Blueprint("checkin_manage", __name__, url_prefix="/manage")

register_forum_tab("checkin_manage.board_page", _l("Check-in"), order=45)

RESULT_LABELS = {
    "ok": _l("Admitted"), "already_checked_in": _l("Already in"), "unknown": _l("Unknown badge"),
    "not_allowed": _l("Not admitted"), "cancelled": _l("Registration cancelled"),
}
REASON_LABELS = {
    "first": _l("first entry"), "reentry": _l("re-entry"), "already": _l("second scan"),
    "unknown_badge": _l("no such badge"), "unknown_code": _l("no such code"), "reissued": _l("replaced badge"),
    "other_forum": _l("badge of another forum"), "unreadable": _l("not a badge code"), "not_found": _l("not found"),
    "declined": _l("declined"), "cancelled": _l("sent to the organizers' desk"),
    "checkpoint_rule": _l("not admitted at this checkpoint"),
}
ERRORS = {
    "key_taken": _l("This key is already used by another checkpoint of this forum."),
    "rule": _l("Choose who may pass."),
    "categories": _l("Choose at least one category."),
    "area": _l("Choose an area of this forum."),
}


@bp.route("/<slug>/checkin")
@roles_required("organizer")
def board_page(slug: str):
    forum = forum_or_404(slug)
    checkpoints = service.checkpoints(forum)
    quarters = board.arrivals_per_quarter(forum)
    door = board.door_counts(forum)
    where = missing.place(forum, request.args.get("missing", missing.ANY)) or missing.ANY
    return render_template(
        "checkin/board.html", forum=forum, checkpoints=checkpoints,
        by_category=board.by_category(forum), by_checkpoint=board.by_checkpoint(forum, checkpoints, door),
        chart=board.chart_svg(quarters, _("Arrivals per quarter hour")), quarters=quarters,
        outside_days=door.outside_days,
        last_scans=board.last_scans(forum), attention=board.needing_attention(forum),
        conflicts=board.offline_conflicts(forum),
        missing=missing.missing(forum, where), missing_key=missing.key_of(where),
        places=missing.places(forum),
        category_labels=CATEGORY_LABELS, result_labels=RESULT_LABELS, reason_labels=REASON_LABELS,
        rule_labels={r.name: r.label for r in rules()}, allowed={c.id: allowed_count(c) for c in checkpoints
                                                                  if c.rule == "list"},
    )


def _checkin_or_404(forum, checkin_id: int) -> Checkin:
    checkin = db.session.get(Checkin, checkin_id)
    if checkin is None or checkin.forum_id != forum.id:
        abort(404)
    return checkin


@bp.route("/<slug>/checkin/<int:checkin_id>/undo", methods=["POST"])
@roles_required("organizer")
def undo(slug: str, checkin_id: int):
    forum = forum_or_404(slug)
    checkin = _checkin_or_404(forum, checkin_id)
    try:
        service.undo(checkin, current_user)
    except service.UndoError:
        db.session.rollback()
        flash(_("Only a check-in that let someone in can be undone, and only once."), "error")
    else:
        assert checkin.registration is not None  # undo() refuses a scan that let no one in
        flash(_("Check-in undone: %(name)s is no longer counted in.", name=checkin.registration.person.full_name),
              "success")
    return redirect(url_for("checkin_manage.board_page", slug=slug))


@bp.route("/<slug>/checkin/<int:checkin_id>/seen", methods=["POST"])
@roles_required("organizer")
def seen(slug: str, checkin_id: int):
    forum = forum_or_404(slug)
    service.mark_seen(_checkin_or_404(forum, checkin_id))
    db.session.commit()
    return redirect(url_for("checkin_manage.board_page", slug=slug) + "#attention")


def _form(forum, checkpoint: Checkpoint | None) -> CheckpointForm:
    form = CheckpointForm()
    form.area_id.choices = [(0, "—")] + [(a.id, a.name.get("ru") or a.key) for a in forum.areas]
    form.rule.choices = [(r.name, str(r.label)) for r in rules()]
    form.categories.choices = [(c, str(label)) for c, label in CATEGORY_LABELS.items()]
    if checkpoint is not None and request.method == "GET":
        form.key.data, form.rule.data, form.categories.data = checkpoint.key, checkpoint.rule, checkpoint.categories
        form.area_id.data, form.reentry.data = checkpoint.area_id or 0, checkpoint.reentry
        form.active.data, form.position.data = checkpoint.active, checkpoint.position
        for code in ("ru", "tg", "en"):
            getattr(form.name.form, code).data = checkpoint.name.get(code, "")
    return form


def _edit(slug: str, checkpoint_id: int | None):
    forum = forum_or_404(slug)
    checkpoint = None
    if checkpoint_id is not None:
        checkpoint = db.session.get(Checkpoint, checkpoint_id)
        if checkpoint is None or checkpoint.forum_id != forum.id:
            abort(404)
    form = _form(forum, checkpoint)
    if form.validate_on_submit():
        data = CheckpointData(key=form.key.data or "", name=form.name.data, rule=form.rule.data,
                              categories=form.categories.data or [], reentry=form.reentry.data,
                              area_id=form.area_id.data or None, active=form.active.data,
                              position=form.position.data or 0)
        try:
            save_checkpoint(forum, data, checkpoint)
        except CheckpointError as error:
            db.session.rollback()
            field = {"key_taken": form.key, "rule": form.rule, "categories": form.categories,
                     "area": form.area_id}[error.code]
            field.errors = [*field.errors, ERRORS[error.code]]
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("checkin_manage.board_page", slug=slug) + "#checkpoints")
    return render_template("checkin/checkpoint_form.html", forum=forum, form=form, checkpoint=checkpoint)


@bp.route("/<slug>/checkpoints/new", methods=["GET", "POST"])
@roles_required("organizer")
def new_checkpoint(slug: str):
    return _edit(slug, None)


@bp.route("/<slug>/checkpoints/<int:checkpoint_id>", methods=["GET", "POST"])
@roles_required("organizer")
def edit_checkpoint(slug: str, checkpoint_id: int):
    return _edit(slug, checkpoint_id)
