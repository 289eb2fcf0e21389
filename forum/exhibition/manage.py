"""Organizer pages of the exhibition: the applications to review (tab "Exhibition"), one
application with its contacts and members, the decision, the settings and the agenda."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forum.auth.access import roles_required
from forum.events.lookup import forum_or_404
from forum.exhibition import agenda_link, plan, review, service
from forum.exhibition.forms import (
    CATEGORY_LABELS,
    STATUS_LABELS,
    AgendaForm,
    ApproveForm,
    RejectForm,
    SettingsForm,
)
from forum.exhibition.manage_plan import shortfall_texts
from forum.exhibition.models import APPLICATION_STATUSES
from forum.extensions import db
from forum.forms import required
from forum.i18n import to_local
from forum.nav import register_forum_tab
from forum.pagination import paginate
from forum.people.phones import display_phone

bp = Blueprint("exhibition_manage", __name__, url_prefix="/manage")

register_forum_tab("exhibition_manage.applications", _l("Exhibition"), order=40)

ERRORS = {
    "reason_missing": _l("Write the reason: the group will be told."),
    "plan_size": _l("The area's width and depth must be from 1 to 500 metres."),
    "area": _l("Choose an area of this forum."),
    "stands_outside": _l("Stand %(number)s would be outside the area. Move it first, or make the area larger."),
    "no_area": _l("Choose the exhibition area in the settings first."),
    "agenda_area_busy": _l("The exhibition area is taken at that time by «%(title)s». Change the times or "
                           "the other item in the agenda."),
    "agenda_outside_hours": _l("The exhibition must be inside the forum's hours."),
    "agenda_times": _l("The end must be after the start."),
}


def error_text(error: service.ExhibitionError) -> str:
    from forum.db import translated
    from forum.i18n import current_language

    other = error.other
    number = getattr(other, "number", "")
    title = translated(getattr(other, "title", None), current_language()) if hasattr(other, "title") else ""
    return str(ERRORS[error.code]) % {"number": number, "title": title}


def _application_or_404(forum, application_id: int):
    return service.application_of(forum, application_id) or abort(404)


@bp.route("/<slug>/exhibition")
@roles_required("organizer")
def applications(slug: str):
    forum = forum_or_404(slug)
    status = request.args.get("status", "pending")
    status = status if status in APPLICATION_STATUSES or status == "all" else "pending"
    stmt = service.applications_query(forum, "" if status == "all" else status)
    page = paginate(stmt, request.args.get("page"), current_app.config["PAGE_SIZE"])
    settings = service.settings_for(forum)
    item = agenda_link.agenda_item(forum)
    agenda_form = AgendaForm(formdata=None)
    if item is not None:
        agenda_form.starts.data = to_local(item.starts_at, forum.timezone).time()
        agenda_form.ends.data = to_local(item.ends_at, forum.timezone).time()
    else:
        agenda_form.starts.data = to_local(forum.starts_at, forum.timezone).time()
        agenda_form.ends.data = to_local(forum.ends_at, forum.timezone).time()
    return render_template(
        "exhibition/manage_applications.html", forum=forum, page=page, status=status,
        counts=service.status_counts(forum), status_labels=STATUS_LABELS, settings=settings,
        agenda_item=item, agenda_form=agenda_form, unplaced=len(plan.unplaced(forum)),
        public_open=service.accepts_applications(forum),
    )


@bp.route("/<slug>/exhibition/applications/<int:application_id>")
@roles_required("organizer")
def application(slug: str, application_id: int):
    forum = forum_or_404(slug)
    found = _application_or_404(forum, application_id)
    return render_template(
        "exhibition/manage_application.html", forum=forum, application=found, status_labels=STATUS_LABELS,
        category_labels=CATEGORY_LABELS, approve_form=ApproveForm(), reject_form=RejectForm(),
        display_phone=display_phone,
        shortfalls=shortfall_texts(found.stand, found) if found.stand is not None else [],
    )


@bp.route("/<slug>/exhibition/applications/<int:application_id>/approve", methods=["POST"])
@roles_required("organizer")
def approve(slug: str, application_id: int):
    forum = forum_or_404(slug)
    found = _application_or_404(forum, application_id)
    form = ApproveForm()
    if form.validate_on_submit():
        review.approve(found, current_user, note=form.note.data or "")
        db.session.commit()
        flash(_("Approved: «%(group)s». Its members are registered as exhibitors; the group is told by SMS.",
                group=found.group_name), "success")
    return redirect(request.form.get("back") == "list" and url_for("exhibition_manage.applications", slug=slug)
                    or url_for("exhibition_manage.application", slug=slug, application_id=found.id))


@bp.route("/<slug>/exhibition/applications/<int:application_id>/reject", methods=["POST"])
@roles_required("organizer")
def reject(slug: str, application_id: int):
    forum = forum_or_404(slug)
    found = _application_or_404(forum, application_id)
    form = RejectForm()
    try:
        review.reject(found, current_user, form.reason.data or "")
    except service.ExhibitionError as error:
        flash(error_text(error), "error")
    else:
        db.session.commit()
        flash(_("Rejected: «%(group)s». The group is told the reason by SMS.", group=found.group_name), "success")
    return redirect(url_for("exhibition_manage.application", slug=slug, application_id=found.id))


@bp.route("/<slug>/exhibition/applications/<int:application_id>/resend", methods=["POST"])
@roles_required("organizer")
def resend(slug: str, application_id: int):
    forum = forum_or_404(slug)
    found = _application_or_404(forum, application_id)
    from forum.exhibition import notify

    notify.resend_link(found)
    db.session.commit()
    flash(_("The link to the group's page is sent again to the contact person."), "success")
    return redirect(url_for("exhibition_manage.application", slug=slug, application_id=found.id))


@bp.route("/<slug>/exhibition/settings", methods=["GET", "POST"])
@roles_required("organizer")
def settings(slug: str):
    forum = forum_or_404(slug)
    current = service.settings_for(forum)
    form = SettingsForm(obj=current)
    form.area_id.choices = [(0, "—")] + [(a.id, a.name.get("ru") or a.key) for a in forum.areas]
    if form.validate_on_submit():
        try:
            plan.change_settings(forum, form.area_id.data or None, form.plan_width.data, form.plan_depth.data,
                                 form.applications_open.data)
        except service.ExhibitionError as error:
            db.session.rollback()
            getattr(form, error.field or "plan_width").errors.append(error_text(error))
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("exhibition_manage.applications", slug=slug))
    return render_template("exhibition/manage_settings.html", forum=forum, form=form)


@bp.route("/<slug>/exhibition/agenda", methods=["POST"])
@roles_required("organizer")
def agenda(slug: str):
    forum = forum_or_404(slug)
    form = AgendaForm()
    if not form.validate_on_submit():
        flash(_("Give the start and end times."), "error")
        return redirect(url_for("exhibition_manage.applications", slug=slug))
    zone = ZoneInfo(forum.timezone)
    day = to_local(forum.starts_at, forum.timezone).date()
    try:
        agenda_link.put_on_agenda(forum, datetime.combine(day, required(form.starts.data), tzinfo=zone),
                                  datetime.combine(day, required(form.ends.data), tzinfo=zone))
    except service.ExhibitionError as error:
        db.session.rollback()
        flash(error_text(error), "error")
    else:
        db.session.commit()
        flash(_("The exhibition is on the agenda."), "success")
    return redirect(url_for("exhibition_manage.applications", slug=slug))
