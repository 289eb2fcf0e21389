"""Organizer pages of a forum's job fair: vetting employers and vacancies, booths, figures."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from forum.auth.access import roles_required
from forum.events.lookup import forum_or_404
from forum.extensions import db
from forum.forms import required
from forum.i18n import current_language
from forum.jobfair import booths as booth_service
from forum.jobfair import figures, revisions, service
from forum.jobfair.forms import (
    EMPLOYER_STATUS_LABELS,
    ERRORS,
    FIELD_LABELS,
    VACANCY_STATUS_LABELS,
    BoothsForm,
    DecisionForm,
)
from forum.jobfair.models import VACANCY_STATUSES, Booth, Employer, Vacancy
from forum.jobfair.pipeline import interest_counts
from forum.jobfair.routes import labels
from forum.nav import register_forum_tab
from forum.people.phones import display_phone

bp = Blueprint("jobfair_manage", __name__, url_prefix="/manage")

register_forum_tab("jobfair_manage.overview", _l("Job fair"), order=80)


def _common(forum) -> dict:
    return dict(forum=forum, employer_status_labels=EMPLOYER_STATUS_LABELS,
                vacancy_status_labels=VACANCY_STATUS_LABELS, display_phone=display_phone, **labels())


def _employer_or_404(forum, employer_id: int) -> Employer:
    employer = db.session.get(Employer, employer_id)
    if employer is None or employer not in service.employers_at(forum):
        abort(404)
    return employer


def _vacancy_or_404(forum, vacancy_id: int) -> Vacancy:
    vacancy = db.session.get(Vacancy, vacancy_id)
    if vacancy is None or vacancy.forum_id != forum.id:
        abort(404)
    return vacancy


def _booth_or_404(forum, booth_id: int) -> Booth:
    booth = db.session.get(Booth, booth_id)
    if booth is None or booth.forum_id != forum.id:
        abort(404)
    return booth


@bp.route("/<slug>/jobfair")
@roles_required("organizer")
def overview(slug: str):
    forum = forum_or_404(slug)
    return render_template("jobfair/manage_overview.html", figures=figures.forum_figures(forum),
                           pending_employers=service.employers_at(forum, "pending"),
                           pending_vacancies=service.forum_vacancies(forum, "pending"),
                           area=booth_service.job_fair_area(forum), **_common(forum))


@bp.route("/<slug>/jobfair/employers")
@roles_required("organizer")
def employers(slug: str):
    forum = forum_or_404(slug)
    return render_template("jobfair/manage_employers.html", employers=service.employers_at(forum),
                           booths=service.booths_by_employer(forum), **_common(forum))


@bp.route("/<slug>/jobfair/employers/<int:employer_id>", methods=["GET", "POST"])
@roles_required("organizer")
def employer(slug: str, employer_id: int):
    forum = forum_or_404(slug)
    employer = _employer_or_404(forum, employer_id)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            service.decide_employer(employer, approve=bool(form.approve.data), reason=form.reason.data or "", by=current_user)
        except service.JobFairError as error:
            db.session.rollback()
            form.reason.errors = [*form.reason.errors, ERRORS[error.code]]
        else:
            db.session.commit()
            flash(_("Decision saved; the employer gets an email."), "success")
            return redirect(url_for("jobfair_manage.employers", slug=slug))
    vacancies = [v for v in employer.vacancies if v.forum_id == forum.id]
    return render_template("jobfair/manage_employer.html", employer=employer, form=form, vacancies=vacancies,
                           booth=booth_service.booth_of(forum, employer), **_common(forum))


@bp.route("/<slug>/jobfair/vacancies")
@roles_required("organizer")
def vacancies(slug: str):
    forum = forum_or_404(slug)
    status = request.args.get("status", "")
    items = service.forum_vacancies(forum, status if status in VACANCY_STATUSES else "")
    return render_template("jobfair/manage_vacancies.html", vacancies=items, status=status,
                           counts=interest_counts([v.id for v in items]), **_common(forum))


@bp.route("/<slug>/jobfair/vacancies/<int:vacancy_id>", methods=["GET", "POST"])
@roles_required("organizer")
def vacancy(slug: str, vacancy_id: int):
    forum = forum_or_404(slug)
    vacancy = _vacancy_or_404(forum, vacancy_id)
    form = DecisionForm()
    if not form.is_submitted():
        form.version.data = service.version_of(vacancy)
    if form.validate_on_submit():
        try:
            service.decide_vacancy(vacancy, approve=bool(form.approve.data), reason=form.reason.data or "", by=current_user,
                                   seen_version=form.version.data or "")
        except service.JobFairError as error:
            db.session.rollback()
            form.reason.errors = [*form.reason.errors, ERRORS[error.code]]
            form.version.data = service.version_of(vacancy)  # now they see the current text
        else:
            db.session.commit()
            flash(_("Decision saved; the employer gets an email."), "success")
            return redirect(url_for("jobfair_manage.vacancies", slug=slug, status="pending"))
    revision = vacancy.pending_revision if vacancy.status == "approved" else None
    return render_template("jobfair/manage_vacancy.html", vacancy=vacancy, form=form, revision=revision,
                           differences=revisions.differences(revision) if revision is not None else [],
                           field_labels=FIELD_LABELS, **_common(forum))


@bp.route("/<slug>/jobfair/booths", methods=["GET", "POST"])
@roles_required("organizer")
def booths(slug: str):
    forum = forum_or_404(slug)
    form = BoothsForm()
    if form.validate_on_submit():
        try:
            added = booth_service.add_booths(forum, required(form.count.data), form.prefix.data or "")
        except service.JobFairError as error:
            db.session.rollback()
            flash(ERRORS[error.code], "error")
        else:
            db.session.commit()
            flash(ngettext("%(num)s booth added.", "%(num)s booths added.", len(added)), "success")
            return redirect(url_for("jobfair_manage.booths", slug=slug))
    assigned = service.booths_by_employer(forum)
    waiting = [e for e in service.employers_at(forum, "approved") if e.id not in assigned]
    return render_template("jobfair/manage_booths.html", booths=booth_service.booths_of(forum), form=form,
                           waiting=waiting, area=booth_service.job_fair_area(forum), **_common(forum))


@bp.route("/<slug>/jobfair/booths/<int:booth_id>/assign", methods=["POST"])
@roles_required("organizer")
def assign_booth(slug: str, booth_id: int):
    forum = forum_or_404(slug)
    booth = _booth_or_404(forum, booth_id)
    employer_id = request.form.get("employer_id", "")
    employer = _employer_or_404(forum, int(employer_id)) if employer_id.isdigit() else None
    if employer is None:
        flash(ERRORS["bad_choice"], "error")
        return redirect(url_for("jobfair_manage.booths", slug=slug))
    try:
        booth_service.assign_booth(booth, employer, by=current_user)
    except service.JobFairError as error:
        db.session.rollback()
        flash(ERRORS[error.code], "error")
    else:
        db.session.commit()
        flash(_("Booth %(label)s: %(name)s.", label=booth.label, name=employer.name), "success")
    return redirect(url_for("jobfair_manage.booths", slug=slug))


@bp.route("/<slug>/jobfair/booths/<int:booth_id>/release", methods=["POST"])
@roles_required("organizer")
def release_booth(slug: str, booth_id: int):
    forum = forum_or_404(slug)
    booth = _booth_or_404(forum, booth_id)
    booth_service.release_booth(booth)
    db.session.commit()
    flash(_("Booth %(label)s is free.", label=booth.label), "success")
    return redirect(url_for("jobfair_manage.booths", slug=slug))


@bp.route("/<slug>/jobfair/booths/<int:booth_id>/delete", methods=["POST"])
@roles_required("organizer")
def delete_booth(slug: str, booth_id: int):
    forum = forum_or_404(slug)
    booth = _booth_or_404(forum, booth_id)
    try:
        booth_service.delete_booth(booth)
    except service.JobFairError as error:
        db.session.rollback()
        flash(ERRORS[error.code], "error")
    else:
        db.session.commit()
        flash(_("Booth deleted."), "success")
    return redirect(url_for("jobfair_manage.booths", slug=slug))


@bp.route("/<slug>/jobfair/figures")
@roles_required("organizer")
def figures_page(slug: str):
    forum = forum_or_404(slug)
    return render_template("jobfair/manage_figures.html", figures=figures.forum_figures(forum), **_common(forum))


@bp.route("/<slug>/jobfair/figures.csv")
@roles_required("organizer")
def figures_csv(slug: str):
    forum = forum_or_404(slug)
    body = figures.to_csv(forum, current_language())
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="jobfair-{forum.slug}.csv"'})
