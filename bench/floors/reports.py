"""The report floors, outside the product (nothing here imports `forum`).

- `dashboard`: the organizer's page from the bare figures (`bench.reports._bare` and the
  districts' names): the registrations, the five participation figures, the three charts as
  inline SVG bars (arrivals per quarter hour, registered and came per district and per
  category), the tables by category and by district, and the scans outside the forum's days.
  Plain f-strings in Russian, the page's language: no layout, navigation or translations.
- `pdf` and `xlsx`: the report in Tajik from the figures `collect` gives: the same tables
  (titles and columns in Tajik, names in Tajik where they have it), the same sentences and
  the same charts' bars. Bare platypus with the DejaVu fonts the product embeds (they have
  ғ ӣ қ ӯ ҳ ҷ), one flowable of plain rectangles per chart, no wrapping in cells (a heading's
  words stand one under another); bare openpyxl in write-only mode, one sheet per table.
  Keys such as categories, sectors and statuses are written as stored (no label lookups);
  no page footer, cell style or formula guard.
"""
from __future__ import annotations

import io
import re
from datetime import datetime
from html import escape
from typing import NamedTuple
from xml.sax.saxutils import escape as xml_escape
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate
from reportlab.platypus import Table as PdfTable

from bench.floors import BOLD, REGULAR, register_fonts

GREEN, SAND = "#1b6f3a", "#e4d8b4"  # came, registered: the product's colours
EXPECTED = ("invited", "confirmed")  # who is expected at the door
QUARTER = 15 * 60


def share(expected: int, arrived: int) -> str:
    """Arrived as a whole percentage of expected, halves up (as the product rounds)."""
    return f"{(200 * arrived + expected) // (2 * expected)}%" if expected else "—"


# --- the dashboard page ---------------------------------------------------------------------

def _participation(breakdown) -> tuple[list[int], dict, dict, int]:
    """[registered, came] in total, per category and per district, and the women who came,
    from the bare breakdown's rows."""
    total, by_category, by_district, women = [0, 0], {}, {}, 0
    for category, status, gender, district, _jamoat, came, count in breakdown:
        expected, arrived = (count if status in EXPECTED else 0), (count if came else 0)
        for pair in (total, by_category.setdefault(category, [0, 0]), by_district.setdefault(district, [0, 0])):
            pair[0] += expected
            pair[1] += arrived
        women += arrived if gender == "f" else 0
    return total, by_category, by_district, women


def svg_bars(title: str, labels: list[str], series: list[tuple[str, list[int]]]) -> str:
    """Horizontal bars, a row per label and a bar per series, each with its number."""
    peak = max((n for _colour, values in series for n in values), default=0) or 1
    row = 12 * len(series) + 6
    parts = [f'<svg class="chart" viewBox="0 0 480 {row * len(labels) + 20}" role="img" aria-label="{escape(title)}">'
             f'<text x="0" y="12" font-size="10">{escape(title)}</text>']
    for i, label in enumerate(labels):
        y = 20 + i * row
        parts.append(f'<text x="165" y="{y + 9}" font-size="8" text-anchor="end">{escape(label)}</text>')
        for j, (colour, values) in enumerate(series):
            width = 270 * values[i] / peak
            parts.append(f'<rect x="170" y="{y + 12 * j}" width="{width:.1f}" height="11" fill="{colour}"/>'
                         f'<text x="{173 + width:.1f}" y="{y + 12 * j + 9}" font-size="7">{values[i]}</text>')
    return "".join(parts) + "</svg>"


def _html_table(title: str, heading: str, rows: list[tuple[str, list[int]]], total: list[int]) -> str:
    cells = "".join(f"<tr><td>{escape(label)}</td><td>{e}</td><td>{a}</td><td>{share(e, a)}</td></tr>"
                    for label, (e, a) in rows)
    return (f"<table><caption>{title}</caption><thead><tr><th>{heading}</th><th>Зарегистрировано</th><th>Пришли</th>"
            f"<th>Доля пришедших</th></tr></thead><tbody>{cells}</tbody><tfoot><tr><th>Всего</th><th>{total[0]}</th>"
            f"<th>{total[1]}</th><th>{share(*total)}</th></tr></tfoot></table>")


