"""Organizer pages: the outbox of a forum (every message's fate) and retrying failed ones."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from forum.auth.access import roles_required
from forum.events.lookup import forum_or_404
from forum.extensions import db
from forum.messaging import outbox as outbox_service
from forum.messaging.models import CHANNELS, MESSAGE_STATUSES, Message
from forum.nav import register_forum_tab
from forum.pagination import paginate
from forum.people.models import Registration
from forum.urls import safe_next

bp = Blueprint("messaging_manage", __name__, url_prefix="/manage")

register_forum_tab("messaging_manage.outbox", _l("Messages"), order=65)

STATUS_LABELS = {"queued": _l("Queued"), "sending": _l("Sending"), "sent": _l("Sent"), "failed": _l("Failed")}
CHANNEL_LABELS = {"email": _l("Email"), "sms": _l("SMS")}
KIND_LABELS = {"invitation": _l("Invitation"), "update": _l("Update"), "cancel": _l("Cancellation"),
               "notice": _l("Notice")}


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
    stmt = (sa.select(Message).options(joinedload(Message.registration).joinedload(Registration.person))
            .where(Message.forum_id == forum.id))
    if status in MESSAGE_STATUSES:
        stmt = stmt.where(Message.status == status)
    if channel in CHANNELS:
        stmt = stmt.where(Message.channel == channel)
    page = paginate(stmt.order_by(Message.created_at.desc(), Message.id.desc()), request.args.get("page"),
                    current_app.config["PAGE_SIZE"])
    return render_template("messaging/outbox.html", forum=forum, page=page, counts=outbox_service.status_counts(forum),
                           status_labels=STATUS_LABELS, channel_labels=CHANNEL_LABELS, kind_labels=KIND_LABELS)


@bp.route("/<slug>/outbox/<int:message_id>")
@roles_required("organizer")
def message_detail(slug: str, message_id: int):
    forum = forum_or_404(slug)
    message = _message_or_404(forum, message_id)
    return render_template("messaging/message.html", forum=forum, message=message, status_labels=STATUS_LABELS,
                           channel_labels=CHANNEL_LABELS, kind_labels=KIND_LABELS)


@bp.route("/<slug>/outbox/<int:message_id>/retry", methods=["POST"])
@roles_required("organizer")
def retry_message(slug: str, message_id: int):
    forum = forum_or_404(slug)
    message = _message_or_404(forum, message_id)
    if outbox_service.retry(message):
        db.session.commit()
        flash(_("The message is queued again."), "success")
    else:
        flash(_("Only failed messages can be sent again."), "error")
    return redirect(safe_next(request.form.get("next")) or url_for("messaging_manage.outbox", slug=slug))


@bp.route("/<slug>/outbox/retry-failed", methods=["POST"])
@roles_required("organizer")
def retry_failed(slug: str):
    forum = forum_or_404(slug)
    failed = db.session.scalars(sa.select(Message).where(Message.forum_id == forum.id, Message.status == "failed"))
    count = sum(1 for message in failed if outbox_service.retry(message))
    db.session.commit()
    flash(_("%(count)s failed messages are queued again.", count=count), "success")
    return redirect(url_for("messaging_manage.outbox", slug=slug))
