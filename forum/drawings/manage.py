"""Organizer pages of the drawings: moderation queue, settings, results and awards, printouts."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forum.auth.access import roles_required
from forum.drawings import pdf, scoring, service
from forum.drawings.forms import AWARD_LABELS, STATUS_LABELS, AwardForm, RejectForm, SettingsForm
from forum.drawings.models import STATUSES
from forum.events.lookup import forum_or_404
from forum.extensions import db
from forum.nav import register_forum_tab
from forum.pagination import paginate
from forum.people.phones import display_phone
from forum.urls import safe_next

bp = Blueprint("drawings_manage", __name__, url_prefix="/manage")

register_forum_tab("drawings_manage.queue", _l("Drawings"), order=60)

ERRORS = {
    "reason_missing": _l("Write the reason: the guardian will see it."),
    "award": _l("Choose an award from the list."),
    "not_approved": _l("Only approved drawings can be awarded."),
    "age_groups": _l("Write age groups like 6-9, 10-13, 14-17: ages from 3 to 17, groups not overlapping."),
    "criteria": _l("Write 1 to 8 criteria, one a line, as Russian | Tajik | English (up to 80 letters each)."),
}


def _drawing_or_404(forum, drawing_id: int):
    return service.drawing_of(forum, drawing_id) or abort(404)


def _back(slug: str):
    return redirect(safe_next(request.form.get("next")) or url_for("drawings_manage.queue", slug=slug))


@bp.route("/<slug>/drawings")
@roles_required("organizer")
def queue(slug: str):
    forum = forum_or_404(slug)
    status = request.args.get("status", "pending")
    stmt = service.drawings_of(forum, status if status in STATUSES else None)
    page = paginate(stmt, request.args.get("page"), current_app.config["PAGE_SIZE"])
    settings = service.settings_for(forum)
    return render_template("drawings/manage_queue.html", forum=forum, page=page, status=status,
                           counts=service.status_counts(forum), status_labels=STATUS_LABELS,
                           award_labels=AWARD_LABELS, reject_form=RejectForm(), display_phone=display_phone,
                           group_of=lambda d: service.age_group_of(settings, d.child_age))


@bp.route("/<slug>/drawings/<int:drawing_id>/approve", methods=["POST"])
@roles_required("organizer")
def approve(slug: str, drawing_id: int):
    forum = forum_or_404(slug)
    drawing = _drawing_or_404(forum, drawing_id)
    service.approve(drawing, current_user)
    db.session.commit()
    flash(_("Approved: «%(title)s» is in the gallery.", title=drawing.title), "success")
    return _back(slug)


@bp.route("/<slug>/drawings/<int:drawing_id>/reject", methods=["POST"])
@roles_required("organizer")
def reject(slug: str, drawing_id: int):
    forum = forum_or_404(slug)
    drawing = _drawing_or_404(forum, drawing_id)
    form = RejectForm()
    try:
        service.reject(drawing, current_user, form.reason.data or "")
    except service.DrawingError as error:
        flash(ERRORS[error.code], "error")
    else:
        db.session.commit()
        flash(_("Rejected: «%(title)s». The guardian sees the reason on their page.", title=drawing.title), "success")
    return _back(slug)


@bp.route("/<slug>/drawings/<int:drawing_id>/delete", methods=["POST"])
@roles_required("organizer")
def delete(slug: str, drawing_id: int):
    """For a guardian who asks by phone: the same deletion as their own withdrawal."""
    forum = forum_or_404(slug)
    drawing = _drawing_or_404(forum, drawing_id)
    service.withdraw(drawing, current_app.config["UPLOAD_DIR"])
    flash(_("The drawing and the child's data are deleted."), "success")
    return _back(slug)


@bp.route("/<slug>/drawings/settings", methods=["GET", "POST"])
@roles_required("organizer")
def settings(slug: str):
    forum = forum_or_404(slug)
    current = service.settings_for(forum)
    form = SettingsForm()
    if request.method == "GET":
        form.submissions_open.data = current.submissions_open
        form.age_groups.data = ", ".join(f"{low}-{high}" for low, high in current.age_groups)
        form.criteria.data = "\n".join(" | ".join(c["name"].get(code, "") for code in ("ru", "tg", "en")).rstrip(" |")
                                       for c in current.criteria)
    elif form.validate_on_submit():
        try:
            age_groups = service.parse_age_groups(form.age_groups.data or "")
            criteria = service.parse_criteria(form.criteria.data or "", current.criteria)
        except service.DrawingError as error:
            target = form.age_groups if error.code == "age_groups" else form.criteria
            target.errors = [*target.errors, ERRORS[error.code]]
        else:
            service.save_settings(current, form.submissions_open.data, age_groups, criteria)
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("drawings_manage.settings", slug=slug))
    return render_template("drawings/manage_settings.html", forum=forum, form=form)


@bp.route("/<slug>/drawings/results")
@roles_required("organizer")
def results(slug: str):
    forum = forum_or_404(slug)
    return render_template("drawings/manage_results.html", forum=forum, groups=scoring.results(forum),
                           award_labels=AWARD_LABELS, award_form=AwardForm(),
                           criteria=service.settings_for(forum).criteria)


@bp.route("/<slug>/drawings/<int:drawing_id>/award", methods=["POST"])
@roles_required("organizer")
def award(slug: str, drawing_id: int):
    forum = forum_or_404(slug)
    drawing = _drawing_or_404(forum, drawing_id)
    form = AwardForm()
    if not form.validate_on_submit():
        flash(ERRORS["award"], "error")
    else:
        try:
            service.set_award(drawing, form.award.data or None)
        except service.DrawingError as error:
            flash(ERRORS[error.code], "error")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
    return redirect(url_for("drawings_manage.results", slug=slug) + f"#drawing-{drawing.id}")


@bp.route("/<slug>/drawings/labels.pdf")
@roles_required("organizer")
def labels_pdf(slug: str):
    forum = forum_or_404(slug)
    data = pdf.exhibition_labels(forum, service.gallery(forum))
    return send_file(data, mimetype="application/pdf", download_name=f"drawings-labels-{slug}.pdf")


@bp.route("/<slug>/drawings/awards.pdf")
@roles_required("organizer")
def awards_pdf(slug: str):
    forum = forum_or_404(slug)
    data = pdf.award_list(forum, scoring.results(forum))
    return send_file(data, mimetype="application/pdf", download_name=f"drawings-awards-{slug}.pdf")
