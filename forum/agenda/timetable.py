"""The timetable grid of the editor: areas as columns, five-minute rows, items placed by time."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

STEP = timedelta(minutes=5)  # one grid row; drag and drop snaps to it


@dataclass
class Placed:
    item: object
    column: int  # CSS grid column (1 is the time labels)
    row_start: int  # CSS grid rows (1 is the header)
    row_end: int


@dataclass
class Grid:
    start: datetime  # local time of the first row
    rows: int  # number of five-minute rows
    areas: list
    placed: list[Placed] = field(default_factory=list)
    hours: list[tuple[int, datetime]] = field(default_factory=list)  # (row, local time) of each full hour
    cancelled: list = field(default_factory=list)  # kept out of the grid, listed below it

    @property
    def step_minutes(self) -> int:
        return int(STEP.total_seconds() // 60)


def build(forum, areas: list, items: list) -> Grid:
    """Place the items of a forum's agenda on a grid covering the forum's hours (and any item
    that lies outside them, so nothing is hidden). Cancelled items are listed apart."""
    zone = ZoneInfo(forum.timezone)
    live = [i for i in items if not i.is_cancelled]
    first = min([forum.starts_at, *(i.starts_at for i in live)]).astimezone(zone)
    last = max([forum.ends_at, *(i.ends_at for i in live)]).astimezone(zone)
    start = first.replace(minute=0, second=0, microsecond=0)
    end = last if last == last.replace(minute=0, second=0, microsecond=0) else \
        last.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    rows = int((end - start) / STEP)
    grid = Grid(start=start, rows=rows, areas=list(areas), cancelled=[i for i in items if i.is_cancelled])
    columns = {area.id: n for n, area in enumerate(areas, start=2)}
    for item in live:
        top = int((item.starts_at.astimezone(zone) - start) / STEP)
        bottom = max(top + 1, -(-(item.ends_at.astimezone(zone) - start) // STEP))
        grid.placed.append(Placed(item, columns.get(item.area_id, 2), top + 2, bottom + 2))
    hour = start
    while hour < end:
        grid.hours.append((int((hour - start) / STEP) + 2, hour))
        hour += timedelta(hours=1)
    return grid