def _arrivals_svg(quarters, zone: str) -> str:
    """People first arriving per quarter hour, the empty quarters between too (as the product)."""
    counts = dict(quarters)
    if not counts:
        return ""
    starts = range(min(counts), max(counts) + QUARTER, QUARTER)
    times = [f"{datetime.fromtimestamp(start, ZoneInfo(zone)):%H:%M}" for start in starts]
    return svg_bars("Прибытие в течение дня (человек за четверть часа)", times, [(GREEN, [counts.get(s, 0) for s in starts])])


def _came_svg(title: str, rows: list[tuple[str, list[int]]]) -> str:
    return svg_bars(title, [label for label, _pair in rows],
                    [(SAND, [pair[0] for _label, pair in rows]), (GREEN, [pair[1] for _label, pair in rows])])


def dashboard(bare, districts: dict[int, str], zone: str) -> str:
    """bare: what `bench.reports._bare` returns; districts: id → name in Russian."""
    breakdown, groups, _expected, doors, quarters = bare
    total, by_category, by_district, women = _participation(breakdown)
    # The most registered first, as the product sorts districts, and a district not recorded last.
    categories = sorted(((key, pair) for key, pair in by_category.items() if any(pair)), key=lambda kv: -kv[1][0])
    places = [(districts.get(key, "не указано"), pair) for key, pair in sorted(
        ((key, pair) for key, pair in by_district.items() if any(pair)), key=lambda kv: (kv[0] is None, -kv[1][0]))]
    headline = {"registered": ("Зарегистрировано (ожидалось)", total[0]),
                "arrived": ("Пришли (отмечены на входе)", total[1]), "women_arrived": ("Пришло женщин", women),
                "districts": ("Районов представлено", sum(1 for key, pair in by_district.items() if key and pair[1])),
                "groups": ("Групп взаимопомощи участвует", groups)}
    figures = "".join(f'<div data-figure="{key}"><dt>{label}</dt><dd>{value}</dd></div>'
                      for key, (label, value) in headline.items())
    charts = [_arrivals_svg(quarters, zone), _came_svg("Участники по районам", places),
              _came_svg("Участники по категориям", categories)]
    outside = sum(door[4] for door in doors)
    return ("<!doctype html><html lang=\"ru\"><meta charset=\"utf-8\"><title>Форум</title>"
            f"<dl><dt>Регистрации</dt><dd>{sum(row[-1] for row in breakdown)}</dd></dl>"
            f"<h2>Коротко о форуме</h2><h3>Форум в цифрах</h3><dl>{figures}</dl>"
            + "".join(f"<figure>{chart}</figure>" for chart in charts if chart)
            + (f"<p>Сканирования вне дней форума (не на графике): {outside}.</p>" if outside else "")
            + "<h3>Участие</h3>" + _html_table("По категориям", "Категория", categories, total)
            + _html_table("По районам", "Район", places, total) + "</html>")


# --- the report's tables in Tajik, from the figures ---------------------------------------

TOTAL, NOT_RECORDED = "Ҳамагӣ", "қайд нашудааст"
PAIR = ["Сабти ном шуданд", "Омаданд", "Ҳиссаи омадагон"]
JOBS = ("vacancies", "positions", "seekers", "interviews", "offers", "hires")
SEATS = ("invited", "confirmed", "waitlisted", "declined", "attended")


class Table(NamedTuple):
    title: str
    columns: list[str]
    rows: list[list]
    total: list | None = None
    notes: list[str] = []


class Section(NamedTuple):
    title: str
    lines: list[str]
    charts: list[tuple[str, list[str], list[tuple[str, list[int]]]]]  # title, labels, (colour, values) per series
    tables: list[Table]


def _tg(name) -> str:
    """A {"ru", "tg", "en"} name in Tajik, else in the first language it has."""
    return (name.get("tg") or next(iter(name.values()), NOT_RECORDED)) if name else NOT_RECORDED


