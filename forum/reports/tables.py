"""The report's tables: `Figures` laid out as titled tables in one language. The PDF prints
them and the XLSX writes one sheet each, so both show the same cells; the dashboard shows
the same `Figures`.

Call inside `flask_babel.force_locale(lang)`: titles and labels are translated when built.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from flask_babel import gettext as _
from flask_babel import pgettext

from forum.db import translated
from forum.drawings.forms import AWARD_LABELS
from forum.exhibition.forms import CATEGORY_LABELS as PRODUCT_LABELS
from forum.exhibition.forms import STAND_STATUS_LABELS
from forum.jobfair.forms import SECTOR_LABELS
from forum.people.forms import CATEGORY_LABELS
from forum.reports.figures import Figures, Pair
from forum.roundtable.texts import GROUP_LABELS
from forum.roundtable.texts import STATUS_LABELS as REC_STATUS_LABELS

Cell = str | int | date | None


@dataclass
class Table:
    key: str  # stable name, also the sheet's order key; never shown
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    total: list[Cell] | None = None  # a last row in bold, when the rows add up
    notes: list[str] = field(default_factory=list)  # sentences under the table in the workbook (the PDF has them as lines)


@dataclass
class Section:
    key: str  # "participation", "arrivals", … (charts attach to these)
    title: str
    tables: list[Table] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # sentences shown before the tables


def headline_labels() -> dict[str, str]:
    return {
        "registered": _("Registered (expected)"), "arrived": _("Came (checked in)"),
        "women_arrived": _("Women who came"), "districts": _("Districts represented"),
        "groups": _("Self-help groups taking part"), "exhibitors": _("Groups exhibiting"),
        "products": _("Products shown"), "performances": _("Theatre performances"),
        "drawings": _("Children's drawings exhibited"), "awards": _("Drawings awarded"),
        "roundtable_attended": _("Round-table participants"), "recommendations": _("Recommendations"),
        "employers": _("Employers at the job fair"), "vacancies": _("Vacancies offered"),
        "positions": _("Jobs offered"), "seekers": _("Job seekers interested"), "hires": pgettext("report", "Hired"),
    }


def place_name(name, lang: str) -> str:
    return translated(name, lang) if name else _("not recorded")


def gender_label(code: str | None) -> str:
    return {"f": _("Women"), "m": _("Men")}.get(code or "", _("not recorded"))


def country_name(code: str, lang: str) -> str:
    try:
        return Locale.parse(lang).territories.get(code, code)
    except (UnknownLocaleError, ValueError):
        return code


def percent(pair: Pair) -> str:
    return f"{pair.rate}%" if pair.rate is not None else "—"


def _pairs(rows: list[tuple[str, Pair]]) -> list[list[Cell]]:
    return [[label, pair.expected, pair.arrived, percent(pair)] for label, pair in rows]


def summary(figures: Figures) -> Table:
    labels = headline_labels()
    return Table("summary", _("The forum in figures"), [_("Figure"), pgettext("report", "Number")],
                 [[labels[key], value] for key, value in figures.headline()])


def sections(figures: Figures, lang: str) -> list[Section]:
    """Every section of the report, in order; a section of an activity the forum does not hold is left out."""
    out = [participation(figures, lang), arrivals(figures, lang)]
    for build in (exhibition, theatre, drawings, round_table, jobfair):
        section = build(figures, lang)
        if section is not None:
            out.append(section)
    return out


def participation(figures: Figures, lang: str) -> Section:
    p = figures.participation
    columns = [pgettext("report", "Registered"), _("Came"), _("Share who came")]
    total = [_("Total"), p.total.expected, p.total.arrived, percent(p.total)]
    section = Section("participation", _("Participation"), lines=[
        _("Registered means invited or confirmed; came means checked in at any door."),
        _("Declined: %(declined)s; registrations cancelled: %(cancelled)s. They are not counted above.",
          declined=p.declined, cancelled=p.cancelled)])
    section.tables = [
        Table("by_category", _("By category"), [_("Category")] + columns,
              _pairs([(str(CATEGORY_LABELS.get(c, c)), pair) for c, pair in p.by_category]), total),
        Table("by_district", _("By district"), [_("District")] + columns,
              _pairs([(place_name(name, lang), pair) for name, pair in p.by_district]), total),
        Table("by_jamoat", _("By district and jamoat"), [_("District"), _("Jamoat")] + columns,
              [[place_name(d, lang), place_name(j, lang), pair.expected, pair.arrived, percent(pair)]
               for d, j, pair in p.by_jamoat], [_("Total"), ""] + total[1:]),
        Table("by_gender", _("Women and men"), [_("Gender")] + columns,
              _pairs([(gender_label(g), pair) for g, pair in p.by_gender]), total),
    ]
    return section


def arrivals(figures: Figures, lang: str) -> Section:
    a = figures.arrivals
    section = Section("arrivals", _("Arrivals"))
    if a.peak is not None:
        start, count = a.peak
        section.lines.append(_("Most people came at %(time)s: %(count)s in a quarter of an hour.",
                               time=f"{start:%H:%M}", count=count))
    section.lines.append(_("Scans refused at the doors: %(count)s.", count=a.failed_scans))
    outside = [_("Scans outside the forum's days (not in the chart): %(count)s.", count=a.outside_days)]
    if a.outside_days:
        section.lines += outside
    section.tables = [
        Table("arrivals", _("Arrivals per quarter hour"), [_("From"), _("People arriving")],
              [[f"{start:%H:%M}", count] for start, count in a.quarters],
              [_("Total"), sum(n for _s, n in a.quarters)], notes=outside if a.outside_days else []),
        Table("checkpoints", _("By door"), [_("Door"), _("Expected"), _("Came in"), _("Entries")],
              [[translated(name, lang), "—" if expected is None else expected, arrived, entries]
               for name, expected, arrived, entries in a.by_checkpoint]),
    ]
    return section


def exhibition(figures: Figures, lang: str) -> Section | None:
    e = figures.exhibition
    if e is None:
        return None
    stands: list[list[Cell]] = [[str(STAND_STATUS_LABELS[k]), n] for k, n in e.stands.items()]
    section = Section("exhibition", _("Exhibition"), lines=[
        _("Applications: %(approved)s approved, %(pending)s under review, %(rejected)s not approved.",
          **e.applications)])
    section.tables = [
        Table("exhibitors", _("Exhibiting groups"),
              [_("Stand"), _("Self-help group"), _("District"), _("Jamoat"), _("Members at the stand"), _("Products")],
              [[x.stand, x.group, place_name(x.district, lang),
                translated(x.jamoat_name, lang) if x.jamoat_name else (x.jamoat or _("not recorded")),
                x.members, x.products] for x in e.exhibitors],
              [_("Total"), len(e.exhibitors), "", "", sum(x.members for x in e.exhibitors), e.products]),
        Table("products", _("Products by kind"), [_("Kind"), _("Products")],
              [[str(PRODUCT_LABELS.get(c, c)), n] for c, n in e.by_product_category], [_("Total"), e.products]),
        Table("stands", _("Stands"), [_("Stand"), pgettext("report", "Number")], stands,
              [_("Total"), sum(e.stands.values())]),
    ]
    return section


def theatre(figures: Figures, lang: str) -> Section | None:
    t = figures.theatre
    if t is None:
        return None
    zone = ZoneInfo(figures.forum.timezone)
    section = Section("theatre", _("Mobile theatre"), lines=[
        _("Slots filled: %(filled)s of %(slots)s; requests waiting for a decision: %(pending)s.",
          filled=t.filled, slots=t.slots, pending=t.requests.get("pending", 0))])
    section.tables = [Table(
        "performances", _("Performances"), [_("Time"), _("Stage"), _("Troupe"), _("Play"), _("Actors")],
        [[f"{p.starts_at.astimezone(zone):%H:%M}", translated(p.stage, lang), p.troupe, translated(p.title, lang),
          p.cast] for p in t.plays],
        [_("Total"), "", "", len(t.plays), sum(p.cast for p in t.plays)])]
    return section


def drawings(figures: Figures, lang: str) -> Section | None:
    d = figures.drawings
    if d is None:
        return None
    section = Section("drawings", _("Children's drawings"), lines=[
        _("Drawings exhibited: %(approved)s; waiting for review: %(pending)s; not accepted: %(rejected)s.",
          **d.by_status),
        _("Children appear here only as the public gallery shows them, with their guardians' consent.")])
    section.tables = [
        Table("drawings_by_age", _("Drawings exhibited by age group"), [_("Age"), _("Drawings")],
              [[f"{g[0]}–{g[1]}" if g else _("other ages"), n] for g, n in d.by_age_group],
              [_("Total"), sum(n for _g, n in d.by_age_group)]),
        Table("awards", _("Awards"), [_("Award"), _("Drawing"), _("Child"), _("Age"), _("School or jamoat")],
              [[str(AWARD_LABELS.get(a.award, a.award)), a.title, a.first_name, a.age, a.place] for a in d.awards]),
    ]
    return section


def round_table(figures: Figures, lang: str) -> Section | None:
    if not figures.round_tables and not figures.recommendations:
        return None
    section = Section("round_table", _("Round table"))
    columns = [_("Group"), _("Seats kept"), _("No answer"), pgettext("report", "Confirmed"), _("Waitlist"),
               pgettext("report", "Declined"), _("Came")]
    for index, table in enumerate(figures.round_tables):
        total = table.total
        section.lines.append(_("%(title)s: problems sent in: %(problems)s, grouped into topics: %(topics)s.",
                               title=translated(table.title, lang), problems=table.problems, topics=table.topics))
        section.tables.append(Table(
            f"round_table_{index + 1}", translated(table.title, lang), columns,
            [[str(GROUP_LABELS.get(g.group, g.group)), "—" if g.quota is None else g.quota, g.invited, g.confirmed,
              g.waitlisted, g.declined, g.attended] for g in table.groups],
            [_("Total"), total.quota, total.invited, total.confirmed, total.waitlisted, total.declined,
             total.attended]))
    section.tables.append(Table(
        "recommendations", _("Recommendations"),
        ["№", _("Recommendation"), _("Addressed to"), _("Who follows it up"), _("Deadline"), _("Status"),
         _("Latest progress")],
        [[r.position, translated(r.text, lang), r.addressed_to, r.owner, r.deadline,
          str(REC_STATUS_LABELS.get(r.status, r.status)),
          f"{r.last_note_on:%d.%m.%Y}: {r.last_note}" if r.last_note_on else ""] for r in figures.recommendations]))
    return section


def jobfair(figures: Figures, lang: str) -> Section | None:
    j = figures.jobfair
    if j is None:
        return None
    keys = ("vacancies", "positions", "seekers", "interviews", "offers", "hires")
    columns = [_("Vacancies"), _("Jobs"), _("Seekers interested"), _("Interviews"), _("Offers"), pgettext("report", "Hired")]
    total = [_("Total")] + [j.total[k] for k in keys]
    section = Section("jobfair", _("Job fair"), lines=[
        _("Employers: %(approved)s approved, %(pending)s awaiting approval, %(rejected)s rejected.", **j.employers),
        _("Job seekers are counted, never named: a person interested in several vacancies counts once in the total."),
    ])
    section.tables = [
        Table("employers", _("Employers"), [_("Employer"), _("Sector")] + columns,
              [[e.name, str(SECTOR_LABELS.get(e.sector, e.sector))] + [e.figures[k] for k in keys]
               for e in j.by_employer], [total[0], ""] + total[1:]),
        Table("sectors", _("By sector"), [_("Sector")] + columns,
              [[str(SECTOR_LABELS.get(s, s))] + [row[k] for k in keys] for s, row in j.by_sector], total),
        Table("locations", _("Where the work is"), [_("Place")] + columns,
              [[place if kind == "tajikistan" else f"{_('Abroad')}: {country_name(place, lang)}"] + [row[k] for k in keys]
               for (kind, place), row in j.by_location], total),
    ]
    return section


def comparison(all_figures: list[Figures], lang: str) -> Table:
    """Key figures of several forums side by side; a figure a forum does not have is "—"."""
    labels = headline_labels()
    values = [dict(f.headline()) for f in all_figures]
    keys = [key for key in labels if any(key in v for v in values)]
    return Table("comparison", _("Forums compared"),
                 [_("Figure")] + [translated(f.forum.title, lang) for f in all_figures],
                 [[labels[key], *(v.get(key, "—") for v in values)] for key in keys])
