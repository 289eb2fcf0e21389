"""The round table's part of copying a forum (forum.events.copying): each round table with its
seats, tables and the quota of every stakeholder group, on the copy of its agenda item (made
by the agenda's copier just before). Invitees, problems, topics and recommendations are that
year's people and outcomes, and stay behind."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from forum.extensions import db
from forum.i18n import tr
from forum.roundtable import service
from forum.roundtable.models import RoundTable


def copy_settings(copy) -> None:
    count = 0
    for table in db.session.scalars(sa.select(RoundTable).where(RoundTable.forum_id == copy.source.id)
                                    .order_by(RoundTable.id)):
        item = copy.items.get(table.item_id)
        if item is None:
            copy.note(_("Round table “%(title)s”: its agenda item was not copied, so neither are its seats and "
                        "quotas.", title=tr(table.item.title)))
            continue
        try:
            service.set_up(copy.target, item, table.capacity, table.tables, table.seats_per_table,
                           {quota.group: quota.seats for quota in table.quotas})
        except service.RoundTableError:  # e.g. quotas above the seats, saved before that rule: set it up anew
            copy.note(_("Round table “%(title)s”: its seats and quotas do not add up and were not copied.",
                        title=tr(table.item.title)))
            continue
        count += 1
    copy.copied(ngettext("%(num)d round table with its group quotas", "%(num)d round tables with their group quotas",
                         count))
