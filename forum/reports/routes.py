"""The dashboard on a forum's overview page, and the report page with its downloads."""
from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_babel import lazy_gettext as _l

from forum.auth.access import roles_required
from forum.events.lookup import forum_or_404
from forum.i18n import current_language
from forum.nav import register_forum_tab, register_overview_panel
from forum.reports import charts, figures, service, tables

bp = Blueprint("reports", __name__, url_prefix="/manage")

register_forum_tab("reports.report_page", _l("Report"), order=95)


def dashboard(forum) -> str:
    """The forum at a glance, under the forum's facts on /manage/<slug>/ (organizers only)."""
    lang = current_language()
    found = figures.collect(forum)
    return render_template(
        "reports/dashboard.html", forum=forum, figures=found, labels=tables.headline_labels(),
        participation=tables.participation(found, lang),
        charts=[charts.svg(chart) for chart in (
            charts.arrivals(found), charts.by_district(found, lang), charts.by_category(found)) if chart is not None])


register_overview_panel("dashboard", dashboard, order=10)


def _page(forum, error: str | None = None, status: int = 200):
    chosen = request.args.getlist("compare")
    html = render_template("reports/report.html", forum=forum, others=service.other_forums(forum), chosen=chosen,
                           lang=request.args.get("lang") or current_language(), error=error)
    return html, status


@bp.route("/<slug>/report")
@roles_required("organizer")
def report_page(slug: str):
    return _page(forum_or_404(slug))


@bp.route("/<slug>/report.<fmt>")
@roles_required("organizer")
def report_file(slug: str, fmt: str):
    forum = forum_or_404(slug)
    try:
        report = service.build(forum, fmt, request.args.get("lang") or current_language(),
                               request.args.getlist("compare"))
    except service.ReportError as error:
        return _page(forum, str(service.ERRORS[error.code]), 400)
    return Response(report.data, mimetype=report.mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{report.filename}"',
                             "Cache-Control": "private, no-store"})
