"""The public agenda of a forum: the page (by time or by area, filtered by kind) and the
printed programme (PDF)."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from forum.agenda import listing, pdf
from forum.agenda.forms import KIND_LABELS
from forum.agenda.models import ITEM_KINDS, AgendaItem
from forum.auth.access import public
from forum.events.lookup import public_forum_or_404
from forum.extensions import db
from forum.i18n import current_language, tr
from forum.nav import register_public_link

bp = Blueprint("agenda", __name__)

register_public_link("agenda.agenda", _l("Agenda"), order=10)


def _kinds_present(forum) -> list[str]:
    found = set(db.session.scalars(sa.select(AgendaItem.kind).distinct().where(
        AgendaItem.forum_id == forum.id, AgendaItem.is_public.is_(True))))
    return [k for k in ITEM_KINDS if k in found]


@bp.route("/f/<slug>/agenda")
@public
def agenda(slug: str):
    forum = public_forum_or_404(slug)
    kind = request.args.get("kind") if request.args.get("kind") in ITEM_KINDS else None
    view = "area" if request.args.get("view") == "area" else "time"
    lang = current_language()
    kind_labels = {k: str(v) for k, v in KIND_LABELS.items()}
    lines = listing.public_lines(forum, lang, kind=kind, kind_labels=kind_labels)
    feed = url_for("calendar.forum_feed", slug=forum.slug, lang=lang, _external=True)
    groups: list[tuple[str | None, list[listing.Line]]] = [(None, lines)] if lines else []
    if view == "area":
        by_area: dict[int, list[listing.Line]] = {}
        for line in lines:
            by_area.setdefault(line.area_id, []).append(line)
        groups = [(tr(area.name), by_area[area.id]) for area in forum.areas if area.id in by_area]
    # One address for every item's .ics: "…/agenda/<id>.ics?lang=…" (url_for once, not 300 times).
    ics_url = url_for("calendar.item_ics", slug=forum.slug, item_id=0, lang=lang).replace("/0.ics", "/{}.ics", 1)
    return render_template(
        "agenda/public.html", forum=forum, lines=lines, view=view, kind=kind, kinds=_kinds_present(forum),
        kind_labels=kind_labels, groups=groups, lang=lang, feed=feed,
        webcal_feed="webcal://" + feed.split("://", 1)[1], ics_url=ics_url,
    )


@bp.route("/f/<slug>/agenda.pdf")
@public
def agenda_pdf(slug: str):
    forum = public_forum_or_404(slug)
    lang = request.args["lang"] if request.args.get("lang") in ("ru", "tg", "en") else current_language()
    body = pdf.programme(forum, listing.public_lines(forum, lang, include_cancelled=False), lang)
    response = current_app.response_class(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{forum.slug}-programme-{lang}.pdf"'
    return response
