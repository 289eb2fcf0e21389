"""The employer's own pages (/employer/…): their vacancies, the seekers interested in them,
interview times at the booth and the staff who get badges. An employer sees only its own
data: anyone else's vacancy or seeker answers 404."""
from __future__ import annotations

from babel import Locale
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from forum import ratelimits
from forum.auth import recovery
from forum.auth.access import roles_required
from forum.events.lookup import forum_or_404
from forum.extensions import db
from forum.forms import required
from forum.i18n import current_language
from forum.jobfair import booths as booth_service
from forum.jobfair import pipeline, revisions, service, staff
from forum.jobfair.forms import (
    EMPLOYER_STATUS_LABELS,
    ERRORS,
    SHARE_LABELS,
    STAGE_LABELS,
    VACANCY_STATUS_LABELS,
    InterviewForm,
    SlotsForm,
    StaffForm,
    StageForm,
    VacancyForm,
)
from forum.jobfair.models import InterviewSlot, Vacancy
from forum.jobfair.routes import labels
from forum.nav import register_role_home
from forum.people.phones import display_phone

bp = Blueprint("jobfair_employer", __name__, url_prefix="/employer")
register_role_home("employer", "jobfair_employer.home")  # employers land in their own account

TEXT_FIELDS = ("title", "description", "requirements")


def _employer():
    employer = service.employer_for_user(current_user)
    if employer is None:
        abort(403)  # an employer login without an employer behind it (made by hand)
    return employer


def _approved_employer():
    employer = _employer()
    if employer.status != "approved":
        flash(_("Your organization is not approved yet: you can post vacancies after the organizers' approval.")
              if employer.status == "pending" else _("The organizers did not approve your organization."), "info")
        abort(redirect(url_for("jobfair_employer.home")))
    return employer


def _vacancy_or_404(employer, vacancy_id: int) -> Vacancy:
    vacancy = db.session.get(Vacancy, vacancy_id)
    if vacancy is None or vacancy.employer_id != employer.id:
        abort(404)
    return vacancy


def _interest_or_404(employer, interest_id: int):
    interest = pipeline.employer_interest_or_none(employer, interest_id)
    if interest is None:
        abort(404)
    return interest


def _fair_or_404(slug: str):
    forum = forum_or_404(slug)
    if forum not in service.open_fairs():
        abort(404)
    return forum


def _fairs(employer) -> list:
    """The fairs on the employer's page: open ones, and past ones it took part in."""
    fairs = list(service.open_fairs())
    for forum in [employer.forum] + [v.forum for v in employer.vacancies]:
        if forum is not None and forum not in fairs and "job_fair" in (forum.activities or []):
            fairs.append(forum)
    return fairs


@bp.route("/")
@roles_required("employer")
def home():
    employer = _employer()
    fairs = _fairs(employer)
    counts = pipeline.interest_counts([v.id for v in employer.vacancies])
    booths = {f.id: booth_service.booth_of(f, employer) for f in fairs}
    staff_counts = {f.id: len(staff.staff_of(employer, f)) for f in fairs}
    return render_template("jobfair/employer_home.html", employer=employer, fairs=fairs, counts=counts,
                           booths=booths, staff_counts=staff_counts, status_labels=EMPLOYER_STATUS_LABELS,
                           vacancy_status_labels=VACANCY_STATUS_LABELS, **labels())


@bp.route("/confirm/again", methods=["POST"])
@roles_required("employer")
def confirm_again():
    """Send the email confirmation link again (lost, expired): limited like other emailed links."""
    employer = _employer()
    user = employer.user
    if user.email_confirmed_at is None and not ratelimits.held_back(ratelimits.EMAIL_LINKS, user.email):
        recovery.queue_confirmation(user, employer.forum)
        db.session.commit()
        ratelimits.count(ratelimits.EMAIL_LINKS, user.email)
        flash(_("We have sent a new link to %(email)s.", email=user.email), "success")
    return redirect(url_for("jobfair_employer.home"))


def _data(form: VacancyForm) -> service.VacancyData:
    return service.VacancyData(
        title=form.title.data, description=form.description.data, requirements=form.requirements.data,
        location=form.location.data, country=form.country.data or "", city=form.city.data or "",
        positions=required(form.positions.data), wage_min=required(form.wage_min.data), wage_max=required(form.wage_max.data),
        currency=form.currency.data, contract_type=form.contract_type.data, languages=form.languages.data or [],
        closes_on=required(form.closes_on.data), no_fee=form.no_fee.data, written_contract=form.written_contract.data,
    )


