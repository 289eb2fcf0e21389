"""Organizer pages of a forum's webhooks: add a URL with its events, see its secret, switch
it off, and the deliveries with what each URL answered."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from forum.api import webhooks
from forum.api.models import EVENTS, Webhook, WebhookAnswer
from forum.auth.access import roles_required
from forum.events.lookup import forum_or_404
from forum.extensions import db
from forum.forms import BaseForm, MultiCheckboxField
from forum.messaging.models import Message
from forum.nav import register_forum_tab
from forum.pagination import paginate

bp = Blueprint("webhooks_manage", __name__, url_prefix="/manage")

register_forum_tab("webhooks_manage.webhooks_page", _l("Webhooks"), order=90)

EVENT_LABELS = {
    "registration.created": _l("A person is registered"),
    "registration.changed": _l("A registration or its person changes"),
    "checkin": _l("A badge is let in at a checkpoint"),
    "vacancy.approved": _l("A vacancy is approved"),
    "recommendation.changed": _l("A round-table recommendation is made or changes"),
}
STATUS_LABELS = {"queued": _l("Queued"), "sending": _l("Sending"), "sent": _l("Sent"), "failed": _l("Failed")}
ERRORS = {"bad_url": _l("Give an address that starts with https:// or http://, of at most 254 characters."),
          "no_events": _l("Choose at least one event.")}


class WebhookForm(BaseForm):
    url = StringField(_l("Address (URL) of the partner's program"), validators=[DataRequired(), Length(max=254)])
    events = MultiCheckboxField(_l("Send these events"), choices=[(e, EVENT_LABELS[e]) for e in EVENTS])
    submit = SubmitField(_l("Add the webhook"))


@bp.route("/<slug>/webhooks", methods=["GET", "POST"])
@roles_required("organizer")
def webhooks_page(slug: str):
    forum = forum_or_404(slug)
    form = WebhookForm()
    if form.validate_on_submit():
        try:
            webhooks.add_webhook(forum, form.url.data or "", form.events.data or [], user=current_user)
        except webhooks.WebhookError as error:
            target = form.events if error.code == "no_events" else form.url
            target.errors = [*target.errors, str(ERRORS[error.code])]
        else:
            db.session.commit()
            flash(_("The webhook is added. Give its secret to the partner: it checks each delivery's signature "
                    "with it."), "success")
            return redirect(url_for("webhooks_manage.webhooks_page", slug=slug))
    hooks = db.session.scalars(sa.select(Webhook).where(Webhook.forum_id == forum.id)
                               .order_by(Webhook.active.desc(), Webhook.id)).all()
    stmt = sa.select(Message).where(Message.forum_id == forum.id, Message.channel == "webhook")
    page = paginate(stmt.order_by(Message.created_at.desc(), Message.id.desc()), request.args.get("page"),
                    current_app.config["PAGE_SIZE"])
    answers: dict[int, list[WebhookAnswer]] = {}
    if page.items:
        for answer in db.session.scalars(sa.select(WebhookAnswer).where(
                WebhookAnswer.message_id.in_([m.id for m in page.items])).order_by(WebhookAnswer.id)):
            answers.setdefault(answer.message_id, []).append(answer)
    return render_template("api/webhooks.html", forum=forum, form=form, hooks=hooks, page=page, answers=answers,
                           event_labels=EVENT_LABELS, status_labels=STATUS_LABELS, signature_header=webhooks.SIGNATURE_HEADER)


@bp.route("/<slug>/webhooks/<int:webhook_id>/off", methods=["POST"])
@roles_required("organizer")
def switch_off(slug: str, webhook_id: int):
    forum = forum_or_404(slug)
    hook = db.session.scalar(sa.select(Webhook).options(selectinload(Webhook.forum))
                             .where(Webhook.id == webhook_id, Webhook.forum_id == forum.id))
    if hook is None:
        abort(404)
    hook.active = False
    db.session.commit()
    flash(_("The webhook is switched off: nothing more is sent to %(url)s.", url=hook.url), "success")
    return redirect(url_for("webhooks_manage.webhooks_page", slug=slug))
