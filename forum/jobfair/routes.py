"""Public job-fair pages: the employers' sign-up, the list of vetted vacancies, one vacancy;
and the booth page a tablet shows at the fair for walk-ins."""
from __future__ import annotations

from babel import Locale
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forum import ratelimits
from forum.auth.access import public, roles_required
from forum.db import translated
from forum.events.lookup import forum_or_404, public_forum_or_404
from forum.extensions import db
from forum.i18n import current_language
from forum.jobfair import pipeline, service
from forum.jobfair.forms import (
    CONTRACT_LABELS,
    ERRORS,
    KIND_LABELS,
    LANGUAGE_LABELS,
    LOCATION_LABELS,
    SECTOR_LABELS,
    EmployerSignupForm,
    WalkInForm,
)
from forum.jobfair.models import CURRENCIES, Booth
from forum.nav import register_public_link

bp = Blueprint("jobfair", __name__)

register_public_link("jobfair.jobs", _l("Vacancies of the job fair"), activity="job_fair", order=80)


def labels() -> dict:
    """The code → label maps every job-fair template uses."""
    return {"sector_labels": SECTOR_LABELS, "kind_labels": KIND_LABELS, "location_labels": LOCATION_LABELS,
            "contract_labels": CONTRACT_LABELS, "language_labels": LANGUAGE_LABELS,
            "countries": Locale.parse(current_language()).territories}


def _fair_or_404(slug: str):
    forum = public_forum_or_404(slug)
    if "job_fair" not in (forum.activities or []):
        abort(404)
    return forum


@bp.route("/f/<slug>/jobfair/register", methods=["GET", "POST"])
@public  # accepted sign-ups are limited per email and per address (forum.ratelimits)
def register(slug: str):
    forum = _fair_or_404(slug)
    if not service.accepts_signups(forum):
        return render_template("jobfair/register_closed.html", forum=forum), 403
    form = EmployerSignupForm()
    duplicate = None
    if not form.is_submitted():
        form.language.data = current_language()
    if form.validate_on_submit() and not ratelimits.held_back(ratelimits.EMPLOYERS, form.email.data):
        data = service.EmployerSignup(
            organization_name=form.organization_name.data or "", kind=form.kind.data, sector=form.sector.data,
            tax_number=form.tax_number.data or "", city=form.city.data or "", contact_person=form.contact_person.data or "",
            phone=form.phone.data or "", email=form.email.data or "", password=form.password.data or "",
            licence_number=form.licence_number.data or "", language=form.language.data,
        )
        try:
            service.register_employer(forum, data)
        except service.JobFairError as error:
            db.session.rollback()
            if error.code == "duplicate":
                duplicate = error.field
            elif error.field and hasattr(form, error.field):
                getattr(form, error.field).errors.append(ERRORS[error.code])
            else:
                flash(ERRORS[error.code], "error")
        else:
            # A new account or an email that had one: the same answer, only the mailbox knows which.
            db.session.commit()
            ratelimits.count(ratelimits.EMPLOYERS, form.email.data)
            flash(_("Thank you. Check your email %(email)s: we have sent you a link to confirm it. "
                    "Your organization then waits for the organizers' approval.", email=form.email.data), "success")
            return redirect(url_for("jobfair.register_sent", slug=slug))
    return ratelimits.answer(render_template("jobfair/register.html", forum=forum, form=form, duplicate=duplicate,
                                             login_url=url_for("auth.login", next=url_for("jobfair_employer.home"))))


@bp.route("/f/<slug>/jobfair/register/sent")
@public
def register_sent(slug: str):
    forum = _fair_or_404(slug)
    return render_template("jobfair/register_sent.html", forum=forum)


def _filters() -> service.JobFilters:
    wage = request.args.get("min_wage", "")
    return service.JobFilters(
        location=request.args.get("location", ""), sector=request.args.get("sector", ""),
        language=request.args.get("language", ""), currency=request.args.get("currency", ""),
        min_wage=int(wage) if wage.isdigit() and len(wage) < 10 else None,
    )


@bp.route("/f/<slug>/jobs")
@public
def jobs(slug: str):
    forum = _fair_or_404(slug)
    vacancies = service.public_vacancies(forum, _filters())
    return render_template("jobfair/jobs.html", forum=forum, vacancies=vacancies, currencies=CURRENCIES,
                           booths=service.booths_by_employer(forum), **labels())


@bp.route("/f/<slug>/jobs/<int:vacancy_id>")
@public
def job(slug: str, vacancy_id: int):
    forum = _fair_or_404(slug)
    vacancy = service.public_vacancy(forum, vacancy_id)
    if vacancy is None:
        abort(404)
    return render_template("jobfair/job.html", forum=forum, vacancy=vacancy,
                           booth=service.booths_by_employer(forum).get(vacancy.employer_id), **labels())


def _booth_or_404(forum, booth_id: int) -> Booth:
    booth = db.session.get(Booth, booth_id)
    if booth is None or booth.forum_id != forum.id:
        abort(404)
    if current_user.role == "employer":
        employer = service.employer_for_user(current_user)
        if employer is None or booth.employer_id != employer.id:
            abort(404)
    return booth


@bp.route("/jobfair/<slug>/booths/<int:booth_id>", methods=["GET", "POST"])
@roles_required("organizer", "staff", "employer")
def booth(slug: str, booth_id: int):
    """The page a tablet at the booth shows: walk-ins leave their name and phone, with consent.
    It lists nobody who came before: the next visitor must not read them."""
    forum = forum_or_404(slug)
    booth = _booth_or_404(forum, booth_id)
    today = service.local_today(forum)
    vacancies = [v for v in (booth.employer.vacancies if booth.employer else [])
                 if v.forum_id == forum.id and service.is_public(v, today)]
    form = WalkInForm()
    form.vacancy_ids.choices = [(v.id, translated(v.title, current_language())) for v in vacancies]
    if len(vacancies) == 1 and not form.is_submitted():
        form.vacancy_ids.data = [vacancies[0].id]
    if form.validate_on_submit():
        try:
            recorded, already = pipeline.record_walk_in(
                booth, pipeline.WalkIn(full_name=form.full_name.data or "", phone=form.phone.data or "",
                                       vacancy_ids=form.vacancy_ids.data or []))
        except service.JobFairError as error:
            db.session.rollback()
            form.vacancy_ids.errors = [*form.vacancy_ids.errors, ERRORS[error.code]]
        else:
            db.session.commit()
            if recorded:
                # No name here: the next visitor at the tablet would read it.
                flash(_("Thank you. The employer has your name and phone number and may call you."), "success")
            else:
                flash(_("You had already left your number for these vacancies."), "info")
            return redirect(url_for("jobfair.booth", slug=slug, booth_id=booth.id))
    return render_template("jobfair/booth.html", forum=forum, booth=booth, vacancies=vacancies, form=form,
                           **labels())
