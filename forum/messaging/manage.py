"""Organizer pages: the outbox of a forum (every message's fate, and what the SMS gateway
reported), sending failed ones again, and the one urgent SMS sent now."""
from __future__ import annotations

import secrets
from datetime import time

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext, ngettext
from sqlalchemy.orm import joinedload

from forum.auth.access import roles_required
from forum.events.lookup import forum_or_404
from forum.extensions import db
from forum.messaging import outbox as outbox_service
from forum.messaging import settings, urgent
from forum.messaging.forms import UrgentSmsForm
from forum.messaging.models import DELIVERY_STATES, MESSAGE_STATUSES, OUTBOX_CHANNELS, Message
from forum.nav import register_forum_tab
from forum.pagination import paginate
from forum.people.models import Registration
from forum.people.phones import display_phone
from forum.urls import safe_next

bp = Blueprint("messaging_manage", __name__, url_prefix="/manage")

register_forum_tab("messaging_manage.outbox", _l("Messages"), order=65)

STATUS_LABELS = {"queued": _l("Queued"), "sending": _l("Sending"), "sent": _l("Sent"), "failed": _l("Failed"),
                 "cancelled": lazy_pgettext("message", "Cancelled")}
CHANNEL_LABELS = {"email": _l("Email"), "sms": _l("SMS"), "webhook": _l("Webhook")}
KIND_LABELS = {"invitation": _l("Invitation"), "update": _l("Update"), "cancel": _l("Cancellation"),
               "notice": _l("Notice")}
DELIVERY_LABELS = {"unconfirmed": _l("Not confirmed"), "accepted": _l("Accepted by the operator"),
                   "buffered": _l("Waiting at the operator"), "delivered": _l("Delivered"),
                   "undelivered": _l("Not delivered")}
URGENT_ERRORS = {
    "not_of_forum": _l("Nobody registered for this forum has this phone number."),
    "no_recipient": _l("Give the phone number of a participant."),
    "no_phone": _l("This person has no phone number."),
    "empty": _l("Write the text of the SMS."),
    "too_long": _l("This text takes %(parts)s SMS parts; an urgent SMS may take at most %(max)s."),
}


def _labels() -> dict:
    return {"status_labels": STATUS_LABELS, "channel_labels": CHANNEL_LABELS, "kind_labels": KIND_LABELS,
            "delivery_labels": DELIVERY_LABELS, "can_retry": outbox_service.can_retry}


def _message_or_404(forum, message_id: int) -> Message:
    message = db.session.get(Message, message_id)
    if message is None or message.forum_id != forum.id:
        abort(404)
    return message


@bp.route("/<slug>/outbox")
@roles_required("organizer")
def outbox(slug: str):
    forum = forum_or_404(slug)
    status = request.args.get("status", "")
    channel = request.args.get("channel", "")
    delivery = request.args.get("delivery", "")
    stmt = (sa.select(Message).options(joinedload(Message.registration).joinedload(Registration.person))
            .where(Message.forum_id == forum.id))
    if status in MESSAGE_STATUSES:
        stmt = stmt.where(Message.status == status)
    if channel in OUTBOX_CHANNELS:
        stmt = stmt.where(Message.channel == channel)
    if delivery in DELIVERY_STATES:
        stmt = stmt.where(Message.delivery == delivery)
    page = paginate(stmt.order_by(Message.created_at.desc(), Message.id.desc()), request.args.get("page"),
                    current_app.config["PAGE_SIZE"])
    return render_template("messaging/outbox.html", forum=forum, page=page, counts=outbox_service.status_counts(forum),
                           delivery_counts=outbox_service.delivery_counts(forum), **_labels())


@bp.route("/<slug>/outbox/<int:message_id>")
@roles_required("organizer")
def message_detail(slug: str, message_id: int):
    """One message as the participant gets it: the text, the HTML, the calendar part, and the
    file it went to when no SMTP server is configured."""
    from forum.messaging.channels import mail_file

    forum = forum_or_404(slug)
    message = _message_or_404(forum, message_id)
    return render_template("messaging/message.html", forum=forum, message=message, saved_as=mail_file(current_app, message),
                           **_labels())