def _pairs(rows) -> list[list]:
    return [[label, pair.expected, pair.arrived, share(pair.expected, pair.arrived)] for label, pair in rows]


def _came_bars(title: str, rows) -> tuple:
    return (title, [label for label, _pair in rows],
            [(SAND, [pair.expected for _l, pair in rows]), (GREEN, [pair.arrived for _l, pair in rows])])


def summary(f) -> Table:
    p = f.participation
    rows = [["Сабти ном шуданд (интизор буданд)", p.total.expected], ["Омаданд (дар даромадгоҳ қайд шуданд)", p.total.arrived],
            ["Занони омада", sum(pair.arrived for gender, pair in p.by_gender if gender == "f")],
            ["Ноҳияҳои ширкаткунанда", sum(1 for name, pair in p.by_district if name is not None and pair.arrived)],
            ["Гурӯҳҳои худёрии иштироккунанда", p.groups]]
    if f.exhibition is not None:
        rows += [["Гурӯҳҳо дар намоишгоҳ", f.exhibition.applications.get("approved", 0)],
                 ["Маҳсулоти намоишдодашуда", f.exhibition.products]]
    if f.theatre is not None:
        rows.append(["Намоишҳои театрӣ", len(f.theatre.plays)])
    if f.drawings is not None:
        rows += [["Расмҳои кӯдакон дар намоишгоҳ", f.drawings.by_status.get("approved", 0)],
                 ["Расмҳои ҷоизадор", len(f.drawings.awards)]]
    if "round_table" in (f.forum.activities or ()):
        rows += [["Иштирокчиёни мизи мудаввар", sum(g.attended for t in f.round_tables for g in t.groups)],
                 ["Тавсияҳо", len(f.recommendations)]]
    if f.jobfair is not None:
        rows += [[label, f.jobfair.total[key]] for key, label in (
            ("employers", "Корфармоён дар ярмарка"), ("vacancies", "Ҷойҳои кории пешниҳодшуда (эълонҳо)"),
            ("positions", "Ҷойҳои кории пешниҳодшуда"), ("seekers", "Ҷӯяндагони кори манфиатдор"),
            ("hires", "Ба кор қабул шуданд"))]
    return Table("Форум дар рақамҳо", ["Нишондиҳанда", "Шумора"], rows)


def _participation_section(f) -> Section:
    p = f.participation
    total = [TOTAL, p.total.expected, p.total.arrived, share(p.total.expected, p.total.arrived)]
    districts = [(_tg(name), pair) for name, pair in p.by_district]
    return Section("Иштирок", [
        "«Сабти ном шуданд» — даъват шуданд ё иштирокро тасдиқ карданд; «омаданд» — дар ягон даромадгоҳ қайд шуданд.",
        f"Рад карданд: {p.declined}; бақайдгириҳои бекоршуда: {p.cancelled}. Дар боло онҳо ҳисоб карда нашудаанд."],
        [_came_bars("Иштирокчиён аз рӯи ноҳияҳо", districts), _came_bars("Иштирокчиён аз рӯи категорияҳо", p.by_category)],
        [Table("Аз рӯи категорияҳо", ["Категория", *PAIR], _pairs(p.by_category), total),
         Table("Аз рӯи ноҳияҳо", ["Ноҳия", *PAIR], _pairs(districts), total),
         Table("Аз рӯи ноҳияҳо ва ҷамоатҳо", ["Ноҳия", "Ҷамоат", *PAIR],
               [[_tg(d), _tg(j), pair.expected, pair.arrived, share(pair.expected, pair.arrived)]
                for d, j, pair in p.by_jamoat], [TOTAL, "", *total[1:]]),
         Table("Занон ва мардон", ["Ҷинс", *PAIR],
               _pairs([({"f": "Занон", "m": "Мардон"}.get(g, NOT_RECORDED), pair) for g, pair in p.by_gender]), total)])


