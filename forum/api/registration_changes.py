"""POST and PATCH of registrations by partners' systems, by the import's rules: the same
checks of each value (forum.people.import_check.check_row), the same finding of a known person
by phone, the same refusal of a person registered twice. Bad values are one 400 naming each
field; a duplicate or a phone that belongs to someone else is a 409."""
from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from forum.api import openapi
from forum.api.body import ApiError, json_object
from forum.api.registrations import registrations_json
from forum.api.routes import bp
from forum.api.scope import READ_ROLES, WRITE_ROLES
from forum.auth.access import api_roles_required
from forum.db import utcnow
from forum.events.lookup import forum_or_404
from forum.extensions import db
from forum.people import importer, service
from forum.people.import_check import check_row
from forum.people.import_report import MESSAGES, Issue
from forum.people.models import ORGANIZATION_KINDS, Person, Registration
from forum.people.vocabulary import HEADERS, Vocabulary

FIELDS = tuple(HEADERS)  # the columns of an import file are the fields of a registration
# Which field each of the importer's findings is about.
ISSUE_FIELDS = {
    "missing_name": "full_name", "bad_phone": "phone", "bad_email": "email", "bad_language": "language",
    "bad_gender": "gender", "bad_kind": "organization_kind", "ambiguous_organization": "organization",
    "bad_district": "district", "bad_jamoat": "jamoat", "jamoat_not_in_district": "jamoat",
    "ambiguous_jamoat": "jamoat", "missing_category": "category", "bad_category": "category",
    "bad_status": "status", "new_organization_kind": "organization_kind",
}


def _cells(data: dict, current: dict[str, str] | None = None) -> tuple[dict[str, str], bool | None]:
    """The body as an import row (column: text) over the `current` values, and the consent
    given (None: not said). Unknown fields and values that are not text are refused."""
    fields = {}
    cells = dict(current or {key: "" for key in FIELDS})
    for name, value in data.items():
        if name == "consent":
            if not isinstance(value, bool):
                fields[name] = _("true or false.")
        elif name not in FIELDS:
            fields[name] = _("Unknown field.")
        elif value is not None and not isinstance(value, str):
            fields[name] = _("Required, as a text string.")
        else:
            cells[name] = (value or "").strip()
    if fields:
        raise ApiError(400, "invalid", _("Some fields are missing or wrong."), fields=fields)
    consent = data.get("consent")
    return cells, consent if isinstance(consent, bool) else None


def _refusal(issues: list[Issue]) -> ApiError:
    for issue in issues:
        if issue.code == "already_registered":
            return ApiError(409, "duplicate", str(MESSAGES[issue.code] % issue.params))
        if issue.code == "conflict":
            return ApiError(409, "conflict", str(MESSAGES[issue.code]))
    fields: dict[str, str] = {}
    for issue in issues:
        name = issue.params.get("column") if issue.code in ("too_long", "missing_column") else ISSUE_FIELDS.get(issue.code)
        fields.setdefault(name or "body", str(MESSAGES[issue.code] % issue.params))
    return ApiError(400, "invalid", _("Some fields are missing or wrong."), fields=fields)


def _answer(registration: Registration, status: int = 200, notes: list[str] | None = None):
    db.session.refresh(registration)
    body = registrations_json(registration.forum_id, [registration])[0]
    if notes:
        body["notes"] = notes
    response = jsonify(body)
    response.status_code = status
    return response


@bp.route("/forums/<slug>/registrations", methods=["POST"])
@api_roles_required(*WRITE_ROLES)
def create_registration(slug: str):
    forum = forum_or_404(slug)
    cells, consent = _cells(json_object())
    report = importer.register_one(forum, cells)
    if report.errors:
        db.session.rollback()
        raise _refusal(report.errors)
    registration = report.created[0]
    if consent:
        registration.consent_at = utcnow()
    db.session.commit()
    notes = [str(MESSAGES[n.code] % n.params) for n in report.notes]
    response = _answer(registration, 201, notes)
    response.headers["Location"] = url_for("api.get_registration", slug=slug, registration_id=registration.id)
    return response


def _registration_or_404(forum, registration_id: int) -> Registration:
    registration = db.session.scalar(
        sa.select(Registration).where(Registration.id == registration_id, Registration.forum_id == forum.id)
        .options(joinedload(Registration.person).joinedload(Person.organization)))
    if registration is None:
        raise ApiError(404, "not_found", _("No such registration at this forum."))
    return registration


@bp.route("/forums/<slug>/registrations/<int:registration_id>")
@api_roles_required(*READ_ROLES)
def get_registration(slug: str, registration_id: int):
    return _answer(_registration_or_404(forum_or_404(slug), registration_id))