def _fill(form: VacancyForm, vacancy: Vacancy) -> None:
    """The form as the employer last wrote it: their edit waiting (or turned down) if there is one."""
    values = revisions.proposed_values(vacancy.revision) if vacancy.revision is not None else {}
    for name in TEXT_FIELDS:
        for code in ("ru", "tg", "en"):
            getattr(getattr(form, name).form, code).data = (values.get(name, getattr(vacancy, name)) or {}).get(code, "")
    for name in ("location", "city", "positions", "wage_min", "wage_max", "currency", "contract_type",
                 "languages", "closes_on", "no_fee", "written_contract"):
        getattr(form, name).data = values.get(name, getattr(vacancy, name))
    location, country = values.get("location", vacancy.location), values.get("country", vacancy.country)
    form.country.data = "" if location == "tajikistan" else country


def _edit(employer, forum, vacancy: Vacancy | None):
    form = VacancyForm()
    form.set_country_choices(Locale.parse(current_language()).territories)
    if vacancy is not None and request.method == "GET":
        _fill(form, vacancy)
    if form.validate_on_submit():
        submit = bool(form.send.data) or (vacancy is not None and vacancy.status in ("pending", "approved"))
        try:
            saved = service.save_vacancy(employer, forum, _data(form), vacancy, submit=submit)
        except service.JobFairError as error:
            db.session.rollback()
            target = getattr(form, error.field, None) if error.field else None
            if target is not None and hasattr(target, "errors") and isinstance(target.errors, list):
                target.errors.append(ERRORS[error.code])
            else:
                flash(ERRORS[error.code], "error")
        else:
            db.session.commit()
            if saved.status == "pending":
                message = _("Sent to the organizers for approval.")
            elif saved.status == "approved" and saved.pending_revision is not None:
                message = _("Saved. Your changes wait for the organizers' approval; until then the public sees "
                            "the vacancy as approved.")
            elif saved.status == "approved":
                message = _("Nothing was changed.")
            else:
                message = _("Saved as a draft. Send it for approval when it is ready.")
            flash(message, "success")
            return redirect(url_for("jobfair_employer.vacancy", vacancy_id=saved.id))
    return render_template("jobfair/employer_vacancy_form.html", form=form, forum=forum, vacancy=vacancy,
                           employer=employer, status_labels=VACANCY_STATUS_LABELS)


@bp.route("/vacancies/new", methods=["GET", "POST"])
@roles_required("employer")
def new_vacancy():
    employer = _approved_employer()
    forum = _fair_or_404(request.args.get("forum", ""))
    return _edit(employer, forum, None)


@bp.route("/vacancies/<int:vacancy_id>/edit", methods=["GET", "POST"])
@roles_required("employer")
def edit_vacancy(vacancy_id: int):
    employer = _approved_employer()
    vacancy = _vacancy_or_404(employer, vacancy_id)
    return _edit(employer, vacancy.forum, vacancy)


@bp.route("/vacancies/<int:vacancy_id>")
@roles_required("employer")
def vacancy(vacancy_id: int):
    employer = _approved_employer()  # a rejected employer no longer sees anyone's details
    vacancy = _vacancy_or_404(employer, vacancy_id)
    interests = pipeline.vacancy_interests(vacancy)
    slots = pipeline.slots_of(employer, vacancy.forum)
    free = [s for s in slots if s.interest_id is None]
    booth = booth_service.booth_of(vacancy.forum, employer)
    return render_template("jobfair/employer_vacancy.html", employer=employer, vacancy=vacancy, interests=interests,
                           free_slots=free, booth=booth, display_phone=display_phone, stage_labels=STAGE_LABELS,
                           share_labels=SHARE_LABELS, status_labels=VACANCY_STATUS_LABELS,
                           stage_form=StageForm(formdata=None), **labels())


@bp.route("/vacancies/<int:vacancy_id>/submit", methods=["POST"])
@roles_required("employer")
def submit_vacancy(vacancy_id: int):
    employer = _approved_employer()
    vacancy = _vacancy_or_404(employer, vacancy_id)
    try:
        service.submit_vacancy(vacancy)
    except service.JobFairError as error:
        db.session.rollback()
        flash(ERRORS[error.code], "error")
    else:
        db.session.commit()
        flash(_("Sent to the organizers for approval."), "success")
    return redirect(url_for("jobfair_employer.vacancy", vacancy_id=vacancy.id))


@bp.route("/vacancies/<int:vacancy_id>/close", methods=["POST"])
@roles_required("employer")
def close_vacancy(vacancy_id: int):
    employer = _employer()
    vacancy = _vacancy_or_404(employer, vacancy_id)
    service.close_vacancy(vacancy)
    db.session.commit()
    flash(_("The vacancy is closed and no longer public."), "success")
    return redirect(url_for("jobfair_employer.vacancy", vacancy_id=vacancy.id))


