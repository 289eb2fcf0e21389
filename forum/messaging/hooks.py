"""Messaging listens to the agenda: when an item with invitations moves, is renamed, restored
or cancelled, the updates are queued in the same transaction as the change; and to people:
a cancelled registration withdraws its forum-wide invitation (METHOD:CANCEL)."""
from __future__ import annotations

from forum.agenda.signals import item_changed
from forum.people.signals import registration_cancelled


@item_changed.connect
def _queue_calendar_updates(item, kind: str, **_extra) -> None:
    from forum.messaging import invitations

    invitations.item_changed(item, kind)


@registration_cancelled.connect
def _cancel_forum_invitation(registration, **_extra) -> None:
    from forum.messaging import invitations

    invitations.registration_cancelled(registration)
