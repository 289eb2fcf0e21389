"""The organizers' theatre tab: slots of each stage, the requests, assigning, moving and
swapping performances."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from forum import confirm
from forum.auth.access import roles_required
from forum.events.lookup import forum_or_404
from forum.extensions import db
from forum.forms import required
from forum.i18n import tr
from forum.nav import register_forum_tab
from forum.people.phones import display_phone
from forum.theatre import booking, service, slots
from forum.theatre.forms import (
    ERRORS,
    STATUS_LABELS,
    ActionForm,
    SlotChoiceForm,
    SlotsForm,
    SwapForm,
    error_message,
    parse_breaks,
)
from forum.theatre.routes import _slot_label

bp = Blueprint("theatre_manage", __name__)

register_forum_tab("theatre_manage.index", _l("Theatre"), roles=("organizer",), order=50)


def _slots_form(forum, formdata=None) -> SlotsForm:
    form = SlotsForm(formdata=formdata) if formdata is not None else SlotsForm()
    form.area_id.choices = [(a.id, tr(a.name)) for a in service.stages(forum)]
    return form


@bp.route("/manage/<slug>/theatre")
@roles_required("organizer")
def index(slug: str):
    forum = forum_or_404(slug)
    form = _slots_form(forum, formdata=None)
    if request.method == "GET" and not form.slot_minutes.data:
        form.slot_minutes.data, form.buffer_minutes.data = 30, 15
    return _index(forum, form)


def _index(forum, form, status: int = 200):
    return render_template("theatre/manage.html", forum=forum, form=form, slots=slots.all_slots(forum),
                           performances=service.performances(forum), status_labels=STATUS_LABELS,
                           action=ActionForm(), stages=service.stages(forum)), status


@bp.route("/manage/<slug>/theatre/slots", methods=["POST"])
@roles_required("organizer")
def generate(slug: str):
    forum = forum_or_404(slug)
    form = _slots_form(forum)
    breaks = parse_breaks(form.breaks.data or "")
    if breaks is None:
        form.breaks.errors = [_("Write breaks as 12:30-13:30, separated by commas.")]
    elif form.validate_on_submit():
        try:
            made = slots.generate(forum, slots.SlotPlan(
                area_id=form.area_id.data, start=required(form.start.data), end=required(form.end.data),
                slot_minutes=required(form.slot_minutes.data), buffer_minutes=required(form.buffer_minutes.data),
                breaks=breaks))
        except service.TheatreError as error:
            db.session.rollback()
            getattr(form, error.field, form.start).errors = [str(ERRORS[error.code])]
        else:
            db.session.commit()
            if made:
                flash(ngettext("%(num)d slot made.", "%(num)d slots made.", len(made)), "success")
            else:
                flash(_("No slot fits there: the time is taken by breaks, other items or slots."), "warning")
            return redirect(url_for("theatre_manage.index", slug=slug))
    return _index(forum, form, 400)


@bp.route("/manage/<slug>/theatre/slots/<int:slot_id>/delete", methods=["POST"])
@roles_required("organizer")
def delete_slot(slug: str, slot_id: int):
    forum = forum_or_404(slug)
    slot = slots.slot_of(forum, slot_id)
    if slot is None or not ActionForm().validate_on_submit():
        abort(404 if slot is None else 400)
    if not confirm.confirmed():
        return confirm.ask(forum, _("Remove the slot %(slot)s?", slot=_slot_label(forum, slot)), _("Remove"),
                           url_for("theatre_manage.index", slug=slug) + f"#slot-{slot.id}", danger=True)
    try:
        slots.delete_slot(slot)
        db.session.commit()
        flash(_("The slot is removed."), "success")
    except service.TheatreError as error:
        db.session.rollback()
        flash(error_message(error), "error")
    return redirect(url_for("theatre_manage.index", slug=slug))


def _performance_or_404(forum, performance_id: int):
    performance = service.performance_of(forum, performance_id)
    if performance is None:
        abort(404)
    return performance


def _detail_forms(forum, performance):
    choose = SlotChoiceForm(formdata=None)
    choose.slot_id.choices = [(s.id, _slot_label(forum, s)) for s in slots.free_slots(forum, performance)]
    swap = SwapForm(formdata=None)
    swap.other_id.choices = [(p.id, f"{_slot_label(forum, p.slot)} · {tr(p.title)} ({p.troupe})")
                             for p in service.performances(forum) if p.slot is not None and p.id != performance.id]
    return choose, swap


@bp.route("/manage/<slug>/theatre/<int:performance_id>")
@roles_required("organizer")
def detail(slug: str, performance_id: int):
    forum = forum_or_404(slug)
    performance = _performance_or_404(forum, performance_id)
    choose, swap = _detail_forms(forum, performance)
    return render_template("theatre/manage_detail.html", forum=forum, performance=performance, choose=choose,
                           swap=swap, action=ActionForm(), status_labels=STATUS_LABELS, display_phone=display_phone,
                           slot_label=lambda s: _slot_label(forum, s))


def _back(slug: str, performance_id: int):
    return redirect(url_for("theatre_manage.detail", slug=slug, performance_id=performance_id))


@bp.route("/manage/<slug>/theatre/<int:performance_id>/decide", methods=["POST"])
@roles_required("organizer")
def decide(slug: str, performance_id: int):
    forum = forum_or_404(slug)
    performance = _performance_or_404(forum, performance_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    service.decide(performance, approve=request.form.get("decision") == "approve")
    db.session.commit()
    flash(_("Saved. The troupe is told by SMS."), "success")
    return _back(slug, performance_id)


@bp.route("/manage/<slug>/theatre/<int:performance_id>/book", methods=["POST"])
@roles_required("organizer")
def book(slug: str, performance_id: int):
    forum = forum_or_404(slug)
    performance = _performance_or_404(forum, performance_id)
    form = SlotChoiceForm()
    slot = slots.slot_of(forum, _int(form.slot_id.raw_data[0]) if form.slot_id.raw_data else None)
    if not ActionForm().validate_on_submit() or slot is None:
        flash(str(ERRORS["bad_slot"]), "error")
        return _back(slug, performance_id)
    try:
        booking.book(performance, slot)
        db.session.commit()
        flash(_("Booked. The troupe is told by SMS; the agenda shows it."), "success")
    except service.TheatreError as error:
        db.session.rollback()
        flash(error_message(error), "error")
    return _back(slug, performance_id)


def _int(text: str) -> int | None:
    return int(text) if text and text.isdigit() else None


@bp.route("/manage/<slug>/theatre/<int:performance_id>/swap", methods=["POST"])
@roles_required("organizer")
def swap(slug: str, performance_id: int):
    forum = forum_or_404(slug)
    performance = _performance_or_404(forum, performance_id)
    other = service.performance_of(forum, _int(request.form.get("other_id", "")) or 0)
    if not ActionForm().validate_on_submit() or other is None:
        flash(str(ERRORS["swap_unbooked"]), "error")
        return _back(slug, performance_id)
    try:
        booking.swap(performance, other)
        db.session.commit()
        flash(_("Swapped. Both troupes are told by SMS."), "success")
    except service.TheatreError as error:
        db.session.rollback()
        flash(error_message(error), "error")
    return _back(slug, performance_id)


@bp.route("/manage/<slug>/theatre/<int:performance_id>/unbook", methods=["POST"])
@roles_required("organizer")
def unbook(slug: str, performance_id: int):
    forum = forum_or_404(slug)
    performance = _performance_or_404(forum, performance_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    booking.unbook(performance)
    db.session.commit()
    flash(_("The slot is free again. The troupe is told by SMS."), "success")
    return _back(slug, performance_id)
