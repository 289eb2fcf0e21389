"""GET /api/v1/forums/<slug>/vacancies: the public list of vetted vacancies as JSON.

Public like the /f/<slug>/jobs page and built by the same query: approved vacancies of
approved employers, open on the forum's local date. Nothing about job seekers is in it.
"""
from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from forum.api import openapi
from forum.api.body import ApiError
from forum.auth.access import json_error, public
from forum.db import translated
from forum.events.service import forum_by_slug
from forum.i18n import current_language
from forum.jobfair import service
from forum.jobfair.models import (
    CONTRACT_TYPES,
    CURRENCIES,
    EMPLOYER_KINDS,
    LOCATIONS,
    SECTORS,
    WORK_LANGUAGES,
    Vacancy,
)

bp = Blueprint("jobfair_api", __name__, url_prefix="/api/v1")
csrf_exempt = True  # read-only and cookie-free


def vacancy_json(vacancy: Vacancy, booth_label: str | None, language: str) -> dict:
    employer = vacancy.employer
    return {
        "id": vacancy.id,
        "title": translated(vacancy.title, language),
        "description": translated(vacancy.description, language),
        "requirements": translated(vacancy.requirements, language),
        "languages_written": sorted(vacancy.title),  # the languages the employer wrote it in
        "employer": {"name": employer.name, "kind": employer.kind, "sector": employer.sector, "city": employer.city},
        "location": {"kind": vacancy.location, "country": vacancy.country, "city": vacancy.city},
        "positions": vacancy.positions,
        "wage": {"min": vacancy.wage_min, "max": vacancy.wage_max, "currency": vacancy.currency, "per": "month"},
        "contract_type": vacancy.contract_type,
        "work_languages": list(vacancy.languages or []),
        "closes_on": vacancy.closes_on.isoformat(),
        "no_fee": vacancy.no_fee,
        "written_contract": vacancy.written_contract,
        "booth": booth_label,
    }


FILTER_CHOICES = {"location": LOCATIONS, "sector": SECTORS, "language": WORK_LANGUAGES, "currency": CURRENCIES}


def _filters() -> service.JobFilters:
    """The query's filters; a value outside the documented ones is refused (400 "invalid",
    naming the parameter) rather than ignored, which would answer with every vacancy."""
    values = {name: request.args.get(name, "") for name in FILTER_CHOICES}
    fields = {name: _("Choose one of: %(choices)s.", choices=", ".join(FILTER_CHOICES[name]))
              for name, value in values.items() if value and value not in FILTER_CHOICES[name]}
    wage = request.args.get("min_wage", "")
    if wage and not (wage.isdigit() and len(wage) < 10):
        fields["min_wage"] = _("A whole number of at least 0.")
    elif wage and not values["currency"]:
        fields["min_wage"] = _("Give the currency too (currency=…).")
    if fields:
        raise ApiError(400, "invalid", _("Some filters have values the API does not know."), fields=fields)
    return service.JobFilters(**values, min_wage=int(wage) if wage else None)


@bp.route("/forums/<slug>/vacancies")
@public
def vacancies(slug: str):
    forum = forum_by_slug(slug)
    if forum is None or not forum.is_public or "job_fair" not in (forum.activities or []):
        return json_error(404, "not_found", _("No such forum, or it has no job fair."))
    filters = _filters()
    language = current_language()
    booths = service.booths_by_employer(forum)
    items = [vacancy_json(v, booths[v.employer_id].label if v.employer_id in booths else None, language)
             for v in service.public_vacancies(forum, filters)]
    return jsonify({"forum": forum.slug, "language": language, "count": len(items), "vacancies": items})


openapi.add_schema("Vacancy", {
    "type": "object",
    "description": "A vacancy organizers approved, of an approved employer, open for applications.",
    "required": ["id", "title", "employer", "location", "positions", "wage", "contract_type", "closes_on"],
    "properties": {
        "id": {"type": "integer"},
        "title": {"type": "string", "description": "in the request's language when written in it, else another"},
        "description": {"type": "string"},
        "requirements": {"type": "string"},
        "languages_written": {"type": "array", "items": {"type": "string", "enum": ["ru", "tg", "en"]}},
        "employer": {"type": "object", "properties": {
            "name": {"type": "string"}, "kind": {"type": "string", "enum": list(EMPLOYER_KINDS)},
            "sector": {"type": "string", "enum": list(SECTORS)}, "city": {"type": "string"}}},
        "location": {"type": "object", "properties": {
            "kind": {"type": "string", "enum": list(LOCATIONS)},
            "country": {"type": "string", "description": "ISO 3166 code; TJ in Tajikistan"},
            "city": {"type": "string"}}},
        "positions": {"type": "integer", "minimum": 1},
        "wage": {"type": "object", "properties": {
            "min": {"type": "integer"}, "max": {"type": "integer"},
            "currency": {"type": "string", "enum": list(CURRENCIES)}, "per": {"type": "string", "enum": ["month"]}}},
        "contract_type": {"type": "string", "enum": list(CONTRACT_TYPES)},
        "work_languages": {"type": "array", "items": {"type": "string", "enum": list(WORK_LANGUAGES)}},
        "closes_on": {"type": "string", "format": "date"},
        "no_fee": {"type": "boolean", "description": "always true: the employer declared candidates pay nothing"},
        "written_contract": {"type": "boolean", "description": "always true: a written contract is offered"},
        "booth": {"type": "string", "nullable": True, "description": "the employer's booth at the fair"},
    },
})
openapi.add_schema("VacancyList", {
    "type": "object", "required": ["forum", "count", "vacancies"],
    "properties": {"forum": {"type": "string"}, "language": {"type": "string"}, "count": {"type": "integer"},
                   "vacancies": {"type": "array", "items": openapi.ref("Vacancy")}},
})


def _query(name: str, description: str, enum: list | None = None, kind: str = "string") -> dict:
    schema: dict[str, object] = {"type": kind}
    if enum:
        schema["enum"] = enum
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


openapi.add_operation("/forums/{slug}/vacancies", "get", {
    "operationId": "listVacancies",
    "summary": "Vetted vacancies of a forum's job fair", "tags": ["job fair"], "security": [],
    "description": "Public. Only vacancies organizers approved, of approved employers, not past their "
                   "closing date. Texts come in the language of Accept-Language (ru, tg, en). "
                   "No data about job seekers.",
    "parameters": [
        openapi.SLUG,
        _query("location", "work in Tajikistan or abroad", list(LOCATIONS)),
        _query("sector", "the employer's sector", list(SECTORS)),
        _query("language", "a language the work can be done in", list(WORK_LANGUAGES)),
        _query("currency", "with min_wage: the wage's currency", list(CURRENCIES)),
        _query("min_wage", "at least this much a month (needs currency)", kind="integer"),
    ],
    "responses": {"200": openapi.json_response("The open, approved vacancies.", "VacancyList"),
                  **openapi.BAD_QUERY, "404": openapi.ERRORS["404"]},
})
