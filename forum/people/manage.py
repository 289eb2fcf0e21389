"""Organizer pages for people: organizations, persons and a forum's registrations."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_babel import lazy_gettext as _l

from forum.auth.access import roles_required
from forum.events.lookup import forum_or_404
from forum.nav import register_forum_tab
from forum.pagination import paginate
from forum.people import service
from forum.people.forms import CATEGORY_LABELS, KIND_LABELS, STATUS_LABELS
from forum.people.models import CATEGORIES, STATUSES

bp = Blueprint("people_manage", __name__, url_prefix="/manage")

register_forum_tab("people_manage.registrations", _l("Registrations"), order=20)


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


@bp.route("/<slug>/registrations")
@roles_required("organizer")
def registrations(slug: str):
    forum = forum_or_404(slug)
    category = request.args.get("category", "")
    status = request.args.get("status", "")
    stmt = service.registrations_query(
        forum, q=request.args.get("q", ""),
        category=category if category in CATEGORIES else "",
        status=status if status in STATUSES else "",
        district_id=_int_arg("district"), organization_id=_int_arg("organization"),
    )
    page = paginate(stmt, request.args.get("page"), current_app.config["PAGE_SIZE"])
    return render_template("people/manage_registrations.html", forum=forum, page=page,
                           districts=service.districts(), category_labels=CATEGORY_LABELS,
                           status_labels=STATUS_LABELS)


@bp.route("/organizations")
@roles_required("organizer")
def organizations():
    import sqlalchemy as sa

    from forum.extensions import db
    from forum.people.models import Organization

    stmt = sa.select(Organization).order_by(Organization.kind, Organization.name)
    page = paginate(stmt, request.args.get("page"), current_app.config["PAGE_SIZE"])
    return render_template("people/manage_organizations.html", page=page, kind_labels=KIND_LABELS, db=db)
