"""Messaging listens to the agenda: when an item with invitations moves, is renamed, restored
or cancelled, the updates are queued in the same transaction as the change."""
from __future__ import annotations

from forum.agenda.signals import item_changed


@item_changed.connect
def _queue_calendar_updates(item, kind: str, **_extra) -> None:
    from forum.messaging import invitations

    invitations.item_changed(item, kind)
