"""The organizer's "Badges" tab: choose badges by category, organization or "not yet printed",
download them as one PDF, mark them printed, and reissue a lost badge in one click."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from forum import confirm
from forum.auth.access import roles_required
from forum.badges import codes, service
from forum.badges.models import BadgeCode
from forum.badges.pdf import SHEETS, render
from forum.badges.routes import pdf_response
from forum.db import writes_on_get
from forum.events.lookup import forum_or_404
from forum.extensions import db
from forum.nav import register_forum_tab
from forum.pagination import paginate
from forum.people import service as people_service
from forum.people.forms import CATEGORY_LABELS
from forum.people.models import CATEGORIES, Organization, Registration

bp = Blueprint("badges_manage", __name__, url_prefix="/manage")

register_forum_tab("badges_manage.badges", _l("Badges"), order=40)

SHEET_LABELS = {
    "a4": _l("A4 sheet, 4 badges (A6) with cut marks"),
    "labels": _l("A4 label sheet, 8 labels 99.1 × 67.7 mm"),
    "a6": _l("One A6 badge per page"),
}


def _filter_from(args) -> service.BadgeFilter:
    organization = args.get("organization", "")
    return service.BadgeFilter(
        categories=[c for c in args.getlist("category") if c in CATEGORIES],
        organization_id=int(organization) if organization.isdigit() else None,
        not_printed=args.get("not_printed") in ("1", "on", "y"),
    )


def _sheet_from(args) -> str:
    sheet = args.get("sheet", "a4")
    return sheet if sheet in SHEETS else "a4"


def _organizations(forum) -> list[Organization]:
    return people_service.organizations_at(forum)


@bp.route("/<slug>/badges")
@roles_required("organizer")
def badges(slug: str):
    forum = forum_or_404(slug)
    chosen = _filter_from(request.args)
    page = paginate(service.badge_query(forum, chosen), request.args.get("page"), current_app.config["PAGE_SIZE"])
    on_page = list(page.items)
    short_codes = dict(db.session.execute(sa.select(BadgeCode.registration_id, BadgeCode.code).where(
        BadgeCode.registration_id.in_([r.id for r in on_page]))).tuples().all()) if on_page else {}
    counts = dict(db.session.execute(
        sa.select(Registration.badge_printed_at.is_not(None), sa.func.count())
        .where(Registration.forum_id == forum.id, Registration.status.in_(service.PRINTABLE_STATUSES))
        .group_by(Registration.badge_printed_at.is_not(None))).tuples().all())
    return render_template(
        "badges/manage.html", forum=forum, page=page, registrations=on_page, chosen=chosen,
        sheet=_sheet_from(request.args), sheet_labels=SHEET_LABELS, category_labels=CATEGORY_LABELS,
        organizations=_organizations(forum), short_codes={k: codes.display(v) for k, v in short_codes.items()},
        printed=counts.get(True, 0), not_printed=counts.get(False, 0),
    )


@bp.route("/<slug>/badges.pdf")
@roles_required("organizer")
@writes_on_get  # may issue short codes for older registrations
def badges_pdf(slug: str):
    """Every badge the filter chooses, in one PDF."""
    forum = forum_or_404(slug)
    contents = service.badges_to_print(forum, _filter_from(request.args))  # drawn as read
    db.session.commit()  # short codes issued for registrations older than badges
    return pdf_response(render(contents, _sheet_from(request.args), title=f"{forum.slug} badges"),
                        f"badges-{forum.slug}.pdf")


def mark_printed_question(count: int) -> str:
    return ngettext("Mark %(num)s badge as printed?", "Mark %(num)s badges as printed?", count)


@bp.route("/<slug>/badges/printed", methods=["POST"])
@roles_required("organizer")
def mark_printed(slug: str):
    forum = forum_or_404(slug)
    chosen = _filter_from(request.form)
    if not confirm.confirmed():  # a bulk change of every badge the filter chose
        count = db.session.scalar(sa.select(sa.func.count()).select_from(
            service.badge_query(forum, chosen).order_by(None).subquery())) or 0
        return confirm.ask(forum, mark_printed_question(count), _("Mark as printed"),
                           url_for("badges_manage.badges", slug=slug, **chosen.as_args()))
    changed = service.mark_printed(service.registrations_to_print(forum, chosen))
    db.session.commit()
    flash(ngettext("%(num)s badge marked as printed.", "%(num)s badges marked as printed.", changed), "success")
    return redirect(url_for("badges_manage.badges", slug=slug, **chosen.as_args()))


def _registration_or_404(forum, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.forum_id != forum.id:
        abort(404)
    return registration


@bp.route("/<slug>/badges/<int:registration_id>.pdf")
@roles_required("organizer")
@writes_on_get  # may issue short codes for older registrations
def one_badge(slug: str, registration_id: int):
    """The same badge again (torn or smudged); for a lost badge use reissue."""
    forum = forum_or_404(slug)
    registration = _registration_or_404(forum, registration_id)
    contents = service.badges_for(forum, [registration])
    db.session.commit()
    return pdf_response(render(contents, _sheet_from(request.args), title=registration.person.full_name),
                        f"badge-{registration.id}.pdf")


@bp.route("/<slug>/badges/<int:registration_id>/reissue", methods=["POST"])
@roles_required("organizer")
def reissue(slug: str, registration_id: int):
    """A lost badge in one click: new secret and code (the old badge stops working now),
    marked printed, and the new badge's PDF downloaded."""
    forum = forum_or_404(slug)
    registration = _registration_or_404(forum, registration_id)
    if registration.status not in service.PRINTABLE_STATUSES:
        flash(_("This registration is declined or cancelled: it has no badge."), "error")
        return redirect(url_for("badges_manage.badges", slug=slug))
    service.reissue(registration, by=current_user)
    contents = service.badges_for(forum, [registration])
    service.mark_printed([registration])
    db.session.commit()
    return pdf_response(render(contents, "a6", title=registration.person.full_name), f"badge-{registration.id}.pdf")
