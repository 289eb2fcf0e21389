"""The organizer's "Round table" tab: setting up a round table, inviting by group, the list
of answers, seating with name cards and the chart, and grouping problems into topics."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from forum.auth.access import roles_required
from forum.events.lookup import forum_or_404
from forum.extensions import db
from forum.forms import required
from forum.messaging.invitations import respond
from forum.nav import register_forum_tab
from forum.people import service as people
from forum.people.forms import CATEGORY_LABELS
from forum.people.models import CATEGORIES, Registration
from forum.roundtable import pdf, seating, service
from forum.roundtable.forms import InviteForm, NewPersonForm, SetupForm, TopicForm
from forum.roundtable.models import GROUPS, Invitee
from forum.roundtable.service import RoundTableError
from forum.roundtable.texts import ERRORS, GROUP_LABELS, STATE_LABELS, over_quota_text

bp = Blueprint("roundtable_manage", __name__, url_prefix="/manage")

register_forum_tab("roundtable_manage.overview", _l("Round table"), order=60)


def _item_and_table(forum, item_id: int | None):
    items = service.round_table_items(forum)
    item = next((i for i in items if i.id == item_id), None) if item_id else (items[0] if items else None)
    if item_id and item is None:
        abort(404)
    table = service.round_table_of(forum, item.id) if item is not None else None
    return items, item, table


def _table_or_404(forum, item_id: int):
    table = service.round_table_of(forum, item_id)
    if table is None:
        abort(404)
    return table


def _error(error: RoundTableError) -> None:
    flash(str(ERRORS.get(error.code, error.code)), "error")


def _back(slug, item_id, endpoint="roundtable_manage.overview", **extra):
    return redirect(url_for(endpoint, slug=slug, item=item_id, **extra))


@bp.route("/<slug>/roundtable")
@roles_required("organizer")
def overview(slug: str):
    forum = forum_or_404(slug)
    items, item, table = _item_and_table(forum, request.args.get("item", type=int))
    setup = SetupForm(obj=table) if table is not None else SetupForm(capacity=40, tables=5, seats_per_table=8)
    if table is not None:
        for quota in table.quotas:
            getattr(setup, f"quota_{quota.group}").data = quota.seats
    category = request.args.get("category", "")
    candidates, invited_ids = [], set()
    if table is not None:
        listed = service.invitees(table, state=request.args.get("state", ""), group=request.args.get("group", ""))
        invited_ids = {i.registration_id for i in service.invitees(table)}
        query = people.registrations_query(forum, q=request.args.get("q", ""), category=category)
        candidates = [r for r in db.session.scalars(query.limit(300)).unique() if r.id not in invited_ids]
    else:
        listed = []
    new_person = NewPersonForm()
    new_person.organization_id.choices = [(0, "—")] + [(o.id, o.name) for o in people.all_organizations()]
    return render_template(
        "roundtable/manage.html", forum=forum, items=items, item=item, table=table, setup=setup,
        invite_form=InviteForm(), new_person=new_person, invitees=listed, candidates=candidates,
        counts=service.counts(table) if table else [],
        over_quota=[over_quota_text(row) for row in service.over_quota(table)] if table else [],
        checked_in=service.checked_in_ids(table) if table else set(),
        checkpoints=service.checkpoints_of(table) if table else [], categories=CATEGORIES,
        category_labels=CATEGORY_LABELS, group_labels=GROUP_LABELS, state_labels=STATE_LABELS, groups=GROUPS,
        category=category)


@bp.route("/<slug>/roundtable/<int:item_id>/setup", methods=["POST"])
@roles_required("organizer")
def setup(slug: str, item_id: int):
    forum = forum_or_404(slug)
    _items, item, _table = _item_and_table(forum, item_id)
    form = SetupForm()
    if not form.validate():
        flash(_("Please correct the numbers."), "error")
        return _back(slug, item_id)
    quotas = {g: getattr(form, f"quota_{g}").data or 0 for g in GROUPS}
    try:
        service.set_up(forum, item, required(form.capacity.data), required(form.tables.data),
                           required(form.seats_per_table.data), quotas)
    except RoundTableError as error:
        db.session.rollback()
        _error(error)
        return _back(slug, item_id)
    db.session.commit()
    flash(_("The round table is saved."), "success")
    return _back(slug, item_id)


@bp.route("/<slug>/roundtable/<int:item_id>/invite", methods=["POST"])
@roles_required("organizer")
def invite(slug: str, item_id: int):
    forum = forum_or_404(slug)
    table = _table_or_404(forum, item_id)
    form = InviteForm()
    ids = [int(v) for v in request.form.getlist("registration") if v.isdigit()]
    if not form.validate():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
        return _back(slug, item_id)
    chosen = [r for r in (db.session.get(Registration, i) for i in ids) if r is not None and r.forum_id == forum.id]
    if not chosen:
        flash(str(ERRORS["nobody"]), "error")
        return _back(slug, item_id)
    try:
        done = service.invite(table, chosen, form.group.data or None, tuple(form.channels.data or ()))
    except RoundTableError as error:
        db.session.rollback()
        _error(error)
        return _back(slug, item_id)
    db.session.commit()
    flash(ngettext("%(num)s person invited; the invitation is in the outbox.",
                   "%(num)s people invited; the invitations are in the outbox.", len(done)), "success")
    _warn_over_quota(table, {i.group for i in done})
    return _back(slug, item_id)


def _warn_over_quota(table, groups: set[str]) -> None:
    for row in service.over_quota(table):
        if row["group"] in groups:
            flash(over_quota_text(row), "warning")


@bp.route("/<slug>/roundtable/<int:item_id>/invite-new", methods=["POST"])
@roles_required("organizer")
def invite_new(slug: str, item_id: int):
    forum = forum_or_404(slug)
    table = _table_or_404(forum, item_id)
    form = NewPersonForm()
    form.organization_id.choices = [(0, "—")] + [(o.id, o.name) for o in people.all_organizations()]
    if not form.validate():
        flash(" ".join(f"{getattr(form, k).label.text}: {e}" for k, errors in form.errors.items() for e in errors),
              "error")
        return _back(slug, item_id)
    try:
        person = people.save_person(people.PersonData(
            full_name=form.full_name.data or "", phone=form.phone.data, email=form.email.data or None,
            language=form.language.data, position=form.position.data or "",
            organization_id=form.organization_id.data or None))
        registration = people.register_person(forum, person, form.category.data)
        done = service.invite(table, [registration], form.group.data, tuple(form.channels.data or ()))
    except (people.PeopleError, people.RegistrationError):
        db.session.rollback()
        flash(_("This phone number belongs to someone already registered: invite them from the list."), "error")
        return _back(slug, item_id)
    except RoundTableError as error:
        db.session.rollback()
        _error(error)
        return _back(slug, item_id)
    db.session.commit()
    flash(_("%(name)s is invited.", name=person.full_name), "success")
    _warn_over_quota(table, {i.group for i in done})
    return _back(slug, item_id)


@bp.route("/<slug>/roundtable/<int:item_id>/answer/<int:invitee_id>", methods=["POST"])
@roles_required("organizer")
def answer(slug: str, item_id: int, invitee_id: int):
    """An answer given by phone to an organizer."""
    forum = forum_or_404(slug)
    table = _table_or_404(forum, item_id)
    invitee = db.session.get(Invitee, invitee_id)
    choice = request.form.get("answer", "")
    if invitee is None or invitee.round_table_id != table.id:
        abort(404)
    if choice not in ("accepted", "declined"):
        flash(_("Choose accepted or declined."), "error")
        return _back(slug, item_id)
    respond(invitee.invitation, choice, via="phone")
    db.session.commit()
    flash(_("%(name)s: %(state)s.", name=invitee.registration.person.full_name, state=STATE_LABELS[invitee.state]),
          "success")
    return _back(slug, item_id)


@bp.route("/<slug>/roundtable/<int:item_id>/seating", methods=["GET", "POST"])
@roles_required("organizer")
def seating_page(slug: str, item_id: int):
    forum = forum_or_404(slug)
    table = _table_or_404(forum, item_id)
    if request.method == "POST":
        try:
            if request.form.get("action") == "mix":
                count = seating.mix(table)
                flash(ngettext("%(num)s person seated, groups mixed at every table.",
                               "%(num)s people seated, groups mixed at every table.", count), "success")
            else:
                invitee_id = request.form.get("invitee", type=int)
                table_no, seat_no = request.form.get("table_no", type=int), request.form.get("seat_no", type=int)
                seating.assign(table, invitee_id or 0, table_no, seat_no)
                flash(_("The seat is saved."), "success")
        except RoundTableError as error:
            db.session.rollback()
            _error(error)
        else:
            db.session.commit()
        return redirect(url_for("roundtable_manage.seating_page", slug=slug, item_id=item_id))
    return render_template("roundtable/seating.html", forum=forum, table=table, item=table.item,
                           grid=seating.plan(table), people=service.invitees(table, state="confirmed"),
                           group_labels=GROUP_LABELS)


def _pdf(data: bytes, name: str):
    return data, 200, {"Content-Type": "application/pdf", "Content-Disposition": f'inline; filename="{name}"'}


@bp.route("/<slug>/roundtable/<int:item_id>/name-cards.pdf")
@roles_required("organizer")
def name_cards(slug: str, item_id: int):
    forum = forum_or_404(slug)
    return _pdf(pdf.name_cards(_table_or_404(forum, item_id)), "name-cards.pdf")


@bp.route("/<slug>/roundtable/<int:item_id>/seating.pdf")
@roles_required("organizer")
def seating_pdf(slug: str, item_id: int):
    forum = forum_or_404(slug)
    lang = request.args.get("lang", "ru")
    return _pdf(pdf.seating_chart(_table_or_404(forum, item_id), lang if lang in ("ru", "tg", "en") else "ru"),
                "seating.pdf")


@bp.route("/<slug>/roundtable/<int:item_id>/topics", methods=["GET", "POST"])
@roles_required("organizer")
def topics(slug: str, item_id: int):
    forum = forum_or_404(slug)
    table = _table_or_404(forum, item_id)
    form = TopicForm()
    if request.method == "POST":
        try:
            if request.form.get("action") == "group":
                topic_id = request.form.get("topic", type=int) or None
                service.group_problem(table, request.form.get("problem", type=int) or 0, topic_id)
            elif form.validate():
                service.add_topic(table, form.title.data)
            else:
                raise RoundTableError("empty_topic")
        except RoundTableError as error:
            db.session.rollback()
            _error(error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
        return redirect(url_for("roundtable_manage.topics", slug=slug, item_id=item_id))
    return render_template("roundtable/topics.html", forum=forum, table=table, item=table.item, form=form,
                           topics=service.topics(table), problems=service.problems(table))