@bp.route("/<slug>/outbox/<int:message_id>/html")
@roles_required("organizer")
def message_html(slug: str, message_id: int):
    """The HTML part of an email, shown in a frame of the message page: sandboxed (no script,
    no form, nothing fetched), with the inline styles an email carries."""
    forum = forum_or_404(slug)
    message = _message_or_404(forum, message_id)
    html = (message.payload or {}).get("html")
    if not html:
        abort(404)
    response = current_app.response_class(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                                                   "frame-ancestors 'self'; sandbox")
    return response


@bp.route("/<slug>/outbox/<int:message_id>.eml")
@roles_required("organizer")
def message_eml(slug: str, message_id: int):
    """The email as a file a mail program opens (as sent now: its Date and DTSTAMP are now)."""
    from forum.messaging.channels import build_email

    forum = forum_or_404(slug)
    message = _message_or_404(forum, message_id)
    if message.channel != "email":
        abort(404)
    data = build_email(message, current_app.config["MAIL_FROM"]).as_bytes()
    return current_app.response_class(data, mimetype="message/rfc822", headers={
        "Content-Disposition": f'attachment; filename="message-{message.id:06d}.eml"'})


@bp.route("/<slug>/outbox/<int:message_id>/retry", methods=["POST"])
@roles_required("organizer")
def retry_message(slug: str, message_id: int):
    forum = forum_or_404(slug)
    message = _message_or_404(forum, message_id)
    if outbox_service.retry(message):
        db.session.commit()
        flash(_("The message is queued again."), "success")
    else:
        flash(_("Only failed messages, and SMS not delivered or not confirmed, can be sent again."), "error")
    return redirect(safe_next(request.form.get("next")) or url_for("messaging_manage.outbox", slug=slug))


@bp.route("/<slug>/outbox/retry-failed", methods=["POST"])
@roles_required("organizer")
def retry_failed(slug: str):
    forum = forum_or_404(slug)
    failed = db.session.scalars(sa.select(Message).where(Message.forum_id == forum.id, Message.status == "failed"))
    count = sum(1 for message in failed if outbox_service.retry(message))
    db.session.commit()
    flash(ngettext("%(num)s failed message is queued again.", "%(num)s failed messages are queued again.", count), "success")
    return redirect(url_for("messaging_manage.outbox", slug=slug))


@bp.route("/<slug>/outbox/urgent", methods=["GET", "POST"])
@roles_required("organizer")
def urgent_sms(slug: str):
    """Write, preview (with its SMS parts), confirm, queue: the outbox sends it at once."""
    forum = forum_or_404(slug)
    form = UrgentSmsForm()
    if request.method == "GET":
        form.registration_id.data = str(request.args.get("registration", type=int) or "")
        form.nonce.data = secrets.token_urlsafe(12)
    registration, parts = None, None
    valid = form.validate_on_submit()
    try:
        if form.registration_id.data or valid:
            registration = urgent.recipient(forum, registration_id=_int(form.registration_id.data),
                                            phone=form.phone.data)
            form.registration_id.data = str(registration.id)  # the confirmation sends to whom the preview showed
        if valid:
            parts = urgent.check_text(form.text.data or "")
    except urgent.UrgentError as error:
        target = form.text if error.code in ("empty", "too_long") else form.phone
        target.errors = [*target.errors, URGENT_ERRORS[error.code] % error.params]
        parts = None
    if valid and parts and form.send.data:
        if form.confirm.data:
            assert registration is not None  # valid: the preview found the recipient
            message = urgent.queue_urgent(forum, registration, form.text.data or "", form.nonce.data or "")
            db.session.commit()
            flash(_("The urgent SMS is queued first in the outbox: it goes out now, whatever the hour."), "success")
            return redirect(url_for("messaging_manage.message_detail", slug=slug, message_id=message.id))
        form.confirm.errors = [_("Tick the box to confirm that this SMS goes out now.")]
    start, end, _zone = settings.sms_hours(current_app.config)
    hours = f"{start:%H:%M}–{'24:00' if end == time.max else format(end, '%H:%M')}"
    return render_template("messaging/urgent.html", forum=forum, form=form, registration=registration, parts=parts,
                           hours=hours, display_phone=display_phone)


def _int(value) -> int | None:
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None
