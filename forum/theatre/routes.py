"""Public pages of the theatre: a troupe's request, the day's performances by stage, and the
troupe's panel on its private page /r/<token> (status, slot, free slots to pick)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from forum import ratelimits
from forum.auth.access import public
from forum.events.lookup import public_forum_or_404
from forum.extensions import db, limiter
from forum.forms import required
from forum.i18n import current_language
from forum.nav import register_public_link
from forum.people.personal import register_panel
from forum.people.phones import masked_phone
from forum.people.service import registration_by_token
from forum.theatre import booking, service, slots
from forum.theatre.forms import ERRORS, STATUS_LABELS, RequestForm, SlotChoiceForm, error_message
from forum.theatre.models import Performance

bp = Blueprint("theatre", __name__)

register_public_link("theatre.schedule", _l("Mobile theatre"), activity="theatre", order=40)


def theatre_forum_or_404(slug: str):
    forum = public_forum_or_404(slug)
    if not service.has_theatre(forum):
        abort(404)
    return forum


@bp.route("/f/<slug>/theatre")
@public
def schedule(slug: str):
    forum = theatre_forum_or_404(slug)
    stages = slots.schedule(forum)
    items = slots.agenda_items([p for _area, booked in stages for p in booked])
    return render_template("theatre/schedule.html", forum=forum, stages=stages, items=items,
                           lang=current_language(), open=service.accepts_requests(forum))


@bp.route("/f/<slug>/theatre/request", methods=["GET", "POST"])
@public  # accepted requests are limited per contact phone and per address (forum.ratelimits)
def request_slot(slug: str):
    forum = theatre_forum_or_404(slug)
    if not service.accepts_requests(forum):
        return render_template("theatre/closed.html", forum=forum), 403
    form = RequestForm()
    if form.validate_on_submit() and not ratelimits.held_back(ratelimits.THEATRE, form.contact_phone.data):
        data = service.RequestData(
            troupe_name=form.troupe_name.data or "", title=form.title.data, theme=form.theme.data,
            duration_minutes=required(form.duration_minutes.data), cast_size=required(form.cast_size.data),
            technical_needs=form.technical_needs.data or "", preferred_times=form.preferred_times.data or "",
            contact_name=form.contact_name.data or "", contact_phone=form.contact_phone.data or "", language=current_language(),
            cast=[(row.form.full_name.data or "", row.form.phone.data) for row in form.cast])
        try:
            service.request_slot(forum, data)
        except service.TheatreError as error:
            db.session.rollback()
            if error.code == "duplicate":
                return render_template("theatre/already.html", forum=forum, existing=error.other,
                                       status_labels=STATUS_LABELS), 409
            target = getattr(form, error.field, None) or form.troupe_name
            if error.field == "title":
                target = form.title.form.ru
            target.errors = list(target.errors) + [str(ERRORS.get(error.code, ERRORS["troupe_name"]))]
        else:
            ratelimits.count(ratelimits.THEATRE, form.contact_phone.data)
            # Always this page, the link only by SMS: going to the troupe's page when the contact
            # is new would tell a stranger, by the difference, that a number is registered.
            # Only the masked number is kept: the session cookie is signed, not encrypted.
            session["theatre_sent"] = masked_phone(data.contact_phone)
            return redirect(url_for("theatre.received", slug=forum.slug))
    return ratelimits.answer(render_template("theatre/request.html", forum=forum, form=form))


@bp.route("/f/<slug>/theatre/received")
@public
def received(slug: str):
    """After a request: the same page whether the contact phone is new or known (issue 16)."""
    forum = theatre_forum_or_404(slug)
    return render_template("theatre/received.html", forum=forum, shown=str(session.get("theatre_sent") or ""))


def theatre_panel(registration) -> Markup | None:
    """On /r/<token>: each request of this contact person, its slot, and free slots to pick."""
    found = service.performances_of(registration)
    if not found:
        return None
    choices = {}
    for performance in found:
        if performance.status == "approved" and performance.slot_id is None:
            form = SlotChoiceForm(prefix=f"p{performance.id}", formdata=None)
            form.slot_id.choices = [(s.id, _slot_label(registration.forum, s))
                                    for s in slots.free_slots(registration.forum, performance)]
            choices[performance.id] = form
    return Markup(render_template("theatre/panel.html", registration=registration, performances=found,
                                  choices=choices, status_labels=STATUS_LABELS))


register_panel("theatre", theatre_panel, order=45)


def _slot_label(forum, slot) -> str:
    from forum.i18n import local_time, tr

    return f"{local_time(slot.starts_at, forum.timezone, 'HH:mm')}–{local_time(slot.ends_at, forum.timezone, 'HH:mm')}" \
           f" · {tr(slot.area.name)}"


@bp.route("/r/<token>/theatre/<int:performance_id>/pick", methods=["POST"])
@limiter.limit("30 per hour")
@public  # access by the private token in the URL; unknown tokens get a plain 404
def pick(token: str, performance_id: int):
    registration = registration_by_token(token)
    performance = db.session.get(Performance, performance_id) if registration is not None else None
    if registration is None or performance is None or performance.registration_id != registration.id:
        abort(404)
    form = SlotChoiceForm(prefix=f"p{performance.id}")
    form.slot_id.choices = [(s.id, "") for s in slots.free_slots(registration.forum, performance)]
    slot = slots.slot_of(registration.forum, form.slot_id.data) if form.validate_on_submit() else None
    if slot is None:
        flash(str(ERRORS["slot_taken"]), "error")
    else:
        try:
            booking.pick(performance, slot)
            db.session.commit()
            flash(_("Your slot is booked. It is in the forum's agenda and in your calendar."), "success")
        except service.TheatreError as error:
            db.session.rollback()
            flash(error_message(error), "error")
    return redirect(url_for("people.personal", token=token) + "#theatre")
