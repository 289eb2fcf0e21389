"""Making a report: which forum, which language, which format, beside which other forums.
Routes and the `flask forum report` command both call `build`."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from forum.events.models import Forum
from forum.extensions import db
from forum.reports import figures, pdf, xlsx

LANGUAGES = ("ru", "tg", "en")
FORMATS = {
    "pdf": ("application/pdf", pdf.render),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.render),
}
ERRORS = {
    "bad_language": _l("Choose the report's language: Russian, Tajik or English."),
    "bad_format": _l("The report is made as PDF or XLSX."),
    "bad_compare": _l("Choose forums to compare from the list; a forum is not compared with itself."),
}


class ReportError(ValueError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass
class Report:
    data: bytes
    filename: str
    mimetype: str


def other_forums(forum: Forum) -> list[Forum]:
    """Forums a report may set beside this one, latest first."""
    return list(db.session.scalars(sa.select(Forum).where(Forum.id != forum.id).order_by(Forum.starts_at.desc())))


def _compared(forum: Forum, slugs: list[str]) -> list[Forum]:
    wanted = list(dict.fromkeys(s for s in slugs if s))
    if not wanted:
        return []
    found = {f.slug: f for f in db.session.scalars(sa.select(Forum).where(Forum.slug.in_(wanted)))}
    if forum.slug in wanted or len(found) != len(wanted):
        raise ReportError("bad_compare")
    return [found[slug] for slug in wanted]


def build(forum: Forum, fmt: str, lang: str, compare: list[str] | None = None) -> Report:
    """The report of `forum` as `fmt` (pdf or xlsx) in `lang`; `compare`: slugs of other forums."""
    if lang not in LANGUAGES:
        raise ReportError("bad_language")
    if fmt not in FORMATS:
        raise ReportError("bad_format")
    others = _compared(forum, compare or [])
    mimetype, render = FORMATS[fmt]
    data = render(figures.collect(forum), lang, [figures.collect(f) for f in others])
    suffix = "-compared" if others else ""
    return Report(data, f"{forum.slug}-report-{lang}{suffix}.{fmt}", mimetype)