def _current(registration: Registration) -> dict[str, str]:
    person, org = registration.person, registration.person.organization
    return {"full_name": person.full_name, "phone": person.phone or "", "email": person.email or "",
            "language": person.language, "gender": person.gender or "",
            "organization": org.name if org else "", "organization_kind": org.kind if org else "",
            "district": person.district.key if person.district else "",
            "jamoat": person.jamoat.key if person.jamoat else "",
            "category": registration.category, "status": registration.status}


@bp.route("/forums/<slug>/registrations/<int:registration_id>", methods=["PATCH"])
@api_roles_required(*WRITE_ROLES)
def change_registration(slug: str, registration_id: int):
    registration = _registration_or_404(forum_or_404(slug), registration_id)
    cells, consent = _cells(json_object(), _current(registration))
    row, issues = check_row(1, cells, Vocabulary())
    if issues:
        raise _refusal(issues)
    person = registration.person
    org = row.organization
    if row.new_organization and not row.new_organization[1]:  # as an import: a new organization's kind is never guessed
        raise _refusal([Issue(1, "new_organization_kind", {
            "value": row.new_organization[0], "kinds": ", ".join(ORGANIZATION_KINDS)})])
    if row.new_organization:
        org = service.find_or_create_organization(row.new_organization[0], row.new_organization[1] or "",
                                                  row.district_id, row.jamoat_id)
        db.session.flush()
    try:
        service.save_person(service.PersonData(
            full_name=row.full_name, phone=row.phone, email=row.email, language=row.language, gender=row.gender,
            position=person.position, organization_id=org.id if org else None, district_id=row.district_id,
            jamoat_id=row.jamoat_id), person)
    except service.PeopleError as error:
        db.session.rollback()
        other = error.other.full_name if isinstance(error.other, Person) else ""
        raise ApiError(409, "phone_taken", _("This phone number belongs to %(name)s, who is already in the list "
                                             "of people.", name=other) if other else
                       _("This phone number belongs to someone else in the list of people.")) from None
    service.change_registration(registration, row.category, row.status, registration.notes)
    if consent is not None:
        registration.consent_at = (registration.consent_at or utcnow()) if consent else None
    db.session.commit()
    return _answer(registration)


_text = {"type": "string"}
openapi.add_schema("RegistrationInput", {
    "type": "object", "additionalProperties": False,
    "description": "The columns of an import file, with the same words: codes (shg_member) or labels in "
                   "Russian, Tajik or English; districts and jamoats by key or name. A known phone is the "
                   "known person (completed, never overwritten).",
    "properties": {
        "full_name": {"type": "string", "maxLength": 200}, "phone": {**_text, "description": "any usual form"},
        "email": _text, "language": {**_text, "description": "ru, tg or en"}, "gender": {**_text, "description": "f or m"},
        "organization": {"type": "string", "maxLength": 300}, "organization_kind": _text,
        "district": _text, "jamoat": _text, "category": _text, "status": _text,
        "consent": {"type": "boolean", "description": "the person agreed to the use of their data"},
    },
})
openapi.add_schema("RegistrationCreate", {"allOf": [openapi.ref("RegistrationInput"),
                                                    {"type": "object", "required": ["full_name", "category"]}],
                                          "example": {"full_name": "Каримова Мавлуда", "phone": "92 770 18 06",
                                                      "organization": "ГВП «Бахор»", "district": "isfara",
                                                      "category": "shg_member", "consent": True}})
_registration_path = [openapi.SLUG, {"name": "registration_id", "in": "path", "required": True,
                                     "schema": {"type": "integer"}}]
_written = {**openapi.INVALID, **openapi.ERRORS,
            "409": openapi.error("409", "Already registered at this forum (code duplicate), or the phone "
                                        "belongs to someone else (phone_taken).")}
openapi.add_operation("/forums/{slug}/registrations", "post", {
    "operationId": "createRegistration", "summary": "Register a person", "tags": ["registrations"],
    "security": openapi.BEARER, "description": "By the import's rules. Role: organizer.",
    "parameters": [openapi.SLUG],
    "requestBody": openapi.json_body("RegistrationCreate"),
    "responses": {"201": openapi.json_response("The new registration; notes say what is worth knowing.",
                                               "Registration"), **_written},
})
openapi.add_operation("/forums/{slug}/registrations/{registration_id}", "get", {
    "operationId": "getRegistration", "summary": "One registration", "tags": ["registrations"],
    "security": openapi.BEARER, "description": "Roles: staff, organizer.",
    "parameters": _registration_path,
    "responses": {"200": openapi.json_response("The registration.", "Registration"), **openapi.ERRORS},
})
openapi.add_operation("/forums/{slug}/registrations/{registration_id}", "patch", {
    "operationId": "updateRegistration", "summary": "Change a registration and its person", "tags": ["registrations"],
    "security": openapi.BEARER, "description": "Only the fields sent change, checked as in an import. Role: organizer.",
    "parameters": _registration_path,
    "requestBody": openapi.json_body("RegistrationInput"),
    "responses": {"200": openapi.json_response("The registration as changed.", "Registration"), **_written},
})
