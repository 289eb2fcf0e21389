"""Copying one forum's agenda onto another (B. Gafurov reuses Isfara's plan two days later)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from forum.agenda import queries, service
from forum.agenda.conflicts import overlaps
from forum.agenda.models import AgendaItem
from forum.events.models import Area, Forum

# Why an item of the source was not copied (besides "copied").
SKIP_REASONS = ("cancelled", "owned", "no_area", "outside_hours", "area_busy")


@dataclass
class CopyRow:
    item: AgendaItem  # the item of the source forum
    outcome: str  # "copied" or one of SKIP_REASONS
    starts_at: datetime  # where it goes (or would go) on the target's day, UTC
    ends_at: datetime
    area: Area | None = None  # the target's area with the same key, if any
    other: AgendaItem | None = None  # area_busy: the item in the way (of the target, or copied just before)
    new_item: AgendaItem | None = None  # the copy, once made


@dataclass
class CopyReport:
    rows: list[CopyRow] = field(default_factory=list)

    @property
    def copied(self) -> list[CopyRow]:
        return [r for r in self.rows if r.outcome == "copied"]

    @property
    def skipped(self) -> list[CopyRow]:
        return [r for r in self.rows if r.outcome != "copied"]


def shift_local(moment: datetime, days: timedelta, zone: ZoneInfo) -> datetime:
    """Move by whole days in local time, so 09:00 stays 09:00 across any clock change."""
    local = moment.astimezone(zone)
    return datetime.combine(local.date() + days, local.time(), tzinfo=zone).astimezone(UTC)


def copy_agenda(source: Forum, target: Forum, dry_run: bool = False) -> CopyReport:
    """Copy `source`'s agenda onto `target`: times move with the date (same local hours), areas
    are matched by key, texts, kinds, hosts, audience and public/internal are kept (people invited
    are not: they registered for the other forum). Every item is checked like a new one.

    Not copied, and listed with the reason: cancelled items, items owned by another feature
    ("owned": re-plan them in that feature), items whose area key the target lacks ("no_area"),
    and those refused by the rules ("outside_hours", "area_busy"). With `dry_run` nothing is
    written: the report says what a copy would do. The caller commits."""
    if source.id == target.id:
        raise service.AgendaError("same_forum")
    zone = ZoneInfo(target.timezone)
    days = target.starts_at.astimezone(zone).date() - source.starts_at.astimezone(ZoneInfo(source.timezone)).date()
    areas = {area.key: area for area in target.areas}
    taken = [(i.area_id, i.starts_at, i.ends_at, i)
             for i in queries.forum_items(target, public_only=False, include_cancelled=False)]
    report = CopyReport()
    for item in queries.forum_items(source, public_only=False):
        row = CopyRow(item, "copied", shift_local(item.starts_at, days, zone), shift_local(item.ends_at, days, zone),
                      area=areas.get(item.area.key))
        report.rows.append(row)
        if item.is_cancelled:
            row.outcome = "cancelled"
        elif item.source != "agenda":
            row.outcome = "owned"
        elif row.area is None:
            row.outcome = "no_area"
        elif row.starts_at < target.starts_at or row.ends_at > target.ends_at:
            row.outcome = "outside_hours"
        else:
            row.other = next((other for area_id, start, end, other in taken
                              if area_id == row.area.id and overlaps(start, end, row.starts_at, row.ends_at)), None)
            if row.other is not None:
                row.outcome = "area_busy"
        if row.outcome != "copied":
            continue
        assert row.area is not None  # "no_area" otherwise
        if not dry_run:
            data = service.item_data(item)
            data.area_id, data.starts_at, data.ends_at = row.area.id, row.starts_at, row.ends_at
            try:
                row.new_item = service.create_item(target, data).item
            except service.AgendaConflict as conflict:  # placed meanwhile by someone else
                row.outcome, row.other = conflict.code, conflict.other
                continue
        taken.append((row.area.id, row.starts_at, row.ends_at, row.new_item or item))
    return report


def copy_settings(copy) -> None:
    """The agenda's part of copying a forum (forum.events.copying): every item the plan owns,
    through `copy_agenda`. Cancelled items and those owned by another feature stay behind
    silently (a feature that plans its own items re-creates them in its copier); the rest that
    could not be placed are noted with the reason."""
    from flask_babel import ngettext

    from forum.agenda.forms import COPY_REASONS
    from forum.i18n import tr

    report = copy_agenda(copy.source, copy.target)
    for row in report.copied:
        copy.items[row.item.id] = row.new_item
    copy.copied(ngettext("%(num)d agenda item", "%(num)d agenda items", len(report.copied)))
    for row in report.skipped:
        if row.outcome in ("cancelled", "owned"):
            continue
        reason = COPY_REASONS[row.outcome] % {"key": row.item.area.key,
                                               "title": tr(row.other.title) if row.other is not None else ""}
        copy.note(f"{tr(row.item.title)}: {reason}")
