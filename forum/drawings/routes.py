"""Public pages of the drawings: the gallery, the guardian's form and private page, the images."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forum import ratelimits
from forum.auth.access import public
from forum.db import translated
from forum.drawings import images, service
from forum.drawings.forms import (
    AWARD_LABELS,
    IMAGE_ERRORS,
    STATUS_LABELS,
    SubmissionForm,
    WithdrawForm,
    age_group_text,
    age_text,
)
from forum.events.lookup import public_forum_or_404
from forum.extensions import limiter
from forum.i18n import current_language
from forum.images import send_image
from forum.nav import register_public_link
from forum.people.phones import masked_phone
from forum.people.service import jamoats

bp = Blueprint("drawings", __name__)

register_public_link("drawings.gallery", _l("Children's drawings"), activity="drawings", order=60)
bp.add_app_template_global(age_text, "drawing_age")
bp.add_app_template_global(age_group_text, "drawing_age_group")


def _drawings_forum_or_404(slug: str):
    forum = public_forum_or_404(slug)
    if not service.has_drawings(forum):
        abort(404)
    return forum


@bp.route("/f/<slug>/drawings")
@public
def gallery(slug: str):
    forum = _drawings_forum_or_404(slug)
    return render_template("drawings/gallery.html", forum=forum, drawings=service.gallery(forum),
                           award_labels=AWARD_LABELS, open=service.accepts_submissions(forum))


@bp.route("/f/<slug>/drawings/submit", methods=["GET", "POST"])
@public  # accepted drawings are limited per guardian's phone and per address (forum.ratelimits)
def submit(slug: str):
    forum = _drawings_forum_or_404(slug)
    if not service.accepts_submissions(forum):
        return render_template("drawings/closed.html", forum=forum), 403
    form = SubmissionForm()
    if form.validate_on_submit() and not ratelimits.held_back(ratelimits.DRAWINGS, form.guardian_phone.data):
        data = service.Submission(
            child_first_name=form.child_first_name.data or "", place=form.place.data or "", title=form.title.data or "",
            guardian_name=form.guardian_name.data or "", guardian_phone=form.guardian_phone.data or "",
            language=current_language(), child_age=form.child_age.data, birth_year=form.birth_year.data)
        try:
            upload = images.read_limited(form.image.data.stream)
            drawing = service.submit_drawing(forum, data, upload, current_app.config["UPLOAD_DIR"])
        except images.ImageRefused as refusal:
            form.image.errors.append(str(IMAGE_ERRORS[refusal.code]))
        except service.DrawingError as error:
            if error.code in ("age_missing", "age_range"):
                form.child_age.errors = [*form.child_age.errors, _("Give the child's age (3 to 17 years) or year of birth.")]
            else:
                abort(403)
        else:
            ratelimits.count(ratelimits.DRAWINGS, form.guardian_phone.data)
            # A first drawing and the same child sent again get this same answer, the private
            # link only by SMS: a stranger typing a guardian's phone learns nothing (issue 16).
            session["drawing_sent"] = masked_phone(drawing.guardian_phone)
            return redirect(url_for("drawings.sent", slug=forum.slug))
    lang = current_language()
    places = sorted({translated(j.name, lang) for j in jamoats()})
    return ratelimits.answer(render_template("drawings/submit.html", forum=forum, form=form, places=places,
                                             max_mb=images.MAX_UPLOAD_MB))


@bp.route("/f/<slug>/drawings/sent")
@public
def sent(slug: str):
    """After the form: the private link went by SMS to the guardian's phone (shown masked)."""
    forum = _drawings_forum_or_404(slug)
    return render_template("drawings/sent.html", forum=forum, shown=str(session.get("drawing_sent") or ""))


@bp.route("/f/<slug>/drawings/d/<token>")
@limiter.limit("120 per minute")
@public  # the guardian's private link: unknown tokens are a plain 404
def guardian(slug: str, token: str):
    forum = _drawings_forum_or_404(slug)
    drawing = service.drawing_by_token(forum, token) or abort(404)
    return render_template("drawings/guardian.html", forum=forum, drawing=drawing, form=WithdrawForm(),
                           status_labels=STATUS_LABELS, award_labels=AWARD_LABELS)


@bp.route("/f/<slug>/drawings/d/<token>/withdraw", methods=["POST"])
@limiter.limit("30 per hour")
@public  # the guardian's private link
def withdraw(slug: str, token: str):
    forum = _drawings_forum_or_404(slug)
    drawing = service.drawing_by_token(forum, token) or abort(404)
    form = WithdrawForm()
    if not form.validate_on_submit():
        flash(_("Tick the box to confirm that the drawing should be deleted."), "error")
        return redirect(url_for("drawings.guardian", slug=slug, token=token))
    service.withdraw(drawing, current_app.config["UPLOAD_DIR"])
    flash(_("The drawing is withdrawn: the picture and your child's data are deleted."), "success")
    return redirect(url_for("drawings.gallery", slug=slug))


def _send(forum, drawing, size: str, private: bool):
    path = images.image_path(current_app.config["UPLOAD_DIR"], forum.id, drawing.image_key, size)
    name = f"drawing-{drawing.id}{'' if size == 'full' else '-small'}.jpg"
    return send_image(path, name, private, max_age=600)


def _may_see_unapproved(forum) -> bool:
    return current_user.is_authenticated and current_user.role_at(forum) == "organizer"


@bp.route("/f/<slug>/drawings/<int:drawing_id>/<any(full, thumb):size>.jpg")
@public  # approved drawings only; organizers also see the ones under review
def image(slug: str, drawing_id: int, size: str):
    forum = _drawings_forum_or_404(slug)
    drawing = service.drawing_of(forum, drawing_id)
    if drawing is None or (drawing.status != "approved" and not _may_see_unapproved(forum)):
        abort(404)
    return _send(forum, drawing, size, private=drawing.status != "approved")


@bp.route("/f/<slug>/drawings/d/<token>/<any(full, thumb):size>.jpg")
@public  # the guardian's private link
def guardian_image(slug: str, token: str, size: str):
    forum = _drawings_forum_or_404(slug)
    drawing = service.drawing_by_token(forum, token) or abort(404)
    return _send(forum, drawing, size, private=True)
