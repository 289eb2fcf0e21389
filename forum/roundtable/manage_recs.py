"""The organizer's recommendations of a round table: recording them in the session, the
follow-up (status, dated notes) and the printable resolution in three languages."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from forum.auth.access import roles_required
from forum.events.lookup import forum_or_404
from forum.extensions import db
from forum.forms import required
from forum.people import service as people
from forum.roundtable import pdf, recommendations, service
from forum.roundtable.forms import NoteForm, RecommendationForm
from forum.roundtable.manage import _error, _pdf, _table_or_404
from forum.roundtable.models import Recommendation
from forum.roundtable.service import RoundTableError
from forum.roundtable.texts import STATUS_LABELS

bp = Blueprint("roundtable_recs", __name__, url_prefix="/manage")


def _form(table, rec: Recommendation | None = None) -> RecommendationForm:
    form = RecommendationForm(obj=rec) if rec is not None and request.method == "GET" else RecommendationForm()
    orgs = [(o.id, o.short_name or o.name) for o in people.all_organizations()]
    form.topic_id.choices = [(0, "—")] + [(t.id, t.title.get("ru") or t.title.get("en") or t.title.get("tg") or "")
                                          for t in service.topics(table)]
    form.addressed_to_id.choices = [(0, "—")] + orgs
    persons = [i.registration.person for i in service.invitees(table)]
    form.owner.choices = [("", "—")] + [(f"o:{oid}", name) for oid, name in orgs] + [
        (f"p:{p.id}", p.full_name) for p in persons]
    if rec is not None and request.method == "GET":
        form.topic_id.data = rec.topic_id or 0
        form.addressed_to_id.data = rec.addressed_to_id or 0
        form.owner.data = (f"p:{rec.owner_person_id}" if rec.owner_person_id
                           else f"o:{rec.owner_organization_id}" if rec.owner_organization_id else "")
    return form


def _data(form: RecommendationForm) -> recommendations.RecommendationData:
    kind, _sep, ident = (form.owner.data or "").partition(":")
    return recommendations.RecommendationData(
        text=form.text.data, status=form.status.data, topic_id=form.topic_id.data or None,
        addressed_to_id=form.addressed_to_id.data or None, deadline=form.deadline.data,
        owner_person_id=int(ident) if kind == "p" and ident.isdigit() else None,
        owner_organization_id=int(ident) if kind == "o" and ident.isdigit() else None)


@bp.route("/<slug>/roundtable/<int:item_id>/recommendations", methods=["GET", "POST"])
@roles_required("organizer")
def recommendations_page(slug: str, item_id: int):
    forum = forum_or_404(slug)
    table = _table_or_404(forum, item_id)
    form = _form(table)
    if request.method == "POST":
        if form.validate():
            try:
                recommendations.save(table, _data(form))
            except RoundTableError as error:
                db.session.rollback()
                _error(error)
            else:
                db.session.commit()
                flash(_("The recommendation is recorded."), "success")
                return redirect(url_for("roundtable_recs.recommendations_page", slug=slug, item_id=item_id))
        else:
            flash(_("Please correct the marked fields."), "error")
    return render_template("roundtable/recommendations.html", forum=forum, table=table, item=table.item, form=form,
                           recs=recommendations.of_table(table), owner_name=recommendations.owner_name,
                           status_labels=STATUS_LABELS)


@bp.route("/<slug>/roundtable/<int:item_id>/recommendations/<int:rec_id>", methods=["GET", "POST"])
@roles_required("organizer")
def recommendation(slug: str, item_id: int, rec_id: int):
    forum = forum_or_404(slug)
    table = _table_or_404(forum, item_id)
    rec = db.session.get(Recommendation, rec_id)
    if rec is None or rec.round_table_id != table.id:
        abort(404)
    form, note_form = _form(table, rec), NoteForm(prefix="note")
    if request.method == "POST":
        try:
            if request.form.get("action") == "note":
                if not note_form.validate():
                    raise RoundTableError("empty_note")
                recommendations.add_note(rec, required(note_form.noted_on.data), note_form.text.data or "")
            elif form.validate():
                recommendations.save(table, _data(form), rec)
            else:
                flash(_("Please correct the marked fields."), "error")
                return render_template("roundtable/recommendation.html", forum=forum, table=table, item=table.item,
                                       rec=rec, form=form, note_form=note_form)
        except RoundTableError as error:
            db.session.rollback()
            _error(error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
        return redirect(url_for("roundtable_recs.recommendation", slug=slug, item_id=item_id, rec_id=rec_id))
    return render_template("roundtable/recommendation.html", forum=forum, table=table, item=table.item, rec=rec,
                           form=form, note_form=note_form)


@bp.route("/<slug>/roundtable/<int:item_id>/resolution.pdf")
@roles_required("organizer")
def resolution(slug: str, item_id: int):
    forum = forum_or_404(slug)
    table = _table_or_404(forum, item_id)
    lang = request.args.get("lang", "ru")
    if lang not in ("ru", "tg", "en"):
        lang = "ru"
    return _pdf(pdf.resolution(table, lang), f"resolution-{lang}.pdf")
