"""The job-fair section of a participant's private page /r/<token>: approved vacancies, an
"I'm interested" button with the choice of what the employer may see, and withdrawal."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from forum.auth.access import public
from forum.extensions import db, limiter
from forum.jobfair import pipeline, service
from forum.jobfair.forms import ERRORS, SHARE_LABELS, STAGE_LABELS, InterestForm
from forum.jobfair.models import Vacancy
from forum.people.personal import register_panel
from forum.people.service import registration_by_token

bp = Blueprint("jobfair_personal", __name__)


def panel(registration) -> Markup | None:
    """Vacancies open at the participant's forum, and their own interests; nothing for employers' staff."""
    from forum.jobfair.routes import labels

    forum = registration.forum
    if "job_fair" not in (forum.activities or []) or registration.category == "employer":
        return None
    mine = pipeline.interests_of(registration)
    active = registration.status not in ("cancelled", "declined")
    vacancies = service.public_vacancies(forum) if active else []
    if not vacancies and not mine:
        return None
    shown = {v.id for v in vacancies}
    others = [i for vid, i in mine.items() if vid not in shown]  # interests in vacancies closed since
    forms = {v.id: InterestForm(prefix=f"v{v.id}", formdata=None) for v in vacancies if v.id not in mine}
    return Markup(render_template(
        "jobfair/_panel.html", registration=registration, forum=forum, vacancies=vacancies, mine=mine,
        others=others, forms=forms, booths=service.booths_by_employer(forum), share_labels=SHARE_LABELS,
        stage_labels=STAGE_LABELS, **labels()))


register_panel("jobfair", panel, order=80)


def _context(token: str, vacancy_id: int):
    registration = registration_by_token(token)
    if registration is None:
        abort(404)
    vacancy = db.session.get(Vacancy, vacancy_id)
    if vacancy is None or vacancy.forum_id != registration.forum_id:
        abort(404)
    return registration, vacancy


@bp.route("/r/<token>/jobs/<int:vacancy_id>/interest", methods=["POST"])
@limiter.limit("30 per minute")
@public  # access by the private token in the URL; unknown tokens get a plain 404
def interest(token: str, vacancy_id: int):
    registration, vacancy = _context(token, vacancy_id)
    form = InterestForm(prefix=f"v{vacancy.id}")
    if not form.validate_on_submit():
        flash(_("Please choose what the employer may see, then press the button again."), "error")
    else:
        try:
            pipeline.express_interest(registration, vacancy, form.share.data)
        except service.JobFairError as error:
            db.session.rollback()
            flash(ERRORS[error.code], "error")
        else:
            db.session.commit()
            flash(_("The employer knows you are interested. Come to their booth at the fair."), "success")
    return redirect(url_for("people.personal", token=token) + "#jobs")


@bp.route("/r/<token>/jobs/<int:vacancy_id>/withdraw", methods=["POST"])
@limiter.limit("30 per minute")
@public  # access by the private token in the URL; unknown tokens get a plain 404
def withdraw(token: str, vacancy_id: int):
    registration, vacancy = _context(token, vacancy_id)
    if pipeline.withdraw_interest(registration, vacancy):
        db.session.commit()
        flash(_("Done: the employer no longer sees your interest or your details."), "success")
    return redirect(url_for("people.personal", token=token) + "#jobs")
