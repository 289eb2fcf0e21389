"""Organizer pages for forums and areas: create, edit, publish, archive, copy."""
from __future__ import annotations

from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forum import confirm
from forum.auth import service as auth_service
from forum.auth.access import roles_required
from forum.auth.service import only_theirs
from forum.events import service
from forum.events.checklist import checklist as forum_checklist
from forum.events.forms import (
    ACTIVITY_LABELS,
    AREA_KIND_LABELS,
    ERRORS,
    STATUS_ACTIONS,
    STATUS_LABELS,
    STATUS_QUESTIONS,
    AreaForm,
    CopyForumForm,
    ForumForm,
)
from forum.events.lookup import forum_or_404
from forum.events.models import Area
from forum.extensions import db
from forum.forms import required
from forum.nav import overview_panels, register_forum_tab
from forum.people.models import Organization

bp = Blueprint("events_manage", __name__, url_prefix="/manage")

register_forum_tab("events_manage.overview", _l("Overview"), order=0)
register_forum_tab("events_manage.areas", _l("Areas"), order=10)
register_forum_tab("events_manage.checklist", _l("Checklist"), order=5)


def _organization_choices(form: ForumForm) -> None:
    orgs = list(db.session.scalars(sa.select(Organization).where(
        Organization.kind.in_(("ngo", "international", "government", "mfi"))).order_by(Organization.name)))
    form.organizer_id.choices = [(0, "—")] + [(o.id, o.name) for o in orgs if o.kind == "ngo"]
    form.partner_ids.choices = [(o.id, o.label) for o in orgs]


def _data_from(form: ForumForm) -> service.ForumData:
    starts_at, ends_at = service.local_span(required(form.day.data), required(form.start_time.data),
                                            required(form.end_time.data), form.timezone.data or "")
    return service.ForumData(
        slug=form.slug.data or "", title=form.title.data, city=form.city.data, venue=form.venue.data,
        address=form.address.data, goals=form.goals.data, description=form.description.data,
        contacts=form.contacts.data, activities=form.activities.data or [], timezone=form.timezone.data or "",
        starts_at=starts_at, ends_at=ends_at, registration_open=form.registration_open.data,
        organizer_id=form.organizer_id.data or None, partner_ids=form.partner_ids.data or [],
    )


def _fill(form: ForumForm, forum) -> None:
    zone = ZoneInfo(forum.timezone)
    form.slug.data = forum.slug
    for name in ("title", "city", "venue", "address", "goals", "description", "contacts"):
        for code in ("ru", "tg", "en"):
            getattr(getattr(form, name).form, code).data = getattr(forum, name).get(code, "")
    form.day.data = forum.starts_at.astimezone(zone).date()
    form.start_time.data = forum.starts_at.astimezone(zone).time()
    form.end_time.data = forum.ends_at.astimezone(zone).time()
    form.timezone.data = forum.timezone
    form.activities.data = list(forum.activities)
    form.registration_open.data = forum.registration_open
    form.organizer_id.data = forum.organizer_id or 0
    form.partner_ids.data = [p.id for p in forum.partners]


def _make_organizer(forum) -> None:
    """Whoever creates a forum (or its copy) organizes it; an administrator already does."""
    if not current_user.is_admin:
        auth_service.set_member(current_user, forum, "organizer")


@bp.route("/")
@roles_required("organizer")
def forums():
    forums = only_theirs(current_user, service.all_forums(), "organizer")
    return render_template("events/manage_forums.html", forums=forums, status_labels=STATUS_LABELS)


@bp.route("/new", methods=["GET", "POST"])
@roles_required("organizer")
def new_forum():
    form = ForumForm()
    _organization_choices(form)
    if form.validate_on_submit():
        try:
            forum = service.save_forum(_data_from(form))
        except service.ForumError as error:
            flash(ERRORS.get(error.code, str(error)), "error")
        else:
            _make_organizer(forum)
            db.session.commit()
            flash(_("The forum is created as a draft."), "success")
            return redirect(url_for("events_manage.overview", slug=forum.slug))
    return render_template("events/manage_forum_form.html", form=form, forum=None)


@bp.route("/<slug>/")
@roles_required("organizer")
def overview(slug: str):
    forum = forum_or_404(slug)
    return render_template("events/manage_overview.html", forum=forum, status_labels=STATUS_LABELS,
                           registration_count=service.registration_count(forum),
                           activity_labels=ACTIVITY_LABELS, transitions=service.ALLOWED_TRANSITIONS[forum.status],
                           status_actions=STATUS_ACTIONS, status_questions=STATUS_QUESTIONS,
                           panels=overview_panels(forum))


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@roles_required("organizer")
def edit_forum(slug: str):
    forum = forum_or_404(slug)
    form = ForumForm()
    _organization_choices(form)
    if request.method == "GET":
        _fill(form, forum)
    elif form.validate_on_submit():
        try:
            service.save_forum(_data_from(form), forum)
        except service.ForumError as error:
            db.session.rollback()
            flash(ERRORS.get(error.code, str(error)), "error")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("events_manage.overview", slug=forum.slug))
    return render_template("events/manage_forum_form.html", form=form, forum=forum)


