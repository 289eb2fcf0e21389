"""Organizer pages: choose whom to invite, preview in each language, queue; see the answers
and record answers people give by phone."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from forum.auth.access import roles_required
from forum.events.lookup import forum_or_404
from forum.extensions import db
from forum.messaging import invitations
from forum.messaging.forms import InvitationForm, PhoneAnswerForm
from forum.nav import register_forum_tab
from forum.people import service as people_service
from forum.people.forms import CATEGORY_LABELS, STATUS_LABELS
from forum.people.service import districts

bp = Blueprint("invitations_manage", __name__, url_prefix="/manage")

register_forum_tab("invitations_manage.invitations", _l("Invitations"), order=60)

ERRORS = {
    "bad_item": _l("This agenda item is not part of this forum."),
    "item_cancelled": _l("This item is cancelled: nobody can be invited to it."),
    "no_channel": _l("Choose email, SMS or both."),
}
ANSWER_LABELS = {"invited": _l("No answer yet"), "accepted": _l("Will come"), "declined": _l("Will not come")}


def _choices(form: InvitationForm, forum) -> None:
    from forum.i18n import current_language, local_time

    lang = current_language()
    form.item_id.choices = [(0, _("The whole forum"))] + [
        (item.id, f"{local_time(item.starts_at, forum.timezone, 'HH:mm')} {item.title.get(lang) or item.title.get('ru')}")
        for item in invitations.invitable_items(forum)]
    form.categories.choices = list(CATEGORY_LABELS.items())
    orgs = people_service.organizations_at(forum)
    form.organization_id.choices = [(0, _("All organizations"))] + [(o.id, o.label) for o in orgs]
    form.district_id.choices = [(0, _("All districts"))] + [(d.id, d.name.get(lang) or d.name.get("ru"))
                                                            for d in districts()]
    form.status.choices = [("", _("Everyone but cancelled and declined"))] + list(STATUS_LABELS.items())


def _selection(form: InvitationForm) -> invitations.Selection:
    return invitations.Selection(
        item_id=form.item_id.data or None, categories=form.categories.data or [],
        organization_id=form.organization_id.data or None, district_id=form.district_id.data or None,
        status=form.status.data or "", channels=tuple(form.channels.data or ()),
        listed_only=bool(form.listed_only.data))


@bp.route("/<slug>/invitations", methods=["GET", "POST"], endpoint="invitations")
@roles_required("organizer")
def invitations_page(slug: str):
    forum = forum_or_404(slug)
    form = InvitationForm()
    _choices(form, forum)
    if request.method == "GET":
        form.channels.data = ["email", "sms"]
        item_arg = request.args.get("item", "")
        form.item_id.data = int(item_arg) if item_arg.isdigit() else 0
    preview = None
    if form.validate_on_submit():
        try:
            if form.send.data:
                result = invitations.send(forum, _selection(form))
                db.session.commit()
                flash(" ".join((ngettext("%(num)s person will get the invitation.", "%(num)s people will get the invitation.",
                                         result.people),
                                ngettext("%(num)s message queued: it goes out with the next run of the sender.",
                                         "%(num)s messages queued: they go out with the next run of the sender.",
                                         result.messages))), "success")
                return redirect(url_for("invitations_manage.invitations", slug=slug))
            preview = invitations.preview(forum, _selection(form))
        except invitations.InvitationError as error:
            db.session.rollback()
            flash(ERRORS.get(error.code, str(error)), "error")
    return render_template("messaging/invitations.html", forum=forum, form=form, preview=preview,
                           summary=invitations.answers_summary(forum), phone_form=PhoneAnswerForm())


@bp.route("/<slug>/invitations/answers")
@roles_required("organizer")
def answers(slug: str):
    forum = forum_or_404(slug)
    target = request.args.get("item", "forum")
    item = None
    if target != "forum":
        try:
            item = invitations.agenda_item(forum, int(target) if target.isdigit() else -1)
        except invitations.InvitationError:
            abort(404)
    rows = invitations.answers(forum, item.id if item is not None else None)
    return render_template("messaging/answers.html", forum=forum, item=item, rows=rows,
                           answer_labels=ANSWER_LABELS, category_labels=CATEGORY_LABELS, phone_form=PhoneAnswerForm())


@bp.route("/<slug>/invitations/phone-answer", methods=["POST"])
@roles_required("organizer")
def phone_answer(slug: str):
    forum = forum_or_404(slug)
    form = PhoneAnswerForm()
    if not form.validate_on_submit():
        flash(_("Give the invitation code and the answer."), "error")
        return redirect(url_for("invitations_manage.invitations", slug=slug))
    invitation = invitations.invitation_by_code(form.code.data or "")
    if invitation is None or invitation.forum_id != forum.id:
        flash(_("No invitation of this forum has the code %(code)s.", code=(form.code.data or "").strip().upper()), "error")
        return redirect(url_for("invitations_manage.invitations", slug=slug))
    invitations.respond(invitation, form.answer.data, via="phone")
    db.session.commit()
    flash(_("Recorded: %(name)s — %(answer)s.", name=invitation.registration.person.full_name,
            answer=ANSWER_LABELS[invitation.status]), "success")
    target = invitation.item_id or "forum"
    return redirect(url_for("invitations_manage.answers", slug=slug, item=target))