def _arrivals_section(f) -> Section:
    a = f.arrivals
    lines = [f"Радкуниҳо ҳангоми сканкунӣ дар даромадгоҳҳо: {a.failed_scans}."]
    if a.quarters:
        start, count = max(a.quarters, key=lambda q: q[1])
        lines.insert(0, f"Аз ҳама бештар соати {start:%H:%M} омаданд: {count} нафар дар чоряк соат.")
    outside = [f"Скан берун аз рӯзҳои форум (дар график нест): {a.outside_days}."] if a.outside_days else []
    times = [f"{start:%H:%M}" for start, _n in a.quarters]
    chart = ("Омадан дар давоми рӯз (нафар дар чоряк соат)", times, [(GREEN, [n for _s, n in a.quarters])])
    return Section("Омадани иштирокчиён", lines + outside, [chart] if times else [],
                   [Table("Омадагон дар ҳар чоряк соат", ["Аз", "Нафарони омада"],
                          [[time, n] for time, (_s, n) in zip(times, a.quarters, strict=True)],
                          [TOTAL, sum(n for _s, n in a.quarters)], outside),
                    Table("Аз рӯи даромадгоҳҳо", ["Даромадгоҳ", "Интизор меравад", "Ворид шуданд", "Воридшавиҳо"],
                          [[_tg(name), "—" if expected is None else expected, arrived, entries]
                           for name, expected, arrived, entries in a.by_checkpoint])])


def _exhibition_section(e) -> Section:
    return Section("Намоишгоҳ", [
        f"Дархостҳо: тасдиқшуда — {e.applications['approved']}, дар баррасӣ — {e.applications['pending']}, "
        f"тасдиқнашуда — {e.applications['rejected']}."], [], [
        Table("Гурӯҳҳои намоишгоҳ", ["Стенд", "Гурӯҳи худёрӣ", "Ноҳия", "Ҷамоат", "Аъзои гурӯҳ дар стенд", "Маҳсулот"],
              [[x.stand, x.group, _tg(x.district), _tg(x.jamoat_name) if x.jamoat_name else (x.jamoat or NOT_RECORDED),
                x.members, x.products] for x in e.exhibitors],
              [TOTAL, len(e.exhibitors), "", "", sum(x.members for x in e.exhibitors), e.products]),
        Table("Маҳсулот аз рӯи намуд", ["Намуд", "Маҳсулот"], [list(kind) for kind in e.by_product_category],
              [TOTAL, e.products]),
        Table("Стендҳо", ["Стенд", "Шумора"], [list(stand) for stand in e.stands.items()], [TOTAL, sum(e.stands.values())])])


def _theatre_section(t, zone: ZoneInfo) -> Section:
    return Section("Театри сайёр", [
        f"Вақтҳои бандшуда: {t.filled} аз {t.slots}; дархостҳое, ки қарорро интизоранд: {t.requests.get('pending', 0)}."],
        [], [Table("Намоишҳо", ["Вақт", "Саҳна", "Труппа", "Намоиш", "Ҳунарпешагон"],
                   [[f"{p.starts_at.astimezone(zone):%H:%M}", _tg(p.stage), p.troupe, _tg(p.title), p.cast] for p in t.plays],
                   [TOTAL, "", "", len(t.plays), sum(p.cast for p in t.plays)])])


def _drawings_section(d) -> Section:
    return Section("Расмҳои кӯдакон", [
        f"Расмҳо дар намоишгоҳ: {d.by_status['approved']}; интизори санҷиш: {d.by_status['pending']}; "
        f"қабул нашуданд: {d.by_status['rejected']}.",
        "Кӯдакон танҳо ҳамон тавре нишон дода мешаванд, ки дар галереяи кушода бо розигии васиёнашон нишон дода шудаанд."],
        [], [Table("Расмҳои намоишдодашуда аз рӯи гурӯҳҳои синнусолӣ", ["Синну сол", "Расмҳо"],
                   [[f"{g[0]}–{g[1]}" if g else "синни дигар", n] for g, n in d.by_age_group],
                   [TOTAL, sum(n for _g, n in d.by_age_group)]),
             Table("Ҷоизаҳо", ["Ҷоиза", "Расм", "Кӯдак", "Синну сол", "Мактаб ё ҷамоат"],
                   [[a.award, a.title, a.first_name, a.age, a.place] for a in d.awards])])


