"""Signals of the agenda, for features that react to changes (messaging queues calendar updates).

`item_changed` is sent by `forum.agenda.service` after a significant change of an item, inside
the same transaction, after the change is flushed and before anything is committed:

    from forum.agenda.signals import item_changed

    @item_changed.connect
    def queue_updates(item, kind):  # item: AgendaItem; kind: see KINDS
        ...  # add rows to the session; they commit (or roll back) with the change

`kind` is one of:
- "created": a new item;
- "moved": its time or area changed (its title may have changed too);
- "updated": its title changed, or a cancelled item was restored;
- "cancelled": it was cancelled (it stays in feeds as STATUS:CANCELLED).

Each of these also raised `item.sequence`, the iCalendar SEQUENCE. Changes that do not matter
to a calendar (description, hosts, audience, public/internal) send nothing.
"""
from blinker import Namespace

KINDS = ("created", "updated", "moved", "cancelled")

_signals = Namespace()
item_changed = _signals.signal("agenda-item-changed")
