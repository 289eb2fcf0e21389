"""The organizer writes to any group of the forum's people: choose the group (not arrived, a
category, an organization, round-table invitees, exhibitors, a status), write the text per
language, preview it as each language gets it, confirm, queue; the batches sent, cancellable
while queued. The logic is in messaging.groups."""
from __future__ import annotations

import secrets

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext, ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from forum.auth.access import roles_required
from forum.events.lookup import forum_or_404
from forum.extensions import db
from forum.forms import required
from forum.messaging import groups
from forum.messaging.forms import GROUP_CHANNEL_CHOICES, group_message_form
from forum.messaging.manage import STATUS_LABELS
from forum.pagination import paginate

bp = Blueprint("messaging_groups", __name__, url_prefix="/manage")

ERRORS = {
    "empty": _l("Write the text in at least one language."),
    "channels": _l("Choose how to send."),
    "too_long": _l("The text in %(language)s takes %(parts)s SMS parts; a message may take at most %(max)s."),
    "too_long_text": _l("The text in %(language)s is longer than %(max)s characters."),
}
STATE_LABELS = {"queued": _l("Queued"), "cancelled": lazy_pgettext("message", "Cancelled"),
                "done": lazy_pgettext("message", "Done")}


def _error(error: groups.GroupMessageError) -> str:
    from forum.i18n import LANGUAGE_NAMES

    params = dict(error.params)
    if "language" in params:
        params["language"] = LANGUAGE_NAMES.get(params["language"], params["language"])
    return str(ERRORS[error.code]) % params


@bp.route("/<slug>/messages/groups")
@roles_required("organizer")
def batches(slug: str):
    forum = forum_or_404(slug)
    page = paginate(groups.batches(forum), request.args.get("page"), current_app.config["PAGE_SIZE"])
    counts = groups.status_counts([batch.id for batch in page.items])
    rows = [{"batch": batch, "counts": counts[batch.id], "state": groups.state(batch, counts[batch.id]),
             "filters": groups.describe(forum, batch.filters)} for batch in page.items]
    return render_template("messaging/groups.html", forum=forum, page=page, rows=rows, state_labels=STATE_LABELS,
                           status_labels=STATUS_LABELS, channel_modes=dict(GROUP_CHANNEL_CHOICES))


@bp.route("/<slug>/messages/groups/new", methods=["GET", "POST"])
@roles_required("organizer")
def compose(slug: str):
    """Write, preview (per language: the text, its SMS parts, how many get it), confirm, queue."""
    forum = forum_or_404(slug)
    form = group_message_form(groups.all_groups(), forum)
    if request.method == "GET":
        form.nonce.data = secrets.token_urlsafe(12)
        for name, key in form.filter_names:  # a link may name the group, e.g. ?not_arrived=any from the board
            getattr(form, name).data = request.args.get(key, "")
    filters = groups.clean_filters({key: getattr(form, name).data for name, key in form.filter_names})
    plan, parts = None, None
    if form.validate_on_submit():
        try:
            parts = groups.check(form.texts, form.channels.data or "")
        except groups.GroupMessageError as error:
            form.text_ru.errors = [*form.text_ru.errors, _error(error)]
        else:
            plan = groups.plan(forum, filters, form.texts, required(form.channels.data))
            if form.send.data and not plan.reached:
                form.confirm.errors = [_("Nobody in this group can be reached this way.")]
            elif form.send.data and not form.confirm.data:
                form.confirm.errors = [_("Tick the box to confirm that the message goes to everyone shown.")]
            elif form.send.data:
                return _send(forum, filters, form)
    return render_template("messaging/group_compose.html", forum=forum, form=form, plan=plan, parts=parts,
                           filters=groups.describe(forum, filters))


def _send(forum, filters: dict[str, str], form):
    nonce = required(form.nonce.data)
    try:
        batch, new = groups.send(forum, filters, form.texts, required(form.channels.data), nonce, user=current_user)
        db.session.commit()
    except IntegrityError:  # the same form submitted twice at once: the other request queued it
        db.session.rollback()
        batch, new = groups.send(forum, filters, form.texts, required(form.channels.data), nonce)[0], False
    if new:
        flash(ngettext("Queued in the outbox for %(num)s person.", "Queued in the outbox for %(num)s people.",
                       batch.recipients), "success")
    else:
        flash(_("This message was already queued; nothing was sent twice."), "info")
    return redirect(url_for("messaging_groups.batches", slug=forum.slug, _anchor=f"batch-{batch.id}"))


@bp.route("/<slug>/messages/groups/<int:batch_id>/cancel", methods=["POST"])
@roles_required("organizer")
def cancel(slug: str, batch_id: int):
    forum = forum_or_404(slug)
    batch = groups.batch_of(forum, batch_id)
    if batch is None:
        abort(404)
    cancelled = groups.cancel(batch, user=current_user)
    db.session.commit()
    if cancelled:
        flash(ngettext("%(num)s queued message cancelled; those already sent stay sent.",
                       "%(num)s queued messages cancelled; those already sent stay sent.", cancelled), "success")
    else:
        flash(_("Nothing of this message was still queued."), "info")
    return redirect(url_for("messaging_groups.batches", slug=slug, _anchor=f"batch-{batch.id}"))