def _round_table_section(f) -> Section:
    columns = ["Гурӯҳ", "Ҷойҳо аз рӯи квота", "Ҷавоб нест", "Тасдиқ карданд", "Рӯйхати интизорӣ", "Даст кашиданд", "Омаданд"]
    return Section("Мизи мудаввар", [
        f"{_tg(t.title)}: мушкилоти фиристодашуда: {t.problems}, ба мавзӯъҳо гурӯҳбандӣ шуданд: {t.topics}."
        for t in f.round_tables], [], [
        *(Table(_tg(t.title), columns,
                [[g.group, "—" if g.quota is None else g.quota, *(getattr(g, key) for key in SEATS)] for g in t.groups],
                [TOTAL, sum(g.quota or 0 for g in t.groups), *(sum(getattr(g, key) for g in t.groups) for key in SEATS)])
          for t in f.round_tables),
        Table("Тавсияҳо", ["№", "Тавсия", "Ба суроғаи", "Масъули иҷро", "Мӯҳлат", "Ҳолат", "Пешрафти охирин"],
              [[r.position, _tg(r.text), r.addressed_to, r.owner, r.deadline, r.status,
                f"{r.last_note_on:%d.%m.%Y}: {r.last_note}" if r.last_note_on else ""] for r in f.recommendations])])


def _jobfair_section(j) -> Section:
    columns = ["Ҷойҳои кории холӣ", "Ҷойҳои корӣ", "Ҷӯяндагон", "Мусоҳибаҳо", "Пешниҳодҳои кор", "Ба кор қабул шуданд"]
    total = [TOTAL, *(j.total[key] for key in JOBS)]
    hiring = ("Ярмаркаи ҷойҳои корӣ: аз ҷойҳои пешниҳодшуда то ба кор қабулшудагон", columns[1:],
              [(GREEN, [j.total[key] for key in JOBS[1:]])])
    return Section("Ярмаркаи ҷойҳои корӣ", [
        f"Корфармоён: тасдиқшуда — {j.employers['approved']}, интизори тасдиқ — {j.employers['pending']}, "
        f"радшуда — {j.employers['rejected']}.",
        "Ҷӯяндагони кор танҳо шумурда мешаванд, бе ном: шахсе, ки ба якчанд ҷойи корӣ таваҷҷӯҳ дорад, дар ҳамагӣ як бор "
        "ҳисоб мешавад."], [hiring] if j.total["positions"] else [], [
        Table("Корфармоён", ["Корфармо", "Соҳа", *columns],
              [[e.name, e.sector, *(e.figures[key] for key in JOBS)] for e in j.by_employer], [TOTAL, "", *total[1:]]),
        Table("Аз рӯйи соҳаҳо", ["Соҳа", *columns], [[sector, *(row[key] for key in JOBS)] for sector, row in j.by_sector],
              total),
        Table("Ҷойи кор", ["Ҷой", *columns],
              [[place if kind == "tajikistan" else f"Хориҷа: {place}", *(row[key] for key in JOBS)]
               for (kind, place), row in j.by_location], total)])


def sections(f) -> list[Section]:
    """The report's sections in order; an activity the forum does not hold is left out."""
    out = [_participation_section(f), _arrivals_section(f)]
    if f.exhibition is not None:
        out.append(_exhibition_section(f.exhibition))
    if f.theatre is not None:
        out.append(_theatre_section(f.theatre, ZoneInfo(f.forum.timezone)))
    if f.drawings is not None:
        out.append(_drawings_section(f.drawings))
    if f.round_tables or f.recommendations:
        out.append(_round_table_section(f))
    if f.jobfair is not None:
        out.append(_jobfair_section(f.jobfair))
    return out


# --- the PDF --------------------------------------------------------------------------------