@bp.route("/<slug>/status", methods=["POST"])
@roles_required("organizer")
def change_status(slug: str):
    forum = forum_or_404(slug)
    status = request.form.get("status", "")
    if status in STATUS_QUESTIONS and status != forum.status and not confirm.confirmed():
        return confirm.ask(forum, str(STATUS_QUESTIONS[status]), str(STATUS_ACTIONS[status]),
                           url_for("events_manage.overview", slug=forum.slug))
    try:
        service.set_status(forum, status)
    except service.ForumError as error:
        flash(ERRORS[error.code], "error")
    else:
        db.session.commit()
        flash(_("The forum is now: %(status)s.", status=STATUS_LABELS[forum.status]), "success")
    return redirect(url_for("events_manage.overview", slug=forum.slug))


@bp.route("/<slug>/copy", methods=["GET", "POST"])
@roles_required("organizer")
def copy_forum(slug: str):
    forum = forum_or_404(slug)
    form = CopyForumForm()
    if form.validate_on_submit():
        try:
            made = service.copy_forum(forum, form.slug.data or "", required(form.day.data))
        except service.ForumError as error:
            db.session.rollback()
            form.slug.errors = [*form.slug.errors, ERRORS[error.code]]
        else:
            auth_service.copy_team(forum, made.target)  # the next forum is usually run by the same people
            _make_organizer(made.target)
            db.session.commit()
            flash(_("The copy is created as a draft with: %(what)s.", what="; ".join(made.lines)), "success")
            for note in made.notes:
                flash(note, "warning")
            return redirect(url_for("events_manage.checklist", slug=made.target.slug))
    return render_template("events/manage_copy.html", form=form, forum=forum)


@bp.route("/<slug>/checklist")
@roles_required("organizer")
def checklist(slug: str):
    forum = forum_or_404(slug)
    return render_template("events/manage_checklist.html", forum=forum, todos=forum_checklist(forum))


@bp.route("/<slug>/areas", methods=["GET", "POST"])
@roles_required("organizer")
def areas(slug: str):
    forum = forum_or_404(slug)
    form = AreaForm()
    if form.validate_on_submit():
        try:
            service.save_area(forum, form.key.data or "", form.name.data, form.kind.data, form.capacity.data,
                              form.position.data or 0)
        except service.ForumError as error:
            db.session.rollback()
            form.key.errors = [*form.key.errors, ERRORS[error.code]]
        else:
            db.session.commit()
            flash(_("Area added."), "success")
            return redirect(url_for("events_manage.areas", slug=slug))
    return render_template("events/manage_areas.html", forum=forum, form=form, kind_labels=AREA_KIND_LABELS)


def _area_or_404(forum, area_id: int) -> Area:
    area = db.session.get(Area, area_id)
    if area is None or area.forum_id != forum.id:
        from flask import abort

        abort(404)
    return area


@bp.route("/<slug>/areas/<int:area_id>", methods=["GET", "POST"])
@roles_required("organizer")
def edit_area(slug: str, area_id: int):
    forum = forum_or_404(slug)
    area = _area_or_404(forum, area_id)
    form = AreaForm(obj=area if request.method == "GET" else None)
    if request.method == "GET":
        for code in ("ru", "tg", "en"):
            getattr(form.name.form, code).data = area.name.get(code, "")
    if form.validate_on_submit():
        try:
            service.save_area(forum, form.key.data or "", form.name.data, form.kind.data, form.capacity.data,
                              form.position.data or 0, area=area)
        except service.ForumError as error:
            db.session.rollback()
            form.key.errors = [*form.key.errors, ERRORS[error.code]]
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("events_manage.areas", slug=slug))
    return render_template("events/manage_area_form.html", forum=forum, form=form, area=area)


@bp.route("/<slug>/areas/<int:area_id>/delete", methods=["POST"])
@roles_required("organizer")
def delete_area(slug: str, area_id: int):
    forum = forum_or_404(slug)
    area = _area_or_404(forum, area_id)
    try:
        service.delete_area(area)
        db.session.commit()
    except sa.exc.IntegrityError:
        # Agenda items, stands or booths still use it: say so rather than lose them.
        db.session.rollback()
        flash(_("This area is in use and cannot be deleted. Move what is planned there first."), "error")
    else:
        flash(_("Area deleted."), "success")
    return redirect(url_for("events_manage.areas", slug=slug))
