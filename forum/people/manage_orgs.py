"""Organizer pages for the people kept across forums: organizations and persons."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from forum.auth.access import roles_required
from forum.extensions import db
from forum.i18n import current_language
from forum.pagination import paginate
from forum.people import service
from forum.people.forms import (
    CATEGORY_LABELS,
    KIND_LABELS,
    STATUS_LABELS,
    OrganizationForm,
    PersonForm,
    error_message,
    place_choices,
)
from forum.people.manage import int_arg
from forum.people.models import LANGUAGES, ORGANIZATION_KINDS, Organization, Person
from forum.people.phones import display_phone

bp = Blueprint("people_directory", __name__, url_prefix="/manage")


def _page(stmt):
    return paginate(stmt, request.args.get("page"), current_app.config["PAGE_SIZE"])


# --- organizations -------------------------------------------------------------------------------

@bp.route("/organizations")
@roles_required("organizer")
def organizations():
    kind = request.args.get("kind", "")
    page = _page(service.organizations_query(request.args.get("q", ""),
                                             kind if kind in ORGANIZATION_KINDS else "", int_arg("district")))
    return render_template("people/manage_organizations.html", page=page, kind_labels=KIND_LABELS,
                           districts=service.districts(), members=service.member_counts([o.id for o in page.items]),
                           display_phone=display_phone)


def _organization_form(org: Organization | None):
    form = OrganizationForm(obj=org if request.method == "GET" else None)
    place_choices(form, service.districts(), current_language())
    if request.method == "GET" and org is not None:
        form.district_id.data, form.jamoat_id.data = org.district_id or 0, org.jamoat_id or 0
        form.phone.data = display_phone(org.phone)
        for code in LANGUAGES:
            getattr(form.names.form, code).data = (org.names or {}).get(code, "")
        form.aliases.data = "\n".join(org.aliases or [])
    if form.validate_on_submit():
        try:
            org = service.save_organization(service.OrganizationData(
                name=form.name.data or "", kind=form.kind.data, short_name=form.short_name.data or "",
                district_id=form.district_id.data or None, jamoat_id=form.jamoat_id.data or None,
                contact_person=form.contact_person.data or "", phone=form.phone.data, email=form.email.data or None,
                website=form.website.data or "", notes=form.notes.data or "",
                names={code: getattr(form.names.form, code).data or "" for code in LANGUAGES},
                aliases=(form.aliases.data or "").splitlines()), org)
        except service.PeopleError as error:
            db.session.rollback()
            _field(form, error.field).errors.append(error_message(error))
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("people_directory.organizations", q=org.name))
    return render_template("people/manage_organization_form.html", form=form, org=org)


def _field(form, name: str):
    """The form field a service error names; "names-en" is the English one of the names."""
    if name.startswith("names-"):
        return getattr(form.names.form, name.removeprefix("names-"))
    return getattr(form, name)


@bp.route("/organizations/new", methods=["GET", "POST"])
@roles_required("organizer")
def new_organization():
    return _organization_form(None)


@bp.route("/organizations/<int:org_id>", methods=["GET", "POST"])
@roles_required("organizer")
def edit_organization(org_id: int):
    org = db.session.get(Organization, org_id) or abort(404)
    return _organization_form(org)


# --- persons -------------------------------------------------------------------------------------

@bp.route("/persons")
@roles_required("organizer")
def persons():
    organization_id = int_arg("organization")
    page = _page(service.persons_query(request.args.get("q", ""), organization_id, int_arg("district")))
    return render_template("people/manage_persons.html", page=page, districts=service.districts(),
                           organization=db.session.get(Organization, organization_id) if organization_id else None,
                           display_phone=display_phone)


def _person_form(person: Person | None):
    form = PersonForm(obj=person if request.method == "GET" else None)
    place_choices(form, service.districts(), current_language())
    form.organization_id.choices = [(0, "—")] + [(o.id, o.name) for o in service.all_organizations()]
    if request.method == "GET" and person is not None:
        form.organization_id.data = person.organization_id or 0
        form.district_id.data, form.jamoat_id.data = person.district_id or 0, person.jamoat_id or 0
        form.phone.data, form.gender.data = display_phone(person.phone), person.gender or ""
    elif request.method == "GET" and int_arg("organization"):
        form.organization_id.data = int_arg("organization")
    if form.validate_on_submit():
        try:
            person = service.save_person(service.PersonData(
                full_name=form.full_name.data or "", phone=form.phone.data, email=form.email.data or None,
                language=form.language.data, gender=form.gender.data or None, position=form.position.data or "",
                organization_id=form.organization_id.data or None, district_id=form.district_id.data or None,
                jamoat_id=form.jamoat_id.data or None), person, contact_seen=form.contact_seen.data)
        except service.PeopleError as error:
            db.session.rollback()
            taken = error.other if error.code == "phone_taken" else None
            change = error.other if isinstance(error.other, service.ContactChange) else None
            if change is not None:
                form.contact_seen.data = change.key
            else:
                getattr(form, error.field).errors.append(error_message(error))
            return render_template("people/manage_person_form.html", form=form, person=person, taken=taken,
                                   change=change, display_phone=display_phone,
                                   category_labels=CATEGORY_LABELS, status_labels=STATUS_LABELS)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("people_directory.persons", q=person.full_name))
    return render_template("people/manage_person_form.html", form=form, person=person, taken=None,
                           category_labels=CATEGORY_LABELS, status_labels=STATUS_LABELS)


@bp.route("/persons/new", methods=["GET", "POST"])
@roles_required("organizer")
def new_person():
    return _person_form(None)


@bp.route("/persons/<int:person_id>", methods=["GET", "POST"])
@roles_required("organizer")
def edit_person(person_id: int):
    person = db.session.get(Person, person_id) or abort(404)
    return _person_form(person)