class _Bars(Flowable):
    """A chart as the PDF prints it: horizontal bars, a row per label and a bar per series,
    each with its number, drawn straight on the canvas."""

    def __init__(self, title: str, labels: list[str], series: list[tuple[str, list[int]]]):
        super().__init__()
        self.title, self.labels, self.series = title, labels, series
        self.row = 11 * len(series) + 6
        self.width, self.height = 480, self.row * len(labels) + 24

    def draw(self) -> None:
        canvas = self.canv
        peak = max((n for _colour, values in self.series for n in values), default=0) or 1
        canvas.setFont(REGULAR, 10)
        canvas.drawString(0, self.height - 12, self.title)
        for i, label in enumerate(self.labels):
            y = self.height - 24 - (i + 1) * self.row
            canvas.setFillColor(colors.black)
            canvas.setFont(REGULAR, 8)
            canvas.drawRightString(165, y + self.row / 2, label[:34])
            canvas.setFont(REGULAR, 7)
            for j, (colour, values) in enumerate(self.series):
                width = 270 * values[i] / peak
                bottom = y + 11 * (len(self.series) - 1 - j)  # the first series on top, as the product has it
                canvas.setFillColor(colour)
                canvas.rect(170, bottom, width, 10, stroke=0, fill=1)
                canvas.setFillColor(colors.black)
                canvas.drawString(173 + width, bottom + 2, str(values[i]))


STYLES = {name: ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.25, spaceBefore=4, spaceAfter=3)
          for name, font, size in (("title", BOLD, 17), ("h1", BOLD, 13), ("h2", BOLD, 10.5), ("body", REGULAR, 9.5))}


def _grid(table: Table) -> PdfTable:
    # A heading's words one under another: the widest table (eight columns) keeps to the page
    # without wrapping any cell.
    data = [[column.replace(" ", "\n") for column in table.columns], *table.rows, *([table.total] if table.total else [])]
    style = [("FONT", (0, 0), (-1, -1), REGULAR, 8), ("FONT", (0, 0), (-1, 0), BOLD, 8),
             ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black)]
    if table.total:
        style.append(("FONT", (0, -1), (-1, -1), BOLD, 8))
    return PdfTable(data, repeatRows=1, hAlign="LEFT", style=style)


def pdf(f) -> bytes:
    register_fonts()
    forum, out = f.forum, io.BytesIO()
    day = forum.starts_at.astimezone(ZoneInfo(forum.timezone))
    story = [Paragraph("Ҳисобот дар бораи форум", STYLES["h2"]), Paragraph(xml_escape(_tg(forum.title)), STYLES["title"]),
             Paragraph(xml_escape(f"{_tg(forum.venue)}, {_tg(forum.city)} · {day:%d.%m.%Y}"), STYLES["body"]),
             Paragraph("Форум дар рақамҳо", STYLES["h1"]), _grid(summary(f))]
    for section in sections(f):
        story.append(Paragraph(section.title, STYLES["h1"]))
        story += [Paragraph(xml_escape(line), STYLES["body"]) for line in section.lines]
        story += [_Bars(*chart) for chart in section.charts]
        for table in section.tables:
            story += [Paragraph(xml_escape(table.title), STYLES["h2"]), _grid(table)]
    SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                      bottomMargin=18 * mm).build(story)
    return out.getvalue()


# --- the XLSX -------------------------------------------------------------------------------

SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def xlsx(f) -> bytes:
    """One sheet per table: the forum's name and the table's title, the columns, the rows,
    the total and the notes, as the product's workbook has them."""
    book, taken, title = Workbook(write_only=True), set(), _tg(f.forum.title)
    for n, table in enumerate([summary(f), *(t for section in sections(f) for t in section.tables)], 1):
        name = SHEET_FORBIDDEN.sub(" ", table.title)[:28]
        name = f"{name} {n}" if name.lower() in taken else name  # Excel wants every sheet's name unique
        taken.add(name.lower())
        sheet = book.create_sheet(name)
        sheet.append([f"{title}: {table.title}"])
        sheet.append(table.columns)
        for row in [*table.rows, *([table.total] if table.total else []), *([note] for note in table.notes)]:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
