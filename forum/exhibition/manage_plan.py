"""Organizer pages of the floor plan: the plan where a click on a stand opens its form (assign
a group, change, free, delete), a grid of stands in one step, stand types, stand signs (PDF)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from forum import confirm as confirmation
from forum.auth.access import roles_required
from forum.db import translated
from forum.events.lookup import forum_or_404
from forum.exhibition import catalogue, floorplan, pdf, plan, service
from forum.exhibition.forms import (
    STAND_STATUS_LABELS,
    STATE_LABELS,
    AssignForm,
    DeleteForm,
    GridForm,
    StandForm,
    TypeForm,
)
from forum.exhibition.routes import plan_labels
from forum.extensions import db
from forum.forms import required
from forum.i18n import current_language

bp = Blueprint("exhibition_plan", __name__, url_prefix="/manage")

ERRORS = {
    "not_approved": _l("Only approved groups of this forum can get a stand."),
    "blocked": _l("This stand is blocked. Change its state first."),
    "stand_taken": _l("Stand %(number)s is already given to «%(group)s». Free it first if you want to change that."),
    "group_has_stand": _l("«%(group)s» already has stand %(number)s. Free that stand first."),
    "busy": _l("Someone else changed the plan at the same moment. Please try again."),
    "number": _l("Give the stand a number."),
    "number_taken": _l("Another stand already has this number."),
    "state": _l("Choose a state from the list."),
    "geometry": _l("Width and depth must be above 0, positions from 0."),
    "outside": _l("The stand would be outside the area. Check its position and size."),
    "overlap": _l("The stand would overlap stand %(number)s."),
    "blocked_has_group": _l("A stand with a group cannot be blocked. Free it first."),
    "stand_has_group": _l("This stand has a group. Free it first, then delete it."),
    "type_missing": _l("Choose a stand type (make one first)."),
    "grid_size": _l("Rows and stands in a row: from 1 to 50."),
    "too_many_stands": _l("That would be more than %(max)s stands.", max=plan.MAX_STANDS),
    "type_name": _l("Give the type a name."),
    "type_size": _l("A stand is from 0.5 to 20 metres wide and deep."),
    "furniture": _l("Tables from 0 to 20, chairs from 0 to 50."),
    "type_exists": _l("A type with this name exists."),
    "type_used": _l("Stands of this type: %(number)s. Change them first."),
}
CHANGE_LABELS = {"number": _l("its number"), "place": _l("its place or size")}


def error_text(error: service.ExhibitionError) -> str:
    other: Any = error.other  # a stand's number, an application, a stand or an agenda item
    values: dict[str, object] = {"number": "", "group": ""}
    if isinstance(other, int):
        values["number"] = other
    elif hasattr(other, "group_name"):  # an application (the one that has the stand)
        values["group"] = other.group_name
        values["number"] = other.stand.number if other.stand is not None else ""
    elif hasattr(other, "number"):  # a stand
        values["number"] = other.number
        if other.application is not None:
            values["group"] = other.application.group_name
    return str(ERRORS.get(error.code, ERRORS["busy"])) % values


def shortfall_texts(stand, application) -> list[str]:
    """What the stand lacks of the group's request (plan.shortfalls), said in the page's language."""
    values = {"number": stand.number, "group": application.group_name}
    texts = {
        "power": lambda: _("«%(group)s» asked for electricity; stand %(number)s has no socket.", **values),
        "table": lambda: _("«%(group)s» asked for a table; stand %(number)s comes without one.", **values),
        "size": lambda: ngettext("Stand %(number)s has %(area)s m²: small for %(num)s member of «%(group)s».",
                                 "Stand %(number)s has %(area)s m²: small for %(num)s members of «%(group)s».",
                                 application.member_count, area=_area(stand), **values),
    }
    return [texts[code]() for code in plan.shortfalls(stand, application)]


def _area(stand) -> str:
    return format_decimal((stand.w * stand.h).normalize(), locale=current_language())


def _stand_form(forum, stand=None, formdata=None, prefix: str = "") -> StandForm:
    form = StandForm(obj=stand, formdata=formdata, prefix=prefix)
    form.type_id.choices = [(0, "—")] + [(t.id, t.name) for t in plan.types_of(forum)]
    if stand is not None and formdata is None:
        form.type_id.data = stand.type_id or 0
    return form


def _assign_form(forum, formdata=None) -> AssignForm:
    form = AssignForm(formdata=formdata)
    form.application_id.choices = [(0, "—")] + [(a.id, f"{a.group_name} ({catalogue.place_of(a, current_language())})")
                                                for a in plan.unplaced(forum)]
    return form


def _grid_form(forum, formdata=None) -> GridForm:
    form = GridForm(formdata=formdata, prefix="grid")
    form.type_id.choices = [(t.id, f"{t.name} ({t.width} × {t.depth} m)") for t in plan.types_of(forum)]
    if formdata is None:
        form.x.data, form.y.data, form.gap_x.data, form.gap_y.data = (Decimal("1"), Decimal("1"), Decimal("0"),
                                                                      Decimal("2"))
    return form


def _plan_page(forum, selected=None, stand_form=None, assign_form=None, grid_form=None, add_form=None,
               confirm=None, status: int = 200, warning=None):
    settings = service.settings_for(forum)
    stands = plan.stands_of(forum)
    labels = plan_labels()
    svg = floorplan.manage_view(
        stands, settings.plan_width, settings.plan_depth, labels,
        href=lambda s: url_for("exhibition_plan.plan_page", slug=forum.slug, stand=s.id) + "#stand-form",
        selected_id=selected.id if selected is not None else None, title=_("Plan of the exhibition"))
    counts = {key: 0 for key in STAND_STATUS_LABELS}
    for stand in stands:
        counts[stand.status] += 1
    return render_template(
        "exhibition/manage_plan.html", forum=forum, settings=settings, stands=stands, svg=svg, selected=selected,
        stand_form=stand_form or (_stand_form(forum, selected) if selected is not None else None),
        assign_form=assign_form or _assign_form(forum), grid_form=grid_form or _grid_form(forum),
        add_form=add_form or _stand_form(forum, prefix="new"), delete_form=DeleteForm(), confirm=confirm,
        status_labels=STAND_STATUS_LABELS, state_labels=STATE_LABELS, counts=counts,
        change_labels=CHANGE_LABELS, types=plan.types_of(forum), unplaced=plan.unplaced(forum), warning=warning,
        shortfalls=shortfall_texts(selected, selected.application) if selected is not None and selected.application
        else [],
    ), status


def _stand_or_404(forum, stand_id: int):
    return plan.stand_of(forum, stand_id) or abort(404)


def _to_plan(slug: str, stand=None):
    anchor = "#stand-form" if stand is not None else ""
    return redirect(url_for("exhibition_plan.plan_page", slug=slug, stand=stand.id if stand else None) + anchor)


@bp.route("/<slug>/exhibition/plan")
@roles_required("organizer")
def plan_page(slug: str):
    forum = forum_or_404(slug)
    selected = plan.stand_of(forum, request.args.get("stand", type=int) or 0)
    return _plan_page(forum, selected=selected)


@bp.route("/<slug>/exhibition/stands/<int:stand_id>/assign", methods=["POST"])
@roles_required("organizer")
def assign(slug: str, stand_id: int):
    forum = forum_or_404(slug)
    stand = _stand_or_404(forum, stand_id)
    form = _assign_form(forum, formdata=request.form)
    if not form.validate_on_submit():
        # A group placed meanwhile by someone else is no longer in the list: say so plainly.
        chosen = service.application_of(forum, request.form.get("application_id", type=int) or 0)
        if chosen is not None and chosen.stand is not None:
            flash(error_text(service.ExhibitionError("group_has_stand", other=chosen)), "error")
            return _to_plan(slug, stand)
        return _plan_page(forum, selected=stand, assign_form=form, status=400)
    application = service.application_of(forum, form.application_id.data) or abort(404)
    lacks = shortfall_texts(stand, application)
    if lacks and not confirmation.confirmed():  # said before it is done; the organizer may still give it
        return _plan_page(forum, selected=stand, assign_form=form, warning={"application": application,
                                                                            "texts": lacks})
    try:
        plan.assign(stand, application, current_user)
    except service.ExhibitionError as error:
        db.session.rollback()
        flash(error_text(error), "error")
    else:
        db.session.commit()
        flash(_("Stand %(number)s is given to «%(group)s».", number=stand.number, group=application.group_name),
              "success")
    return _to_plan(slug, stand)


@bp.route("/<slug>/exhibition/stands/<int:stand_id>/unassign", methods=["POST"])
@roles_required("organizer")
def unassign(slug: str, stand_id: int):
    forum = forum_or_404(slug)
    stand = _stand_or_404(forum, stand_id)
    if DeleteForm().validate_on_submit() and stand.application is not None:
        group = stand.application.group_name
        plan.unassign(stand)
        db.session.commit()
        flash(_("Stand %(number)s is free again; «%(group)s» has no stand now.", number=stand.number, group=group),
              "success")
    return _to_plan(slug, stand)


@bp.route("/<slug>/exhibition/stands/<int:stand_id>", methods=["POST"])
@roles_required("organizer")
def change(slug: str, stand_id: int):
    forum = forum_or_404(slug)
    stand = _stand_or_404(forum, stand_id)
    form = _stand_form(forum, formdata=request.form)
    if not form.validate_on_submit():
        return _plan_page(forum, selected=stand, stand_form=form, status=400)
    data = plan.StandData(number=form.number.data or "", x=form.x.data, y=form.y.data, w=form.w.data, h=form.h.data,
                          type_id=form.type_id.data or None, state=form.state.data, note=form.note.data or "")
    try:
        plan.change_stand(stand, data, confirm=form.confirm.data == "yes")
    except plan.ConfirmationNeeded as needed:
        db.session.rollback()
        form.confirm.data = "yes"
        return _plan_page(forum, selected=stand, stand_form=form, confirm=needed.changes, status=409)
    except service.ExhibitionError as error:
        db.session.rollback()
        target = getattr(form, error.field, None) or form.number
        target.errors = list(target.errors) + [error_text(error)]
        return _plan_page(forum, selected=stand, stand_form=form, status=400)
    db.session.commit()
    flash(_("Stand %(number)s is saved.", number=stand.number), "success")
    return _to_plan(slug, stand)


@bp.route("/<slug>/exhibition/stands/<int:stand_id>/delete", methods=["POST"])
@roles_required("organizer")
def delete(slug: str, stand_id: int):
    forum = forum_or_404(slug)
    stand = _stand_or_404(forum, stand_id)
    if not DeleteForm().validate_on_submit():
        return _to_plan(slug, stand)
    number = stand.number
    try:
        plan.delete_stand(stand)
    except service.ExhibitionError as error:
        db.session.rollback()
        flash(error_text(error), "error")
        return _to_plan(slug, stand)
    db.session.commit()
    flash(_("Stand %(number)s is deleted.", number=number), "success")
    return _to_plan(slug)


@bp.route("/<slug>/exhibition/stands", methods=["POST"])
@roles_required("organizer")
def add(slug: str):
    forum = forum_or_404(slug)
    form = _stand_form(forum, formdata=request.form, prefix="new")
    if form.validate_on_submit():
        data = plan.StandData(number=form.number.data or "", x=form.x.data, y=form.y.data, w=form.w.data,
                              h=form.h.data, type_id=form.type_id.data or None, state=form.state.data,
                              note=form.note.data or "")
        try:
            stand = plan.add_stand(forum, data)
        except service.ExhibitionError as error:
            db.session.rollback()
            target = getattr(form, error.field, None) or form.number
            target.errors = list(target.errors) + [error_text(error)]
        else:
            db.session.commit()
            flash(_("Stand %(number)s is added.", number=stand.number), "success")
            return _to_plan(slug, stand)
    return _plan_page(forum, add_form=form, status=400)


@bp.route("/<slug>/exhibition/stands/grid", methods=["POST"])
@roles_required("organizer")
def grid(slug: str):
    forum = forum_or_404(slug)
    form = _grid_form(forum, formdata=request.form)
    if form.validate_on_submit():
        data = plan.GridData(rows=required(form.rows.data), columns=required(form.columns.data), type_id=form.type_id.data,
                             x=form.x.data, y=form.y.data, gap_x=form.gap_x.data, gap_y=form.gap_y.data,
                             prefix=form.prefix.data or "", start=required(form.start.data))
        try:
            made = plan.make_grid(forum, data)
        except service.ExhibitionError as error:
            db.session.rollback()
            target = getattr(form, error.field, None) or form.rows
            target.errors = list(target.errors) + [error_text(error)]
        else:
            db.session.commit()
            flash(ngettext("%(num)s stand is added: %(first)s to %(last)s.", "%(num)s stands are added: %(first)s to %(last)s.",
                           len(made), first=made[0].number, last=made[-1].number), "success")
            return _to_plan(slug)
    return _plan_page(forum, grid_form=form, status=400)


@bp.route("/<slug>/exhibition/types", methods=["GET", "POST"])
@roles_required("organizer")
def types(slug: str):
    forum = forum_or_404(slug)
    editing = plan.type_of(forum, request.args.get("edit", type=int))
    form = TypeForm(obj=editing) if editing is not None else TypeForm()
    if form.validate_on_submit():
        data = plan.TypeData(name=form.name.data or "", width=form.width.data, depth=form.depth.data,
                             tables=required(form.tables.data), chairs=required(form.chairs.data), power=form.power.data)
        try:
            plan.save_type(forum, data, editing)
        except service.ExhibitionError as error:
            db.session.rollback()
            target = getattr(form, error.field, None) or form.name
            target.errors = list(target.errors) + [error_text(error)]
        else:
            db.session.commit()
            flash(_("The stand type «%(name)s» is saved.", name=form.name.data), "success")
            return redirect(url_for("exhibition_plan.types", slug=slug))
    return render_template("exhibition/manage_types.html", forum=forum, form=form, editing=editing,
                           types=plan.types_of(forum), delete_form=DeleteForm())


@bp.route("/<slug>/exhibition/types/<int:type_id>/delete", methods=["POST"])
@roles_required("organizer")
def delete_type(slug: str, type_id: int):
    forum = forum_or_404(slug)
    stand_type = plan.type_of(forum, type_id) or abort(404)
    if DeleteForm().validate_on_submit():
        try:
            plan.delete_type(stand_type)
        except service.ExhibitionError as error:
            db.session.rollback()
            flash(error_text(error), "error")
        else:
            db.session.commit()
            flash(_("The stand type is deleted."), "success")
    return redirect(url_for("exhibition_plan.types", slug=slug))


@bp.route("/<slug>/exhibition/signs.pdf")
@roles_required("organizer")
def signs(slug: str):
    """One A4 landscape sign per stand with a group (or only `?stand=<id>`)."""
    forum = forum_or_404(slug)
    lang = request.args["lang"] if request.args.get("lang") in ("ru", "tg", "en") else current_language()
    only = request.args.get("stand", type=int)
    from flask_babel import force_locale

    with force_locale(lang):
        header = f"{translated(forum.title, lang)} · {_('Exhibition')}"
        caption = _("Stand")
        made = []
        for stand in plan.stands_of(forum):
            application = stand.application
            if application is None or application.status != "approved" or (only and stand.id != only):
                continue
            products = [f"{p.name} — {_('%(price)s somoni', price=_price(p.price))}" for p in application.products]
            made.append(pdf.Sign(number=stand.number, group=application.group_name,
                                 place=catalogue.place_of(application, lang), products=products,
                                 header=header, caption=caption))
        body = pdf.render(made, title=_("Stand signs") if made else _("No stand has a group yet."))
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="stand-signs-{forum.slug}.pdf"'
    return response


def _price(value: Decimal) -> str:
    return f"{value:.2f}".replace(".00", "")

