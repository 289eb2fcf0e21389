"""Organizer pages for a forum's registrations: the list, adding people, changing a
registration, importing a file and exporting the list. Organizations and persons are in
`manage_orgs`."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from forum.auth.access import roles_required
from forum.events.lookup import forum_or_404
from forum.extensions import db
from forum.i18n import current_language
from forum.nav import register_forum_tab
from forum.pagination import paginate
from forum.people import arrivals, export, importer, service, vocabulary
from forum.people.forms import (
    CATEGORY_LABELS,
    STATUS_LABELS,
    ExistingPersonRegistrationForm,
    ImportForm,
    NewPersonRegistrationForm,
    RegistrationForm,
    error_message,
    place_choices,
)
from forum.people.import_report import ImportReport, Issue, describe
from forum.people.models import CATEGORIES, STATUSES, Person, Registration
from forum.people.sheets import MAX_BYTES, MAX_ROWS, SheetError, read_limited

bp = Blueprint("people_manage", __name__, url_prefix="/manage")

register_forum_tab("people_manage.registrations", _l("Registrations"), order=20)

FILTERS = ("q", "category", "status", "district", "organization", "missing")


def int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


def _filtered_query(forum):
    category, status = request.args.get("category", ""), request.args.get("status", "")
    return service.registrations_query(
        forum, q=request.args.get("q", ""),
        category=category if category in CATEGORIES else "",
        status=status if status in STATUSES else "",
        district_id=int_arg("district"), organization_id=int_arg("organization"),
        not_arrived_at=request.args.get("missing", ""),
    )


@bp.route("/<slug>/registrations")
@roles_required("organizer")
def registrations(slug: str):
    forum = forum_or_404(slug)
    page = paginate(_filtered_query(forum), request.args.get("page"), current_app.config["PAGE_SIZE"])
    filters = {k: v for k, v in request.args.items() if k in FILTERS and v}
    return render_template("people/manage_registrations.html", forum=forum, page=page, filters=filters,
                           districts=service.districts(), category_labels=CATEGORY_LABELS,
                           status_labels=STATUS_LABELS, places=arrivals.places(forum))


@bp.route("/<slug>/registrations/export")
@roles_required("organizer")
def export_registrations(slug: str):
    """The list as the filters show it, every page of it, as CSV or XLSX."""
    forum = forum_or_404(slug)
    kind = request.args.get("format", "csv")
    if kind not in ("csv", "xlsx"):
        abort(404)
    # Streamed from a column-only query (the first arrival a column of it): 50,000
    # registrations are never objects, nor their arrivals a dict, in memory.
    query = export.column_query(_filtered_query(forum), arrivals.first_arrival(forum))
    table = export.column_rows(db.session.execute(query), current_language(), forum.timezone)
    if kind == "xlsx":
        data = export.stream_xlsx(table, title=forum.slug)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        data, mimetype = export.stream_csv(table), "text/csv; charset=utf-8"
    data = stream_with_context(data)
    return Response(data, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{forum.slug}-registrations.{kind}"',
        "Cache-Control": "no-store",  # phone numbers: not for shared caches or the back button
    })


def _person_choices(form) -> None:
    place_choices(form, service.districts(), current_language())
    form.organization_id.choices = [(0, "—")] + [(o.id, o.name) for o in service.all_organizations()]


@bp.route("/<slug>/registrations/new", methods=["GET", "POST"])
@roles_required("organizer")
def new_registration(slug: str):
    """Register someone already in the list (found by a search), or a new person."""
    forum = forum_or_404(slug)
    existing = ExistingPersonRegistrationForm(prefix="existing")
    new = NewPersonRegistrationForm(prefix="new")
    _person_choices(new)
    chosen_id = str(existing.person_id.data if existing.submit.data else request.args.get("person", ""))
    chosen = db.session.get(Person, int(chosen_id)) if chosen_id.isdigit() else None
    taken = None
    if existing.submit.data and existing.validate_on_submit():
        if chosen is None:
            abort(404)
        try:
            service.register_person(forum, chosen, existing.category.data, existing.status.data)
        except service.RegistrationError:
            db.session.rollback()
            flash(_("%(name)s is already registered at this forum.", name=chosen.full_name), "error")
        else:
            db.session.commit()
            flash(_("%(name)s is registered.", name=chosen.full_name), "success")
            return redirect(url_for("people_manage.registrations", slug=slug))
    elif new.submit.data and new.validate_on_submit():
        try:
            person = service.save_person(service.PersonData(
                full_name=new.full_name.data or "", phone=new.phone.data, email=new.email.data or None,
                language=new.language.data, gender=new.gender.data or None, position=new.position.data or "",
                organization_id=new.organization_id.data or None, district_id=new.district_id.data or None,
                jamoat_id=new.jamoat_id.data or None))
            service.register_person(forum, person, new.category.data, new.status.data)
        except service.PeopleError as error:
            db.session.rollback()
            getattr(new, error.field).errors.append(error_message(error))
            taken = error.other if error.code == "phone_taken" else None
        else:
            db.session.commit()
            flash(_("%(name)s is registered.", name=person.full_name), "success")
            return redirect(url_for("people_manage.registrations", slug=slug))
    q = request.args.get("q", "").strip()
    matches = list(db.session.scalars(service.persons_query(q).limit(20))) if q else []
    registered = service.registered_person_ids(forum, [p.id for p in matches + ([chosen] if chosen else [])])
    if chosen is not None and not existing.submit.data:
        existing.person_id.data = str(chosen.id)
    return render_template("people/manage_registration_new.html", forum=forum, existing=existing, new=new,
                           chosen=chosen, matches=matches, registered=registered, q=q, taken=taken)


def _registration_or_404(forum, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.forum_id != forum.id:
        abort(404)
    return registration


@bp.route("/<slug>/registrations/<int:registration_id>", methods=["GET", "POST"])
@roles_required("organizer")
def edit_registration(slug: str, registration_id: int):
    """Change a registration's category or status (e.g. cancel it); secrets stay the same."""
    forum = forum_or_404(slug)
    registration = _registration_or_404(forum, registration_id)
    form = RegistrationForm(obj=registration)
    if form.validate_on_submit():
        service.change_registration(registration, form.category.data, form.status.data, form.notes.data or "")
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("people_manage.registrations", slug=slug))
    return render_template("people/manage_registration_form.html", forum=forum, registration=registration,
                           person=registration.person, form=form, status_labels=STATUS_LABELS)