@bp.route("/interests/<int:interest_id>/stage", methods=["POST"])
@roles_required("employer")
def stage(interest_id: int):
    employer = _approved_employer()  # a rejected employer no longer sees anyone's details
    interest = _interest_or_404(employer, interest_id)
    form = StageForm()
    if form.validate_on_submit():
        pipeline.set_stage(interest, form.stage.data)
        db.session.commit()
        flash(_("Saved."), "success")
    else:
        flash(ERRORS["bad_choice"], "error")
    return redirect(url_for("jobfair_employer.vacancy", vacancy_id=interest.vacancy_id) + f"#i{interest.id}")


@bp.route("/interests/<int:interest_id>/interview", methods=["POST"])
@roles_required("employer")
def interview(interest_id: int):
    employer = _approved_employer()  # a rejected employer no longer sees anyone's details
    interest = _interest_or_404(employer, interest_id)
    form = InterviewForm()
    form.slot_id.choices = [(s.id, str(s.id)) for s in pipeline.slots_of(employer, interest.vacancy.forum)]
    slot = db.session.get(InterviewSlot, form.slot_id.data) if form.validate_on_submit() else None
    if slot is None or slot.employer_id != employer.id:
        flash(ERRORS["bad_slot"], "error")
    else:
        booth = booth_service.booth_of(interest.vacancy.forum, employer)
        try:
            pipeline.offer_interview(interest, slot, booth.label if booth else None)
        except service.JobFairError as error:
            db.session.rollback()
            flash(ERRORS[error.code], "error")
        else:
            db.session.commit()
            flash(_("The interview time is offered; the person gets an SMS."), "success")
    return redirect(url_for("jobfair_employer.vacancy", vacancy_id=interest.vacancy_id) + f"#i{interest.id}")


@bp.route("/interests/<int:interest_id>/interview/cancel", methods=["POST"])
@roles_required("employer")
def cancel_interview(interest_id: int):
    employer = _approved_employer()  # a rejected employer no longer sees anyone's details
    interest = _interest_or_404(employer, interest_id)
    pipeline.cancel_interview(interest)
    db.session.commit()
    flash(_("The interview time is free again."), "success")
    return redirect(url_for("jobfair_employer.vacancy", vacancy_id=interest.vacancy_id) + f"#i{interest.id}")


@bp.route("/fairs/<slug>/interviews", methods=["GET", "POST"])
@roles_required("employer")
def interviews(slug: str):
    employer = _approved_employer()
    forum = _fair_or_404(slug)
    form = SlotsForm()
    if form.validate_on_submit():
        try:
            added = pipeline.add_slots(employer, forum, required(form.start.data), required(form.end.data),
                                       required(form.minutes.data))
        except service.JobFairError as error:
            db.session.rollback()
            if error.field:
                getattr(form, error.field).errors.append(ERRORS[error.code])
            else:
                flash(ERRORS[error.code], "error")
        else:
            db.session.commit()
            flash(ngettext("%(num)s interview time added.", "%(num)s interview times added.", added), "success")
            return redirect(url_for("jobfair_employer.interviews", slug=slug))
    return render_template("jobfair/employer_interviews.html", employer=employer, forum=forum, form=form,
                           slots=pipeline.slots_of(employer, forum), booth=booth_service.booth_of(forum, employer))


@bp.route("/fairs/<slug>/staff", methods=["GET", "POST"])
@roles_required("employer")
def staff_list(slug: str):
    employer = _approved_employer()
    forum = _fair_or_404(slug)
    form = StaffForm()
    if form.validate_on_submit():
        try:
            staff.add_staff(employer, forum, form.full_name.data or "", form.phone.data or "", form.position.data or "")
        except service.JobFairError as error:
            db.session.rollback()
            target = form.phone if error.field == "phone" else None
            if target is not None:
                target.errors = [*target.errors, ERRORS[error.code]]
            else:
                flash(ERRORS[error.code], "error")
        else:
            db.session.commit()
            flash(_("Added: they get a badge of the employer category."), "success")
            return redirect(url_for("jobfair_employer.staff_list", slug=slug))
    return render_template("jobfair/employer_staff.html", employer=employer, forum=forum, form=form,
                           people=staff.staff_of(employer, forum), display_phone=display_phone,
                           booth=booth_service.booth_of(forum, employer))


@bp.route("/fairs/<slug>/staff/<int:registration_id>/remove", methods=["POST"])
@roles_required("employer")
def remove_staff(slug: str, registration_id: int):
    employer = _employer()
    forum_or_404(slug)
    if not staff.remove_staff(employer, registration_id):
        abort(404)
    db.session.commit()
    flash(_("Removed: their badge no longer admits them."), "success")
    return redirect(url_for("jobfair_employer.staff_list", slug=slug))
