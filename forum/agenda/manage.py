"""The organizer's timetable editor: place, edit, move, duplicate, cancel and copy agenda items."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from forum.agenda import copying, queries, service, timetable
from forum.agenda.forms import (
    COPY_REASONS,
    KIND_LABELS,
    CopyForm,
    ItemForm,
    MoveForm,
    error_message,
    warning_message,
)
from forum.agenda.models import AgendaItem
from forum.auth.access import roles_required
from forum.events.lookup import forum_or_404
from forum.events.models import Area, Forum
from forum.extensions import db
from forum.forms import required
from forum.nav import register_forum_tab
from forum.people.models import Organization, Person, Registration

bp = Blueprint("agenda_manage", __name__, url_prefix="/manage")

register_forum_tab("agenda_manage.editor", _l("Agenda"), order=20)


def _item_or_404(forum: Forum, item_id: int) -> AgendaItem:
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.forum_id != forum.id:
        abort(404)
    return item


def _local(forum: Forum, day, clock) -> datetime:
    return datetime.combine(day, clock, tzinfo=ZoneInfo(forum.timezone))


def _area_choices(forum: Forum) -> list[tuple[int, str]]:
    from forum.i18n import tr

    return [(area.id, tr(area.name) or area.key) for area in forum.areas]


def _host_choices(form: ItemForm, forum: Forum) -> None:
    # Partners and institutions first, then the self-help groups (a group may present its work).
    orgs = db.session.scalars(sa.select(Organization).order_by(Organization.kind == "shg", Organization.name))
    form.host_organization_ids.choices = [(o.id, o.name) for o in orgs]
    people = db.session.execute(
        sa.select(Person.id, Person.full_name, Person.position).join(Registration, Registration.person_id == Person.id)
        .where(Registration.forum_id == forum.id).order_by(Person.full_name))
    form.host_person_ids.choices = [(pid, f"{name} — {position}" if position else name) for pid, name, position in people]


def _move_form(forum: Forum) -> MoveForm:
    form = MoveForm()
    form.area_id.choices = _area_choices(forum)
    return form


@bp.route("/<slug>/agenda")
@roles_required("organizer")
def editor(slug: str):
    forum = forum_or_404(slug)
    items = queries.forum_items(forum, public_only=False)
    conflicts = queries.day_conflicts(forum, items)
    grid = timetable.build(forum, forum.areas, items)
    notes = {item.id: [warning_message(c, item, forum.timezone) for c in conflicts.get(item.id, [])]
             for item in items}
    hard = {item_id for item_id, found in conflicts.items() if any(c.hard for c in found)}
    zone = ZoneInfo(forum.timezone)
    days = {forum.starts_at.astimezone(zone).date(), (forum.ends_at - timetable.STEP).astimezone(zone).date()}
    return render_template("agenda/manage_editor.html", forum=forum, items=items, grid=grid, notes=notes,
                           hard=hard, kind_labels=KIND_LABELS, area_choices=_area_choices(forum),
                           multi_day=len(days) > 1, zone=zone)


def _data_from(form: ItemForm, forum: Forum, item: AgendaItem | None) -> service.ItemData:
    return service.ItemData(
        kind=form.kind.data, title=form.title.data, description=form.description.data, area_id=form.area_id.data,
        starts_at=_local(forum, form.day.data, form.start_time.data),
        ends_at=_local(forum, form.day.data, form.end_time.data),
        is_public=form.is_public.data, expected_audience=form.expected_audience.data,
        host_person_ids=form.host_person_ids.data or [], host_organization_ids=form.host_organization_ids.data or [],
        source=item.source if item else "agenda", source_id=item.source_id if item else None,
    )


def _flash_warnings(saved: service.Saved, forum: Forum) -> None:
    for conflict in saved.warnings:
        flash(_("Warning: %(text)s", text=warning_message(conflict, saved.item, forum.timezone)), "warning")


def _fill(form: ItemForm, forum: Forum, item: AgendaItem) -> None:
    zone = ZoneInfo(forum.timezone)
    for name in ("title", "description"):
        for code in ("ru", "tg", "en"):
            getattr(getattr(form, name).form, code).data = (getattr(item, name) or {}).get(code, "")
    form.kind.data, form.area_id.data = item.kind, item.area_id
    form.day.data = item.starts_at.astimezone(zone).date()
    form.start_time.data = item.starts_at.astimezone(zone).time()
    form.end_time.data = item.ends_at.astimezone(zone).time()
    form.is_public.data, form.expected_audience.data = item.is_public, item.expected_audience
    form.host_person_ids.data = [h.person_id for h in item.hosts if h.person_id is not None]
    form.host_organization_ids.data = [h.organization_id for h in item.hosts if h.organization_id is not None]


@bp.route("/<slug>/agenda/new", methods=["GET", "POST"])
@roles_required("organizer")
def new_item(slug: str):
    forum = forum_or_404(slug)
    form = ItemForm()
    form.area_id.choices = _area_choices(forum)
    _host_choices(form, forum)
    if not form.is_submitted():
        zone = ZoneInfo(forum.timezone)
        start = forum.starts_at.astimezone(zone)
        form.day.data = start.date()
        form.area_id.data = request.args.get("area", type=int)
        form.start_time.data = _time_arg("start") or start.time()
        form.end_time.data = (datetime.combine(start.date(), form.start_time.data) + timetable.STEP * 12).time()
    if form.validate_on_submit():
        try:
            saved = service.create_item(forum, _data_from(form, forum, None))
        except service.AgendaError as error:
            db.session.rollback()
            flash(error_message(error, forum.timezone), "error")
        else:
            db.session.commit()
            flash(_("The item is on the agenda."), "success")
            _flash_warnings(saved, forum)
            return redirect(url_for("agenda_manage.editor", slug=slug, _anchor=f"item-{saved.item.id}"))
    return render_template("agenda/manage_item_form.html", forum=forum, form=form, item=None)


def _time_arg(name: str):
    value = request.args.get(name, "")
    try:
        return datetime.strptime(value, "%H:%M").time()
    except ValueError:
        return None


@bp.route("/<slug>/agenda/<int:item_id>", methods=["GET", "POST"])
@roles_required("organizer")
def edit_item(slug: str, item_id: int):
    forum = forum_or_404(slug)
    item = _item_or_404(forum, item_id)
    form = ItemForm()
    form.area_id.choices = _area_choices(forum)
    _host_choices(form, forum)
    if not form.is_submitted():
        _fill(form, forum, item)
    elif form.validate_on_submit():
        try:
            saved = service.update_item(item, _data_from(form, forum, item))
        except service.AgendaError as error:
            db.session.rollback()
            flash(error_message(error, forum.timezone), "error")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            _flash_warnings(saved, forum)
            return redirect(url_for("agenda_manage.editor", slug=slug, _anchor=f"item-{item.id}"))
    attendees = queries.attendees_count([item]).get(item.id, 0)
    return render_template("agenda/manage_item_form.html", forum=forum, form=form, item=item, attendees=attendees)


@bp.route("/<slug>/agenda/<int:item_id>/move", methods=["POST"])
@roles_required("organizer")
def move_item(slug: str, item_id: int):
    """The form fallback of drag and drop (the script fills and sends this same form)."""
    forum = forum_or_404(slug)
    item = _item_or_404(forum, item_id)
    # Back to where the organizer was: the timetable after a drag, the list after the form.
    back = url_for("agenda_manage.editor", slug=slug,
                   _anchor=f"tt-{item.id}" if request.form.get("from") == "timetable" else f"item-{item.id}")
    form = _move_form(forum)
    if not form.validate_on_submit():
        flash(_("Choose an area and a start time to move the item to."), "error")
        return redirect(back)
    area = db.session.get(Area, form.area_id.data)
    try:
        saved = service.move_item(item, _local(forum, form.day.data, form.start_time.data), area=area)
    except service.AgendaError as error:
        db.session.rollback()
        flash(_("Not moved: %(reason)s", reason=error_message(error, forum.timezone)), "error")
    else:
        db.session.commit()
        flash(_("Moved to %(time)s.", time=required(form.start_time.data).strftime("%H:%M")), "success")
        _flash_warnings(saved, forum)
    return redirect(back)


@bp.route("/<slug>/agenda/<int:item_id>/duplicate", methods=["POST"])
@roles_required("organizer")
def duplicate_item(slug: str, item_id: int):
    forum = forum_or_404(slug)
    item = _item_or_404(forum, item_id)
    try:
        saved = service.duplicate_item(item)
    except service.AgendaError as error:
        db.session.rollback()
        flash(_("No copy made: %(reason)s", reason=error_message(error, forum.timezone)), "error")
        return redirect(url_for("agenda_manage.editor", slug=slug, _anchor=f"item-{item.id}"))
    db.session.commit()
    flash(_("A copy is placed right after the original. Change what differs."), "success")
    _flash_warnings(saved, forum)
    return redirect(url_for("agenda_manage.edit_item", slug=slug, item_id=saved.item.id))


@bp.route("/<slug>/agenda/<int:item_id>/cancel", methods=["POST"])
@roles_required("organizer")
def cancel_item(slug: str, item_id: int):
    forum = forum_or_404(slug)
    item = _item_or_404(forum, item_id)
    service.cancel_item(item)
    db.session.commit()
    flash(_("Cancelled. It stays in calendars as cancelled, so subscribers see it."), "success")
    return redirect(url_for("agenda_manage.editor", slug=slug, _anchor="cancelled"))


@bp.route("/<slug>/agenda/<int:item_id>/restore", methods=["POST"])
@roles_required("organizer")
def restore_item(slug: str, item_id: int):
    forum = forum_or_404(slug)
    item = _item_or_404(forum, item_id)
    try:
        saved = service.restore_item(item)
    except service.AgendaError as error:
        db.session.rollback()
        flash(_("Not restored: %(reason)s", reason=error_message(error, forum.timezone)), "error")
    else:
        db.session.commit()
        flash(_("The item is back on the agenda."), "success")
        _flash_warnings(saved, forum)
    return redirect(url_for("agenda_manage.editor", slug=slug, _anchor=f"item-{item.id}"))


@bp.route("/<slug>/agenda/copy", methods=["GET", "POST"])
@roles_required("organizer")
def copy_agenda(slug: str):
    forum = forum_or_404(slug)
    form = CopyForm()
    others = db.session.scalars(sa.select(Forum).where(Forum.id != forum.id).order_by(Forum.starts_at.desc()))
    from forum.i18n import tr

    form.source_id.choices = [(f.id, f"{tr(f.title)} ({f.slug})") for f in others]
    report = None
    if form.validate_on_submit():
        source = db.session.get_one(Forum, form.source_id.data)  # one of the choices
        dry_run = not form.submit.data
        report = copying.copy_agenda(source, forum, dry_run=dry_run)
        if not dry_run:
            db.session.commit()
            flash(ngettext("%(num)s item copied.", "%(num)s items copied.", len(report.copied)), "success")
            if not report.skipped:
                return redirect(url_for("agenda_manage.editor", slug=slug))
    return render_template("agenda/manage_copy.html", forum=forum, form=form, report=report,
                           reasons=COPY_REASONS, kind_labels=KIND_LABELS)