@bp.route("/<slug>/registrations/import", methods=["GET", "POST"])
@roles_required("organizer")
def import_registrations(slug: str):
    """Upload a CSV or XLSX file: checked whole, then imported whole, or refused with a report. A
    checked file is kept on the server, so «Import» after «Check only» needs no second upload."""
    forum = forum_or_404(slug)
    form = ImportForm()
    report, kept, status = None, None, 200
    if form.validate_on_submit():
        upload = form.file.data
        try:
            data = read_limited(upload.stream) if upload else None
        except SheetError as error:
            report = ImportReport(errors=[Issue(None, error.code, error.params)])
        else:
            report, kept = importer.import_upload(
                forum, current_user.id, (upload.filename or "") if upload else "", data, form.kept.data or "",
                check_only=form.check.data, skip_existing=form.skip_existing.data, send_links=form.send_links.data)
        if report.imported:
            db.session.commit()
            flash(ngettext("%(num)s registration imported.", "%(num)s registrations imported.", report.registered), "success")
            if report.links_sent:
                flash(ngettext("%(num)s personal link is on its way.", "%(num)s personal links are on their way.",
                               report.links_sent), "success")
        else:
            db.session.rollback()
            status = 200 if report.ok else 422
    form.kept.data = kept.token if kept else ""
    return render_template("people/manage_import.html", forum=forum, form=form, report=report, kept=kept,
                           describe=describe, headers=vocabulary.HEADERS, required=vocabulary.REQUIRED,
                           max_mb=MAX_BYTES // (1024 * 1024), max_rows=MAX_ROWS), status
